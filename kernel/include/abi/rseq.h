/* Restartable sequences: the per-thread area rseq(2) registers and the critical-section descriptors it points at. */
/* uapi: <linux/rseq.h> */
#ifndef ABI_RSEQ_H
#define ABI_RSEQ_H

#include <frame/types.h>

#define RSEQ_CPU_ID_UNINITIALIZED -1
#define RSEQ_FLAG_UNREGISTER 1

struct rseq_cs {
	uint32_t version;
	uint32_t flags;
	uint64_t start_ip;
	uint64_t post_commit_offset;
	uint64_t abort_ip;
} __attribute__((aligned(32)));

struct rseq {
	uint32_t cpu_id_start;
	uint32_t cpu_id;
	uint64_t rseq_cs;
	uint32_t flags;
} __attribute__((aligned(32)));

#endif
