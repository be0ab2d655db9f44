/* Kernel tasks (frame/task.h): creation, exit, join, reference counts, reaping, and the boot and idle tasks. */
#include <frame/clock.h>
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/irq.h>
#include <frame/log.h>
#include <frame/panic.h>
#include <frame/sched.h>
#include <frame/spinlock.h>
#include <frame/string.h>
#include <frame/task.h>
#include <frame/vm_space.h>
#include <frame/wait.h>
#include <sched/sched_internal.h>
#include <internal/sanitize.h>
#include <task/task_internal.h>

/*
 * Records of the two tasks CPU 0 has from the start; never freed. The boot
 * task's is valid even before task_init_boot(), so task_current() never
 * returns NULL, even to code running early in boot.
 */
static struct task boot_task = {
	.name = "boot",
	.state = TASK_RUNNABLE,
	.prio = TASK_PRIO_DEFAULT,
	.refs = 1,
};
static struct task idle_task;

static spinlock_t task_list_lock = SPINLOCK_INIT("tasks");
static struct task *all_tasks;
static size_t nr_tasks;
static uint64_t next_task_id;

static void list_add_task(struct task *t)
{
	unsigned long f = spin_lock_irqsave(&task_list_lock);
	t->id = next_task_id++;
	t->all_prev = NULL;
	t->all_next = all_tasks;
	if (all_tasks)
		all_tasks->all_prev = t;
	all_tasks = t;
	nr_tasks++;
	spin_unlock_irqrestore(&task_list_lock, f);
}

static void list_del_task(struct task *t)
{
	unsigned long f = spin_lock_irqsave(&task_list_lock);
	if (t->all_prev)
		t->all_prev->all_next = t->all_next;
	else
		all_tasks = t->all_next;
	if (t->all_next)
		t->all_next->all_prev = t->all_prev;
	nr_tasks--;
	spin_unlock_irqrestore(&task_list_lock, f);
}

size_t task_count(void)
{
	return __atomic_load_n(&nr_tasks, __ATOMIC_RELAXED);
}

static bool task_is_static(const struct task *t)
{
	return t == &boot_task || t == &idle_task;
}

/*
 * The page allocator and heap guard themselves against re-entry but not yet
 * against preemption (their locks predate spin locks), so every call into
 * them from here runs unpreempted.
 */
void task_put(struct task *t)
{
	if (__atomic_sub_fetch(&t->refs, 1, __ATOMIC_ACQ_REL) != 0 || task_is_static(t))
		return;
	list_del_task(t);
	sched_preempt_disable();
	kfree(t);
	sched_preempt_enable();
}

void task_reap(void)
{
	struct task *t = sched_take_dead();
	while (t) {
		struct task *next = t->dead_next;
		sched_preempt_disable();
		task_stack_free(&t->stack);
		sched_preempt_enable();
		task_put(t);
		t = next;
	}
}

static void task_setup(struct task *t, const char *name, task_fn fn, void *arg, int prio)
{
	strlcpy(t->name, name ? name : "task", sizeof(t->name));
	t->fn = fn;
	t->arg = arg;
	t->prio = prio;
	t->state = TASK_RUNNABLE;
	wait_queue_init(&t->exit_wq);
}

int task_create(const char *name, task_fn fn, void *arg, int prio, struct task **out)
{
	if (!fn || prio < TASK_PRIO_MIN || prio > TASK_PRIO_MAX)
		return -EINVAL;
	if (!sched_is_running())
		return -EAGAIN;
	task_reap();

	sched_preempt_disable();
	struct task *t = kzalloc(sizeof(*t));
	if (t && task_stack_alloc(&t->stack) != 0) {
		kfree(t);
		t = NULL;
	}
	sched_preempt_enable();
	if (!t)
		return -ENOMEM;

	task_setup(t, name, fn, arg, prio);
	/* One reference for being alive (dropped by the reaper), one for the handle. */
	t->refs = out ? 2 : 1;
	arch_task_init_context(&t->ctx, t->stack.base, t->stack.size);
	list_add_task(t);
	if (out)
		*out = t;
	sched_start_task(t);
	return 0;
}

