/* A child process at the other end of a pipe pair or a unix socket, for latency and bandwidth cases. */
#ifndef BENCH_PEER_H
#define BENCH_PEER_H

#include <stddef.h>
#include <sys/types.h>

enum peer_transport { PEER_PIPE, PEER_UNIX };
enum peer_role {
	PEER_ECHO, /* answers every byte with one byte */
	PEER_SINK, /* takes a count, then count chunks of PEER_CHUNK bytes, then acks one byte */
};

#define PEER_CHUNK (64 * 1024)

struct peer {
	pid_t pid;
	int wfd; /* parent writes here */
	int rfd; /* parent reads the answers here */
};

/* Returns 0, or -1 after printing BENCH-FAIL for name. */
int peer_start(struct peer *p, enum peer_transport t, enum peer_role role, const char *name);
void peer_stop(struct peer *p);
/* iters one-byte round trips. */
int peer_ping(struct peer *p, long iters, const char *name);
/* iters chunks sent, returns once the peer has read them all. */
int peer_stream(struct peer *p, long iters, const char *name);

#endif
