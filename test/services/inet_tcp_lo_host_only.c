/* Host tests of TCP over the loopback device: handshake, data both ways, close and TIME_WAIT, resets, half-close, backlog, poll masks, options. */
#include <abi/errno.h>
#include <abi/poll.h>
#include <abi/tcp.h>
#include <frame/heap.h>
#include <frame/string.h>
#include "inet_fixture.h"

KTEST(inet_tcp_lo_connect_transfer_close)
{
	nf_begin();
	struct inet_sock *l = nf_socket(SOCK_STREAM, 0);
	KEXPECT_EQ(nf_bind(l, 0, 5000), 0);
	KEXPECT_EQ(nf_listen(l, 4), 0);
	KEXPECT_EQ(l->state, TCP_LISTEN);
	KEXPECT_EQ(nf_poll(l), 0);
	struct inet_sock *c = nf_socket(SOCK_STREAM, 0);
	/* Loopback completes the handshake within the call: still EINPROGRESS, as a non-blocking connect. */
	KEXPECT_EQ(nf_connect(c, LOCALHOST, 5000), -EINPROGRESS);
	KEXPECT_EQ(c->state, TCP_ESTABLISHED);
	KEXPECT(c->lport >= inet_port_low && c->lport <= inet_port_high);
	KEXPECT_EQ(c->saddr, LOCALHOST);
	KEXPECT_EQ(nf_poll(l), POLLIN | POLLRDNORM);
	struct inet_sock *s = NULL;
	KEXPECT_EQ(nf_accept(l, &s), 0);
	KASSERT(s != NULL);
	KEXPECT_EQ(s->state, TCP_ESTABLISHED);
	KEXPECT_EQ(s->rport, c->lport);
	KEXPECT_EQ(nf_accept(l, &s), -EAGAIN);
	/* Options both ways: timestamps, window scaling, SACK; the loopback MSS. */
	struct tcp_sock *ct = tcp_sk(c), *st = tcp_sk(s);
	KEXPECT(ct->ts_ok && ct->ws_ok && ct->sack_ok);
	KEXPECT(st->ts_ok && st->ws_ok && st->sack_ok);
	KEXPECT_EQ(ct->rcv_wscale, 7);
	/* Linux's loopback MSS, 65483, bounded by half the first window (a whole segment): 32741. */
	KEXPECT_EQ(ct->mss, 32741);
	KEXPECT_EQ(nf_poll(c), POLLOUT | POLLWRNORM);
	/* A megabyte each way, in odd-sized pieces, byte-exact. */
	uint32_t total = 1u << 20;
	uint8_t *out = kmalloc(total), *in = kmalloc(total);
	for (uint32_t i = 0; i < total; i++)
		out[i] = (uint8_t)(i * 7 + (i >> 9));
	uint32_t sent = 0, got = 0;
	for (int round = 0; round < 10000 && got < total; round++) {
		if (sent < total) {
			ssize_t n = nf_send(c, out + sent, MIN(total - sent, 70001u), 0);
			KASSERT(n > 0 || n == -EAGAIN);
			if (n > 0)
				sent += (uint32_t)n;
		}
		ssize_t r = nf_recv(s, in + got, total - got, 0);
		KASSERT(r > 0 || r == -EAGAIN);
		if (r > 0)
			got += (uint32_t)r;
	}
	KEXPECT_EQ(got, total);
	KEXPECT(memcmp(in, out, total) == 0);
	/* Server to client too. */
	KEXPECT_EQ(nf_send(s, "pong", 4, 0), 4);
	char buf[8];
	KEXPECT_EQ(nf_recv(c, buf, sizeof(buf), 0), 4);
	KEXPECT(memcmp(buf, "pong", 4) == 0);
	KEXPECT_EQ(nf_recv(c, buf, sizeof(buf), 0), -EAGAIN);
	/* The client closes first: FIN, the server reads EOF; the client ends in TIME_WAIT. */
	nf_close(c);
	KEXPECT_EQ(s->state, TCP_CLOSE_WAIT);
	KEXPECT_EQ(nf_recv(s, buf, sizeof(buf), 0), 0);
	KEXPECT(nf_poll(s) & POLLRDHUP);
	KEXPECT_EQ(tcp_count_state(TCP_FIN_WAIT2), 1);
	nf_close(s);
	KEXPECT_EQ(tcp_count_state(TCP_TIME_WAIT), 1);
	nf_close(l);
	nf_advance(SEC(59));
	KEXPECT_EQ(tcp_count_state(TCP_TIME_WAIT), 1);
	nf_advance(SEC(2));
	KEXPECT_EQ(tcp_count_state(TCP_TIME_WAIT), 0);
	kfree(out);
	kfree(in);
	nf_end(ktest_ctx);
}

