/* Bounded memory access: readers/writers over kernel buffers and user memory, and fallible user-copy helpers. */
#ifndef FRAME_VM_IO_H
#define FRAME_VM_IO_H

#include <frame/compiler.h>
#include <frame/types.h>

/*
 * User memory is only ever reached through these calls. Every one is
 * fallible: an address range that is not entirely in the user half
 * (overflowing, kernel-half or non-canonical) is refused with -EFAULT before
 * anything is touched, and an unmapped or protected page found during the
 * copy ends it with -EFAULT (or a short count, as documented), never with a
 * kernel crash. They access the vm_space active on this CPU. A page that is
 * missing or protected is first offered to that space's fault handler
 * (vm_space_set_fault_handler()), so demand paging and copy-on-write work for
 * the kernel's accesses as for the program's; the handler runs in the
 * caller's context, so call these where sleeping is allowed if the handler
 * may sleep.
 *
 * Services hold user memory as typed __user pointers (what the system-call
 * stubs hand the handlers) and user addresses they compute with as numbers
 * (vaddr_t); user_ptr() and user_addr() turn one into the other, so neither
 * needs a cast in service code.
 */

/* A system-call argument as a user pointer (never dereference it: use the calls below). */
/*@ assigns \nothing; */
static inline void __user *user_ptr(vaddr_t va)
{
	return (void __user *)va;
}

/*
 * The address a user pointer holds, as a number (alignment checks, futex
 * keys, addresses kept for later, traces). Harmless: a number reaches
 * memory again only through user_ptr() and the calls below.
 */
/*@ assigns \nothing; */
static inline vaddr_t user_addr(const void __user *p)
{
	return (vaddr_t)p;
}

/*
 * The ACSL contracts below are proved by `make prove` against frame/user/vm_io.c
 * (docs/proofs.md); user_range() is the user half in unbounded arithmetic.
 */
/*@ predicate user_range(integer va, integer len) =
      0 <= va && 0 <= len && va + len <= USER_SPACE_END;
*/

/* True if [@va, @va + @len) lies entirely in the user half (no wrap-around). */
/*@ assigns \nothing;
    ensures \result != 0 <==> user_range(va, len);
*/
bool user_range_ok(vaddr_t va, size_t len);

/*
 * Copy @n bytes between user memory and the kernel buffer @dst/@src.
 * Returns the number of bytes NOT copied: 0 on success, @n when the range
 * is refused, in between when a fault stopped the copy part-way (the bytes
 * before it were copied). Linux's convention, so read()-style partial
 * results can be reported.
 */
/*@ requires \valid((char *)dst + (0 .. n - 1));
    assigns ((char *)dst)[0 .. n - 1];
    ensures \result <= n;
*/
size_t copy_from_user(void *dst, const void __user *src, size_t n);
/*@ requires \valid_read((char *)src + (0 .. n - 1));
    assigns \nothing;
    ensures \result <= n;
*/
size_t copy_to_user(void __user *dst, const void *src, size_t n);
/* Write @n zero bytes to user memory; same result as copy_to_user(). */
/*@ assigns \nothing;
    ensures \result <= n;
*/
size_t clear_user(void __user *dst, size_t n);

/*
 * Copy a NUL-terminated string of at most @n bytes (terminator included)
 * from user memory into @dst. Returns its length without the terminator
 * (< @n, @dst terminated), @n if no NUL came within @n bytes (@dst then
 * holds @n bytes and no terminator: the caller decides, e.g.
 * -ENAMETOOLONG), or -EFAULT if the range is refused or a fault came first.
 */
/*@ requires \valid(dst + (0 .. n - 1));
    requires n <= SSIZE_MAX;
    assigns dst[0 .. n - 1];
    ensures \result == -EFAULT || 0 <= \result <= n;
    ensures 0 <= \result < n ==> dst[\result] == 0;
*/
ssize_t strncpy_from_user(char *dst, const char __user *src, size_t n);

/* Fixed-size values: 0 or -EFAULT (the value is then left unchanged / unwritten). */
/*@ requires \valid(out);
    assigns *out;
    ensures \result == 0 || (\result == -EFAULT && *out == \old(*out));
*/
int get_user_u8(uint8_t *out, const void __user *src);
/*@ requires \valid(out);
    assigns *out;
    ensures \result == 0 || (\result == -EFAULT && *out == \old(*out));
*/
int get_user_u32(uint32_t *out, const void __user *src);
/*@ requires \valid(out);
    assigns *out;
    ensures \result == 0 || (\result == -EFAULT && *out == \old(*out));
*/
int get_user_u64(uint64_t *out, const void __user *src);
/*@ assigns \nothing;
    ensures \result == 0 || \result == -EFAULT;
*/
int put_user_u8(uint8_t v, void __user *dst);
/*@ assigns \nothing;
    ensures \result == 0 || \result == -EFAULT;
*/
int put_user_u32(uint32_t v, void __user *dst);
/*@ assigns \nothing;
    ensures \result == 0 || \result == -EFAULT;
*/
int put_user_u64(uint64_t v, void __user *dst);

