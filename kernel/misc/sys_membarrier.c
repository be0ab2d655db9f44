/*
 * membarrier(2) as Linux 6.1 answers it. Every command is a full barrier
 * for the caller; other threads of the process are not running while it
 * runs (one CPU), and a context switch is itself a barrier, so there is
 * nothing to interrupt. The private commands still need their registration
 * (EPERM without), kept per process and cleared by exec.
 */
#include <abi/errno.h>
#include <abi/membarrier.h>
#include <kernel/proc.h>
#include <kernel/syscalls.h>

#define MEMBARRIER_SUPPORTED (MEMBARRIER_CMD_GLOBAL | MEMBARRIER_CMD_GLOBAL_EXPEDITED | \
	MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED | MEMBARRIER_CMD_PRIVATE_EXPEDITED | \
	MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED | MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE | \
	MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE | MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ | \
	MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ)

/* A private command runs only once its registration came first. */
static int64_t private_cmd(unsigned registration)
{
	struct process *p = process_current();
	if (!(__atomic_load_n(&p->membarrier_registered, __ATOMIC_ACQUIRE) & registration))
		return -EPERM;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return 0;
}

static int64_t do_register(unsigned registration)
{
	__atomic_fetch_or(&process_current()->membarrier_registered, registration, __ATOMIC_ACQ_REL);
	return 0;
}

int64_t sys_membarrier(int cmd, uint32_t flags, int cpu_id)
{
	(void)cpu_id;	/* only with MEMBARRIER_CMD_FLAG_CPU, and every CPU is this one */
	if (cmd == MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ) {
		if (flags && flags != MEMBARRIER_CMD_FLAG_CPU)
			return -EINVAL;
	} else if (flags) {
		return -EINVAL;
	}
	switch (cmd) {
	case MEMBARRIER_CMD_QUERY:
		return MEMBARRIER_SUPPORTED;
	case MEMBARRIER_CMD_GLOBAL:
	case MEMBARRIER_CMD_GLOBAL_EXPEDITED:
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		return 0;
	case MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED:
		return do_register(MEMBARRIER_CMD_GLOBAL_EXPEDITED);
	case MEMBARRIER_CMD_PRIVATE_EXPEDITED:
	case MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE:
	case MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ:
		return private_cmd((unsigned)cmd);
	case MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED:
	case MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE:
	case MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ:
		/* Each registration enables the command just below it. */
		return do_register((unsigned)cmd >> 1);
	default:
		return -EINVAL;
	}
}
