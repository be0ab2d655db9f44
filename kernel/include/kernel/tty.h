/* Terminals: struct tty, Linux's N_TTY line discipline, termios ioctls, job control hooks. */
#ifndef KERNEL_TTY_H
#define KERNEL_TTY_H

#include <abi/termios.h>
#include <frame/mutex.h>
#include <frame/spinlock.h>
#include <frame/types.h>
#include <frame/wait.h>

/* Input queue size, Linux's N_TTY_BUF_SIZE; a power of two. */
#define TTY_BUF_SIZE 4096
/* Echoes held back while output is stopped (^S); more are dropped. */
#define TTY_ECHO_HOLD 256

/* read/write flags (the file's O_NONBLOCK, as the VFS passes it). */
#define TTY_NONBLOCK 0x800

struct tty;

/* The device under a tty: where processed output goes. */
struct tty_driver_ops {
	/*
	 * Send @n bytes to the device. Called from task and interrupt context
	 * (echoes are written while input is received), with the tty's spin
	 * lock held for echoes: it must not sleep or call back into the tty.
	 */
	void (*write)(struct tty *tty, const char *buf, size_t n);
	/*
	 * Optional, for devices with a bounded queue (pty): wait until @n more
	 * bytes fit, so a writer is held back instead of its output dropped.
	 * tty_write() calls it before each chunk, with no lock held. 0, -EAGAIN
	 * (TTY_NONBLOCK in @flags), -ERESTARTSYS, -EIO (the other end is gone).
	 */
	int (*write_wait)(struct tty *tty, size_t n, int flags);
	/* Optional: a read took input, so there is room for more (no lock held). */
	void (*input_consumed)(struct tty *tty);
};

/*
 * What the tty needs from the process layer (sessions, process groups,
 * signals). Ids are Linux's pid_t values; 0 means "none". The process
 * engineer implements these; tty_set_session_ops(NULL) restores the defaults,
 * which model one session (sid = pgid = pid = 1) whose every caller is in the
 * foreground, that records its controlling tty, and drops signals.
 */
struct tty_session_ops {
	/* The calling process's pid, process group and session. */
	int32_t (*current_pid)(void);
	int32_t (*current_pgid)(void);
	int32_t (*current_sid)(void);
	/* The caller's controlling terminal, or NULL. */
	struct tty *(*current_ctty)(void);
	/* Make @tty (NULL: none) the caller's controlling terminal (TIOCSCTTY, TIOCNOTTY). */
	void (*set_current_ctty)(struct tty *tty);
	/* Every process of session @sid loses its controlling terminal (its leader gave it up). */
	void (*session_clear_ctty)(int32_t sid);
	/* Session of process group @pgid: its sid, or -ESRCH if no such group. */
	int32_t (*pgrp_session)(int32_t pgid);
	/* True if a process group is orphaned (POSIX: no parent in another group of the same session). */
	bool (*pgrp_orphaned)(int32_t pgid);
	/* True if the caller ignores or blocks @sig. */
	bool (*current_ignores)(int sig);
	/*
	 * Send @sig to every process of group @pgid. Called from interrupt
	 * context too (^C arrives in the console's interrupt handler), never
	 * with a tty lock held; must not sleep.
	 */
	void (*signal_pgrp)(int32_t pgid, int sig);
	/*
	 * True if the caller has a signal that should end an interruptible
	 * sleep (kernel/signal.h: signal_pending(thread_current())). Blocking
	 * tty calls check it before each sleep and return -ERESTARTSYS; the
	 * sender wakes the sleeper with task_wake() (or tty_kick()).
	 */
	bool (*signal_pending)(void);
	/* True if the caller may take a terminal from another session (CAP_SYS_ADMIN). */
	bool (*current_capable_admin)(void);
};

/* Install the process layer's hooks (NULL: the defaults); the struct must stay alive. */
void tty_set_session_ops(const struct tty_session_ops *ops);

struct tty {
	/* Private to kernel/tty; read through the calls below. */
	spinlock_t lock;		/* input queue, termios, flow state; taken by interrupts */
	struct mutex write_lock;	/* one writer at a time, so writes are not interleaved */
	const char *name;
	const struct tty_driver_ops *driver;
	void *driver_data;

