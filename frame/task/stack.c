/* Kernel task stacks: TASK_STACK_SIZE bytes of contiguous pages from the page allocator. */
#include <frame/errno.h>
#include <frame/page.h>
#include <internal/mm.h>
#include <task/task_internal.h>

/*
 * No guard page yet: stacks live in the direct map, where unmapping a page
 * below each would split its huge mappings. An overflow runs into the page
 * below unnoticed; the double-fault IST stack catches only an overflow that
 * faults. A mapped stack area with guard gaps can replace this file alone.
 */
#define STACK_ORDER 2
_Static_assert((PAGE_SIZE << STACK_ORDER) == TASK_STACK_SIZE, "stack order");

int task_stack_alloc(struct task_stack *stack)
{
	struct page *p = page_alloc(STACK_ORDER, 0);
	if (!p)
		return -ENOMEM;
	stack->page = p;
	stack->base = page_to_virt(p);
	stack->size = TASK_STACK_SIZE;
	return 0;
}

void task_stack_free(struct task_stack *stack)
{
	if (!stack->page)
		return;
	page_put(stack->page);
	stack->page = NULL;
	stack->base = NULL;
}
