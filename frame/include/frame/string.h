/* Freestanding memory and string routines (the compiler may also emit calls to them). */
#ifndef FRAME_STRING_H
#define FRAME_STRING_H

#include <stddef.h>

/*
 * The contracts (ACSL, read by `make prove`) are assumed, not proved: the
 * routines are assembly on x86_64 (rep movsb/stosb).
 */
/*@ requires \valid((char *)dst + (0 .. n - 1));
    requires \valid_read((char *)src + (0 .. n - 1));
    requires \separated((char *)dst + (0 .. n - 1), (char *)src + (0 .. n - 1));
    assigns ((char *)dst)[0 .. n - 1] \from ((char *)src)[0 .. n - 1];
    ensures \result == dst;
*/
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
/*@ requires \valid((char *)dst + (0 .. n - 1));
    assigns ((char *)dst)[0 .. n - 1] \from c;
    ensures \result == dst;
*/
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
/* Copy at most size-1 bytes and always terminate; returns strlen(src). */
size_t strlcpy(char *dst, const char *src, size_t size);

#endif