	struct termios termios;
	struct winsize winsize;
	int32_t pgrp;			/* foreground process group, 0 for none */
	int32_t session;		/* session it controls, 0 for none */

	/* Input: byte ring indexed by free-running counters masked to TTY_BUF_SIZE. */
	uint8_t buf[TTY_BUF_SIZE];
	uint64_t line_end[TTY_BUF_SIZE / 64];	/* a byte that ends a canonical line */
	size_t read_tail;		/* next byte to read */
	size_t canon_head;		/* end of complete lines (canonical reads stop here) */
	size_t read_head;		/* end of everything received */
	bool lnext;			/* next byte is literal (VLNEXT seen) */
	bool erasing;			/* ECHOPRT: inside a "\...." erase sequence */

	/* Output. */
	unsigned column;		/* cursor column as output processing tracks it */
	unsigned canon_column;		/* column where the line being edited began */
	bool stopped;			/* ^S or TCOOFF: output waits */
	bool tco_stopped;		/* stopped by TCOOFF, which ^Q/IXANY do not undo */
	char echo_hold[TTY_ECHO_HOLD];
	size_t echo_held;

	struct wait_queue read_wq;	/* readers waiting for input */
	struct wait_queue write_wq;	/* writers waiting for output to restart */

	/* Counters (tty_stats()). */
	uint64_t dropped;		/* input bytes refused because the queue was full */

	/*
	 * Hung up (pty whose master closed): reads return 0, writes -EIO;
	 * set by tty_hangup() and never cleared.
	 */
	bool hung_up;
};

/*
 * Set up @tty with Linux's console defaults (termios as tty_std_termios,
 * 24x80), on @driver (kept by the caller). @name (kept) appears in logs.
 */
void tty_init(struct tty *tty, const char *name, const struct tty_driver_ops *driver,
	      void *driver_data);

/* Linux's default termios for a new terminal. */
void tty_default_termios(struct termios *t);

/*
 * Bytes from the device: input processing, echo, signals, flow control.
 * Any context (the console calls it from its interrupt handler).
 */
void tty_receive(struct tty *tty, const uint8_t *bytes, size_t n);

/*
 * read(2): at most @n bytes into the kernel buffer @buf (the caller copies
 * them out). Canonical mode returns at most one line, 0 at end of file (VEOF
 * on an empty line); non-canonical mode follows VMIN/VTIME. @flags:
 * TTY_NONBLOCK. Returns the count, or -EAGAIN (nonblocking, nothing to read),
 * -ERESTARTSYS (signal pending before anything was read), -EIO (background
 * read that cannot be stopped with SIGTTIN), -EINTR never.
 */
ssize_t tty_read(struct tty *tty, void *buf, size_t n, int flags);

/*
 * write(2) from the kernel buffer @buf: output processing (OPOST ...), then
 * the driver. Waits while output is stopped (^S). Returns the count written,
 * or -EAGAIN / -ERESTARTSYS / -EIO when nothing was written.
 */
ssize_t tty_write(struct tty *tty, const void *buf, size_t n, int flags);

/*
 * ioctl(2) with the argument already copied in (@arg points to a kernel
 * struct termios / winsize / int32_t as the request needs; results are
 * written back through it, the caller copies them out). Integer arguments
 * (TCFLSH, TCXONC, TCSBRK, TIOCSCTTY) are passed in @val. @readable: the file
 * was opened for reading (TIOCSCTTY needs it). Returns 0, a count, or
 * -ENOTTY (unknown request), -EINVAL, -EPERM, -ESRCH, -EIO, -ERESTARTSYS.
 */
long tty_ioctl(struct tty *tty, unsigned cmd, void *arg, unsigned long val, bool readable);

/*
 * True if a read would return at once (poll's POLLIN): unlike
 * tty_input_available(), counts an end of file (VEOF on an empty line) and a hangup.
 */
bool tty_read_ready(struct tty *tty);

/* Bytes a read could return now (FIONREAD): complete lines in canonical mode. */
size_t tty_input_available(struct tty *tty);

/* Wake every task sleeping in @tty so it re-checks signal_pending() and its condition. */
void tty_kick(struct tty *tty);

