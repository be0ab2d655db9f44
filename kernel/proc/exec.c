/*
 * execve: find the program (following #! scripts), plan its ELF image, build
 * a fresh address space with the initial stack, and only then — past the
 * point of no return — swap it in and reset what exec resets.
 */
#include <abi/auxv.h>
#include <abi/errno.h>
#include <abi/fcntl.h>
#include <abi/prctl.h>
#include <abi/stat.h>
#include <frame/heap.h>
#include <frame/string.h>
#include <frame/task.h>
#include <frame/vm_io.h>
#include <kernel/exec.h>
#include <kernel/fdtable.h>
#include <kernel/file.h>
#include <kernel/file_map.h>
#include <kernel/ktime.h>
#include <kernel/mm.h>
#include <kernel/proc.h>
#include <kernel/random.h>
#include <kernel/signal.h>
#include <kernel/vfs.h>
#include "exec_internal.h"
#include "proc_internal.h"

#define SCRIPT_DEPTH_MAX 4	/* Linux allows a few levels of interpreters */
#define SCRIPT_LINE_MAX 256
#define STACK_ARGS_MAX (MM_INITIAL_STACK_SIZE - 4096)	/* the rest is for the program */

static ssize_t exec_read(void *file, uint64_t off, void *buf, size_t len)
{
	return vfs_pread(file, buf, len, (int64_t)off);
}

/*
 * Open @path (relative to @at, NULL for the working directory; "" for @at
 * itself) for execution: a regular file with an x bit the caller may use.
 */
static int open_exec(struct process *p, const struct path *at, const char *path,
		     unsigned lookup_flags, struct file **out)
{
	struct path found;
	int err = 0;
	if (path[0] == '\0' && at) {
		found = *at;
		path_get(&found);
	} else {
		err = vfs_lookup(&p->fs, at, path, lookup_flags, &found);
	}
	if (err)
		return err;
	struct inode *ino = found.inode;
	if ((ino->mode & S_IFMT) != S_IFREG)
		err = -EACCES;
	else
		err = vfs_access(&p->cred, ino, 1 /* X_OK */);
	/* Root may execute only if someone may: some x bit must be set. */
	if (!err && !(ino->mode & (S_IXUSR | S_IXGRP | S_IXOTH)))
		err = -EACCES;
	if (!err)
		err = vfs_open_path(&p->cred, &found, O_RDONLY, out);
	path_put(&found);
	return err;
}

static size_t count_strings(const char *const *v)
{
	size_t n = 0;
	while (v && v[n])
		n++;
	return n;
}

/*
 * "#!interpreter [one argument]": the new argv is interpreter, [argument],
 * the script's path, then argv[1..]. Returns 0 with *new_argv (kmalloc'ed
 * array, strings in *buf) set, 1 if this is not a script, or an error.
 */
static int parse_script(struct file *f, const char *path, const char *const *argv,
			const char ***new_argv, char **buf)
{
	char *line = kmalloc(SCRIPT_LINE_MAX + 1);
	if (!line)
		return -ENOMEM;
	ssize_t n = vfs_pread(f, line, SCRIPT_LINE_MAX, 0);
	if (n < 2 || line[0] != '#' || line[1] != '!') {
		kfree(line);
		return n < 0 ? (int)n : 1;
	}
	line[n] = '\0';
	char *end = strchr(line, '\n');
	if (!end) {
		/* A first line longer than we read: Linux refuses such scripts. */
		if ((size_t)n == SCRIPT_LINE_MAX) {
			kfree(line);
			return -ENOEXEC;
		}
		end = line + n;
	}
	*end = '\0';
	char *s = line + 2;
	while (*s == ' ' || *s == '\t')
		s++;
	char *interp = s;
	while (*s && *s != ' ' && *s != '\t')
		s++;
	char *arg = NULL;
	if (*s) {
		*s++ = '\0';
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s) {
			arg = s;
			/* The argument is the rest of the line, trailing blanks dropped. */
			char *e = arg + strlen(arg);
			while (e > arg && (e[-1] == ' ' || e[-1] == '\t'))
				*--e = '\0';
		}
	}
	if (!*interp) {
		kfree(line);
		return -ENOEXEC;
	}
	size_t argc = count_strings(argv);
	const char **v = kmalloc((argc + 4) * sizeof(*v));
	if (!v) {
		kfree(line);
		return -ENOMEM;
	}
	size_t k = 0;
	v[k++] = interp;
	if (arg)
		v[k++] = arg;
	v[k++] = path;
	for (size_t i = 1; i < argc; i++)
		v[k++] = argv[i];
	v[k] = NULL;
	*new_argv = v;
	*buf = line;
	return 0;
}

