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
/*@ requires \valid(last) && \valid(tries);
    assigns *last, *tries;
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

/* Bytes NOT copied of @n from user @ua into @dst. */
/*@ requires \valid((char *)dst + (0 .. n - 1));
    assigns ((char *)dst)[0 .. n - 1];
    ensures \result <= n;
    ensures !user_range(ua, n) ==> \result == n;
*/
static size_t user_copy_in(void *dst, vaddr_t ua, size_t n)
{
	if (!user_range_ok(ua, n))
		return n;
	size_t done = 0;
	vaddr_t last = 0;
	int tries = 0;
	/*@ loop invariant 0 <= done <= n;
	    loop assigns done, last, tries, ((char *)dst)[0 .. n - 1];
	*/
	while (done < n) {
		uint64_t left = arch_copy_from_user((char *)dst + done, (const void *)(ua + done), n - done);
		done = n - left;
		if (!left || !fault_in(ua + done, VM_READ, &last, &tries))
			break;
	}
	return n - done;
}

/* Bytes NOT written of @n at user @ua: copied from @src, or zeros when @src is NULL. */
/*@ requires src != \null ==> \valid_read((char *)src + (0 .. n - 1));
    assigns \nothing;
    ensures \result <= n;
    ensures !user_range(ua, n) ==> \result == n;
*/
static size_t user_copy_out(const void *src, vaddr_t ua, size_t n)
{
	if (!user_range_ok(ua, n))
		return n;
	size_t done = 0;
	vaddr_t last = 0;
	int tries = 0;
	/*@ loop invariant 0 <= done <= n;
	    loop assigns done, last, tries;
	*/
	while (done < n) {
		void *u = (void *)(ua + done);
		uint64_t left = src ? arch_copy_to_user(u, (const char *)src + done, n - done)
				    : arch_clear_user(u, n - done);
		done = n - left;
		if (!left || !fault_in(ua + done, VM_WRITE, &last, &tries))
			break;
	}
	return n - done;
}

size_t copy_from_user(void *dst, const void __user *src, size_t n)
{
	return user_copy_in(dst, user_addr(src), n);
}

size_t copy_to_user(void __user *dst, const void *src, size_t n)
{
	return user_copy_out(src, user_addr(dst), n);
}

