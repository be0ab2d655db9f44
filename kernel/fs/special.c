/* The special-open dispatcher: FIFOs to the pipe layer, device nodes to the drivers registered by major/minor. */
#include <frame/errno.h>
#include <frame/spinlock.h>
#include <kernel/pipe.h>
#include <kernel/special.h>

struct dev_range {
	bool used;
	bool block;
	uint32_t major, lo, hi;
	special_dev_open_fn open;
};

/* A spin lock, not a mutex: drivers may register before the scheduler runs. */
static spinlock_t devs_lock = SPINLOCK_INIT("special devs");
static struct dev_range devs[SPECIAL_MAX_DEVS];

void special_init(void)
{
	vfs_set_special_open(special_open);
}

static int do_register(bool block, uint32_t major, uint32_t lo, uint32_t hi,
		       special_dev_open_fn open)
{
	if (lo > hi || !open)
		return -EINVAL;
	special_init();
	int err = -ENOSPC;
	unsigned long fl = spin_lock_irqsave(&devs_lock);
	for (size_t i = 0; i < SPECIAL_MAX_DEVS; i++) {
		struct dev_range *d = &devs[i];
		if (d->used && d->block == block && d->major == major && lo <= d->hi && d->lo <= hi) {
			err = -EBUSY;
			goto out;
		}
	}
	for (size_t i = 0; i < SPECIAL_MAX_DEVS; i++) {
		if (!devs[i].used) {
			devs[i] = (struct dev_range){ true, block, major, lo, hi, open };
			err = 0;
			break;
		}
	}
out:
	spin_unlock_irqrestore(&devs_lock, fl);
	return err;
}

int special_register_chrdev(uint32_t major, uint32_t minor_lo, uint32_t minor_hi,
			    special_dev_open_fn open)
{
	return do_register(false, major, minor_lo, minor_hi, open);
}

int special_register_blkdev(uint32_t major, uint32_t minor_lo, uint32_t minor_hi,
			    special_dev_open_fn open)
{
	return do_register(true, major, minor_lo, minor_hi, open);
}

static void do_unregister(bool block, uint32_t major, uint32_t lo)
{
	unsigned long fl = spin_lock_irqsave(&devs_lock);
	for (size_t i = 0; i < SPECIAL_MAX_DEVS; i++)
		if (devs[i].used && devs[i].block == block && devs[i].major == major &&
		    devs[i].lo == lo)
			devs[i].used = false;
	spin_unlock_irqrestore(&devs_lock, fl);
}

void special_unregister_chrdev(uint32_t major, uint32_t minor_lo)
{
	do_unregister(false, major, minor_lo);
}

void special_unregister_blkdev(uint32_t major, uint32_t minor_lo)
{
	do_unregister(true, major, minor_lo);
}

static special_dev_open_fn find_dev(bool block, uint64_t rdev)
{
	uint32_t major = dev_major(rdev), minor = dev_minor(rdev);
	special_dev_open_fn fn = NULL;
	unsigned long fl = spin_lock_irqsave(&devs_lock);
	for (size_t i = 0; i < SPECIAL_MAX_DEVS; i++) {
		struct dev_range *d = &devs[i];
		if (d->used && d->block == block && d->major == major && d->lo <= minor &&
		    minor <= d->hi) {
			fn = d->open;
			break;
		}
	}
	spin_unlock_irqrestore(&devs_lock, fl);
	return fn;
}

int special_open(struct file *f)
{
	struct inode *inode = f->path.inode;
	switch (inode->mode & S_IFMT) {
	case S_IFIFO:
		return fifo_open(f);
	case S_IFCHR:
	case S_IFBLK: {
		special_dev_open_fn fn = find_dev(S_ISBLK(inode->mode), inode->rdev);
		return fn ? fn(f) : -ENXIO;
	}
	default:
		return -ENXIO;
	}
}
