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
static inline void __user *user_ptr(vaddr_t va)
{
	return (void __user *)va;
}

/*
 * The address a user pointer holds, as a number (alignment checks, futex
 * keys, addresses kept for later, traces). Harmless: a number reaches
 * memory again only through user_ptr() and the calls below.
 */
static inline vaddr_t user_addr(const void __user *p)
{
	return (vaddr_t)p;
}

/* True if [@va, @va + @len) lies entirely in the user half (no wrap-around). */
bool user_range_ok(vaddr_t va, size_t len);

/*
 * Copy @n bytes between user memory and the kernel buffer @dst/@src.
 * Returns the number of bytes NOT copied: 0 on success, @n when the range
 * is refused, in between when a fault stopped the copy part-way (the bytes
 * before it were copied). Linux's convention, so read()-style partial
 * results can be reported.
 */
size_t copy_from_user(void *dst, const void __user *src, size_t n);
size_t copy_to_user(void __user *dst, const void *src, size_t n);
/* Write @n zero bytes to user memory; same result as copy_to_user(). */
size_t clear_user(void __user *dst, size_t n);

/*
 * Copy a NUL-terminated string of at most @n bytes (terminator included)
 * from user memory into @dst. Returns its length without the terminator
 * (< @n, @dst terminated), @n if no NUL came within @n bytes (@dst then
 * holds @n bytes and no terminator: the caller decides, e.g.
 * -ENAMETOOLONG), or -EFAULT if the range is refused or a fault came first.
 */
ssize_t strncpy_from_user(char *dst, const char __user *src, size_t n);

/* Fixed-size values: 0 or -EFAULT (the value is then left unchanged / unwritten). */
int get_user_u8(uint8_t *out, const void __user *src);
int get_user_u32(uint32_t *out, const void __user *src);
int get_user_u64(uint64_t *out, const void __user *src);
int put_user_u8(uint8_t v, void __user *dst);
int put_user_u32(uint32_t v, void __user *dst);
int put_user_u64(uint64_t v, void __user *dst);

/*
 * A cursor over a byte range to read from, in kernel memory or in user
 * memory. It never goes past its range. The fields are private.
 */
struct vm_reader {
	uint64_t cur;
	size_t left;
	bool user;
};

/* The same for writing. */
struct vm_writer {
	uint64_t cur;
	size_t left;
	bool user;
};

/* Over kernel buffer [@buf, @buf + @len); the caller keeps the buffer alive while reading. */
void vm_reader_init_kernel(struct vm_reader *r, const void *buf, size_t len);
void vm_writer_init_kernel(struct vm_writer *w, void *buf, size_t len);
/* Over user memory [@va, @va + @len): 0, or -EFAULT if the range is not all user half. */
int vm_reader_init_user(struct vm_reader *r, const void __user *va, size_t len);
int vm_writer_init_user(struct vm_writer *w, void __user *va, size_t len);

/* Bytes left before the end of the range. */
size_t vm_reader_remaining(const struct vm_reader *r);
size_t vm_writer_remaining(const struct vm_writer *w);

/*
 * Read up to @n bytes into @dst, advancing: returns the count read (less
 * than @n only at the end of the range or when a fault stopped it), or
 * -EFAULT when a fault stopped it before any byte.
 */
ssize_t vm_reader_read(struct vm_reader *r, void *dst, size_t n);
/* Write up to @n bytes from @src; same results. */
ssize_t vm_writer_write(struct vm_writer *w, const void *src, size_t n);
/* Move min(remaining of both) bytes from @r to @w (any mix of kernel and user); same results. */
ssize_t vm_reader_read_to(struct vm_reader *r, struct vm_writer *w);
/* Write @n bytes of @byte; same results. vm_writer_zero() is fill with 0. */
ssize_t vm_writer_fill(struct vm_writer *w, uint8_t byte, size_t n);
ssize_t vm_writer_zero(struct vm_writer *w, size_t n);
/* Advance without copying; returns the count skipped (clamped to what is left). */
size_t vm_reader_skip(struct vm_reader *r, size_t n);
size_t vm_writer_skip(struct vm_writer *w, size_t n);
/* Shrink the range to at most @n more bytes. */
void vm_reader_limit(struct vm_reader *r, size_t n);
void vm_writer_limit(struct vm_writer *w, size_t n);

#endif
