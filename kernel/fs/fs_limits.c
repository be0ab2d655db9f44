/* The write-time checks that need the process layer (RLIMIT_FSIZE with SIGXFSZ, privilege drop on write), behind hooks it installs. */
#include <frame/errno.h>
#include <kernel/fs_limits.h>

static const struct cred *no_cred(void)
{
	return NULL;
}

static uint64_t no_limit(void)
{
	return UINT64_MAX;
}

static void no_signal(void)
{
}

static const struct fs_limit_hooks default_hooks = { no_cred, no_limit, no_signal };
static const struct fs_limit_hooks *hooks = &default_hooks;

void fs_set_limit_hooks(const struct fs_limit_hooks *h)
{
	__atomic_store_n(&hooks, h ? h : &default_hooks, __ATOMIC_RELEASE);
}

static const struct fs_limit_hooks *cur(void)
{
	return __atomic_load_n(&hooks, __ATOMIC_ACQUIRE);
}

ssize_t fs_check_fsize(uint64_t pos, size_t len)
{
	uint64_t limit = cur()->fsize();
	if (limit == UINT64_MAX)
		return (ssize_t)len;
	if (pos >= limit) {
		cur()->raise_sigxfsz();
		return -EFBIG;
	}
	return (ssize_t)MIN((uint64_t)len, limit - pos);
}

int fs_check_newsize(uint64_t size)
{
	uint64_t limit = cur()->fsize();
	if (limit != UINT64_MAX && size > limit) {
		cur()->raise_sigxfsz();
		return -EFBIG;
	}
	return 0;
}

void fs_remove_privs(struct inode *inode)
{
	uint32_t kill = S_ISUID;
	if ((inode->mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP))
		kill |= S_ISGID;
	if (!(inode->mode & kill))
		return;
	const struct cred *c = cur()->cred();
	/* Root (CAP_FSETID) keeps the bits; so does a write with no process behind it. */
	if (!c || cred_is_root(c))
		return;
	inode->mode &= ~kill;
	inode->ctime = fs_now();
}
