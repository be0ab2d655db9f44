/* Hosted frame CPU identity: the process is CPU 0 of one, running no frame task. */
#include <frame/cpu_local.h>

unsigned cpu_id(void)
{
	return 0;
}

unsigned cpu_count(void)
{
	return 1;
}

struct task *cpu_current_task(void)
{
	return NULL;
}
