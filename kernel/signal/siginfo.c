/* Converting signal information between the kernel's form and Linux's siginfo_t, by siginfo layout. */
#include <frame/string.h>
#include <kernel/signal.h>

enum layout { L_KILL, L_TIMER, L_POLL, L_FAULT, L_CHLD, L_RT, L_SYS };

/* Highest si_code each signal defines for its own layout (NSIGILL, NSIGFPE, ...). */
static int own_codes(int sig, enum layout *l)
{
	switch (sig) {
	case SIGILL: *l = L_FAULT; return 11;
	case SIGFPE: *l = L_FAULT; return 15;
	case SIGSEGV: *l = L_FAULT; return 10;
	case SIGBUS: *l = L_FAULT; return 5;
	case SIGTRAP: *l = L_FAULT; return 6;
	case SIGCHLD: *l = L_CHLD; return 6;
	case SIGPOLL: *l = L_POLL; return 6;
	case SIGSYS: *l = L_SYS; return 2;
	default: return 0;
	}
}

/* Which union member a (signo, code) pair uses: Linux's siginfo_layout(). */
static enum layout layout_of(int sig, int code)
{
	if (code > SI_USER && code < SI_KERNEL) {
		enum layout l = L_KILL;
		if (code <= own_codes(sig, &l))
			return l;
		return code <= POLL_HUP ? L_POLL : L_KILL;
	}
	if (code == SI_TIMER)
		return L_TIMER;
	if (code == SI_SIGIO)
		return L_POLL;
	return code < 0 ? L_RT : L_KILL;
}

void signal_encode_siginfo(const struct ksiginfo *info, struct siginfo *out)
{
	memset(out, 0, sizeof(*out));
	out->si_signo = info->signo;
	out->si_errno = info->errno_;
	out->si_code = info->code;
	switch (layout_of(info->signo, info->code)) {
	case L_KILL:
		out->si_pid = info->pid;
		out->si_uid = info->uid;
		break;
	case L_RT:
		out->si_pid = info->pid;
		out->si_uid = info->uid;
		out->si_value = info->value;
		break;
	case L_TIMER:
		out->si_tid = info->tid;
		out->si_overrun = info->overrun;
		out->si_value = info->value;
		break;
	case L_CHLD:
		out->si_pid = info->pid;
		out->si_uid = info->uid;
		out->si_status = info->status;
		out->si_utime = info->utime;
		out->si_stime = info->stime;
		break;
	case L_FAULT:
		out->si_addr = info->addr;
		break;
	case L_POLL:
		out->si_band = info->band;
		out->si_fd = info->fd;
		break;
	case L_SYS:
		/* The syscall number and audit arch ride in status and uid. */
		out->si_call_addr = info->addr;
		out->si_syscall = info->status;
		out->si_arch = info->uid;
		break;
	}
}

void signal_decode_siginfo(const struct siginfo *in, struct ksiginfo *info)
{
	*info = (struct ksiginfo){ .signo = in->si_signo, .errno_ = in->si_errno, .code = in->si_code };
	switch (layout_of(in->si_signo, in->si_code)) {
	case L_KILL:
		info->pid = in->si_pid;
		info->uid = in->si_uid;
		break;
	case L_RT:
		info->pid = in->si_pid;
		info->uid = in->si_uid;
		info->value = in->si_value;
		break;
	case L_TIMER:
		info->tid = in->si_tid;
		info->overrun = in->si_overrun;
		info->value = in->si_value;
		break;
	case L_CHLD:
		info->pid = in->si_pid;
		info->uid = in->si_uid;
		info->status = in->si_status;
		info->utime = in->si_utime;
		info->stime = in->si_stime;
		break;
	case L_FAULT:
		info->addr = in->si_addr;
		break;
	case L_POLL:
		info->band = in->si_band;
		info->fd = in->si_fd;
		break;
	case L_SYS:
		info->addr = in->si_call_addr;
		info->status = in->si_syscall;
		info->uid = in->si_arch;
		break;
	}
}
