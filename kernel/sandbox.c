/* The self-sandbox: like gVisor's sentry, cvisor confines itself with a
 * seccomp filter once it has started and before the guest's first
 * instruction. Only the host syscalls the kernel (with glibc underneath) and
 * the platform make are allowed; anything else kills the whole process
 * (SCMP_ACT_KILL_PROCESS; the audit line in dmesg names the syscall number:
 * a new host call in cvisor's code needs its rule here). So a guest that
 * took over cvisor could still not exec, fork, or open a socket.
 *
 * What seccomp cannot check: pointers. openat/openat2 take any path (the
 * rootfs code's RESOLVE_IN_ROOT is in memory), and ptrace, process_vm_* and
 * kill take any pid: only stubs are ever traced or killed, but a filter
 * sees numbers, not whose they are. What it can, it checks where it
 * matters: clone only as pthread_create calls it, ioctl only with the
 * terminal requests cvisor passes through, no new executable memory.
 *
 * Stubs never inherit this filter: the only stub cloned from cvisor, the
 * master, is made before it is loaded (the platform does so on creation),
 * and every other stub is forked from the master. */
#include <errno.h>
#include <sched.h>
#include <seccomp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>

#include "sandbox.h"

struct rule {
	int nr;
	uint32_t action;
	unsigned int argc;       /* 0 or 1: one condition is all we need */
	struct scmp_arg_cmp arg;
	const char *why;         /* what a condition lets through */
};

#define ALLOW(name) { .nr = SCMP_SYS(name), .action = SCMP_ACT_ALLOW }
/* The low 32 bits of argument n equal v: these arguments are ints to the
 * host kernel, whatever the caller left in the upper half. */
#define ALLOW_IF_EQ(name, n, v, what) \
	{ .nr = SCMP_SYS(name), .action = SCMP_ACT_ALLOW, .argc = 1,                   \
	  .arg = { n, SCMP_CMP_MASKED_EQ, 0xffffffffu, v }, .why = what }
/* None of bits set in argument n. */
#define ALLOW_IF_CLEAR(name, n, bits, what) \
	{ .nr = SCMP_SYS(name), .action = SCMP_ACT_ALLOW, .argc = 1,                   \
	  .arg = { n, SCMP_CMP_MASKED_EQ, bits, 0 }, .why = what }

/* How glibc's pthread_create clones (nptl/pthread_create.c create_thread). */
#define PTHREAD_CLONE_FLAGS                                                        \
	(CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SYSVSEM | CLONE_SIGHAND |       \
	 CLONE_THREAD | CLONE_SETTLS | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID)

