/* prctl (name, parent-death signal, dumpable, no_new_privs) and personality (Linux only). */
#include <abi/errno.h>
#include <abi/prctl.h>
#include <abi/signal.h>
#include <frame/string.h>
#include <frame/vm_io.h>
#include <kernel/ktime.h>
#include <kernel/proc.h>
#include <kernel/syscalls.h>

#define SUID_DUMP_DISABLE 0
#define SUID_DUMP_USER 1
#define PERSONALITY_QUERY 0xffffffffu

/* Set a field of the current process's state; -ENOMEM if it cannot be kept. */
#define SET_MISC(field, value) \
	({ \
		proc_tree_lock(); \
		struct proc_misc *m_ = proc_misc_get(process_current()); \
		if (m_) \
			m_->field = (value); \
		proc_tree_unlock(); \
		m_ ? 0 : -ENOMEM; \
	})

static struct proc_misc current_misc(void)
{
	proc_tree_lock();
	struct proc_misc m = proc_misc_peek(process_current());
	proc_tree_unlock();
	return m;
}

int64_t sys_prctl(int option, uint64_t arg2, uint64_t arg3, uint64_t arg4, uint64_t arg5)
{
	struct process *p = process_current();
	switch (option) {
	case PR_SET_PDEATHSIG:
		if (arg2 > KERNEL_NSIG)
			return -EINVAL;
		return SET_MISC(pdeath_signal, (int)arg2);
	case PR_GET_PDEATHSIG:
		return put_user_u32((uint32_t)current_misc().pdeath_signal, user_ptr(arg2));
	case PR_GET_DUMPABLE:
		return current_misc().dumpable;
	case PR_SET_DUMPABLE:
		if (arg2 != SUID_DUMP_DISABLE && arg2 != SUID_DUMP_USER)
			return -EINVAL;
		return SET_MISC(dumpable, (int)arg2);
	case PR_SET_NAME: {
		char comm[PROC_COMM_LEN];
		if (strncpy_from_user(comm, user_ptr(arg2), sizeof(comm) - 1) < 0)
			return -EFAULT;
		comm[sizeof(comm) - 1] = 0;
		proc_tree_lock();
		strlcpy(p->comm, comm, sizeof(p->comm));
		proc_tree_unlock();
		return 0;
	}
	case PR_GET_NAME: {
		char comm[PROC_COMM_LEN];
		proc_tree_lock();
		strlcpy(comm, p->comm, sizeof(comm));
		proc_tree_unlock();
		return copy_to_user(user_ptr(arg2), comm, sizeof(comm)) ? -EFAULT : 0;
	}
	case PR_SET_CHILD_SUBREAPER:
		proc_tree_lock();
		p->child_subreaper = arg2 != 0;
		proc_tree_unlock();
		return 0;
	case PR_GET_CHILD_SUBREAPER:
		return put_user_u32(p->child_subreaper ? 1 : 0, user_ptr(arg2)) ? -EFAULT : 0;
	case PR_SET_NO_NEW_PRIVS:
		if (arg2 != 1 || arg3 || arg4 || arg5)
			return -EINVAL;	/* it can only be set, never cleared */
		return SET_MISC(no_new_privs, true);
	case PR_GET_NO_NEW_PRIVS:
		if (arg2 || arg3 || arg4 || arg5)
			return -EINVAL;
		return current_misc().no_new_privs ? 1 : 0;
	default:
		return -EINVAL;
	}
}

int64_t sys_personality(uint32_t persona)
{
	uint32_t old = current_misc().personality;
	if (persona != PERSONALITY_QUERY) {
		int err = SET_MISC(personality, persona);
		if (err)
			return err;
	}
	return old;
}