KTEST(inet_tcp_lo_refused_and_reset)
{
	nf_begin();
	struct inet_sock *c = nf_socket(SOCK_STREAM, 0);
	/* No listener: the SYN is answered with a reset. */
	KEXPECT_EQ(nf_connect(c, LOCALHOST, 5001), -EINPROGRESS);
	KEXPECT_EQ(c->state, TCP_CLOSE);
	KEXPECT_EQ(nf_poll(c), POLLIN | POLLRDNORM | POLLRDHUP | POLLHUP | POLLOUT | POLLWRNORM | POLLERR);
	/* The second connect() reports it and the socket may try again. */
	KEXPECT_EQ(nf_connect(c, LOCALHOST, 5001), -ECONNREFUSED);
	KEXPECT_EQ(nf_connect(c, LOCALHOST, 5001), -EINPROGRESS);
	KEXPECT_EQ(nf_error(c), ECONNREFUSED);
	nf_close(c);
	/* Close with unread data resets the peer (RFC 2525 2.17). */
	struct inet_sock *a, *b;
	nf_tcp_pair(&a, &b, 5002);
	KASSERT(b != NULL);
	KEXPECT_EQ(nf_send(a, "unread", 6, 0), 6);
	nf_close(b);
	KEXPECT_EQ(a->state, TCP_CLOSE);
	char buf[8];
	KEXPECT_EQ(nf_recv(a, buf, sizeof(buf), 0), -ECONNRESET);
	KEXPECT_EQ(nf_recv(a, buf, sizeof(buf), 0), 0);
	/* Sending after the reset: EPIPE. */
	KEXPECT_EQ(nf_send(a, "x", 1, 0), -EPIPE);
	nf_close(a);
	/* SO_LINGER 0: close resets at once, no TIME_WAIT. */
	nf_tcp_pair(&a, &b, 5003);
	net_lock();
	a->linger_on = 1;
	a->linger_secs = 0;
	net_unlock();
	nf_close(a);
	KEXPECT_EQ(tcp_count_state(TCP_TIME_WAIT), 0);
	KEXPECT_EQ(b->state, TCP_CLOSE);
	KEXPECT_EQ(nf_recv(b, buf, 1, 0), -ECONNRESET);
	nf_close(b);
	nf_end(ktest_ctx);
}

KTEST(inet_tcp_lo_half_close)
{
	nf_begin();
	struct inet_sock *a, *b;
	nf_tcp_pair(&a, &b, 5004);
	KASSERT(b != NULL);
	KEXPECT_EQ(nf_shutdown(a, SHUT_WR), 0);
	KEXPECT_EQ(a->state, TCP_FIN_WAIT2);
	char buf[16];
	KEXPECT_EQ(nf_recv(b, buf, sizeof(buf), 0), 0);
	KEXPECT_EQ(nf_send(a, "x", 1, 0), -EPIPE);
	/* The other direction still flows. */
	KEXPECT_EQ(nf_send(b, "late data", 9, 0), 9);
	KEXPECT_EQ(nf_recv(a, buf, sizeof(buf), 0), 9);
	KEXPECT_EQ(nf_poll(a) & (POLLIN | POLLOUT | POLLHUP), POLLOUT);
	KEXPECT_EQ(nf_shutdown(b, SHUT_WR), 0);
	KEXPECT_EQ(nf_recv(a, buf, sizeof(buf), 0), 0);
	KEXPECT_EQ(b->state, TCP_CLOSE);
	KEXPECT_EQ(a->state, TCP_TIME_WAIT);
	KEXPECT(nf_poll(a) & POLLHUP);
	nf_close(a);
	nf_close(b);
	nf_end(ktest_ctx);
}

