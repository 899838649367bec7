/* The spawner: one host thread that lives as long as cvisor. It clones the
 * master stub (PR_SET_PDEATHSIG follows the creating thread, so it must not
 * be a task thread that may exit) and traces it; every stub is forked from
 * the master or from another stub with CLONE_PARENT, so all are this
 * thread's children. It forks new empty address spaces from the master and
 * reaps the leaders of released ones that no host thread traced. */
#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/rseq.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ptrace_internal.h"

#ifndef MFD_EXEC
#define MFD_EXEC 0x10U
#endif

enum request_kind { REQ_MASTER, REQ_NEW_AS };

#define READY_MAX 2
/* Released leaders left to reap before the spawner polls for them. */
#define REAP_POLL 8

struct request {
	enum request_kind kind;
	struct address_space *as; /* out for NEW_AS */
	long result;
	bool done;
	struct request *next;
};

static struct {
	pthread_mutex_t lock;
	pthread_cond_t wake, done;
	struct request *head;
	int stub_fd; /* memfd holding the stub page */
	const struct sock_fprog *filter;
	pid_t *reap; /* released leaders to reap, parked (untraced) at release */
	size_t nreap, reap_cap;
	/* Empty address spaces forked ahead of time: exec takes one without
	 * waiting for this thread (two wake-ups and an injection). */
	struct address_space *ready[READY_MAX];
	int nready;
	bool fill_failed; /* do not retry until one is taken */
} spawner = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.wake = PTHREAD_COND_INITIALIZER,
	.done = PTHREAD_COND_INITIALIZER,
};

/* Linux's struct sigaction as rt_sigaction(2) takes it. */
struct kernel_sigaction {
	unsigned long handler, flags, restorer, mask;
};

/* Everything the new stub needs, prepared before the clone: the child runs
 * raw syscalls only (it is a copy of a multi-threaded process). */
struct stub_args {
	pid_t parent;
	int stub_fd;
	const struct sock_fprog *filter;
	void *rseq_area;
	struct kernel_sigaction dfl, ign;
	unsigned long empty_mask;
};

static inline long raw_syscall6(long nr, long a0, long a1, long a2, long a3, long a4, long a5)
{
	long ret;
	register long r10 __asm__("r10") = a3;
	register long r8 __asm__("r8") = a4;
	register long r9 __asm__("r9") = a5;
	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a0), "S"(a1), "d"(a2), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

#define raw_syscall(nr, a0, a1, a2, a3, a4) raw_syscall6(nr, a0, a1, a2, a3, a4, 0)

__attribute__((noreturn, no_sanitize_address, no_sanitize("undefined")))
static void stub_die(int step)
{
	for (;;)
		raw_syscall(SYS_exit_group, 100 + step, 0, 0, 0, 0);
}

/* Runs in the cloned child. Order matters: nothing below may fault once the
 * handlers are reset, and the filter must come last before the jump. */
