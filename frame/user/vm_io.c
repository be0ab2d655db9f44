/* Bounded memory access: range checks, fault-hook retries and readers/writers on top of the arch user-copy routines. */
#include <arch/layout.h>
#include <arch/user.h>
#include <frame/errno.h>
#include <frame/string.h>
#include <frame/vm_io.h>
#include <frame/vm_space.h>

/* A handler that says "resolved" but leaves the page faulting gets this many more tries. */
#define FAULT_RETRIES 2

bool user_range_ok(vaddr_t va, size_t len)
{
	/* Written so that no sum can wrap: va + len is never computed. */
	return va <= USER_SPACE_END && len <= USER_SPACE_END - va;
}

/*
 * A user-copy routine stopped at @addr: offer the fault to the active space's
 * handler. Returns true if the copy should go on from there.
 */
static bool fault_in(vaddr_t addr, unsigned access, vaddr_t *last, int *tries)
{
	if (addr == *last) {
		if (++*tries > FAULT_RETRIES)
			return false;
	} else {
		*last = addr;
		*tries = 0;
	}
	struct vm_space *space = vm_space_current();
	struct vm_mapping m;
	struct vm_fault fault = {
		.addr = addr,
		.access = access,
		.present = vm_query(space, addr, &m) == 0,
		.from_user = false,
	};
	return vm_space_handle_fault(space, &fault) == 0;
}

enum copy_op { COPY_FROM, COPY_TO, CLEAR };

/* Bytes NOT done of @n at user @ua (kernel side @kbuf). */
static size_t user_copy(enum copy_op op, void *kbuf, vaddr_t ua, size_t n)
{
	if (!user_range_ok(ua, n))
		return n;
	size_t done = 0;
	vaddr_t last = 0;
	int tries = 0;
	while (done < n) {
		char *k = (char *)kbuf + done;
		void *u = (void *)(ua + done);
		uint64_t left;
		if (op == COPY_FROM)
			left = arch_copy_from_user(k, u, n - done);
		else if (op == COPY_TO)
			left = arch_copy_to_user(u, k, n - done);
		else
			left = arch_clear_user(u, n - done);
		done = n - left;
		if (!left || !fault_in(ua + done, op == COPY_FROM ? VM_READ : VM_WRITE, &last, &tries))
			break;
	}
	return n - done;
}

size_t copy_from_user(void *dst, const void __user *src, size_t n)
{
	return user_copy(COPY_FROM, dst, (__force vaddr_t)src, n);
}

size_t copy_to_user(void __user *dst, const void *src, size_t n)
{
	return user_copy(COPY_TO, (void *)src, (__force vaddr_t)dst, n);
}

size_t clear_user(void __user *dst, size_t n)
{
	return user_copy(CLEAR, NULL, (__force vaddr_t)dst, n);
}

ssize_t strncpy_from_user(char *dst, const char __user *src, size_t n)
{
	vaddr_t va = (__force vaddr_t)src;
	if (va >= USER_SPACE_END)
		return -EFAULT;
	/* Never look past the user half: a string running into it is a fault. */
	size_t lim = MIN(n, USER_SPACE_END - va);
	size_t done = 0;
	vaddr_t last = 0;
	int tries = 0;
	while (done < lim) {
		bool found;
		uint64_t left = arch_strncpy_from_user(dst + done, (const char *)(va + done),
						       lim - done, &found);
		done = lim - left;
		if (found)
			return (ssize_t)done;
		if (!left)
			break;
		if (!fault_in(va + done, VM_READ, &last, &tries))
			return -EFAULT;
	}
	return lim < n ? -EFAULT : (ssize_t)n;
}

#define GET_PUT(bits, type) \
	int get_user_##bits(type *out, const void __user *src) \
	{ \
		type v; \
		if (copy_from_user(&v, src, sizeof(v))) \
			return -EFAULT; \
		*out = v; \
		return 0; \
	} \
	int put_user_##bits(type v, void __user *dst) \
	{ \
		return copy_to_user(dst, &v, sizeof(v)) ? -EFAULT : 0; \
	}
GET_PUT(u8, uint8_t)
GET_PUT(u32, uint32_t)
GET_PUT(u64, uint64_t)

void vm_reader_init_kernel(struct vm_reader *r, const void *buf, size_t len)
{
	*r = (struct vm_reader){ .cur = (uint64_t)buf, .left = len, .user = false };
}

