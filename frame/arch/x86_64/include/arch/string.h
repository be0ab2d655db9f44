/* x86_64 bulk copy and fill for the frame's memcpy/memset: one string instruction each. */
#ifndef ARCH_STRING_H
#define ARCH_STRING_H

#include <frame/types.h>

#define ARCH_HAS_STRING_OPS 1

static inline void arch_memcpy(void *dst, const void *src, size_t n)
{
	__asm__ volatile("rep movsb" : "+D"(dst), "+S"(src), "+c"(n) : : "memory");
}

static inline void arch_memset(void *dst, int c, size_t n)
{
	__asm__ volatile("rep stosb" : "+D"(dst), "+c"(n) : "a"(c) : "memory");
}

#endif
