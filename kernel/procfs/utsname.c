/* The host and domain names uname(2), sethostname(2) and /proc/sys/kernel share. */
#include <frame/errno.h>
#include <frame/spinlock.h>
#include <frame/string.h>
#include <kernel/utsname.h>

static spinlock_t uts_lock = SPINLOCK_INIT("utsname");
static char nodename[__NEW_UTS_LEN + 1] = "(none)";
static char domainname[__NEW_UTS_LEN + 1] = "(none)";

void utsname_get(struct new_utsname *out)
{
	memset(out, 0, sizeof(*out));
	strlcpy(out->sysname, UTS_SYSNAME, sizeof(out->sysname));
	strlcpy(out->release, UTS_RELEASE, sizeof(out->release));
	strlcpy(out->version, UTS_VERSION, sizeof(out->version));
	strlcpy(out->machine, UTS_MACHINE, sizeof(out->machine));
	unsigned long f = spin_lock_irqsave(&uts_lock);
	memcpy(out->nodename, nodename, sizeof(nodename));
	memcpy(out->domainname, domainname, sizeof(domainname));
	spin_unlock_irqrestore(&uts_lock, f);
}

static int set_name(char *dst, const char *name, size_t len)
{
	if (len > __NEW_UTS_LEN)
		return -EINVAL;
	unsigned long f = spin_lock_irqsave(&uts_lock);
	memcpy(dst, name, len);
	memset(dst + len, 0, __NEW_UTS_LEN + 1 - len);
	spin_unlock_irqrestore(&uts_lock, f);
	return 0;
}

int utsname_set_hostname(const char *name, size_t len)
{
	return set_name(nodename, name, len);
}

int utsname_set_domainname(const char *name, size_t len)
{
	return set_name(domainname, name, len);
}
