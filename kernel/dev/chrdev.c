/* The character-device registry: (major, minor range) -> operations, behind the special-file dispatcher. */
#include <frame/errno.h>
#include <frame/spinlock.h>
#include <kernel/chrdev.h>
#include <kernel/special.h>

/* Enough for the fixed devices and a pty range; a table keeps lookups lock-cheap. */
#define CHRDEV_MAX 32

struct chrdev_range {
	uint32_t major, minor, count;
	const struct chrdev_ops *ops;
};

static struct chrdev_range ranges[CHRDEV_MAX];
static size_t nranges;
static spinlock_t chrdev_lock = SPINLOCK_INIT("chrdev");

int chrdev_register(uint32_t major, uint32_t minor, uint32_t count, const struct chrdev_ops *ops)
{
	if (!ops || !ops->fops || count == 0 || major > 0xfff || minor > 0xfffff ||
	    count > 0x100000 - minor)
		return -EINVAL;
	unsigned long fl = spin_lock_irqsave(&chrdev_lock);
	int err = 0;
	for (size_t i = 0; i < nranges && !err; i++) {
		const struct chrdev_range *r = &ranges[i];
		if (r->major == major && minor < r->minor + r->count && r->minor < minor + count)
			err = -EBUSY;
	}
	if (!err && nranges == CHRDEV_MAX)
		err = -ENOSPC;
	if (!err)
		ranges[nranges++] = (struct chrdev_range){ major, minor, count, ops };
	spin_unlock_irqrestore(&chrdev_lock, fl);
	if (err)
		return err;
	err = special_register_chrdev(major, minor, minor + count - 1, chrdev_open);
	if (err) {
		fl = spin_lock_irqsave(&chrdev_lock);
		nranges--;	/* ours is the last: registration happens at boot, one task */
		spin_unlock_irqrestore(&chrdev_lock, fl);
	}
	return err;
}

void chrdev_unregister(uint32_t major, uint32_t minor)
{
	special_unregister_chrdev(major, minor);
	unsigned long fl = spin_lock_irqsave(&chrdev_lock);
	for (size_t i = 0; i < nranges; i++) {
		if (ranges[i].major == major && ranges[i].minor == minor) {
			ranges[i] = ranges[--nranges];
			break;
		}
	}
	spin_unlock_irqrestore(&chrdev_lock, fl);
}

const struct chrdev_ops *chrdev_lookup(uint64_t rdev)
{
	uint32_t major = dev_major(rdev), minor = dev_minor(rdev);
	const struct chrdev_ops *ops = NULL;
	unsigned long fl = spin_lock_irqsave(&chrdev_lock);
	for (size_t i = 0; i < nranges && !ops; i++) {
		const struct chrdev_range *r = &ranges[i];
		if (r->major == major && minor >= r->minor && minor - r->minor < r->count)
			ops = r->ops;
	}
	spin_unlock_irqrestore(&chrdev_lock, fl);
	return ops;
}

int chrdev_open(struct file *f)
{
	struct inode *inode = f->path.inode;
	if (!S_ISCHR(inode->mode))
		return -ENXIO;
	const struct chrdev_ops *ops = chrdev_lookup(inode->rdev);
	if (!ops)
		return -ENXIO;
	f->ops = ops->fops;
	return ops->open ? ops->open(f) : 0;
}