KTEST(inet_tcp_lo_bind_rules)
{
	nf_begin();
	struct inet_sock *a = nf_socket(SOCK_STREAM, 0), *b = nf_socket(SOCK_STREAM, 0);
	KEXPECT_EQ(nf_bind(a, 0, 6000), 0);
	KEXPECT_EQ(nf_bind(a, 0, 6001), -EINVAL);	/* bound already */
	KEXPECT_EQ(nf_bind(b, LOCALHOST, 6000), -EADDRINUSE);
	/* SO_REUSEADDR on both lets a second bind in while nobody listens... */
	nf_setsockopt(a, SOL_SOCKET, SO_REUSEADDR, 1);
	nf_setsockopt(b, SOL_SOCKET, SO_REUSEADDR, 1);
	KEXPECT_EQ(nf_bind(b, LOCALHOST, 6000), 0);
	/* ...but only one may listen. */
	KEXPECT_EQ(nf_listen(a, 1), 0);
	KEXPECT_EQ(nf_listen(b, 1), -EADDRINUSE);
	nf_close(b);
	/* A listener's port stays its own even with SO_REUSEADDR. */
	struct inet_sock *c = nf_socket(SOCK_STREAM, 0);
	nf_setsockopt(c, SOL_SOCKET, SO_REUSEADDR, 1);
	KEXPECT_EQ(nf_bind(c, 0, 6000), -EADDRINUSE);
	/* Port 0 picks an ephemeral one; listen() without bind picks one too. */
	KEXPECT_EQ(nf_bind(c, 0, 0), 0);
	KEXPECT(c->lport >= inet_port_low);
	struct inet_sock *d = nf_socket(SOCK_STREAM, 0);
	KEXPECT_EQ(nf_listen(d, 1), 0);
	KEXPECT(d->lport >= inet_port_low && d->lport != c->lport);
	nf_close(a);
	nf_close(c);
	nf_close(d);
	nf_end(ktest_ctx);
}

KTEST(inet_tcp_lo_time_wait_blocks_rebind)
{
	nf_begin();
	struct inet_sock *a, *b;
	nf_tcp_pair(&a, &b, 6100);
	KASSERT(b != NULL);
	/* The server closes first: its side of port 6100 waits. */
	nf_close(b);
	nf_close(a);
	KEXPECT_EQ(tcp_count_state(TCP_TIME_WAIT), 1);
	struct inet_sock *l = nf_socket(SOCK_STREAM, 0);
	KEXPECT_EQ(nf_bind(l, 0, 6100), -EADDRINUSE);
	nf_setsockopt(l, SOL_SOCKET, SO_REUSEADDR, 1);
	KEXPECT_EQ(nf_bind(l, 0, 6100), -EADDRINUSE);	/* the TIME_WAIT socket had no SO_REUSEADDR */
	nf_advance(SEC(61));
	KEXPECT_EQ(nf_bind(l, 0, 6100), 0);
	nf_close(l);
	nf_end(ktest_ctx);
}