/*
 * A cursor over a byte range to read from, in kernel memory or in user
 * memory. It never goes past its range. The fields are private: a kernel
 * range is a pointer (@kptr), a user range an address (@uaddr), so neither
 * needs a cast.
 */
struct vm_reader {
	const char *kptr;
	vaddr_t uaddr;
	size_t left;
	bool user;
};

/* The same for writing. */
struct vm_writer {
	char *kptr;
	vaddr_t uaddr;
	size_t left;
	bool user;
};

/*
 * What every reader and writer call keeps: the range left is all user half,
 * or all accessible kernel memory, and its length fits a ssize_t result.
 * The end of the range never moves except by a limit; only the start moves.
 */
/*@ predicate reader_ok(struct vm_reader *r) =
      r->left <= SSIZE_MAX &&
      (r->user != 0 ? user_range(r->uaddr, r->left)
                    : \valid_read(r->kptr + (0 .. r->left - 1)));
    predicate writer_ok(struct vm_writer *w) =
      w->left <= SSIZE_MAX &&
      (w->user != 0 ? user_range(w->uaddr, w->left)
                    : \valid(w->kptr + (0 .. w->left - 1)));
    predicate reader_moved{A, B}(struct vm_reader *r) =
      \at(r->user, A) == \at(r->user, B) && \at(r->left, B) <= \at(r->left, A) &&
      (\at(r->user, A) != 0
        ? \at(r->uaddr, B) + \at(r->left, B) == \at(r->uaddr, A) + \at(r->left, A)
        : \at(r->kptr, B) + \at(r->left, B) == \at(r->kptr, A) + \at(r->left, A));
    predicate writer_moved{A, B}(struct vm_writer *w) =
      \at(w->user, A) == \at(w->user, B) && \at(w->left, B) <= \at(w->left, A) &&
      (\at(w->user, A) != 0
        ? \at(w->uaddr, B) + \at(w->left, B) == \at(w->uaddr, A) + \at(w->left, A)
        : \at(w->kptr, B) + \at(w->left, B) == \at(w->kptr, A) + \at(w->left, A));
*/

/* Over kernel buffer [@buf, @buf + @len); the caller keeps the buffer alive while reading. */
/*@ requires \valid(r) && len <= SSIZE_MAX;
    requires \valid_read((const char *)buf + (0 .. len - 1));
    assigns *r;
    ensures reader_ok(r) && r->user == 0 && r->left == len;
*/
void vm_reader_init_kernel(struct vm_reader *r, const void *buf, size_t len);
/*@ requires \valid(w) && len <= SSIZE_MAX;
    requires \valid((char *)buf + (0 .. len - 1));
    assigns *w;
    ensures writer_ok(w) && w->user == 0 && w->left == len;
*/
void vm_writer_init_kernel(struct vm_writer *w, void *buf, size_t len);
/* Over user memory [@va, @va + @len): 0, or -EFAULT if the range is not all user half. */
/*@ requires \valid(r);
    assigns *r;
    ensures \result == 0 || \result == -EFAULT;
    ensures \result == 0 ==> reader_ok(r) && r->user != 0 && r->left == len;
*/
int vm_reader_init_user(struct vm_reader *r, const void __user *va, size_t len);
/*@ requires \valid(w);
    assigns *w;
    ensures \result == 0 || \result == -EFAULT;
    ensures \result == 0 ==> writer_ok(w) && w->user != 0 && w->left == len;
*/
int vm_writer_init_user(struct vm_writer *w, void __user *va, size_t len);

/* Bytes left before the end of the range. */
/*@ requires \valid_read(r);
    assigns \nothing;
    ensures \result == r->left;
*/
size_t vm_reader_remaining(const struct vm_reader *r);
/*@ requires \valid_read(w);
    assigns \nothing;
    ensures \result == w->left;
*/
size_t vm_writer_remaining(const struct vm_writer *w);

/*
 * Read up to @n bytes into @dst, advancing: returns the count read (less
 * than @n only at the end of the range or when a fault stopped it), or
 * -EFAULT when a fault stopped it before any byte.
 */
