/* Linux errno values for services: the frame's list is the one definition. */
/* uapi: <asm/errno.h> */
/* abi-defs: frame/errno.h */
#ifndef ABI_ERRNO_H
#define ABI_ERRNO_H

#include <frame/errno.h>

#endif