void vm_writer_init_kernel(struct vm_writer *w, void *buf, size_t len)
{
	*w = (struct vm_writer){ .cur = (uint64_t)buf, .left = len, .user = false };
}

int vm_reader_init_user(struct vm_reader *r, const void __user *va, size_t len)
{
	if (!user_range_ok((__force vaddr_t)va, len))
		return -EFAULT;
	*r = (struct vm_reader){ .cur = (__force uint64_t)va, .left = len, .user = true };
	return 0;
}

int vm_writer_init_user(struct vm_writer *w, void __user *va, size_t len)
{
	if (!user_range_ok((__force vaddr_t)va, len))
		return -EFAULT;
	*w = (struct vm_writer){ .cur = (__force uint64_t)va, .left = len, .user = true };
	return 0;
}

size_t vm_reader_remaining(const struct vm_reader *r)
{
	return r->left;
}

size_t vm_writer_remaining(const struct vm_writer *w)
{
	return w->left;
}

/* Advance by @done of @asked; a fault before the first byte is -EFAULT. */
static ssize_t result(size_t asked, size_t done)
{
	return (done == 0 && asked != 0) ? -EFAULT : (ssize_t)done;
}

ssize_t vm_reader_read(struct vm_reader *r, void *dst, size_t n)
{
	n = MIN(n, r->left);
	size_t done = n;
	if (r->user)
		done -= copy_from_user(dst, user_ptr(r->cur), n);
	else
		memcpy(dst, (const void *)r->cur, n);
	r->cur += done;
	r->left -= done;
	return result(n, done);
}

ssize_t vm_writer_write(struct vm_writer *w, const void *src, size_t n)
{
	n = MIN(n, w->left);
	size_t done = n;
	if (w->user)
		done -= copy_to_user(user_ptr(w->cur), src, n);
	else
		memcpy((void *)w->cur, src, n);
	w->cur += done;
	w->left -= done;
	return result(n, done);
}

ssize_t vm_reader_read_to(struct vm_reader *r, struct vm_writer *w)
{
	size_t n = MIN(r->left, w->left);
	if (!r->user) {
		ssize_t got = vm_writer_write(w, (const void *)r->cur, n);
		if (got > 0)
			vm_reader_skip(r, (size_t)got);
		return got;
	}
	if (!w->user) {
		ssize_t got = vm_reader_read(r, (void *)w->cur, n);
		if (got > 0)
			vm_writer_skip(w, (size_t)got);
		return got;
	}
	/* User to user: through a kernel bounce buffer, so each fault has one side. */
	uint8_t buf[256];
	size_t done = 0;
	while (done < n) {
		size_t chunk = MIN(sizeof(buf), n - done);
		size_t got = chunk - copy_from_user(buf, user_ptr(r->cur), chunk);
		size_t put = got - copy_to_user(user_ptr(w->cur), buf, got);
		r->cur += put, r->left -= put;
		w->cur += put, w->left -= put;
		done += put;
		if (put < chunk)
			break;
	}
	return result(n, done);
}

ssize_t vm_writer_fill(struct vm_writer *w, uint8_t byte, size_t n)
{
	n = MIN(n, w->left);
	if (!w->user) {
		memset((void *)w->cur, byte, n);
		w->cur += n;
		w->left -= n;
		return (ssize_t)n;
	}
	size_t done;
	if (byte == 0) {
		done = n - clear_user(user_ptr(w->cur), n);
		w->cur += done;
		w->left -= done;
	} else {
		uint8_t buf[256];
		memset(buf, byte, sizeof(buf));
		done = 0;
		while (done < n) {
			size_t chunk = MIN(sizeof(buf), n - done);
			ssize_t put = vm_writer_write(w, buf, chunk);
			if (put <= 0)
				break;
			done += (size_t)put;
			if ((size_t)put < chunk)
				break;
		}
	}
	return result(n, done);
}

ssize_t vm_writer_zero(struct vm_writer *w, size_t n)
{
	return vm_writer_fill(w, 0, n);
}

size_t vm_reader_skip(struct vm_reader *r, size_t n)
{
	n = MIN(n, r->left);
	r->cur += n;
	r->left -= n;
	return n;
}

size_t vm_writer_skip(struct vm_writer *w, size_t n)
{
	n = MIN(n, w->left);
	w->cur += n;
	w->left -= n;
	return n;
}

void vm_reader_limit(struct vm_reader *r, size_t n)
{
	r->left = MIN(r->left, n);
}

void vm_writer_limit(struct vm_writer *w, size_t n)
{
	w->left = MIN(w->left, n);
}
