/* Linux epoll events, control operations and struct epoll_event (packed on x86_64). */
/* uapi: <linux/eventpoll.h> */
#ifndef ABI_EVENTPOLL_H
#define ABI_EVENTPOLL_H

#include <frame/types.h>

#define EPOLL_CLOEXEC 02000000
#define EPOLL_CTL_ADD 1
#define EPOLL_CTL_DEL 2
#define EPOLL_CTL_MOD 3

#define EPOLLIN 0x00000001
#define EPOLLPRI 0x00000002
#define EPOLLOUT 0x00000004
#define EPOLLERR 0x00000008
#define EPOLLHUP 0x00000010
#define EPOLLNVAL 0x00000020
#define EPOLLRDNORM 0x00000040
#define EPOLLRDBAND 0x00000080
#define EPOLLWRNORM 0x00000100
#define EPOLLWRBAND 0x00000200
#define EPOLLMSG 0x00000400
#define EPOLLRDHUP 0x00002000
#define EPOLLEXCLUSIVE (1U << 28)
#define EPOLLWAKEUP (1U << 29)
#define EPOLLONESHOT (1U << 30)
#define EPOLLET (1U << 31)

/* x86_64 packs it: 12 bytes, data at offset 4. */
#pragma pack(push, 4)
struct epoll_event {
	uint32_t events;
	uint64_t data;
};
#pragma pack(pop)

#endif
