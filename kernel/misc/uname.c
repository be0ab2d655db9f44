/*
 * uname, sethostname, setdomainname, and the names they share with
 * /proc/sys/kernel. The store is defined weak so the procfs side may own it
 * instead without a link clash.
 */
#include <abi/errno.h>
#include <frame/spinlock.h>
#include <frame/string.h>
#include <frame/vm_io.h>
#include <kernel/proc.h>
#include <kernel/utsname.h>
#include "../syscall/syscall.h"

static spinlock_t uts_lock = SPINLOCK_INIT("utsname");
static char uts_nodename[__NEW_UTS_LEN + 1] = "(none)";
static char uts_domainname[__NEW_UTS_LEN + 1] = "(none)";

__attribute__((weak)) void utsname_get(struct new_utsname *out)
{
	memset(out, 0, sizeof(*out));
	strlcpy(out->sysname, UTS_SYSNAME, sizeof(out->sysname));
	strlcpy(out->release, UTS_RELEASE, sizeof(out->release));
	strlcpy(out->version, UTS_VERSION, sizeof(out->version));
	strlcpy(out->machine, UTS_MACHINE, sizeof(out->machine));
	unsigned long flags = spin_lock_irqsave(&uts_lock);
	memcpy(out->nodename, uts_nodename, sizeof(out->nodename));
	memcpy(out->domainname, uts_domainname, sizeof(out->domainname));
	spin_unlock_irqrestore(&uts_lock, flags);
}

static int set_name(char *dst, const char *name, size_t len)
{
	if (len > __NEW_UTS_LEN)
		return -EINVAL;
	unsigned long flags = spin_lock_irqsave(&uts_lock);
	memcpy(dst, name, len);
	memset(dst + len, 0, __NEW_UTS_LEN + 1 - len);
	spin_unlock_irqrestore(&uts_lock, flags);
	return 0;
}

__attribute__((weak)) int utsname_set_hostname(const char *name, size_t len)
{
	return set_name(uts_nodename, name, len);
}

__attribute__((weak)) int utsname_set_domainname(const char *name, size_t len)
{
	return set_name(uts_domainname, name, len);
}

int64_t sys_uname(const struct syscall_args *a)
{
	struct new_utsname u;
	utsname_get(&u);
	if (copy_to_user(user_ptr(a->a[0]), &u, sizeof(u)))
		return -EFAULT;
	return 0;
}

/* Linux's order: CAP_SYS_ADMIN (EPERM), then the length (EINVAL), then the copy (EFAULT). */
static int64_t set_from_user(const struct syscall_args *a, int (*set)(const char *, size_t))
{
	if (process_current()->cred.euid != 0)
		return -EPERM;
	int len = (int)a->a[1];	/* an int in Linux's prototype */
	if (len < 0 || len > __NEW_UTS_LEN)
		return -EINVAL;
	char buf[__NEW_UTS_LEN];
	if (copy_from_user(buf, user_ptr(a->a[0]), (size_t)len))
		return -EFAULT;
	return set(buf, (size_t)len);
}

int64_t sys_sethostname(const struct syscall_args *a)
{
	return set_from_user(a, utsname_set_hostname);
}

int64_t sys_setdomainname(const struct syscall_args *a)
{
	return set_from_user(a, utsname_set_domainname);
}
