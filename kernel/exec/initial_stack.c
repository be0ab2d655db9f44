/*
 * The stack a new program starts on, laid out as Linux does on x86_64: from
 * the top, the exec path, the environment and argument strings, the platform
 * string and AT_RANDOM bytes, then (16-byte aligned) argc, argv[], NULL,
 * envp[], NULL and the auxiliary vector ending in AT_NULL.
 */
#include <abi/auxv.h>
#include <abi/errno.h>
#include <frame/heap.h>
#include <frame/string.h>
#include <kernel/exec.h>

#define PLATFORM "x86_64"

struct stack_writer {
	uint8_t *buf;
	size_t size;
	size_t used;		/* bytes taken from the top */
	vaddr_t top;
};

/* Push @len bytes below what is already there; returns their user address or 0. */
static vaddr_t push_bytes(struct stack_writer *w, const void *data, size_t len)
{
	if (len > w->size - w->used)
		return 0;
	w->used += len;
	memcpy(w->buf + w->size - w->used, data, len);
	return w->top - w->used;
}

static vaddr_t push_string(struct stack_writer *w, const char *s)
{
	size_t len = strnlen(s, EXEC_MAX_ARG_STRLEN);
	if (len == EXEC_MAX_ARG_STRLEN)
		return 0;
	return push_bytes(w, s, len + 1);
}

static size_t count(const char *const *v)
{
	size_t n = 0;
	while (v && v[n])
		n++;
	return n;
}

/* Push the strings of @v from last to first, recording their addresses in @addr. */
static int push_strings(struct stack_writer *w, const char *const *v, size_t n, uint64_t *addr)
{
	for (size_t i = n; i-- > 0;) {
		addr[i] = push_string(w, v[i]);
		if (!addr[i])
			return -E2BIG;
	}
	return 0;
}

int exec_build_stack(const struct exec_stack_args *args, vaddr_t stack_top,
		     uint8_t *buf, size_t size, vaddr_t *sp, size_t *used)
{
	struct stack_writer w = { buf, size, 0, stack_top };
	size_t argc = count(args->argv), envc = count(args->envp);
	uint64_t end_marker = 0;

	if (stack_top & 15)
		return -EINVAL;
	/* Each string takes at least one byte and one pointer: more cannot fit. */
	if (argc + envc > size / 9)
		return -E2BIG;

	if (!push_bytes(&w, &end_marker, sizeof(end_marker)))
		return -E2BIG;
	vaddr_t execfn = push_string(&w, args->execfn);
	if (!execfn)
		return -E2BIG;

	/*
	 * The vectors: argc, argv[], NULL, envp[], NULL, auxv pairs. Built in a
	 * heap buffer (argument counts are the caller's, not bounded by a kernel
	 * stack), then pushed in one piece so that argc ends 16-byte aligned.
	 */
	size_t nauxv = args->auxv_count + 5;	/* + AT_RANDOM, AT_HWCAP2, AT_EXECFN, AT_PLATFORM, AT_NULL */
	size_t words = 1 + argc + 1 + envc + 1 + 2 * nauxv;
	size_t below = words * 8;
	uint64_t *vec = kmalloc(below);
	if (!vec)
		return -ENOMEM;
	int err = push_strings(&w, args->envp, envc, vec + 1 + argc + 1);
	if (!err)
		err = push_strings(&w, args->argv, argc, vec + 1);
	vaddr_t platform = err ? 0 : push_string(&w, PLATFORM);
	vaddr_t random = platform ? push_bytes(&w, args->random, 16) : 0;
	size_t pad = (w.used + below) % 16 ? 16 - (w.used + below) % 16 : 0;
	if (!err && (!platform || !random || below + pad > w.size - w.used))
		err = -E2BIG;
	if (err) {
		kfree(vec);
		return err;
	}
	w.used += pad;
	memset(w.buf + w.size - w.used, 0, pad);

	size_t k = 0;
	vec[k++] = argc;
	k += argc;	/* argv[] already filled by push_strings */
	vec[k++] = 0;
	k += envc;
	vec[k++] = 0;
	for (size_t i = 0; i < args->auxv_count; i++) {
		vec[k++] = args->auxv[i].type;
		vec[k++] = args->auxv[i].value;
	}
	vec[k++] = AT_RANDOM;
	vec[k++] = random;
	/* x86_64 Linux always has it, after AT_RANDOM: ld.so and glibc read it from there. */
	vec[k++] = AT_HWCAP2;
	vec[k++] = args->hwcap2;
	vec[k++] = AT_EXECFN;
	vec[k++] = execfn;
	vec[k++] = AT_PLATFORM;
	vec[k++] = platform;
	vec[k++] = AT_NULL;
	vec[k++] = 0;
	*sp = push_bytes(&w, vec, below);
	*used = w.used;
	kfree(vec);
	return 0;
}