__attribute__((no_sanitize_address, no_sanitize("undefined")))
static int stub_child(void *arg)
{
	const struct stub_args *a = arg;

	raw_syscall(SYS_setsid, 0, 0, 0, 0, 0);
	raw_syscall(SYS_prctl, PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	if (raw_syscall(SYS_getppid, 0, 0, 0, 0, 0) != a->parent)
		stub_die(1);
	/* glibc registered rseq for this thread; its area is about to be
	 * unmapped, after which every return to user mode would fault. */
	if (a->rseq_area)
		raw_syscall(SYS_rseq, (long)a->rseq_area, 32, RSEQ_FLAG_UNREGISTER, RSEQ_SIG, 0);
	/* Inherited handlers point into code that is about to vanish, and a
	 * blocked interrupt signal would never stop the stub. An ignored one
	 * still stops a traced thread, and a late one cannot kill a parked
	 * spare. */
	for (int sig = 1; sig <= 64; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			raw_syscall(SYS_rt_sigaction, sig,
				    (long)(sig == INTERRUPT_SIGNAL ? &a->ign : &a->dfl), 0, 8, 0);
	raw_syscall(SYS_rt_sigprocmask, SIG_SETMASK, (long)&a->empty_mask, 0, 8, 0);
	if (raw_syscall(SYS_ptrace, PTRACE_TRACEME, 0, 0, 0, 0) != 0)
		stub_die(2);
	long addr = raw_syscall6(SYS_mmap, STUB_ADDR, STUB_SIZE, PROT_READ | PROT_EXEC,
				 MAP_SHARED | MAP_FIXED, a->stub_fd, 0);
	if (addr != (long)STUB_ADDR)
		stub_die(3);
	if (raw_syscall(SYS_prctl, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
	    raw_syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, (long)a->filter, 0, 0) != 0)
		stub_die(4);
	__asm__ volatile("jmp *%0" : : "r"(STUB_ENTRY(stub_init)) : "memory");
	__builtin_unreachable();
}

static _Alignas(16) char child_stack[16384];

static struct address_space *create_stub(void)
{
	struct stub_args args = {
		.parent = getpid(),
		.stub_fd = spawner.stub_fd,
		.filter = spawner.filter,
		.dfl = { .handler = (unsigned long)SIG_DFL },
		.ign = { .handler = (unsigned long)SIG_IGN },
	};
	if (__rseq_size > 0)
		args.rseq_area = (char *)__builtin_thread_pointer() + __rseq_offset;

	struct address_space *as = calloc(1, sizeof *as);
	if (!as)
		return NULL;
	as->mem_fd = -1;
	as->refs = 1;
	as->leader_cpu = -1;
	pthread_mutex_init(&as->lock, NULL);
	/* No exit signal (stubs forked with CLONE_PARENT inherit it): their
	 * parent, this thread, blocks SIGCHLD, so each stub's death would
	 * queue one for the process and wake another of our threads. */
	pid_t pid = clone(stub_child, child_stack + sizeof child_stack, CLONE_FILES, &args);
	if (pid < 0)
		goto fail_errno;
	as->pid = pid;
	int status;
	if (wait_stopped(pid, &status) < 0 || WSTOPSIG(status) != SIGSTOP) {
		errno = ECHILD;
		goto fail_kill;
	}
	if (ptrace(PTRACE_SETOPTIONS, pid, 0L, (long)(PTRACE_O_EXITKILL | PTRACE_O_TRACESYSGOOD)) < 0 ||
	    ptrace(PTRACE_GETREGS, pid, 0L, &as->init_regs) < 0)
		goto fail_kill;
	return as;

fail_kill: {
	int saved = errno;
	kill(pid, SIGKILL);
	waitpid(pid, NULL, __WALL);
	errno = saved;
}
fail_errno:
	free(as);
	return NULL;
}


/* A new empty address space is a fork of a master stub that stays empty:
 * far cheaper than cloning cvisor itself each time. The master is made at
 * start-up (spawner_start), before the kernel loads its own seccomp filter:
 * cloning cvisor and the stub's set-up calls (setsid, rseq, seccomp...) are
 * then never needed again, and stubs forked from the master inherit only
 * the master's filter, not cvisor's. The spawner traces the master's
 * leader, so only it can fork the master. */
static struct address_space *master;
static struct stub_thread master_thread;

static struct address_space *new_empty_stub(void)
{
	if (!master) {
		errno = ESRCH;
		return NULL;
	}
	return fork_stub(&master_thread, master);
}

/* Reap what is dead in the list (spawner.lock held). Any thread of ours
 * may: the pids are our children, and untraced or traced by the thread
 * that let them go, which waits for them no more. */
static void spawner_reap(int flags)
{
	for (size_t i = 0; i < spawner.nreap;) {
		int status;
		pid_t r = waitpid(spawner.reap[i], &status, WNOHANG | __WALL | flags);
		if (r != 0 && !(r > 0 && WIFSTOPPED(status)))
			spawner.reap[i] = spawner.reap[--spawner.nreap];
		else
			i++;
	}
}

/* pid, a released stub's leader that nobody waits for, is reaped once its
 * last threads are gone: the next call reaps it from the calling thread
 * (the kill has done its work by then), or the spawner, which polls the
 * list while it is long. Never waitpid(-1): leaders traced by task threads
 * are our children too, and such a wait would take their tracers' stops. */
void spawner_reap_later(pid_t pid)
{
	pthread_mutex_lock(&spawner.lock);
	spawner_reap(0);
	if (spawner.nreap == spawner.reap_cap) {
		size_t cap = spawner.reap_cap ? spawner.reap_cap * 2 : 16;
		pid_t *r = realloc(spawner.reap, cap * sizeof *r);
		if (!r) {
			pthread_mutex_unlock(&spawner.lock);
			return; /* a zombie left until cvisor exits */
		}
		spawner.reap = r;
		spawner.reap_cap = cap;
	}
	spawner.reap[spawner.nreap++] = pid;
	/* A wake-up costs a switch: only when zombies pile up. */
	if (spawner.nreap == REAP_POLL)
		pthread_cond_signal(&spawner.wake);
	pthread_mutex_unlock(&spawner.lock);
}

static void *spawner_main(void *unused)
{
	(void)unused;
	sigset_t all;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	int cpu = sched_getcpu();
	if (cpu >= 0) {
		cpu_set_t set;
		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		sched_setaffinity(0, sizeof set, &set);
	}
	pthread_mutex_lock(&spawner.lock);
	for (;;) {
		while (!spawner.head) {
			spawner_reap(__WNOTHREAD);
			if (master && spawner.nready < READY_MAX && !spawner.fill_failed) {
				pthread_mutex_unlock(&spawner.lock);
				struct address_space *as = new_empty_stub();
				pthread_mutex_lock(&spawner.lock);
				if (as)
					spawner.ready[spawner.nready++] = as;
				else
					spawner.fill_failed = true;
				continue;
			}
			/* A leader dies after its last threads: look again soon. */
			struct timespec until;
			clock_gettime(CLOCK_REALTIME, &until);
			until.tv_nsec += spawner.nreap ? 10000000 : 0;
			until.tv_sec += spawner.nreap ? 0 : 1;
			if (until.tv_nsec >= 1000000000) {
				until.tv_sec++;
				until.tv_nsec -= 1000000000;
			}
			pthread_cond_timedwait(&spawner.wake, &spawner.lock, &until);
		}
		struct request *r = spawner.head;
		spawner.head = r->next;
		pthread_mutex_unlock(&spawner.lock);

		switch (r->kind) {
		case REQ_MASTER:
			master = create_stub();
			r->result = master ? 0 : -errno;
			if (master)
				master_thread = (struct stub_thread){ .pid = master->pid, .tid = master->pid,
								      .as = master, .cpu = -1 };
			break;
		case REQ_NEW_AS:
			r->as = new_empty_stub();
			r->result = r->as ? 0 : -errno;
			break;
		}

		pthread_mutex_lock(&spawner.lock);
		r->done = true;
		pthread_cond_broadcast(&spawner.done);
	}
	return NULL;
}

static long submit(struct request *r)
{
	pthread_mutex_lock(&spawner.lock);
	struct request **tail = &spawner.head;
	while (*tail)
		tail = &(*tail)->next;
	*tail = r;
	pthread_cond_signal(&spawner.wake);
	while (!r->done)
		pthread_cond_wait(&spawner.done, &spawner.lock);
	pthread_mutex_unlock(&spawner.lock);
	return r->result;
}

struct address_space *spawner_new_address_space(void)
{
	pthread_mutex_lock(&spawner.lock);
	struct address_space *as = spawner.nready > 0 ? spawner.ready[--spawner.nready] : NULL;
	spawner.fill_failed = false;
	pthread_cond_signal(&spawner.wake); /* to fork the next one */
	pthread_mutex_unlock(&spawner.lock);
	if (as)
		return as;
	struct request r = { .kind = REQ_NEW_AS };
	long rc = submit(&r);
	if (rc < 0)
		errno = (int)-rc;
	return r.as;
}

int spawner_start(const struct sock_fprog *filter)
{
	size_t size = (size_t)(stub_page_end - stub_page_start);
	if (size != STUB_SIZE)
		return -EINVAL;
	/* MFD_EXEC: where vm.memfd_noexec is set, exec rights must be asked for;
	 * kernels before 6.3 do not know the flag. */
	int fd = memfd_create("cvisor-stub", MFD_CLOEXEC | MFD_EXEC);
	if (fd < 0 && errno == EINVAL)
		fd = memfd_create("cvisor-stub", MFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (pwrite(fd, stub_page_start, size, 0) != (ssize_t)size) {
		close(fd);
		return -EIO;
	}
	spawner.stub_fd = fd;
	spawner.filter = filter;
	pthread_t thread;
	int rc = pthread_create(&thread, NULL, spawner_main, NULL);
	if (rc) {
		close(fd);
		return -rc;
	}
	pthread_detach(thread);
	struct request r = { .kind = REQ_MASTER };
	return (int)submit(&r);
}
