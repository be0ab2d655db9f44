/* Peer processes for the pipe and unix-socket cases: an echo for round trips, a sink for bandwidth. */
#include "peer.h"
#include "bench.h"

#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static char chunk[PEER_CHUNK];

static void peer_main(int rfd, int wfd, enum peer_role role)
{
	char c;
	if (role == PEER_ECHO) {
		while (read(rfd, &c, 1) == 1)
			if (write(wfd, &c, 1) != 1)
				_exit(1);
		_exit(0);
	}
	uint64_t count;
	while (bench_read_full(rfd, &count, sizeof(count)) == 0) {
		for (uint64_t i = 0; i < count; i++)
			if (bench_read_full(rfd, chunk, sizeof(chunk)))
				_exit(1);
		c = 'k';
		if (write(wfd, &c, 1) != 1)
			_exit(1);
	}
	_exit(0);
}

int peer_start(struct peer *p, enum peer_transport t, enum peer_role role, const char *name)
{
	int down[2], up[2];
	if (t == PEER_PIPE) {
		if (pipe(down))
			return bench_fail(name, "pipe");
		if (pipe(up))
			return bench_fail(name, "pipe");
	} else {
		/* One bidirectional socket: both directions share the pair. */
		if (socketpair(AF_UNIX, SOCK_STREAM, 0, down))
			return bench_fail(name, "socketpair");
		up[0] = down[0];
		up[1] = down[1];
	}
	pid_t pid = fork();
	if (pid < 0)
		return bench_fail(name, "fork");
	if (pid == 0) {
		if (t == PEER_PIPE) {
			close(down[1]);
			close(up[0]);
			peer_main(down[0], up[1], role);
		}
		close(down[0]);
		peer_main(down[1], down[1], role);
	}
	p->pid = pid;
	if (t == PEER_PIPE) {
		close(down[0]);
		close(up[1]);
		p->wfd = down[1];
		p->rfd = up[0];
	} else {
		close(down[1]);
		p->wfd = p->rfd = down[0];
	}
	return 0;
}

void peer_stop(struct peer *p)
{
	close(p->wfd);
	if (p->rfd != p->wfd)
		close(p->rfd);
	/* EOF ends the peer; the kill only matters if it is stuck. */
	kill(p->pid, SIGTERM);
	waitpid(p->pid, NULL, 0);
}

int peer_ping(struct peer *p, long iters, const char *name)
{
	char c = 'p';
	for (long i = 0; i < iters; i++) {
		if (write(p->wfd, &c, 1) != 1)
			return bench_fail(name, "write");
		if (read(p->rfd, &c, 1) != 1)
			return bench_fail(name, "read");
	}
	return 0;
}

int peer_stream(struct peer *p, long iters, const char *name)
{
	uint64_t count = (uint64_t)iters;
	char ack;
	if (bench_write_full(p->wfd, &count, sizeof(count)))
		return bench_fail(name, "write count");
	for (long i = 0; i < iters; i++)
		if (bench_write_full(p->wfd, chunk, sizeof(chunk)))
			return bench_fail(name, "write");
	if (read(p->rfd, &ack, 1) != 1 || ack != 'k')
		return bench_fail(name, "no acknowledgement from the reader");
	return 0;
}