KTEST(inet_tcp_lo_backlog_full)
{
	nf_begin();
	struct inet_sock *l = nf_socket(SOCK_STREAM, 0);
	KEXPECT_EQ(nf_bind(l, 0, 6200), 0);
	KEXPECT_EQ(nf_listen(l, 1), 0);
	/* Backlog 1 admits two (Linux's "more than backlog" test); the third SYN is dropped. */
	struct inet_sock *c[3];
	for (int i = 0; i < 3; i++) {
		c[i] = nf_socket(SOCK_STREAM, 0);
		KEXPECT_EQ(nf_connect(c[i], LOCALHOST, 6200), -EINPROGRESS);
	}
	KEXPECT_EQ(c[0]->state, TCP_ESTABLISHED);
	KEXPECT_EQ(c[1]->state, TCP_ESTABLISHED);
	KEXPECT_EQ(c[2]->state, TCP_SYN_SENT);
	KEXPECT_EQ(net_mib.tcp_listen_overflows > 0, 1);
	struct inet_sock *s[3] = { 0 };
	KEXPECT_EQ(nf_accept(l, &s[0]), 0);
	/* The SYN's retransmission after 1 s finds room now. */
	nf_advance(MS(1100));
	KEXPECT_EQ(c[2]->state, TCP_ESTABLISHED);
	KEXPECT_EQ(nf_accept(l, &s[1]), 0);
	KEXPECT_EQ(nf_accept(l, &s[2]), 0);
	for (int i = 0; i < 3; i++) {
		nf_close(c[i]);
		nf_close(s[i]);
	}
	/* Closing a listener resets what it never accepted. */
	struct inet_sock *x = nf_socket(SOCK_STREAM, 0);
	KEXPECT_EQ(nf_connect(x, LOCALHOST, 6200), -EINPROGRESS);
	KEXPECT_EQ(x->state, TCP_ESTABLISHED);
	nf_close(l);
	KEXPECT_EQ(x->state, TCP_CLOSE);
	KEXPECT_EQ(nf_error(x), ECONNRESET);
	nf_close(x);
	nf_end(ktest_ctx);
}

KTEST(inet_tcp_lo_peek_waitall_lowat)
{
	nf_begin();
	struct inet_sock *a, *b;
	nf_tcp_pair(&a, &b, 6300);
	KASSERT(b != NULL);
	KEXPECT_EQ(nf_send(a, "hello world", 11, 0), 11);
	char buf[32];
	KEXPECT_EQ(nf_recv(b, buf, 5, MSG_PEEK), 5);
	KEXPECT(memcmp(buf, "hello", 5) == 0);
	KEXPECT_EQ(nf_recv(b, buf, 32, MSG_PEEK), 11);
	KEXPECT_EQ(nf_recv(b, buf, 6, 0), 6);
	KEXPECT_EQ(nf_recv(b, buf, 32, 0), 5);
	KEXPECT(memcmp(buf, "world", 5) == 0);
	/* SO_RCVLOWAT: poll and a blocking read wait for that much. */
	net_lock();
	b->rcvlowat = 4;
	net_unlock();
	KEXPECT_EQ(nf_send(a, "abc", 3, 0), 3);
	KEXPECT_EQ(nf_poll(b) & POLLIN, 0);
	KEXPECT_EQ(nf_send(a, "d", 1, 0), 1);
	KEXPECT(nf_poll(b) & POLLIN);
	KEXPECT_EQ(nf_recv(b, buf, 32, 0), 4);
	/* Urgent data is refused cleanly. */
	KEXPECT_EQ(nf_send(a, "u", 1, MSG_OOB), -EOPNOTSUPP);
	KEXPECT_EQ(nf_recv(b, buf, 1, MSG_OOB), -EINVAL);
	nf_close(a);
	nf_close(b);
	nf_end(ktest_ctx);
}

