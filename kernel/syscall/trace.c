/* The system-call tracer (syscall_trace=1): each call with its decoded arguments and result, as strace prints it. */
#include <frame/boot.h>
#include <abi/errno.h>
#include <frame/log.h>
#include <frame/string.h>
#include <frame/vm_io.h>
#include <kernel/proc.h>
#include "syscall.h"

#define TRACE_STR_MAX 48	/* bytes of a string argument shown before "..." */

bool syscall_trace_enabled;

static const char *const errno_names[] = {
	[EPERM] = "EPERM",
	[ENOENT] = "ENOENT",
	[ESRCH] = "ESRCH",
	[EINTR] = "EINTR",
	[EIO] = "EIO",
	[ENXIO] = "ENXIO",
	[E2BIG] = "E2BIG",
	[ENOEXEC] = "ENOEXEC",
	[EBADF] = "EBADF",
	[ECHILD] = "ECHILD",
	[EAGAIN] = "EAGAIN",
	[ENOMEM] = "ENOMEM",
	[EACCES] = "EACCES",
	[EFAULT] = "EFAULT",
	[ENOTBLK] = "ENOTBLK",
	[EBUSY] = "EBUSY",
	[EEXIST] = "EEXIST",
	[EXDEV] = "EXDEV",
	[ENODEV] = "ENODEV",
	[ENOTDIR] = "ENOTDIR",
	[EISDIR] = "EISDIR",
	[EINVAL] = "EINVAL",
	[ENFILE] = "ENFILE",
	[EMFILE] = "EMFILE",
	[ENOTTY] = "ENOTTY",
	[ETXTBSY] = "ETXTBSY",
	[EFBIG] = "EFBIG",
	[ENOSPC] = "ENOSPC",
	[ESPIPE] = "ESPIPE",
	[EROFS] = "EROFS",
	[EMLINK] = "EMLINK",
	[EPIPE] = "EPIPE",
	[EDOM] = "EDOM",
	[ERANGE] = "ERANGE",
	[EDEADLK] = "EDEADLK",
	[ENAMETOOLONG] = "ENAMETOOLONG",
	[ENOLCK] = "ENOLCK",
	[ENOSYS] = "ENOSYS",
	[ENOTEMPTY] = "ENOTEMPTY",
	[ELOOP] = "ELOOP",
	[ENOMSG] = "ENOMSG",
	[EIDRM] = "EIDRM",
	[ECHRNG] = "ECHRNG",
	[EL2NSYNC] = "EL2NSYNC",
	[EL3HLT] = "EL3HLT",
	[EL3RST] = "EL3RST",
	[ELNRNG] = "ELNRNG",
	[EUNATCH] = "EUNATCH",
	[ENOCSI] = "ENOCSI",
	[EL2HLT] = "EL2HLT",
	[EBADE] = "EBADE",
	[EBADR] = "EBADR",
	[EXFULL] = "EXFULL",
	[ENOANO] = "ENOANO",
	[EBADRQC] = "EBADRQC",
	[EBADSLT] = "EBADSLT",
	[EBFONT] = "EBFONT",
	[ENOSTR] = "ENOSTR",
	[ENODATA] = "ENODATA",
	[ETIME] = "ETIME",
	[ENOSR] = "ENOSR",
	[ENONET] = "ENONET",
	[ENOPKG] = "ENOPKG",
	[EREMOTE] = "EREMOTE",
	[ENOLINK] = "ENOLINK",
	[EADV] = "EADV",
	[ESRMNT] = "ESRMNT",
	[ECOMM] = "ECOMM",
	[EPROTO] = "EPROTO",
	[EMULTIHOP] = "EMULTIHOP",
	[EDOTDOT] = "EDOTDOT",
	[EBADMSG] = "EBADMSG",
	[EOVERFLOW] = "EOVERFLOW",
	[ENOTUNIQ] = "ENOTUNIQ",
	[EBADFD] = "EBADFD",
	[EREMCHG] = "EREMCHG",
	[ELIBACC] = "ELIBACC",
	[ELIBBAD] = "ELIBBAD",
	[ELIBSCN] = "ELIBSCN",
	[ELIBMAX] = "ELIBMAX",
	[ELIBEXEC] = "ELIBEXEC",
	[EILSEQ] = "EILSEQ",
	[ERESTART] = "ERESTART",
	[ESTRPIPE] = "ESTRPIPE",
	[EUSERS] = "EUSERS",
	[ENOTSOCK] = "ENOTSOCK",
	[EDESTADDRREQ] = "EDESTADDRREQ",
	[EMSGSIZE] = "EMSGSIZE",
	[EPROTOTYPE] = "EPROTOTYPE",
	[ENOPROTOOPT] = "ENOPROTOOPT",
	[EPROTONOSUPPORT] = "EPROTONOSUPPORT",
	[ESOCKTNOSUPPORT] = "ESOCKTNOSUPPORT",
	[EOPNOTSUPP] = "EOPNOTSUPP",
	[EPFNOSUPPORT] = "EPFNOSUPPORT",
	[EAFNOSUPPORT] = "EAFNOSUPPORT",
	[EADDRINUSE] = "EADDRINUSE",
	[EADDRNOTAVAIL] = "EADDRNOTAVAIL",
	[ENETDOWN] = "ENETDOWN",
	[ENETUNREACH] = "ENETUNREACH",
	[ENETRESET] = "ENETRESET",
	[ECONNABORTED] = "ECONNABORTED",
	[ECONNRESET] = "ECONNRESET",
	[ENOBUFS] = "ENOBUFS",
	[EISCONN] = "EISCONN",
	[ENOTCONN] = "ENOTCONN",
	[ESHUTDOWN] = "ESHUTDOWN",
	[ETOOMANYREFS] = "ETOOMANYREFS",
	[ETIMEDOUT] = "ETIMEDOUT",
	[ECONNREFUSED] = "ECONNREFUSED",
	[EHOSTDOWN] = "EHOSTDOWN",
	[EHOSTUNREACH] = "EHOSTUNREACH",
	[EALREADY] = "EALREADY",
	[EINPROGRESS] = "EINPROGRESS",
	[ESTALE] = "ESTALE",
	[EUCLEAN] = "EUCLEAN",
	[ENOTNAM] = "ENOTNAM",
	[ENAVAIL] = "ENAVAIL",
	[EISNAM] = "EISNAM",
	[EREMOTEIO] = "EREMOTEIO",
	[EDQUOT] = "EDQUOT",
	[ENOMEDIUM] = "ENOMEDIUM",
	[EMEDIUMTYPE] = "EMEDIUMTYPE",
	[ECANCELED] = "ECANCELED",
	[ENOKEY] = "ENOKEY",
	[EKEYEXPIRED] = "EKEYEXPIRED",
	[EKEYREVOKED] = "EKEYREVOKED",
	[EKEYREJECTED] = "EKEYREJECTED",
	[EOWNERDEAD] = "EOWNERDEAD",
	[ENOTRECOVERABLE] = "ENOTRECOVERABLE",
	[ERFKILL] = "ERFKILL",
	[EHWPOISON] = "EHWPOISON",
};

