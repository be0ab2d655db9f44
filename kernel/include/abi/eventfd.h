/* Linux eventfd flags (Linux's UAPI has no header of them; glibc's mirror the kernel's). */
/* uapi: <sys/eventfd.h> */
#ifndef ABI_EVENTFD_H
#define ABI_EVENTFD_H

#define EFD_SEMAPHORE 00000001
#define EFD_CLOEXEC 02000000
#define EFD_NONBLOCK 00004000

#endif
