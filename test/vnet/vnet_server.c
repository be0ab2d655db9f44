/* Guest side of the host-to-guest network test: a TCP echo server that says when it listens and counts what it echoed. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

/* Echo until the client's EOF; the byte count, or -1 on an error. */
static long long echo(int c)
{
	static char buf[65536];
	long long total = 0;
	for (;;) {
		ssize_t n = read(c, buf, sizeof buf);
		if (n == 0)
			return total;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			perror("vnet_server: read");
			return -1;
		}
		for (ssize_t off = 0; off < n;) {
			ssize_t w = write(c, buf + off, (size_t)(n - off));
			if (w < 0) {
				if (errno == EINTR)
					continue;
				perror("vnet_server: write");
				return -1;
			}
			off += w;
		}
		total += n;
	}
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: vnet_server PORT CONNECTIONS\n");
		return 2;
	}
	int port = atoi(argv[1]), conns = atoi(argv[2]);
	signal(SIGPIPE, SIG_IGN);
	int l = socket(AF_INET, SOCK_STREAM, 0);
	int one = 1;
	setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	if (l < 0 || bind(l, (struct sockaddr *)&a, sizeof a) || listen(l, 64)) {
		perror("vnet_server: listen");
		return 1;
	}
	printf("VNET-READY %d\n", port);
	fflush(stdout);
	int failed = 0;
	/* One child per connection, so the host's concurrent connections all progress. */
	for (int i = 0; i < conns; i++) {
		int c = accept(l, NULL, NULL);
		if (c < 0) {
			perror("vnet_server: accept");
			return 1;
		}
		pid_t pid = fork();
		if (pid == 0) {
			close(l);
			long long n = echo(c);
			_exit(n < 0 ? 1 : 0);
		}
		close(c);
		if (pid < 0)
			failed++;
	}
	for (int i = 0; i < conns; i++) {
		int st;
		if (wait(&st) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
			failed++;
	}
	printf("VNET-SERVED %d connections, %d failed\n", conns, failed);
	fflush(stdout);
	return failed ? 1 : 0;
}
