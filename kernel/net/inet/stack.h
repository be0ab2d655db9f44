/*
 * Private to the IPv4 stack: its one lock, its clock, its timers, the input
 * backlog and the counters /proc/net/snmp shows.
 *
 * Every protocol state change happens under the stack lock (one mutex: one
 * CPU, simple and obviously ordered). Packets a locked section sends to a
 * local address are queued, not delivered at once, and net_unlock()
 * delivers them (and runs expired timers) before it lets go: loopback
 * traffic is handled within the sender's system call, as Linux's softirq
 * does at the end of it, and no protocol handler ever recurses into
 * another.
 *
 * The stack never reads the clock or arms a frame timer itself: it asks
 * net_now() and keeps its own timer heap, so host tests drive time by hand
 * (net_test_clock) and run deterministically.
 */
#ifndef KERNEL_NET_INET_STACK_H
#define KERNEL_NET_INET_STACK_H

#include <frame/types.h>
#include "pkt.h"

/* Make the stack ready (the loopback device); the kernel's inet_init() calls it. */
int inet_stack_init(void);

void net_lock(void);
/* Deliver queued input and run expired timers, then release. */
void net_unlock(void);
bool net_lock_held(void);

/* Nanoseconds on the stack's clock (the monotonic clock, or a test's). */
uint64_t net_now(void);

/*
 * What the stack needs from its surroundings. The kernel installs
 * kernel/net/inet/stack_task.c's (a frame clock and one frame timer that
 * wakes the network task); host tests install theirs.
 */
struct net_env {
	uint64_t (*now)(void);
	/* The earliest armed stack timer is now at @deadline_ns (0: none): wake a locker then. */
	void (*timer_changed)(uint64_t deadline_ns);
};
void net_set_env(const struct net_env *env);

/* Wake the network task (safe from interrupts): device input or a timer is due. */
void net_kick(void);
/* With the lock, in the network task: let every device with a poll hook pull its input. */
void net_poll_devices(void);

/* ---- timers (under the stack lock) ---- */

struct ntimer;
typedef void (*ntimer_fn)(struct ntimer *t);

struct ntimer {
	uint64_t deadline;
	uint32_t slot;		/* 1 + index in the heap; 0: not armed; NTIMER_OVERFLOW: in the overflow list */
	ntimer_fn fn;
	struct ntimer *overflow_next;
};
/* Armed while the heap could not grow (no memory): kept in a list instead. */
#define NTIMER_OVERFLOW UINT32_MAX

void ntimer_init(struct ntimer *t, ntimer_fn fn);
/* Arm (or move) @t to fire at @deadline on net_now()'s clock. */
void ntimer_arm(struct ntimer *t, uint64_t deadline);
void ntimer_arm_after(struct ntimer *t, uint64_t delay_ns);
void ntimer_cancel(struct ntimer *t);
static inline bool ntimer_armed(const struct ntimer *t)
{
	return t->slot != 0;
}
/* Earliest deadline, 0 if nothing is armed. */
uint64_t ntimer_next(void);
/* Timers armed now (tests check they all go away). */
uint32_t ntimer_count(void);

/* ---- input backlog ---- */

/* Queue @p (an IPv4 packet received on p->dev) for delivery at net_unlock(). */
void net_backlog_push(struct pkt *p);
/* Most packets the backlog holds; more are dropped (netdev_max_backlog). */
#define NET_BACKLOG_MAX 1000u

/* ---- counters (RFC 1213 names, as /proc/net/snmp and netstat show them) ---- */

struct net_mib {
	/* Ip */
	uint64_t ip_in_receives, ip_in_hdr_errors, ip_in_addr_errors, ip_in_unknown_protos,
		ip_in_discards, ip_in_delivers, ip_out_requests, ip_out_discards, ip_out_no_routes,
		ip_reasm_timeout, ip_reasm_reqds, ip_reasm_oks, ip_reasm_fails, ip_frag_oks,
		ip_frag_fails, ip_frag_creates, ip_in_csum_errors;
	/* Icmp */
	uint64_t icmp_in_msgs, icmp_in_errors, icmp_in_csum_errors, icmp_in_dest_unreachs,
		icmp_in_time_excds, icmp_in_echos, icmp_in_echo_reps, icmp_out_msgs,
		icmp_out_errors, icmp_out_dest_unreachs, icmp_out_time_excds, icmp_out_echos,
		icmp_out_echo_reps, icmp_out_rate_limited;
	/* Tcp */
	uint64_t tcp_active_opens, tcp_passive_opens, tcp_attempt_fails, tcp_estab_resets,
		tcp_in_segs, tcp_out_segs, tcp_retrans_segs, tcp_in_errs, tcp_out_rsts,
		tcp_in_csum_errors;
	/* TcpExt */
	uint64_t tcp_listen_overflows, tcp_listen_drops, tcp_timeouts, tcp_paws_estab,
		tcp_challenge_acks, tcp_fast_retrans, tcp_ofo_queue, tcp_ofo_drop, tcp_abort_on_data,
		tcp_abort_on_close, tcp_abort_on_timeout, tcp_abort_on_memory, tcp_syn_retrans,
		tcp_time_wait_overflow, tcp_dropped_outside_window;
	/* Udp */
	uint64_t udp_in_datagrams, udp_no_ports, udp_in_errors, udp_out_datagrams,
		udp_rcvbuf_errors, udp_sndbuf_errors, udp_in_csum_errors;
	/* The backlog and bad frames below IPv4. */
	uint64_t backlog_drops, link_errors, arp_drops;
};

extern struct net_mib net_mib;
#define NET_INC(field) (net_mib.field++)

#endif
