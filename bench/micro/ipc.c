/* Stream IPC between two processes, over a pipe pair and a unix socketpair: 1-byte ping-pong and 64 KiB-write bandwidth. */
#include "bench.h"
#include "peer.h"

/* The case's state names its transport and role; the peer itself lives here too. */
struct ipc_case {
	const char *name;
	enum peer_transport transport;
	enum peer_role role;
	struct peer peer;
};

static int ipc_setup(struct ipc_case *c, void **state)
{
	if (peer_start(&c->peer, c->transport, c->role, c->name))
		return -1;
	*state = c;
	return 0;
}

static int ipc_loop(void *state, long iters)
{
	struct ipc_case *c = state;
	if (c->role == PEER_ECHO)
		return peer_ping(&c->peer, iters, c->name);
	return peer_stream(&c->peer, iters, c->name);
}

static void ipc_teardown(void *state)
{
	struct ipc_case *c = state;
	peer_stop(&c->peer);
}

#define IPC_CASE(id, tr, rl, kd, desc)                                                    \
	static struct ipc_case id##_state = { .name = #id, .transport = tr, .role = rl };   \
	static int id##_setup(void **state)                                               \
	{                                                                                 \
		return ipc_setup(&id##_state, state);                                     \
	}                                                                                 \
	BENCH_CASE(id##_case, .name = #id, .what = desc, .kind = kd, .bytes = PEER_CHUNK, \
		   .setup = id##_setup, .loop = ipc_loop, .teardown = ipc_teardown)

IPC_CASE(pipe_latency, PEER_PIPE, PEER_ECHO, BENCH_LATENCY,
	 "pipe round trip of 1 byte between two processes")
IPC_CASE(pipe_bandwidth, PEER_PIPE, PEER_SINK, BENCH_BANDWIDTH,
	 "pipe to another process, 64 KiB writes")
IPC_CASE(unix_latency, PEER_UNIX, PEER_ECHO, BENCH_LATENCY,
	 "unix stream socketpair round trip of 1 byte between two processes")
IPC_CASE(unix_bandwidth, PEER_UNIX, PEER_SINK, BENCH_BANDWIDTH,
	 "unix stream socketpair to another process, 64 KiB writes")
