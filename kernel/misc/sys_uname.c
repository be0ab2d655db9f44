/*
 * uname, sethostname, setdomainname: thin handlers over the name store
 * kernel/procfs/utsname.c keeps (it is shared with /proc/sys/kernel).
 */
#include <abi/errno.h>
#include <frame/string.h>
#include <frame/vm_io.h>
#include <kernel/proc.h>
#include <kernel/utsname.h>
#include <kernel/syscalls.h>

int64_t sys_uname(struct new_utsname __user *name)
{
	struct new_utsname u;
	utsname_get(&u);
	if (copy_to_user(name, &u, sizeof(u)))
		return -EFAULT;
	return 0;
}

/* Linux's order: CAP_SYS_ADMIN (EPERM), then the length (EINVAL), then the copy (EFAULT). */
static int64_t set_from_user(const void __user *name, int len, int (*set)(const char *, size_t))
{
	if (process_current()->cred.euid != 0)
		return -EPERM;
	if (len < 0 || len > __NEW_UTS_LEN)
		return -EINVAL;
	char buf[__NEW_UTS_LEN];
	if (copy_from_user(buf, name, (size_t)len))
		return -EFAULT;
	return set(buf, (size_t)len);
}

int64_t sys_sethostname(const void __user *name, int len)
{
	return set_from_user(name, len, utsname_set_hostname);
}

int64_t sys_setdomainname(const void __user *name, int len)
{
	return set_from_user(name, len, utsname_set_domainname);
}
