/* struct sigevent as timer_create(2) reads it, and its notification kinds. */
/* uapi: <linux/signal.h> */
#ifndef ABI_SIGEVENT_H
#define ABI_SIGEVENT_H

#include <frame/types.h>

#define SIGEV_SIGNAL 0
#define SIGEV_NONE 1
#define SIGEV_THREAD 2
#define SIGEV_THREAD_ID 4

/* abi-unchecked: Linux's has a union; same layout (value 0, signo 8, notify 12, tid 16, 64 bytes) */
struct ksigevent {
	uint64_t sigev_value;
	int32_t sigev_signo;
	int32_t sigev_notify;
	int32_t sigev_tid;
	int32_t pad[11];
};

#endif
