/* Per-CPU records (frame/cpu_local.h): storage, installation, and the public identity calls. */
#include <frame/cpu_local.h>
#include <task/task_internal.h>

struct cpu_local cpu_locals[CPU_MAX];
bool cpu_local_ready;
static unsigned cpus_online = 1;

void cpu_local_init(unsigned id)
{
	struct cpu_local *c = &cpu_locals[id];
	c->self = c;
	c->id = id;
	arch_cpu_local_install(c);
	if (id == 0)
		cpu_local_ready = true;
}

unsigned cpu_id(void)
{
	return this_cpu()->id;
}

unsigned cpu_count(void)
{
	return cpus_online;
}

struct task *cpu_current_task(void)
{
	return task_current();
}