/*
 * Linux's address-space randomisation on x86_64: 28 bits of pages for the
 * mmap base and the PIE load address, 22 bits of pages (16 GiB) for the
 * stack top, the break within 32 MiB above the program. personality(2)'s
 * ADDR_NO_RANDOMIZE turns it off, as setarch -R does.
 */
#define MMAP_RND_PAGES (1UL << 28)
#define STACK_RND_PAGES (1UL << 22)
#define BRK_RND_PAGES (MiB(32) / PAGE_SIZE)

static uint64_t random_pages(bool randomize, uint64_t npages)
{
	return randomize ? (random_u64() % npages) * PAGE_SIZE : 0;
}

static bool randomizing(struct process *p)
{
	proc_tree_lock();
	uint32_t persona = proc_misc_peek(p).personality;
	proc_tree_unlock();
	return !(persona & ADDR_NO_RANDOMIZE);
}

/*
 * Map the program interpreter @path (PT_INTERP) into @mm where mmap(NULL)
 * would put it, as Linux does: just below the (randomised) mmap base.
 * Returns 0 with its load bias (AT_BASE) and entry point, -ELIBBAD if it is
 * not an x86_64 ELF file, or the error of opening or mapping it.
 */
static int load_interp(struct process *p, struct mm *mm, const char *path,
		       vaddr_t *base, vaddr_t *entry)
{
	struct file *f;
	int err = open_exec(p, NULL, path, LOOKUP_FOLLOW, &f);
	if (err)
		return err;
	/* Linux denies writers to the interpreter while it is being loaded, not after. */
	err = inode_deny_write_access(f->path.inode);
	if (err) {
		file_put(f);
		return err;
	}
	struct exec_plan *plan = kmalloc(sizeof(*plan));
	if (!plan) {
		inode_allow_write_access(f->path.inode);
		file_put(f);
		return -ENOMEM;
	}
	err = exec_plan_elf(exec_read, f, f->path.inode->size, plan);
	if (err == -ENOEXEC)
		err = -ELIBBAD;
	if (!err && plan->pie) {
		vaddr_t at;
		err = mm_find_exec_range(mm, ALIGN_UP(plan->end, PAGE_SIZE) - plan->lo, plan->align, &at);
		if (!err)
			err = exec_plan_place(plan, at - plan->lo);
	}
	if (!err) {
		struct mm_object *obj = file_mm_object(f);
		err = obj ? mm_map_elf_segments(mm, plan, obj) : -ENOMEM;
		if (obj)
			mm_object_put(obj);
	}
	if (!err) {
		*base = plan->bias;
		*entry = plan->entry;
	}
	kfree(plan);
	inode_allow_write_access(f->path.inode);
	file_put(f);
	return err;
}

/* Build the new address space and initial registers; nothing of the caller is touched. */
static int load_program(struct process *p, struct file *f, const char *path,
			const char *const *argv, const char *const *envp,
			struct mm **out_mm, vaddr_t *entry, vaddr_t *sp, struct exec_plan *plan)
{
	int err = exec_plan_elf(exec_read, f, f->path.inode->size, plan);
	if (err)
		return err;
	bool randomize = randomizing(p);
	if (plan->pie && plan->interp[0]) {
		/* A PIE: Linux's ELF_ET_DYN_BASE plus the mmap randomisation, at the segments' alignment. */
		vaddr_t base = ALIGN_DOWN(EXEC_PIE_BASE + random_pages(randomize, MMAP_RND_PAGES),
					  plan->align);
		err = exec_plan_place(plan, base - plan->lo);
		if (err)
			return err;
	}

