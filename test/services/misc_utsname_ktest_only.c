/* kernel/misc in the test kernel: the system names uname reports and sethostname/setdomainname change. */
#include <frame/errno.h>
#include <frame/ktest.h>
#include <frame/string.h>
#include <kernel/utsname.h>

KTEST(misc_utsname_names)
{
	struct new_utsname u, saved;
	utsname_get(&saved);
	KEXPECT(strcmp(saved.sysname, "Linux") == 0);
	KEXPECT(strcmp(saved.machine, "x86_64") == 0);
	KEXPECT(saved.release[0] >= '0' && saved.release[0] <= '9');
	KEXPECT_EQ(utsname_set_hostname("cadre-host-xyz", 10), 0);	/* only the first 10 bytes */
	utsname_get(&u);
	KEXPECT(strcmp(u.nodename, "cadre-host") == 0);
	static char longname[__NEW_UTS_LEN + 1];
	memset(longname, 'h', sizeof(longname));
	KEXPECT_EQ(utsname_set_hostname(longname, __NEW_UTS_LEN + 1), -EINVAL);
	KEXPECT_EQ(utsname_set_hostname(longname, __NEW_UTS_LEN), 0);	/* exactly 64 fits */
	utsname_get(&u);
	KEXPECT_EQ(strlen(u.nodename), __NEW_UTS_LEN);
	KEXPECT_EQ(utsname_set_domainname("example", 7), 0);
	utsname_get(&u);
	KEXPECT(strcmp(u.domainname, "example") == 0);
	KEXPECT_EQ(utsname_set_domainname("x", __NEW_UTS_LEN + 1), -EINVAL);
	utsname_set_hostname(saved.nodename, strlen(saved.nodename));
	utsname_set_domainname(saved.domainname, strlen(saved.domainname));
}