/* The kernel's own needs, glibc's included. */
static const struct rule kernel_rules[] = {
	/* Memory: malloc, thread stacks. PROT_EXEC never: cvisor maps no code
	 * after start-up, so a hijacked cvisor cannot simply map some (it could
	 * still write through /proc/self/mem: openat cannot be narrowed). */
	ALLOW(brk), ALLOW(munmap), ALLOW(mremap), ALLOW(madvise),
	ALLOW_IF_CLEAR(mmap, 2, PROT_EXEC, "not PROT_EXEC"),
	ALLOW_IF_CLEAR(mprotect, 2, PROT_EXEC, "not PROT_EXEC"),

	/* Threads: one host thread per guest task. clone3's flags sit in
	 * memory, out of a filter's reach: ENOSYS makes glibc (2.34+) fall
	 * back to clone, whose flags are checked. No fork, ever. */
	ALLOW_IF_EQ(clone, 0, PTHREAD_CLONE_FLAGS, "pthread_create"),
	{ .nr = SCMP_SYS(clone3), .action = SCMP_ACT_ERRNO(ENOSYS), .why = "glibc falls back to clone" },
	ALLOW(set_robust_list), ALLOW(rseq), ALLOW(futex), ALLOW(exit), ALLOW(exit_group),
	ALLOW(gettid), ALLOW(getpid), ALLOW(tgkill), ALLOW(sched_yield), ALLOW(getcpu),

	/* Signals: blocked sets, the kick handler's return, the forwarder's
	 * wait. restart_syscall resumes a timed wait that a stop interrupted
	 * (cvisor itself stopped and continued). Handlers are all set before. */
	ALLOW(rt_sigprocmask), ALLOW(rt_sigreturn), ALLOW(rt_sigtimedwait),
	ALLOW(restart_syscall),

	/* Files: host fds behind guest fds, the guest root (openat2
	 * RESOLVE_IN_ROOT), /proc/self, stdio (fstat is newfstatat in glibc
	 * 2.33+), host polls for the guest's poll and select and before a
	 * blocking read (ppoll, host_wait.c); writev is
	 * glibc's last words (double free, stack smashing) before it aborts. */
	ALLOW(read), ALLOW(write), ALLOW(writev), ALLOW(pread64), ALLOW(pwrite64), ALLOW(close),
	ALLOW(openat), ALLOW(openat2), ALLOW(newfstatat), ALLOW(fstatfs),
	ALLOW(readlinkat), ALLOW(getcwd), ALLOW(fcntl), ALLOW(poll), ALLOW(ppoll), ALLOW(pselect6),
	/* The VFS: memfds hold the guest's files (copied up by sendfile),
	 * host pipes its pipes, lower directories are listed; the guest's
	 * offsets are cvisor's (pread/pwrite), lseek asks the host's. */
	ALLOW(memfd_create), ALLOW(sendfile), ALLOW(ftruncate), ALLOW(fallocate), ALLOW(utimensat),
	ALLOW(fchmod), ALLOW(pipe2), ALLOW(getdents64), ALLOW(lseek), ALLOW(readv), ALLOW(pwritev), ALLOW(tee), ALLOW(eventfd2),
	/* Read-write volumes: one name at a time below a directory fd. */
	ALLOW(mkdirat), ALLOW(symlinkat), ALLOW(mknodat), ALLOW(unlinkat), ALLOW(renameat2), ALLOW(linkat),
	ALLOW(fchmodat), ALLOW(fchownat), ALLOW(chmod),
	/* I/O objects: the guest's eventfds and timerfds are the host's;
	 * an eventfd is also a signalfd's readiness; epoll is the host's
	 * over them. */
	ALLOW(eventfd2), ALLOW(timerfd_create), ALLOW(timerfd_settime), ALLOW(timerfd_gettime),
	/* AF_UNIX sockets are host socketpairs (never socket(): no host name
	 * is ever bound or connected to); SCM_RIGHTS tokens are pipes. */
	ALLOW_IF_EQ(socketpair, 0, AF_UNIX, "AF_UNIX"),
	ALLOW(sendmsg), ALLOW(recvmsg), ALLOW(shutdown), ALLOW(getsockopt), ALLOW(setsockopt), ALLOW(dup3),
	ALLOW(epoll_create1), ALLOW(epoll_ctl), ALLOW(epoll_wait), ALLOW(epoll_pwait),
	/* The guest's terminal is the host's: its modes and size go through,
	 * nothing else (no TIOCSTI typing into the host's shell). */
	ALLOW_IF_EQ(ioctl, 1, TCGETS, "TCGETS"),
	ALLOW_IF_EQ(ioctl, 1, TCSETS, "TCSETS"),
	ALLOW_IF_EQ(ioctl, 1, TCSETSW, "TCSETSW"),
	ALLOW_IF_EQ(ioctl, 1, TCSETSF, "TCSETSF"),
	ALLOW_IF_EQ(ioctl, 1, TIOCGWINSZ, "TIOCGWINSZ"),
	ALLOW_IF_EQ(ioctl, 1, TIOCSWINSZ, "TIOCSWINSZ"),
	ALLOW_IF_EQ(ioctl, 1, FIONREAD, "FIONREAD"),
	ALLOW_IF_EQ(ioctl, 1, FIONBIO, "FIONBIO"),
	/* A socket's unsent bytes and urgent mark. */
	ALLOW_IF_EQ(ioctl, 1, TIOCOUTQ, "TIOCOUTQ"),
	ALLOW_IF_EQ(ioctl, 1, 0x8905, "SIOCATMARK"),

	/* Time and host facts the guest's answers come from. glibc's
	 * nanosleep is clock_nanosleep; time and getcpu are the vDSO's,
	 * syscalls only where it is missing. */
	ALLOW(clock_gettime), ALLOW(clock_getres), ALLOW(clock_nanosleep), ALLOW(time),
	ALLOW(sysinfo), ALLOW(times), ALLOW(prlimit64), ALLOW(getrandom),
#ifdef __SANITIZE_ADDRESS__
	/* `make asan` only: the sanitizers' own calls, so that the suite runs
	 * the real filter. Each thread's alternate signal stack; reports
	 * (symbols read from the binary, /proc/self/maps); LeakSanitizer's
	 * exit check, which clones a tracer that ptraces every thread, after
	 * listing them with raw open/getdents. */
	ALLOW(sigaltstack), ALLOW(rt_sigaction), ALLOW(open), ALLOW(getdents),
	ALLOW(readlink), ALLOW(getppid),
	ALLOW_IF_EQ(clone, 0, CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_UNTRACED, "LeakSanitizer"),
	ALLOW_IF_EQ(prctl, 0, PR_GET_DUMPABLE, "LeakSanitizer"),
	ALLOW_IF_EQ(prctl, 0, PR_SET_DUMPABLE, "LeakSanitizer"),
	ALLOW_IF_EQ(prctl, 0, PR_SET_PTRACER, "LeakSanitizer"),
	ALLOW_IF_EQ(prctl, 0, PR_SET_PDEATHSIG, "LeakSanitizer"),
#endif
};

