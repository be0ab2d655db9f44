/* Kernel stacks: mapped in the stack area above an unmapped guard gap; depth beyond three quarters reported in the sanitized build; an overflow is a clean panic (run by name). */
#include <frame/errno.h>
#include <frame/ktest.h>
#include <frame/task.h>
#include <frame/vm_space.h>
#include <internal/sanitize.h>
#include <task/task_internal.h>

struct probe {
	uintptr_t local;
	void *base;
	size_t size;
};

static int note_stack(void *arg)
{
	struct probe *p = arg;
	int here = 0;
	p->local = (uintptr_t)&here;
	p->base = task_current()->stack.base;
	p->size = task_current()->stack.size;
	__asm__ volatile("" : : "r"(&here) : "memory");
	return 7;
}

KTEST(task_stack_has_guard_gap)
{
	size_t stacks = kstack_count();
	struct probe p = { 0 };
	struct task *t;
	KASSERT(task_create("stack-probe", note_stack, &p, TASK_PRIO_DEFAULT, &t) == 0);
	KEXPECT_EQ(task_join(t, NULL), 0);
	uintptr_t base = (uintptr_t)p.base;
	KEXPECT(kstack_in_area(p.local) && p.local >= base && p.local < base + p.size);
	KEXPECT_EQ(p.size, TASK_STACK_SIZE);
	/* Below the stack: a gap as large as the stack, mapped by nothing. */
	struct vm_mapping m;
	KEXPECT(kstack_in_guard(base - 1) && kstack_in_guard(base - TASK_STACK_SIZE));
	KEXPECT(!kstack_in_guard(base));
	KEXPECT_EQ(vm_query(vm_space_kernel(), base - PAGE_SIZE, &m), -ENOENT);
	KEXPECT_EQ(vm_query(vm_space_kernel(), base - TASK_STACK_SIZE, &m), -ENOENT);
	/* Joined and reaped: the stack's slot is free again and unmapped. */
	task_reap();
	KEXPECT_EQ(kstack_count(), stacks);
	KEXPECT_EQ(vm_query(vm_space_kernel(), base, &m), -ENOENT);
	KEXPECT(!kstack_readable(base));
}

/* Recurse in 512-byte frames until the stack below @top is @bytes deep. */
static __attribute__((noinline)) int dig(uintptr_t top, size_t bytes)
{
	volatile char buf[512];
	buf[0] = 1;
	buf[sizeof(buf) - 1] = 1;
	if (top - (uintptr_t)__builtin_frame_address(0) >= bytes)
		return buf[0];
	return dig(top, bytes) + buf[sizeof(buf) - 1];
}

static int dig_task(void *arg)
{
	uintptr_t top = (uintptr_t)task_current()->stack.base + task_current()->stack.size;
	return dig(top, (size_t)(uintptr_t)arg) & 1;
}

KTEST(sanitize_stack_depth_reported)
{
	unsigned long before = sanitize_stack_report_count();
	struct task *t;
	/* Half deep: no report. */
	KASSERT(task_create("stack-shallow", dig_task, (void *)(uintptr_t)(TASK_STACK_SIZE / 2),
			    TASK_PRIO_DEFAULT, &t) == 0);
	task_join(t, NULL);
	KEXPECT_EQ(sanitize_stack_report_count(), before);
	/* Over three quarters of the 16 KiB: reported once, when the task ends. */
	KASSERT(task_create("stack-deep", dig_task, (void *)(uintptr_t)(TASK_STACK_SIZE / 8 * 7),
			    TASK_PRIO_DEFAULT, &t) == 0);
	task_join(t, NULL);
	KEXPECT_EQ(sanitize_stack_report_count(), before + 1);
}

/* Never true: keeps the compiler from proving the recursion endless. */
static volatile int overflow_stop;

static __attribute__((noinline)) int recurse_forever(int n)
{
	volatile char buf[256];
	buf[0] = (char)n;
	if (overflow_stop)
		return buf[0];
	return recurse_forever(n + 1) + buf[0];
}

static int overflow_task(void *arg)
{
	(void)arg;
	return recurse_forever(0);
}

KTEST(fatal_stack_overflow)
{
	struct task *t;
	KASSERT(task_create("overflower", overflow_task, NULL, TASK_PRIO_DEFAULT, &t) == 0);
	task_join(t, NULL);
	KEXPECT(!"a task ran past the bottom of its stack and came back");
}
