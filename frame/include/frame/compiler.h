/* Annotations the boundary check understands: user pointers and exceptions. */
#ifndef FRAME_COMPILER_H
#define FRAME_COMPILER_H

#ifdef __CHECKER__
/* sparse: a user pointer may not be dereferenced, only passed to the frame. */
#define __user __attribute__((noderef, address_space(__user)))
#define __kernel __attribute__((address_space(0)))
#define __force __attribute__((force))
#else
#define __user
#define __kernel
#define __force
#endif

/*
 * Marks a line of service code that the boundary check must let through, with
 * the reason. Every use is counted by `make check`; the count should be zero.
 */
#define UNSAFE(reason)

#endif