size_t clear_user(void __user *dst, size_t n)
{
	return user_copy_out(NULL, user_addr(dst), n);
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
	bool found;
	/*@ loop invariant 0 <= done <= lim <= n;
	    loop assigns done, last, tries, found, dst[0 .. n - 1];
	*/
	while (done < lim) {
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

/*
 * Fixed-size values go through byte buffers, not through the value's own
 * bytes: the copy is then between objects of one type, which the proof's
 * typed memory model follows (both architectures are little-endian).
 */
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "get_user/put_user assemble little-endian values");

/*@ requires 1 <= n <= 8 && \valid_read(b + (0 .. n - 1));
    assigns \nothing;
*/
static uint64_t bytes_load(const char *b, size_t n)
{
	uint64_t v = 0;
	/*@ loop invariant 0 <= i <= n;
	    loop assigns i, v;
	*/
	for (size_t i = 0; i < n; i++)
		v |= (uint64_t)(uint8_t)b[i] << (8 * i);
	return v;
}

/*@ requires 1 <= n <= 8 && \valid(b + (0 .. n - 1));
    assigns b[0 .. n - 1];
*/
static void bytes_store(char *b, uint64_t v, size_t n)
{
	/*@ loop invariant 0 <= i <= n;
	    loop assigns i, b[0 .. n - 1];
	*/
	for (size_t i = 0; i < n; i++)
		b[i] = (char)(uint8_t)(v >> (8 * i));
}

#define GET_PUT(bits, type) \
	int get_user_##bits(type *out, const void __user *src) \
	{ \
		char b[sizeof(type)]; \
		if (copy_from_user(b, src, sizeof(b))) \
			return -EFAULT; \
		*out = (type)bytes_load(b, sizeof(b)); \
		return 0; \
	} \
	int put_user_##bits(type v, void __user *dst) \
	{ \
		char b[sizeof(type)]; \
		bytes_store(b, v, sizeof(b)); \
		return copy_to_user(dst, b, sizeof(b)) ? -EFAULT : 0; \
	}
GET_PUT(u8, uint8_t)
GET_PUT(u32, uint32_t)
GET_PUT(u64, uint64_t)

void vm_reader_init_kernel(struct vm_reader *r, const void *buf, size_t len)
{
	*r = (struct vm_reader){ .kptr = buf, .left = len, .user = false };
}

void vm_writer_init_kernel(struct vm_writer *w, void *buf, size_t len)
{
	*w = (struct vm_writer){ .kptr = buf, .left = len, .user = false };
}

int vm_reader_init_user(struct vm_reader *r, const void __user *va, size_t len)
{
	vaddr_t ua = user_addr(va);
	if (!user_range_ok(ua, len))
		return -EFAULT;
	*r = (struct vm_reader){ .uaddr = ua, .left = len, .user = true };
	return 0;
}

int vm_writer_init_user(struct vm_writer *w, void __user *va, size_t len)
{
	vaddr_t ua = user_addr(va);
	if (!user_range_ok(ua, len))
		return -EFAULT;
	*w = (struct vm_writer){ .uaddr = ua, .left = len, .user = true };
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
/*@ requires done <= asked <= SSIZE_MAX;
    assigns \nothing;
    ensures (done == 0 && asked != 0) ? \result == -EFAULT : \result == done;
*/
static ssize_t result(size_t asked, size_t done)
{
	return (done == 0 && asked != 0) ? -EFAULT : (ssize_t)done;
}

ssize_t vm_reader_read(struct vm_reader *r, void *dst, size_t n)
{
	n = MIN(n, r->left);
	size_t done = n;
	if (r->user) {
		done -= copy_from_user(dst, user_ptr(r->uaddr), n);
		r->uaddr += done;
	} else {
		memcpy(dst, r->kptr, n);
		r->kptr += done;
	}
	r->left -= done;
	return result(n, done);
}

ssize_t vm_writer_write(struct vm_writer *w, const void *src, size_t n)
{
	n = MIN(n, w->left);
	size_t done = n;
	if (w->user) {
		done -= copy_to_user(user_ptr(w->uaddr), src, n);
		w->uaddr += done;
	} else {
		memcpy(w->kptr, src, n);
		w->kptr += done;
	}
	w->left -= done;
	return result(n, done);
}

ssize_t vm_reader_read_to(struct vm_reader *r, struct vm_writer *w)
{
	size_t n = MIN(r->left, w->left);
	if (!r->user) {
		ssize_t got = vm_writer_write(w, r->kptr, n);
		if (got > 0)
			vm_reader_skip(r, (size_t)got);
		return got;
	}
	if (!w->user) {
		ssize_t got = vm_reader_read(r, w->kptr, n);
		if (got > 0)
			vm_writer_skip(w, (size_t)got);
		return got;
	}
	/* User to user: through a kernel bounce buffer, so each fault has one side. */
	char buf[256];
	size_t done = 0;
	/*@ loop invariant 0 <= done <= n;
	    loop invariant r->left == \at(r->left, Pre) - done && w->left == \at(w->left, Pre) - done;
	    loop invariant r->uaddr + r->left == \at(r->uaddr + r->left, Pre);
	    loop invariant w->uaddr + w->left == \at(w->uaddr + w->left, Pre);
	    loop invariant r->user == \at(r->user, Pre) && w->user == \at(w->user, Pre);
	    loop invariant r->kptr == \at(r->kptr, Pre) && w->kptr == \at(w->kptr, Pre);
	    loop assigns done, buf[0 .. 255], r->uaddr, r->left, w->uaddr, w->left;
	*/
	while (done < n) {
		size_t chunk = MIN(sizeof(buf), n - done);
		size_t got = chunk - copy_from_user(buf, user_ptr(r->uaddr), chunk);
		size_t put = got - copy_to_user(user_ptr(w->uaddr), buf, got);
		r->uaddr += put, r->left -= put;
		w->uaddr += put, w->left -= put;
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
		memset(w->kptr, byte, n);
		w->kptr += n;
		w->left -= n;
		return (ssize_t)n;
	}
	size_t done;
	if (byte == 0) {
		done = n - clear_user(user_ptr(w->uaddr), n);
		w->uaddr += done;
		w->left -= done;
	} else {
		char buf[256];
		memset(buf, byte, sizeof(buf));
		done = 0;
		/*@ loop invariant 0 <= done <= n;
		    loop invariant w->left == \at(w->left, Pre) - done;
		    loop invariant w->uaddr + w->left == \at(w->uaddr + w->left, Pre);
		    loop invariant w->user == \at(w->user, Pre) && w->kptr == \at(w->kptr, Pre);
		    loop assigns done, w->uaddr, w->left;
		*/
		while (done < n) {
			size_t chunk = MIN(sizeof(buf), n - done);
			size_t put = chunk - copy_to_user(user_ptr(w->uaddr), buf, chunk);
			w->uaddr += put;
			w->left -= put;
			done += put;
			if (put < chunk)
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
	if (r->user)
		r->uaddr += n;
	else
		r->kptr += n;
	r->left -= n;
	return n;
}

size_t vm_writer_skip(struct vm_writer *w, size_t n)
{
	n = MIN(n, w->left);
	if (w->user)
		w->uaddr += n;
	else
		w->kptr += n;
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