static bool in_list(const int *list, int nr)
{
	for (; list && *list >= 0; list++)
		if (*list == nr)
			return true;
	return false;
}

/* The kernel's rules merged with the platform's syscalls, which are allowed
 * whatever their arguments (the kernel cannot know what the platform
 * passes): a platform syscall replaces any kernel rule for it. */
static struct rule *merged_rules(const struct platform *p, size_t *n)
{
	const int *extra = p->syscall_filters;
	size_t cap = sizeof kernel_rules / sizeof kernel_rules[0];
	for (const int *e = extra; e && *e >= 0; e++)
		cap++;
	struct rule *out = calloc(cap, sizeof *out);
	if (!out)
		return NULL;
	*n = 0;
	for (size_t i = 0; i < sizeof kernel_rules / sizeof kernel_rules[0]; i++)
		if (!in_list(extra, kernel_rules[i].nr))
			out[(*n)++] = kernel_rules[i];
	for (const int *e = extra; e && *e >= 0; e++)
		if (!in_list(e + 1, *e)) /* once each */
			out[(*n)++] = (struct rule){ .nr = *e, .action = SCMP_ACT_ALLOW };
	return out;
}

int sandbox_install(const struct platform *p)
{
	size_t n;
	struct rule *rules = merged_rules(p, &n);
	if (!rules)
		return -ENOMEM;
	int rc = -ENOMEM;
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_KILL_PROCESS);
	if (!ctx)
		goto out;
	/* Every thread of cvisor (the timer, forwarder and spawner threads
	 * run already), and x32 or 32-bit calls kill as well. */
	if ((rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 1)) < 0 ||
	    (rc = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS)) < 0 ||
	    (rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2)) < 0)
		goto out;
	for (size_t i = 0; i < n; i++)
		if ((rc = seccomp_rule_add_array(ctx, rules[i].action, rules[i].nr, rules[i].argc,
						 &rules[i].arg)) < 0)
			goto out;
	rc = seccomp_load(ctx);
out:
	seccomp_release(ctx);
	free(rules);
	return rc;
}

/* One rule as `name [argN [& mask] == value (why)] [errno NAME]`. */
static char *format_rule(const struct rule *r)
{
	char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_X86_64, r->nr);
	char cond[128] = "", act[64] = "";
	if (r->argc) {
		const struct scmp_arg_cmp *c = &r->arg;
		if (c->datum_a == 0xffffffffu)
			snprintf(cond, sizeof cond, " arg%u == %#llx (%s)", c->arg,
				 (unsigned long long)c->datum_b, r->why);
		else
			snprintf(cond, sizeof cond, " arg%u & %#llx == %#llx (%s)", c->arg,
				 (unsigned long long)c->datum_a, (unsigned long long)c->datum_b, r->why);
	}
	if ((r->action & 0xffff0000u) == SCMP_ACT_ERRNO(0))
		snprintf(act, sizeof act, " errno %s (%s)", strerrorname_np((int)(r->action & 0xffff)),
			 r->why);
	char *line = NULL;
	if (asprintf(&line, "%s%s%s", name ? name : "?", cond, act) < 0)
		line = NULL;
	free(name);
	return line;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int sandbox_print(FILE *out, const struct platform *p)
{
	size_t n;
	struct rule *rules = merged_rules(p, &n);
	char **lines = rules ? calloc(n, sizeof *lines) : NULL;
	int rc = lines ? 0 : -ENOMEM;
	for (size_t i = 0; rc == 0 && i < n; i++)
		if (!(lines[i] = format_rule(&rules[i])))
			rc = -ENOMEM;
	if (rc == 0) {
		qsort(lines, n, sizeof *lines, by_name);
		for (size_t i = 0; i < n; i++)
			fprintf(out, "%s\n", lines[i]);
	}
	for (size_t i = 0; lines && i < n; i++)
		free(lines[i]);
	free(lines);
	free(rules);
	return rc;
}