/*
 * Hang @tty up: reads return 0 and writes -EIO from now on, sleepers are
 * woken. Job control (SIGHUP, controlling terminals) is the caller's.
 */
void tty_hangup(struct tty *tty);

/* The console tty: serial console input and output; started by tty_console_init(). */
struct tty *tty_console(void);
/* Wire the frame's console to the console tty. 0, or -ENODEV (output only: no input device). */
int tty_console_init(void);

/* ---- Unix98 pseudo-terminals (kernel/tty/pty.c) ---- */

/* Pairs at most (Linux's kernel.pty.max is 4096); indexes are 0..PTY_MAX-1. */
#define PTY_MAX 256
/* Bytes of slave output the master's read queue holds; a power of two. */
#define PTY_MASTER_BUF 8192

/*
 * A master/slave pair. The slave is a struct tty whose output goes to the
 * master's read queue; bytes written to the master are the slave's input
 * (tty_receive). Private to kernel/tty except the wait queues, which file
 * code passes to poll_wait().
 */
struct pty {
	struct tty slave;
	uint32_t index;
	uint32_t refcount;		/* atomic: the master file, slave files, lookups */
	uint32_t uid, gid;		/* owner of /dev/pts/N (the opener of /dev/ptmx) */

	spinlock_t lock;		/* the master queue and the flags below */
	uint8_t mbuf[PTY_MASTER_BUF];	/* slave output waiting for master reads */
	size_t mhead, mtail;		/* free-running; mhead - mtail bytes queued */
	uint32_t slave_opens;		/* slave files open */
	bool locked;			/* TIOCSPTLCK: slave opens fail with EIO */
	bool slave_closed;		/* the last slave file closed: master reads EIO when empty */
	bool master_closed;		/* hung up: the slave is dead */

	struct wait_queue master_read_wq;	/* master readers and pollers */
	struct wait_queue master_write_wq;	/* master writers waiting for slave input room */
	struct wait_queue slave_write_wq;	/* slave writers waiting for master queue room */
};

/*
 * A new pair for an open of /dev/ptmx, slave locked, owned by @uid/@gid:
 * 0 and *@out (the master's reference), -ENOSPC when all PTY_MAX are in use
 * (Linux: ENOSPC), -ENOMEM.
 */
int pty_create(uint32_t uid, uint32_t gid, struct pty **out);
/* The live pair (master open) numbered @index with a new reference, or NULL. */
struct pty *pty_lookup(uint32_t index);
void pty_get(struct pty *pty);
/* Drop a reference; the last one frees the pair and its index. */
void pty_put(struct pty *pty);
/*
 * Fill @out with up to @max indexes of live pairs above @after (-1: from
 * the start), ascending; returns how many (devpts readdir).
 */
size_t pty_list(int64_t after, uint32_t *out, size_t max);

/* The master file closed: hang the slave up (SIGHUP to its session), drop its index. */
void pty_master_close(struct pty *pty);
/* Master read(2)/write(2) on kernel buffers; @flags TTY_NONBLOCK. */
ssize_t pty_master_read(struct pty *pty, void *buf, size_t n, int flags);
ssize_t pty_master_write(struct pty *pty, const void *buf, size_t n, int flags);
/* POLL* mask of the master. */
unsigned pty_master_poll(struct pty *pty);
/*
 * Master ioctls on kernel copies (as tty_ioctl): TIOCGPTN, TIOCSPTLCK,
 * TIOCGPTLCK, FIONREAD, TCFLSH, TCXONC, TCSBRK; termios, window size,
 * process-group and TIOCSCTTY requests act on the slave, as Linux's.
 */
long pty_master_ioctl(struct pty *pty, unsigned cmd, void *arg, unsigned long val,
		      bool readable);

/* A slave open: 0, or -EIO (locked, or the master is gone). */
int pty_slave_open(struct pty *pty);
/* A slave file closed; the last one makes master reads see EIO. */
void pty_slave_close(struct pty *pty);
/* POLL* mask of the slave. */
unsigned pty_slave_poll(struct pty *pty);
/* The pair of a slave tty, or NULL for any other terminal. */
struct pty *pty_of_tty(struct tty *tty);

#endif