	struct mm *mm = mm_create();
	if (!mm)
		return -ENOMEM;
	struct mm_limits limits = {
		.as = p->rlim[RLIMIT_AS].rlim_cur,
		.data = p->rlim[RLIMIT_DATA].rlim_cur,
		.stack = p->rlim[RLIMIT_STACK].rlim_cur,
	};
	mm_set_limits(mm, &limits);
	struct mm_exec_layout layout = {
		.stack_top = MM_USER_END - random_pages(randomize, STACK_RND_PAGES),
		.stack_rnd_max = randomize ? STACK_RND_PAGES * PAGE_SIZE : 0,
		.mmap_rnd = random_pages(randomize, MMAP_RND_PAGES),
		.brk_rnd = random_pages(randomize, BRK_RND_PAGES),
	};
	if (plan->pie && !plan->interp[0]) {
		/*
		 * A loader (ld.so run as a program, or a static PIE): Linux maps
		 * it where mmap(NULL) would, away from the programs it loads,
		 * with the break at ELF_ET_DYN_BASE.
		 */
		mm_exec_set_mmap_base(mm, &layout);
		vaddr_t at;
		err = mm_find_exec_range(mm, ALIGN_UP(plan->end, PAGE_SIZE) - plan->lo, plan->align, &at);
		if (!err)
			err = exec_plan_place(plan, at - plan->lo);
		if (err) {
			mm_put(mm);
			return err;
		}
		layout.brk_start = EXEC_PIE_BASE;
	}
	/* The file system's own object: text pages are shared by every process running the file. */
	struct mm_object *obj = file_mm_object(f);
	if (!obj) {
		mm_put(mm);
		return -ENOMEM;
	}
	err = mm_load_elf_at(mm, plan, obj, &layout);
	mm_object_put(obj);
	vaddr_t interp_base = 0, start = plan->entry;
	if (!err && plan->interp[0])
		err = load_interp(p, mm, plan->interp, &interp_base, &start);
	vaddr_t vdso = 0;
	if (!err)
		err = exec_map_vdso(mm, randomize, &vdso);
	if (err) {
		mm_put(mm);
		return err;
	}

	uint8_t random[16];
	random_bytes(random, sizeof(random));
	struct exec_auxv aux[] = {
		{ AT_SYSINFO_EHDR, vdso },	/* dropped below when there is no vDSO */
		{ AT_MINSIGSTKSZ, 2048 },
		{ AT_HWCAP, 0x178bfbff },	/* the CPUID.1:EDX features an x86_64 CPU has */
		{ AT_PAGESZ, PAGE_SIZE },
		{ AT_CLKTCK, 100 },
		{ AT_PHDR, plan->phdr },
		{ AT_PHENT, plan->phentsize },
		{ AT_PHNUM, plan->phnum },
		{ AT_BASE, interp_base },
		{ AT_FLAGS, 0 },
		{ AT_ENTRY, plan->entry },
		{ AT_UID, p->cred.uid },
		{ AT_EUID, p->cred.euid },
		{ AT_GID, p->cred.gid },
		{ AT_EGID, p->cred.egid },
		{ AT_SECURE, 0 },
	};
	struct exec_stack_args sa = { argv, envp, path, random, vdso ? aux : aux + 1,
				      ARRAY_SIZE(aux) - (vdso ? 0 : 1), 0 };
	uint8_t *buf = kmalloc(STACK_ARGS_MAX);
	if (!buf) {
		mm_put(mm);
		return -ENOMEM;
	}
	vaddr_t top = mm_stack_top(mm);
	size_t used;
	err = exec_build_stack(&sa, top, buf, STACK_ARGS_MAX, sp, &used);
	if (!err)
		err = mm_extend_exec_stack(mm, used);
	if (!err) {
		/* The new space is not active: write the stack through the mm. */
		err = proc_mem_write(mm, *sp, buf + STACK_ARGS_MAX - used, used);
	}
	kfree(buf);
	if (err) {
		mm_put(mm);
		return err;
	}
	*entry = start;
	*out_mm = mm;
	return 0;
}

/* Where argv and envp strings landed, for /proc/pid/cmdline and environ. */
static void note_args(struct process *p, vaddr_t sp)
{
	/* The stack holds argc, argv[], NULL, envp[], NULL; the strings sit above. */
	uint64_t argc = 0, first = 0, last = 0;
	p->arg_start = p->arg_end = p->env_start = p->env_end = 0;
	if (proc_mem_read(p->mm, sp, &argc, 8) || argc == 0)
		return;
	if (proc_mem_read(p->mm, sp + 8, &first, 8) || proc_mem_read(p->mm, sp + 8 * argc, &last, 8))
		return;
	p->arg_start = first;
	p->arg_end = last + proc_mem_strlen(p->mm, last, EXEC_MAX_ARG_STRLEN) + 1;
	uint64_t env0 = 0;
	vaddr_t envv = sp + 8 * (argc + 2);
	if (proc_mem_read(p->mm, envv, &env0, 8) || !env0) {
		p->env_start = p->env_end = p->arg_end;
		return;
	}
	uint64_t e = env0, next;
	for (vaddr_t at = envv + 8; !proc_mem_read(p->mm, at, &next, 8) && next; at += 8)
		e = next;
	p->env_start = env0;
	p->env_end = e + proc_mem_strlen(p->mm, e, EXEC_MAX_ARG_STRLEN) + 1;
}

