/* Completions: a counted event tasks wait for, built on the frame's wait queues (kernel/lib/completion.c). */
#ifndef KERNEL_COMPLETION_H
#define KERNEL_COMPLETION_H

#include <frame/types.h>
#include <frame/wait.h>

/*
 * completion_signal() lets one waiter (now or later) through,
 * completion_signal_all() every waiter from then on. All zero is a valid,
 * not yet signalled completion.
 */
struct completion {
	/* Private to kernel/lib/completion.c. */
	struct wait_queue wq;
	uint32_t done;
};

void completion_init(struct completion *c);
/* Let one waiter through (counted: n signals pass n waits). Safe from interrupts. */
void completion_signal(struct completion *c);
/* Let every current and future waiter through, until completion_init(). */
void completion_signal_all(struct completion *c);
/* Wait for a signal and consume it. */
void completion_wait(struct completion *c);
/* Same with a limit: 0, or -ETIMEDOUT (nothing consumed). */
int completion_wait_timeout(struct completion *c, uint64_t timeout_ns);
/* Consume a signal if one is pending, without sleeping. */
bool completion_try_wait(struct completion *c);

#endif
