/* Identity system calls: the uid and gid families and supplementary groups, with Linux's permission rules. */
#include <abi/errno.h>
#include <frame/vm_io.h>
#include <kernel/proc.h>
#include <kernel/syscalls.h>

#define NO_ID ((uint32_t)-1)

static struct cred *cred_current(void)
{
	return &process_current()->cred;
}

static bool capable(const struct cred *c)
{
	return c->euid == 0;
}

int64_t sys_getuid(void) { return cred_current()->uid; }
int64_t sys_geteuid(void) { return cred_current()->euid; }
int64_t sys_getgid(void) { return cred_current()->gid; }
int64_t sys_getegid(void) { return cred_current()->egid; }

/* May an unprivileged caller switch to @id? Only to one of its real, effective or saved ids. */
static bool id_allowed(uint32_t id, uint32_t r, uint32_t e, uint32_t s)
{
	return id == r || id == e || id == s;
}

/* setresuid and setresgid share one rule set; NO_ID leaves a field unchanged. */
static int set_res(struct cred *c, bool priv, uint32_t *r, uint32_t *e, uint32_t *s,
		   uint32_t *fs, uint32_t nr, uint32_t ne, uint32_t ns)
{
	if (!priv) {
		if ((nr != NO_ID && !id_allowed(nr, *r, *e, *s)) ||
		    (ne != NO_ID && !id_allowed(ne, *r, *e, *s)) ||
		    (ns != NO_ID && !id_allowed(ns, *r, *e, *s)))
			return -EPERM;
	}
	(void)c;
	if (nr != NO_ID)
		*r = nr;
	if (ne != NO_ID)
		*e = ne;
	if (ns != NO_ID)
		*s = ns;
	*fs = *e;
	return 0;
}

int64_t sys_setresuid(uint32_t ruid, uint32_t euid, uint32_t suid)
{
	struct cred *c = cred_current();
	return set_res(c, capable(c), &c->uid, &c->euid, &c->suid, &c->fsuid,
		       ruid, euid, suid);
}

int64_t sys_setresgid(uint32_t rgid, uint32_t egid, uint32_t sgid)
{
	struct cred *c = cred_current();
	return set_res(c, capable(c), &c->gid, &c->egid, &c->sgid, &c->fsgid,
		       rgid, egid, sgid);
}

static int64_t get_res(uint32_t r, uint32_t e, uint32_t s, uint32_t __user *ur, uint32_t __user *ue,
		       uint32_t __user *us)
{
	if (put_user_u32(r, ur) || put_user_u32(e, ue) || put_user_u32(s, us))
		return -EFAULT;
	return 0;
}

int64_t sys_getresuid(uint32_t __user *ruid, uint32_t __user *euid, uint32_t __user *suid)
{
	struct cred *c = cred_current();
	return get_res(c->uid, c->euid, c->suid, ruid, euid, suid);
}

int64_t sys_getresgid(uint32_t __user *rgid, uint32_t __user *egid, uint32_t __user *sgid)
{
	struct cred *c = cred_current();
	return get_res(c->gid, c->egid, c->sgid, rgid, egid, sgid);
}

/* setuid: root sets all three; others only the effective id, to the real or saved one. */
int64_t sys_setuid(uint32_t uid)
{
	struct cred *c = cred_current();
	uint32_t id = uid;
	if (id == NO_ID)
		return -EINVAL;
	if (capable(c)) {
		c->uid = c->euid = c->suid = c->fsuid = id;
		return 0;
	}
	if (id != c->uid && id != c->suid)
		return -EPERM;
	c->euid = c->fsuid = id;
	return 0;
}

int64_t sys_setgid(uint32_t gid)
{
	struct cred *c = cred_current();
	uint32_t id = gid;
	if (id == NO_ID)
		return -EINVAL;
	if (capable(c)) {
		c->gid = c->egid = c->sgid = c->fsgid = id;
		return 0;
	}
	if (id != c->gid && id != c->sgid)
		return -EPERM;
	c->egid = c->fsgid = id;
	return 0;
}

/* setreuid: the saved id follows the new effective one when the real id is set or differs. */
static int set_re(bool priv, uint32_t *r, uint32_t *e, uint32_t *s, uint32_t *fs,
		  uint32_t nr, uint32_t ne)
{
	uint32_t old_r = *r;
	if (!priv) {
		if (nr != NO_ID && nr != *r && nr != *e)
			return -EPERM;
		if (ne != NO_ID && !id_allowed(ne, *r, *e, *s))
			return -EPERM;
	}
	if (nr != NO_ID)
		*r = nr;
	if (ne != NO_ID)
		*e = ne;
	if (nr != NO_ID || (ne != NO_ID && ne != old_r))
		*s = *e;
	*fs = *e;
	return 0;
}

int64_t sys_setreuid(uint32_t ruid, uint32_t euid)
{
	struct cred *c = cred_current();
	return set_re(capable(c), &c->uid, &c->euid, &c->suid, &c->fsuid,
		      ruid, euid);
}

int64_t sys_setregid(uint32_t rgid, uint32_t egid)
{
	struct cred *c = cred_current();
	return set_re(capable(c), &c->gid, &c->egid, &c->sgid, &c->fsgid,
		      rgid, egid);
}

/* setfsuid/setfsgid return the previous value and never fail visibly. */
int64_t sys_setfsuid(uint32_t uid)
{
	struct cred *c = cred_current();
	uint32_t old = c->fsuid, id = uid;
	if (capable(c) || id == c->uid || id == c->euid || id == c->suid || id == c->fsuid)
		c->fsuid = id;
	return old;
}

int64_t sys_setfsgid(uint32_t gid)
{
	struct cred *c = cred_current();
	uint32_t old = c->fsgid, id = gid;
	if (capable(c) || id == c->gid || id == c->egid || id == c->sgid || id == c->fsgid)
		c->fsgid = id;
	return old;
}

int64_t sys_getgroups(int size, uint32_t __user *list)
{
	struct cred *c = cred_current();
	if (size < 0)
		return -EINVAL;
	if (size == 0)
		return c->ngroups;
	if ((uint32_t)size < c->ngroups)
		return -EINVAL;
	if (copy_to_user(list, c->groups, c->ngroups * sizeof(uint32_t)))
		return -EFAULT;
	return c->ngroups;
}

int64_t sys_setgroups(int size, const uint32_t __user *list)
{
	struct cred *c = cred_current();
	if (!capable(c))
		return -EPERM;
	if (size < 0 || size > CRED_MAX_GROUPS)
		return -EINVAL;
	uint32_t groups[CRED_MAX_GROUPS];
	if (size && copy_from_user(groups, list, (size_t)size * sizeof(uint32_t)))
		return -EFAULT;
	for (int i = 0; i < size; i++)
		c->groups[i] = groups[i];
	c->ngroups = (uint32_t)size;
	return 0;
}