static const char *base_name(const char *path)
{
	const char *b = path;
	for (const char *s = path; *s; s++)
		if (*s == '/' && s[1])
			b = s + 1;
	return b;
}

static int exec_at_depth(const struct path *at, const char *path, const char *name,
			 unsigned lookup_flags, const char *const *argv,
			 const char *const *envp, int depth)
{
	struct thread *t = thread_current();
	struct process *p = t->proc;
	struct file *f;
	int err = open_exec(p, at, path, lookup_flags, &f);
	if (err)
		return err;
	/* No one may write what is being run (Linux's deny_write_access, scripts included). */
	err = inode_deny_write_access(f->path.inode);
	if (err) {
		file_put(f);
		return err;
	}

	const char **script_argv = NULL;
	char *script_buf = NULL;
	err = parse_script(f, name, argv, &script_argv, &script_buf);
	if (err <= 0) {
		inode_allow_write_access(f->path.inode);
		file_put(f);
		if (err == 0) {
			err = depth >= SCRIPT_DEPTH_MAX ? -ELOOP :
			      exec_at_depth(NULL, script_argv[0], script_argv[0], LOOKUP_FOLLOW,
					    script_argv, envp, depth + 1);
			kfree(script_argv);
			kfree(script_buf);
		}
		return err;
	}

	struct mm *mm = NULL;
	vaddr_t entry = 0, sp = 0;
	struct exec_plan *plan = kmalloc(sizeof(*plan));
	if (!plan) {
		inode_allow_write_access(f->path.inode);
		file_put(f);
		return -ENOMEM;
	}
	err = load_program(p, f, name, argv, envp, &mm, &entry, &sp, plan);
	kfree(plan);
	struct path exe = f->path;
	path_get(&exe);
	file_put(f);
	if (err) {
		inode_allow_write_access(exe.inode);
		path_put(&exe);
		return err;
	}

	/* Point of no return: the old program is gone from here on. */
	/* Under the tree lock: readers of p->mm and p->exe_path (procfs, the OOM killer) take their references under it. */
	proc_tree_lock();
	struct path old_exe = p->exe_path;
	p->exe_path = exe;	/* with its deny-write, given back when replaced or released */
	struct mm *old = p->mm;
	p->mm = mm;
	proc_tree_unlock();
	task_set_vm_space(t->task, mm_vm_space(mm));
	user_context_init(&t->ctx, entry, sp);
	user_context_set_vm_space(&t->ctx, mm_vm_space(mm));
	if (old_exe.inode) {
		inode_allow_write_access(old_exe.inode);
		path_put(&old_exe);
	}
	if (old)
		mm_put(old);
	if (p->fds)
		fdtable_close_on_exec(p->fds);
	signal_exec_reset(p);
	t->sig.altstack_sp = 0;
	t->sig.altstack_size = 0;
	t->sig.altstack_flags = SS_DISABLE;
	t->clear_child_tid = 0;
	t->rseq = 0;	/* the new program registers its own */
	t->rseq_len = t->rseq_sig = 0;
	t->rseq_resume = false;
	p->membarrier_registered = 0;
	strlcpy(p->comm, base_name(name), sizeof(p->comm));
	strlcpy(p->exe, name, sizeof(p->exe));
	p->exe_done = true;
	note_args(p, sp);
	/* A vfork parent may go on now. */
	proc_tree_lock();
	proc_vfork_release(p);
	proc_tree_unlock();
	return 0;
}

int proc_exec_at(const struct path *at, const char *path, const char *name, bool follow,
		 const char *const *argv, const char *const *envp)
{
	if (process_current()->nthreads > 1)
		return -EBUSY;	/* other threads must be killed first: not yet done */
	return exec_at_depth(at, path, name, follow ? LOOKUP_FOLLOW : 0, argv, envp, 0);
}

int proc_exec(const char *path, const char *const *argv, const char *const *envp)
{
	return proc_exec_at(NULL, path, path, true, argv, envp);
}