void syscall_trace_init(void)
{
	char v[8];
	syscall_trace_enabled = boot_param("syscall_trace", v, sizeof(v)) >= 0 && strcmp(v, "0") != 0;
	if (syscall_trace_enabled)
		pr_info("syscall_trace: tracing every system call\n");
}

struct out {
	char *buf;
	size_t size, len;
};

static void put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct out *o, const char *fmt, ...)
{
	if (o->len + 1 >= o->size)
		return;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(o->buf + o->len, o->size - o->len, fmt, ap);
	va_end(ap);
	o->len = MIN(o->len + (size_t)(n > 0 ? n : 0), o->size - 1);
}

/* A user string, quoted with C escapes, or its address when it cannot be read. */
static void put_string(struct out *o, uint64_t va)
{
	char s[TRACE_STR_MAX + 1];
	ssize_t n = va ? strncpy_from_user(s, user_ptr(va), sizeof(s)) : -EFAULT;
	if (n < 0) {
		if (va)
			put(o, "0x%lx", (unsigned long)va);
		else
			put(o, "NULL");
		return;
	}
	size_t shown = MIN((size_t)n, (size_t)TRACE_STR_MAX);
	put(o, "\"");
	for (size_t i = 0; i < shown; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			put(o, "\\%c", c);
		else if (c == '\n')
			put(o, "\\n");
		else if (c == '\t')
			put(o, "\\t");
		else if (c < 0x20 || c >= 0x7f)
			put(o, "\\%o", c);
		else
			put(o, "%c", c);
	}
	put(o, (size_t)n > TRACE_STR_MAX ? "\"..." : "\"");
}

