/* Linux signal numbers, sigaction as the rt_sigaction call passes it, sigaltstack, and siginfo. */
/* uapi: <asm/signal.h> <linux/signal.h> <asm/siginfo.h> */
#ifndef ABI_SIGNAL_H
#define ABI_SIGNAL_H

#include <frame/types.h>

#define SIGHUP 1
#define SIGINT 2
#define SIGQUIT 3
#define SIGILL 4
#define SIGTRAP 5
#define SIGABRT 6
#define SIGIOT 6
#define SIGBUS 7
#define SIGFPE 8
#define SIGKILL 9
#define SIGUSR1 10
#define SIGSEGV 11
#define SIGUSR2 12
#define SIGPIPE 13
#define SIGALRM 14
#define SIGTERM 15
#define SIGSTKFLT 16
#define SIGCHLD 17
#define SIGCONT 18
#define SIGSTOP 19
#define SIGTSTP 20
#define SIGTTIN 21
#define SIGTTOU 22
#define SIGURG 23
#define SIGXCPU 24
#define SIGXFSZ 25
#define SIGVTALRM 26
#define SIGPROF 27
#define SIGWINCH 28
#define SIGIO 29
#define SIGPOLL SIGIO
#define SIGPWR 30
#define SIGSYS 31
#define SIGRTMIN 32

/* The kernel's signal count (SIGRTMAX): abi-unchecked */
#define KERNEL_NSIG 64

#define SA_NOCLDSTOP 0x00000001u
#define SA_NOCLDWAIT 0x00000002u
#define SA_SIGINFO 0x00000004u
#define SA_UNSUPPORTED 0x00000400u
#define SA_EXPOSE_TAGBITS 0x00000800u
#define SA_RESTORER 0x04000000u
#define SA_ONSTACK 0x08000000u
#define SA_RESTART 0x10000000u
#define SA_NODEFER 0x40000000u
#define SA_RESETHAND 0x80000000u

#define SIG_BLOCK 0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2

#define SS_ONSTACK 1
#define SS_DISABLE 2
#define SS_AUTODISARM (1U << 31)
#define SS_FLAG_BITS SS_AUTODISARM
#define MINSIGSTKSZ 2048
#define SIGSTKSZ 8192

/* Handlers are user addresses, numbers to the kernel: abi-unchecked */
#define SIG_DFL 0UL
#define SIG_IGN 1UL

/* One bit per signal, signal n at bit n-1, as rt_sigprocmask passes it. */
typedef uint64_t kernel_sigset_t;

/*
 * struct sigaction as rt_sigaction(2) reads and writes it (not libc's, and
 * not the old layout <asm/signal.h> exports): abi-unchecked.
 */
struct kernel_sigaction {
	uint64_t sa_handler;
	uint64_t sa_flags;
	uint64_t sa_restorer;
	kernel_sigset_t sa_mask;
};

struct sigaltstack {
	uint64_t ss_sp;
	int32_t ss_flags;
	uint64_t ss_size;
};

/* si_code values: who sent a signal, or why the kernel raised it. */
#define SI_USER 0
#define SI_KERNEL 0x80
#define SI_QUEUE (-1)
#define SI_TIMER (-2)
#define SI_MESGQ (-3)
#define SI_ASYNCIO (-4)
#define SI_SIGIO (-5)
#define SI_TKILL (-6)
#define ILL_ILLOPC 1
#define ILL_ILLOPN 2
#define ILL_ILLADR 3
#define ILL_ILLTRP 4
#define ILL_PRVOPC 5
#define ILL_PRVREG 6
#define ILL_COPROC 7
#define ILL_BADSTK 8
#define FPE_INTDIV 1
#define FPE_INTOVF 2
#define FPE_FLTDIV 3
#define FPE_FLTOVF 4
#define FPE_FLTUND 5
#define FPE_FLTRES 6
#define FPE_FLTINV 7
#define FPE_FLTSUB 8
#define SEGV_MAPERR 1
#define SEGV_ACCERR 2
#define BUS_ADRALN 1
#define BUS_ADRERR 2
#define BUS_OBJERR 3
#define BUS_MCEERR_AR 4
#define BUS_MCEERR_AO 5
#define TRAP_BRKPT 1
#define TRAP_TRACE 2
#define CLD_EXITED 1
#define CLD_KILLED 2
#define CLD_DUMPED 3
#define CLD_TRAPPED 4
#define CLD_STOPPED 5
#define CLD_CONTINUED 6
#define POLL_IN 1
#define POLL_OUT 2
#define POLL_MSG 3
#define POLL_ERR 4
#define POLL_PRI 5
#define POLL_HUP 6
#define SI_MAX_SIZE 128

/*
 * siginfo_t as the kernel writes it (128 bytes on x86_64). Which members of
 * the union are meaningful depends on si_signo and si_code (see
 * kernel/signal/frame.c); the names are Linux's si_* accessors.
 */
struct siginfo {
	union {
		struct {
			int32_t si_signo;
			int32_t si_errno;
			int32_t si_code;
			union {
				/* kill, sigqueue, SIGCHLD */
				struct {
					int32_t si_pid;
					uint32_t si_uid;
					union {
						uint64_t si_value;
						struct {
							int32_t si_status;
							int64_t si_utime;
							int64_t si_stime;
						};
					};
				};
				/* POSIX timers (si_value as above) */
				struct {
					int32_t si_tid;
					int32_t si_overrun;
				};
				/* faults */
				struct {
					uint64_t si_addr;
					int16_t si_addr_lsb;
					union {
						struct {
							uint64_t si_lower;
							uint64_t si_upper;
						};
						uint32_t si_pkey;
					};
				};
				/* SIGPOLL */
				struct {
					int64_t si_band;
					int32_t si_fd;
				};
				/* SIGSYS */
				struct {
					uint64_t si_call_addr;
					int32_t si_syscall;
					uint32_t si_arch;
				};
			};
		};
		int32_t _si_pad[SI_MAX_SIZE / 4];
	};
};

#endif
