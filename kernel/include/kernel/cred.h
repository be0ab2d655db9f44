/* Credentials: the identity a file-system (and later process) operation acts as. */
#ifndef KERNEL_CRED_H
#define KERNEL_CRED_H

#include <frame/types.h>

/* Supplementary groups kept per credential (Linux allows 65536; enough for now). */
#define CRED_MAX_GROUPS 32

/*
 * Plain value: the process layer embeds or copies it. File-system checks use
 * fsuid/fsgid (equal to euid/egid unless setfsuid() changed them), as Linux.
 */
struct cred {
	uint32_t uid, gid;	/* real */
	uint32_t euid, egid;	/* effective */
	uint32_t suid, sgid;	/* saved */
	uint32_t fsuid, fsgid;	/* file system */
	uint32_t ngroups;
	uint32_t groups[CRED_MAX_GROUPS];
};

/* All ids @uid/@gid, no supplementary groups. */
static inline void cred_init(struct cred *c, uint32_t uid, uint32_t gid)
{
	*c = (struct cred){ uid, gid, uid, gid, uid, gid, uid, gid, 0, { 0 } };
}

/* True if @gid is the file-system group or one of the supplementary groups. */
static inline bool cred_in_group(const struct cred *c, uint32_t gid)
{
	if (c->fsgid == gid)
		return true;
	for (uint32_t i = 0; i < c->ngroups && i < CRED_MAX_GROUPS; i++)
		if (c->groups[i] == gid)
			return true;
	return false;
}

/* Root's privilege over files (CAP_FOWNER, CAP_DAC_OVERRIDE, CAP_CHOWN...): fsuid 0. */
static inline bool cred_is_root(const struct cred *c)
{
	return c->fsuid == 0;
}

#endif