_Noreturn void task_entry(void)
{
	sched_finish_switch();
	irq_enable();
	struct task *t = task_current();
	task_exit(t->fn(t->arg));
}

_Noreturn void task_exit(int code)
{
	struct task *t = task_current();
	if (t->is_idle)
		panic("task: the idle task cannot exit");
	/*
	 * Interrupts stay off from here to the final switch, so on one CPU a
	 * joiner runs only once this stack is no longer in use and its join can
	 * free it at once.
	 */
	irq_disable();
	/* Sanitized build: how deep this stack ever went (reported past three quarters). */
	if (t->stack.slot >= 0)
		sanitize_stack_check(t->name, t->stack.base, t->stack.size);
	t->exit_code = code;
	__atomic_store_n(&t->exited, true, __ATOMIC_RELEASE);
	wait_wake_all(&t->exit_wq);
	sched_exit_current();
}

bool task_has_exited(const struct task *t)
{
	return __atomic_load_n(&t->exited, __ATOMIC_ACQUIRE);
}

int task_join_timeout(struct task *t, uint64_t timeout_ns, int *code)
{
	if (t == task_current())
		return -EDEADLK;
	if (wait_event_timeout(&t->exit_wq, task_has_exited(t), timeout_ns) != 0)
		return -ETIMEDOUT;
	if (code)
		*code = t->exit_code;
	task_put(t);
	task_reap();
	return 0;
}

int task_join(struct task *t, int *code)
{
	if (t == task_current())
		return -EDEADLK;
	wait_event(&t->exit_wq, task_has_exited(t));
	if (code)
		*code = t->exit_code;
	task_put(t);
	task_reap();
	return 0;
}

void task_detach(struct task *t)
{
	task_put(t);
}

struct task *task_current(void)
{
	struct task *t = this_cpu()->current;
	return likely(t) ? t : &boot_task;
}

uint64_t task_id(const struct task *t)
{
	return t->id;
}

const char *task_name(const struct task *t)
{
	return t->name;
}

int task_priority(const struct task *t)
{
	return t->prio;
}

int task_set_priority(struct task *t, int prio)
{
	if (prio < TASK_PRIO_MIN || prio > TASK_PRIO_MAX)
		return -EINVAL;
	unsigned long f = sched_lock_irqsave();
	t->prio = prio;
	sched_requeue_locked(t);
	sched_unlock_irqrestore(f);
	return 0;
}

uint64_t task_cpu_ticks(const struct task *t)
{
	return __atomic_load_n(&t->cpu_ticks, __ATOMIC_RELAXED);
}

void task_set_vm_space(struct task *t, struct vm_space *space)
{
	t->space = space;
	if (t == task_current() && space && space != vm_space_current())
		vm_space_activate(space);
}

void task_set_data(struct task *t, void *data)
{
	t->data = data;
}

void *task_data(const struct task *t)
{
	return t->data;
}

struct sched_entity *task_sched_entity(struct task *t)
{
	return &t->se;
}

struct task *sched_entity_task(struct sched_entity *se)
{
	return container_of(se, struct task, se);
}

void task_init_boot(void)
{
	cpu_local_init(0);

	task_setup(&boot_task, "boot", NULL, NULL, TASK_PRIO_DEFAULT);
	boot_task.refs = 1;
	boot_task.stack.slot = -1;
	arch_boot_stack(&boot_task.stack.base, &boot_task.stack.size);
	list_add_task(&boot_task);

	task_setup(&idle_task, "idle0", sched_idle_loop, NULL, TASK_PRIO_MIN);
	idle_task.refs = 1;
	idle_task.is_idle = true;
	if (task_stack_alloc(&idle_task.stack) != 0)
		panic("task: no memory for the idle task's stack");
	arch_task_init_context(&idle_task.ctx, idle_task.stack.base, idle_task.stack.size);
	list_add_task(&idle_task);

	sched_init_cpu(&boot_task, &idle_task);
	pr_info("sched: tasks and preemptive scheduling on, policy %s, tick %u Hz\n",
		sched_policy_current()->name, CLOCK_TICK_HZ);
}