KTEST(inet_tcp_lo_nagle_and_cork)
{
	nf_begin();
	struct inet_sock *a, *b;
	nf_tcp_pair(&a, &b, 6400);
	KASSERT(b != NULL);
	uint32_t segs0 = tcp_sk(a)->data_segs_out;
	/* TCP_CORK holds small writes until uncorked (or 200 ms). */
	KEXPECT_EQ(nf_setsockopt(a, SOL_TCP, TCP_CORK, 1), 0);
	for (int i = 0; i < 10; i++)
		KEXPECT_EQ(nf_send(a, "0123456789", 10, 0), 10);
	char buf[256];
	KEXPECT_EQ(nf_recv(b, buf, sizeof(buf), 0), -EAGAIN);
	KEXPECT_EQ(nf_setsockopt(a, SOL_TCP, TCP_CORK, 0), 0);
	KEXPECT_EQ(nf_recv(b, buf, sizeof(buf), 0), 100);
	KEXPECT_EQ(tcp_sk(a)->data_segs_out - segs0, 1);
	KEXPECT_EQ(nf_setsockopt(a, SOL_TCP, TCP_CORK, 1), 0);
	KEXPECT_EQ(nf_send(a, "x", 1, 0), 1);
	nf_advance(MS(250));
	KEXPECT_EQ(nf_recv(b, buf, sizeof(buf), 0), 1);
	KEXPECT_EQ(nf_setsockopt(a, SOL_TCP, TCP_CORK, 0), 0);
	/* Options read back; bad values are EINVAL as on Linux. */
	KEXPECT_EQ(nf_setsockopt(a, SOL_TCP, TCP_KEEPIDLE, 0), -EINVAL);
	KEXPECT_EQ(nf_setsockopt(a, SOL_TCP, TCP_KEEPCNT, 128), -EINVAL);
	KEXPECT_EQ(nf_setsockopt(a, SOL_TCP, TCP_MAXSEG, 10), -EINVAL);
	KEXPECT_EQ(nf_setsockopt(a, SOL_TCP, TCP_NODELAY, 1), 0);
	KEXPECT_EQ(nf_setsockopt(a, SOL_TCP, 9999, 1), -ENOPROTOOPT);
	struct tcp_info ti;
	size_t len = sizeof(ti);
	net_lock();
	KEXPECT_EQ(a->ops->getsockopt(a, SOL_TCP, TCP_INFO, &ti, &len), 0);
	net_unlock();
	KEXPECT_EQ(len, sizeof(ti));
	KEXPECT_EQ(ti.tcpi_state, TCP_ESTABLISHED);
	KEXPECT(ti.tcpi_options & TCPI_OPT_TIMESTAMPS);
	KEXPECT_EQ(ti.tcpi_snd_mss, tcp_sk(a)->mss);
	KEXPECT(ti.tcpi_rtt > 0);
	nf_close(a);
	nf_close(b);
	nf_end(ktest_ctx);
}

KTEST(inet_tcp_lo_flow_control)
{
	nf_begin();
	struct inet_sock *a, *b;
	nf_tcp_pair(&a, &b, 6500);
	KASSERT(b != NULL);
	/* A reader that never reads: the window closes, the writer stops (EAGAIN), poll says so. */
	static uint8_t chunk[65536];
	memset(chunk, 'z', sizeof(chunk));
	uint64_t sent = 0;
	for (int i = 0; i < 200; i++) {
		ssize_t n = nf_send(a, chunk, sizeof(chunk), 0);
		if (n == -EAGAIN)
			break;
		KASSERT(n > 0);
		sent += (uint64_t)n;
	}
	KEXPECT_EQ(nf_send(a, chunk, 1, 0), -EAGAIN);
	KEXPECT_EQ(nf_poll(a) & POLLOUT, 0);
	KEXPECT_EQ(tcp_sk(a)->snd_wnd, 0);
	/* The zero-window probe timer keeps asking. */
	KEXPECT(ntimer_armed(&tcp_sk(a)->t_persist));
	nf_advance(SEC(3));
	KEXPECT_EQ(a->state, TCP_ESTABLISHED);
	/* Reading opens the window and the rest arrives. */
	uint64_t got = 0;
	static uint8_t in[65536];
	for (int i = 0; i < 10000 && got < sent; i++) {
		ssize_t n = nf_recv(b, in, sizeof(in), 0);
		if (n > 0)
			got += (uint64_t)n;
		else
			nf_advance(MS(50));	/* a Nagled tail waits for the delayed ACK */
	}
	KEXPECT_EQ(got, sent);
	KEXPECT(nf_poll(a) & POLLOUT);
	nf_close(a);
	nf_close(b);
	nf_end(ktest_ctx);
}