static void put_arg(struct out *o, uint8_t kind, uint64_t v)
{
	switch (kind) {
	case SC_S32: put(o, "%d", (int)(int32_t)v); break;
	case SC_S64: put(o, "%ld", (long)(int64_t)v); break;
	case SC_U32: put(o, "%u", (unsigned)(uint32_t)v); break;
	case SC_X32: put(o, "0x%x", (unsigned)(uint32_t)v); break;
	case SC_X64: put(o, "0x%lx", (unsigned long)v); break;
	case SC_OCT: put(o, (uint32_t)v ? "0%o" : "%o", (unsigned)(uint32_t)v); break;
	case SC_PTR:
		if (v)
			put(o, "0x%lx", (unsigned long)v);
		else
			put(o, "NULL");
		break;
	case SC_STR: put_string(o, v); break;
	default: put(o, "%lu", (unsigned long)v); break;
	}
}

void syscall_trace_enter(uint64_t nr, const struct syscall_desc *d, const struct syscall_args *args,
			 char *line, size_t size)
{
	struct out o = { line, size, 0 };
	struct thread *t = thread_current();
	put(&o, "[%d] ", t ? t->tid : 0);
	if (d && d->name)
		put(&o, "%s(", d->name);
	else
		put(&o, "syscall_%lu(", (unsigned long)nr);
	/* Calls Cadre does not implement have no prototype: the six registers in hex. */
	unsigned n = d && d->fn ? d->nargs : 6;
	for (unsigned i = 0; i < n; i++) {
		if (i)
			put(&o, ", ");
		put_arg(&o, d && d->fn ? d->arg[i] : SC_X64, args->a[i]);
	}
	put(&o, ")");
	if (d && (d->flags & SYSCALL_NORETURN))
		pr_info("%s = ?\n", line);
}

void syscall_trace_exit(const struct syscall_desc *d, const char *line, int64_t ret)
{
	if (ret <= -ERESTARTSYS && ret >= -ERESTART_RESTARTBLOCK) {
		static const char *const restart[] = { "ERESTARTSYS", "ERESTARTNOINTR", "ERESTARTNOHAND",
						       "ENOIOCTLCMD", "ERESTART_RESTARTBLOCK" };
		pr_info("%s = ? %s (to be restarted)\n", line, restart[-ret - ERESTARTSYS]);
	} else if (ret < 0 && ret >= -4095) {
		uint64_t e = (uint64_t)-ret;
		const char *name = e < ARRAY_SIZE(errno_names) ? errno_names[e] : NULL;
		pr_info("%s = %ld %s\n", line, (long)ret, name ? name : "");
	} else if (ret == SYSCALL_RET_KEEP_REGS) {
		/* execve and rt_sigreturn set every register: the program sees what they set. */
		pr_info("%s = %s\n", line, d && strncmp(d->name, "execve", 6) == 0 ? "0" : "?");
	} else if (d && (d->flags & SYSCALL_RET_ADDR) && ret) {
		pr_info("%s = 0x%lx\n", line, (unsigned long)ret);
	} else {
		pr_info("%s = %ld\n", line, (long)ret);
	}
}