/*@ requires \valid(r) && reader_ok(r);
    requires \valid((char *)dst + (0 .. \min(n, r->left) - 1));
    requires \separated(r, (char *)dst + (0 .. \min(n, r->left) - 1));
    requires r->user == 0 ==>
      \separated((char *)dst + (0 .. \min(n, r->left) - 1), r->kptr + (0 .. \min(n, r->left) - 1));
    assigns *r, ((char *)dst)[0 .. \min(n, r->left) - 1];
    ensures reader_ok(r) && reader_moved{Pre, Post}(r);
    ensures \result == -EFAULT ? r->left == \old(r->left)
      : 0 <= \result <= \min(n, \old(r->left)) && r->left == \old(r->left) - \result;
*/
ssize_t vm_reader_read(struct vm_reader *r, void *dst, size_t n);
/* Write up to @n bytes from @src; same results. */
/*@ requires \valid(w) && writer_ok(w);
    requires \valid_read((const char *)src + (0 .. \min(n, w->left) - 1));
    requires \separated(w, w->kptr + (0 .. \min(n, w->left) - 1));
    requires w->user == 0 ==>
      \separated((const char *)src + (0 .. \min(n, w->left) - 1), w->kptr + (0 .. \min(n, w->left) - 1));
    assigns *w, w->kptr[0 .. \min(n, w->left) - 1];
    ensures writer_ok(w) && writer_moved{Pre, Post}(w);
    ensures \result == -EFAULT ? w->left == \old(w->left)
      : 0 <= \result <= \min(n, \old(w->left)) && w->left == \old(w->left) - \result;
*/
ssize_t vm_writer_write(struct vm_writer *w, const void *src, size_t n);
/* Move min(remaining of both) bytes from @r to @w (any mix of kernel and user); same results. */
/*@ requires \valid(r) && reader_ok(r) && \valid(w) && writer_ok(w) && \separated(r, w);
    requires \separated(r, w->kptr + (0 .. \min(r->left, w->left) - 1));
    requires \separated(w, w->kptr + (0 .. \min(r->left, w->left) - 1));
    requires r->user == 0 && w->user == 0 ==>
      \separated(r->kptr + (0 .. \min(r->left, w->left) - 1), w->kptr + (0 .. \min(r->left, w->left) - 1));
    assigns *r, *w, w->kptr[0 .. \min(r->left, w->left) - 1];
    ensures reader_ok(r) && reader_moved{Pre, Post}(r);
    ensures writer_ok(w) && writer_moved{Pre, Post}(w);
    ensures \result == -EFAULT ? r->left == \old(r->left) && w->left == \old(w->left)
      : 0 <= \result <= \min(\old(r->left), \old(w->left)) &&
        r->left == \old(r->left) - \result && w->left == \old(w->left) - \result;
*/
ssize_t vm_reader_read_to(struct vm_reader *r, struct vm_writer *w);
/* Write @n bytes of @byte; same results. vm_writer_zero() is fill with 0. */
/*@ requires \valid(w) && writer_ok(w);
    requires \separated(w, w->kptr + (0 .. \min(n, w->left) - 1));
    assigns *w, w->kptr[0 .. \min(n, w->left) - 1];
    ensures writer_ok(w) && writer_moved{Pre, Post}(w);
    ensures \result == -EFAULT ? w->left == \old(w->left)
      : 0 <= \result <= \min(n, \old(w->left)) && w->left == \old(w->left) - \result;
*/
ssize_t vm_writer_fill(struct vm_writer *w, uint8_t byte, size_t n);
/*@ requires \valid(w) && writer_ok(w);
    requires \separated(w, w->kptr + (0 .. \min(n, w->left) - 1));
    assigns *w, w->kptr[0 .. \min(n, w->left) - 1];
    ensures writer_ok(w) && writer_moved{Pre, Post}(w);
    ensures \result == -EFAULT ? w->left == \old(w->left)
      : 0 <= \result <= \min(n, \old(w->left)) && w->left == \old(w->left) - \result;
*/
ssize_t vm_writer_zero(struct vm_writer *w, size_t n);
/* Advance without copying; returns the count skipped (clamped to what is left). */
/*@ requires \valid(r) && reader_ok(r);
    assigns *r;
    ensures reader_ok(r) && reader_moved{Pre, Post}(r);
    ensures \result == \min(n, \old(r->left)) && r->left == \old(r->left) - \result;
*/
size_t vm_reader_skip(struct vm_reader *r, size_t n);
/*@ requires \valid(w) && writer_ok(w);
    assigns *w;
    ensures writer_ok(w) && writer_moved{Pre, Post}(w);
    ensures \result == \min(n, \old(w->left)) && w->left == \old(w->left) - \result;
*/
size_t vm_writer_skip(struct vm_writer *w, size_t n);
/* Shrink the range to at most @n more bytes. */
/*@ requires \valid(r) && reader_ok(r);
    assigns r->left;
    ensures reader_ok(r) && r->left == \min(\old(r->left), n);
*/
void vm_reader_limit(struct vm_reader *r, size_t n);
/*@ requires \valid(w) && writer_ok(w);
    assigns w->left;
    ensures writer_ok(w) && w->left == \min(\old(w->left), n);
*/
void vm_writer_limit(struct vm_writer *w, size_t n);

#endif
