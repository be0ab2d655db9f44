/* Kernel task stacks: TASK_STACK_SIZE bytes mapped in the stack area, each above an unmapped guard gap that turns an overflow into a fault. */
#include <frame/errno.h>
#include <frame/page.h>
#include <frame/spinlock.h>
#include <frame/vm_space.h>
#include <arch/layout.h>
#include <internal/mm.h>
#include <internal/sanitize.h>
#include <task/task_internal.h>

/*
 * The area is cut into slots of KSTACK_SLOT_SIZE bytes: the lower
 * KSTACK_GUARD_SIZE stay unmapped, the stack's pages are mapped above. A
 * function that runs off the bottom of its stack touches the guard and
 * faults (a double fault when the CPU cannot push the page fault's frame),
 * which the trap code reports as a stack overflow instead of letting it
 * overwrite whatever memory lay below. The guard is as large as the stack,
 * so a big frame cannot step over it into the next slot's stack.
 */
#define KSTACK_GUARD_SIZE TASK_STACK_SIZE
#define KSTACK_SLOT_SIZE (KSTACK_GUARD_SIZE + TASK_STACK_SIZE)
#define KSTACK_SLOTS (KSTACK_AREA_SIZE / KSTACK_SLOT_SIZE)
#define KSTACK_PAGES (TASK_STACK_SIZE / PAGE_SIZE)
_Static_assert(KSTACK_AREA_SIZE % KSTACK_SLOT_SIZE == 0, "stack area holds whole slots");

static uint64_t slot_used[KSTACK_SLOTS / 64];
static size_t slots_in_use;
static spinlock_t slot_lock = SPINLOCK_INIT("kstack slots");

/* The lowest free slot (lowest first keeps the sanitizer's shadow a short prefix), or -1. */
static long slot_take(void)
{
	unsigned long f = spin_lock_irqsave(&slot_lock);
	long slot = -1;
	for (size_t w = 0; w < KSTACK_SLOTS / 64; w++) {
		if (slot_used[w] == ~0ULL)
			continue;
		unsigned bit = (unsigned)__builtin_ctzll(~slot_used[w]);
		slot_used[w] |= 1ULL << bit;
		slot = (long)(w * 64 + bit);
		slots_in_use++;
		break;
	}
	spin_unlock_irqrestore(&slot_lock, f);
	return slot;
}

static void slot_give(long slot)
{
	unsigned long f = spin_lock_irqsave(&slot_lock);
	slot_used[slot / 64] &= ~(1ULL << (slot % 64));
	slots_in_use--;
	spin_unlock_irqrestore(&slot_lock, f);
}

static uintptr_t slot_base(long slot)
{
	return KSTACK_AREA_BASE + (uintptr_t)slot * KSTACK_SLOT_SIZE;
}

static void unmap_stack(long slot)
{
	vm_unmap(vm_space_kernel(), slot_base(slot) + KSTACK_GUARD_SIZE, TASK_STACK_SIZE);
}

int task_stack_alloc(struct task_stack *stack)
{
	long slot = slot_take();
	if (slot < 0)
		return -ENOMEM;
	uintptr_t base = slot_base(slot);
	uintptr_t stack_va = base + KSTACK_GUARD_SIZE;
	/* The pages need not be contiguous: the mapping makes them one stack. */
	for (size_t i = 0; i < KSTACK_PAGES; i++) {
		struct page *p = page_alloc(0, 0);
		int err = p ? vm_map(vm_space_kernel(), stack_va + i * PAGE_SIZE, p,
				     VM_READ | VM_WRITE) : -ENOMEM;
		if (p)
			page_put(p); /* the mapping holds it */
		if (err) {
			unmap_stack(slot);
			slot_give(slot);
			return err;
		}
	}
	if (sanitize_stack_prepare((void *)base, KSTACK_GUARD_SIZE, (void *)stack_va,
				   TASK_STACK_SIZE) != 0) {
		unmap_stack(slot);
		slot_give(slot);
		return -ENOMEM;
	}
	stack->slot = slot;
	stack->base = (void *)stack_va;
	stack->size = TASK_STACK_SIZE;
	return 0;
}

void task_stack_free(struct task_stack *stack)
{
	if (stack->slot < 0)
		return;
	sanitize_stack_release(stack->base, stack->size);
	unmap_stack(stack->slot);
	slot_give(stack->slot);
	stack->slot = -1;
	stack->base = NULL;
}

bool kstack_in_area(uintptr_t addr)
{
	return addr - KSTACK_AREA_BASE < KSTACK_AREA_SIZE;
}

bool kstack_in_guard(uintptr_t addr)
{
	return kstack_in_area(addr) && (addr - KSTACK_AREA_BASE) % KSTACK_SLOT_SIZE < KSTACK_GUARD_SIZE;
}

bool kstack_readable(uintptr_t addr)
{
	if (!kstack_in_area(addr) || kstack_in_guard(addr))
		return false;
	size_t slot = (addr - KSTACK_AREA_BASE) / KSTACK_SLOT_SIZE;
	return __atomic_load_n(&slot_used[slot / 64], __ATOMIC_RELAXED) & (1ULL << (slot % 64));
}

size_t kstack_count(void)
{
	return __atomic_load_n(&slots_in_use, __ATOMIC_RELAXED);
}
