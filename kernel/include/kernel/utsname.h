/*
 * The system's names as uname(2), sethostname(2), setdomainname(2) and
 * /proc/sys/kernel/{hostname,domainname} share them (one UTS namespace).
 */
#ifndef KERNEL_UTSNAME_H
#define KERNEL_UTSNAME_H

#include <frame/types.h>
#include <abi/utsname.h>

#define UTS_SYSNAME "Linux"
#define UTS_RELEASE "6.1.0-cadre"
#define UTS_VERSION "#1 SMP PREEMPT_DYNAMIC Cadre"
#define UTS_MACHINE "x86_64"

/* A consistent copy of every field (nodename "(none)" and domainname "(none)" until set, as Linux). */
void utsname_get(struct new_utsname *out);
/*
 * Set the host or domain name from @len bytes of @name (kernel copy, not
 * terminated). 0, or -EINVAL when @len > __NEW_UTS_LEN. Permission is the
 * caller's to check (CAP_SYS_ADMIN: EPERM).
 */
int utsname_set_hostname(const char *name, size_t len);
int utsname_set_domainname(const char *name, size_t len);

#endif
