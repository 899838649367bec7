/* Contexts: running guest code in a stub thread traced by this host thread.
 * Only the tracer thread may ptrace a tracee, so each host thread that runs
 * guest code (or changes an address space) gets its own stub thread in every
 * address space it touches, kept in thread-local bindings. */
#include <errno.h>
#include <linux/audit.h>
#include <sched.h>
#include <stdatomic.h>
#include <signal.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ptrace_internal.h"

#define MAX_BINDINGS 16

static __thread struct stub_thread bindings[MAX_BINDINGS];
static __thread int nbindings;

static void binding_drop(int i)
{
	struct address_space *as = bindings[i].as;
	bindings[i] = bindings[--nbindings];
	as_put(as);
}

/* A stub thread that is gone (its address space was released by another
 * thread) still needs reaping by us, its tracer. */
static void bindings_reap_dead(void)
{
	for (int i = 0; i < nbindings;) {
		int status;
		pid_t r = waitpid(bindings[i].tid, &status, WNOHANG | __WALL | __WNOTHREAD);
		if (r < 0 || (r > 0 && !WIFSTOPPED(status)))
			binding_drop(i);
		else
			i++;
	}
}

static struct stub_thread *bind_new_thread(struct address_space *as)
{
	if (nbindings == MAX_BINDINGS) {
		bindings_reap_dead();
		if (nbindings == MAX_BINDINGS)
			return NULL;
	}
	/* A spare: the leader of a new address space, a thread our creator
	 * cloned for us (as_prepare_thread), or one a former tracer parked. */
	pid_t tid = as_take_spare(as);
	if (tid <= 0)
		return NULL;
	/* On our CPU from the start, moved while it sleeps: the interrupt
	 * then wakes it here, and injections before the first switch (the
	 * loader's mappings) cost as much as guest syscalls. */
	int cpu = sched_getcpu();
	if (cpu >= 0 && !(tid == as->pid && as->leader_cpu == cpu) && cpu_pin(tid, cpu) < 0)
		cpu = -1;
	/* Seize the parked thread and stop it out of its pause(). */
	int status;
	if (ptrace(PTRACE_SEIZE, tid, 0L, (long)(PTRACE_O_EXITKILL | PTRACE_O_TRACESYSGOOD)) < 0 ||
	    ptrace(PTRACE_INTERRUPT, tid, 0L, 0L) < 0 || wait_stopped(tid, &status) < 0) {
		kill(as->pid, SIGKILL);
		return NULL;
	}
	atomic_fetch_add(&as->refs, 1);
	struct stub_thread *t = &bindings[nbindings++];
	*t = (struct stub_thread){ .pid = as->pid, .tid = tid, .as = as, .cpu = cpu };
	return t;
}

struct stub_thread *stub_thread_current(struct address_space *as)
{
	for (int i = 0; i < nbindings; i++)
		if (bindings[i].as == as)
			return &bindings[i];
	return bind_new_thread(as);
}

/* Reap binding i, which is dying or dead, and drop it. */
static void binding_reap(int i)
{
	int status;
	while (waitpid(bindings[i].tid, &status, __WALL | __WNOTHREAD) > 0 && WIFSTOPPED(status))
		ptrace(PTRACE_CONT, bindings[i].tid, 0L, 0L);
	binding_drop(i);
}

/* The address space was killed: reap our stub thread in it. */
bool stub_thread_forget(struct address_space *as)
{
	for (int i = 0; i < nbindings; i++)
		if (bindings[i].as == as) {
			binding_reap(i);
			return true;
		}
	return false;
}

/* A context pins its host thread and its stub threads follow (cpu_place.c). */
struct context *context_new(struct platform *p)
{
	(void)p;
	struct context *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	pthread_mutex_init(&c->lock, NULL);
	c->cpu = cpu_place_new();
	return c;
}

/* Park binding i's stub thread as a spare of its address space: detached,
 * in pause(), for the next host thread to seize (cheaper than an exit now
 * and a clone later). The leader is always parked, never exited: its pid
 * names the process. False if it cannot be: the space is released, or has
 * spares enough. */
static bool binding_park(int i)
{
	struct stub_thread *t = &bindings[i];
	struct address_space *as = t->as;
	bool leader = t->tid == as->pid;
	guest_regs regs = as->init_regs;
	regs.rip = STUB_ENTRY(stub_park);
	regs.orig_rax = (uint64_t)-1;
	bool parked = false;
	/* A new stub's leader sets its PDEATHSIG on its way to pause(), unless
	 * it was seized first; untraced from now on, only that signal would
	 * kill it with cvisor. (While traced, EXITKILL does.) */
	if (leader && !as->deathsig &&
	    stub_inject(t, &as->init_regs, STUB_ENTRY(stub_syscall), SYS_prctl,
			PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0, 0) == 0)
		as->deathsig = true;
	pthread_mutex_lock(&as->lock);
	if (!as->dead && (leader || as->nspares < MAX_PARKED) && (!leader || as->deathsig) &&
	    ptrace(PTRACE_SETREGS, t->tid, 0L, &regs) == 0 &&
	    ptrace(PTRACE_DETACH, t->tid, 0L, 0L) == 0) {
		parked = true;
		if (leader)
			as->leader_parked = true;
		as_add_spare(as, t->tid); /* or it waits unused until the space dies */
	}
	pthread_mutex_unlock(&as->lock);
	if (parked)
		binding_drop(i);
	return parked;
}

/* The address space is being released: let our stub thread in it go
 * rather than wait for the host to tear the process down once it is
 * killed. The leader stays traced and is dropped as it is: the spawner,
 * its parent and in our thread group, may reap it as its tracer could
 * (no detach, and no wake-up to park it only to kill it). Another thread
 * is parked, untraced, so the host reaps it. 1 if it was the leader, 0 for
 * another thread, -1 if there was none or it is gone already
 * (stub_thread_forget reaps it). */
int stub_thread_let_go(struct address_space *as)
{
	for (int i = 0; i < nbindings; i++) {
		struct stub_thread *t = &bindings[i];
		if (t->as != as)
			continue;
		if (t->tid == as->pid) {
			binding_drop(i);
			return 1;
		}
		guest_regs regs = as->init_regs;
		regs.rip = STUB_ENTRY(stub_park);
		regs.orig_rax = (uint64_t)-1;
		if (ptrace(PTRACE_SETREGS, t->tid, 0L, &regs) < 0 ||
		    ptrace(PTRACE_DETACH, t->tid, 0L, 0L) < 0)
			return -1;
		binding_drop(i);
		return 0;
	}
	return -1;
}

/* Retire binding i: its stub thread parks or exits (its process lives on). */
static void binding_retire(int i)
{
	if (binding_park(i))
		return;
	struct stub_thread *t = &bindings[i];
	guest_regs base;
	if (t->tid != t->pid && ptrace(PTRACE_GETREGS, t->tid, 0L, &base) == 0)
		stub_inject(t, &base, STUB_ENTRY(stub_syscall), SYS_exit, 0, 0, 0, 0, 0, 0);
	binding_reap(i);
}

/* The host thread is done with guest code: retire its stub threads so the
 * processes they belong to live on (a tracer's exit would kill them). */
void context_release(struct context *c)
{
	while (nbindings > 0)
		binding_retire(0);
	if (c) {
		cpu_place_drop(c->cpu);
		pthread_mutex_destroy(&c->lock);
		free(c);
	}
}

/* The task runs in another address space from now on (exec). */
void context_leave(struct context *c, struct address_space *as)
{
	(void)c;
	for (int i = 0; i < nbindings; i++)
		if (bindings[i].as == as) {
			binding_retire(i);
			return;
		}
}

static void follow_cpu(struct context *c, struct stub_thread *t)
{
	if (c->cpu >= 0 && t->cpu != c->cpu && cpu_pin(t->tid, c->cpu) == 0)
		t->cpu = c->cpu;
}

/* The fields a syscall stop gives the kernel (PTRACE_GET_SYSCALL_INFO has
 * them): what a syscall handler reads and changes. Anything else (a signal
 * frame, a clone's copy, fs_base) needs context_complete_regs first. */
static void call_fields_copy(guest_regs *dst, const guest_regs *src)
{
	dst->orig_rax = src->orig_rax;
	dst->rax = src->rax;
	dst->rdi = src->rdi;
	dst->rsi = src->rsi;
	dst->rdx = src->rdx;
	dst->r10 = src->r10;
	dst->r8 = src->r8;
	dst->r9 = src->r9;
	dst->rip = src->rip;
	dst->rsp = src->rsp;
}

/* Whether only the result (rax) and orig_rax differ from the call. */
static bool only_result_changed(const guest_regs *regs, const guest_regs *call)
{
	guest_regs a = { 0 }, b = { 0 };
	call_fields_copy(&a, regs);
	call_fields_copy(&b, call);
	a.rax = b.rax;
	a.orig_rax = b.orig_rax;
	return memcmp(&a, &b, sizeof a) == 0;
}

/* The whole register set of a syscall stop: the rest from the host thread
 * (or from where an injection saved it), the call's fields as regs has them
 * now. */
static int complete_regs(struct stub_thread *t, guest_regs *regs)
{
	if (!t->partial)
		return 0;
	if (!t->saved) {
		if (ptrace(PTRACE_GETREGS, t->tid, 0L, &t->regs) < 0)
			return -ESRCH;
		t->saved = true;
		t->regs_valid = true;
	}
	guest_regs full = t->regs;
	call_fields_copy(&full, regs);
	*regs = full;
	t->partial = false;
	return 0;
}

long context_complete_regs(struct context *c, struct address_space *as, guest_regs *regs)
{
	(void)c;
	struct stub_thread *t = stub_thread_current(as);
	return t ? complete_regs(t, regs) : -ESRCH;
}

/* Load regs into the stub thread, writing only what changed: after a
 * syscall usually just rax. */
static int load_regs(struct stub_thread *t, guest_regs *regs)
{
	/* A restart code left in rax with orig_rax set would make the host
	 * rewind the guest if a signal is pending at resume. */
	int64_t rax = (int64_t)regs->rax;
	if (rax >= -516 && rax <= -512)
		regs->orig_rax = (uint64_t)-1;
	if (t->partial && !t->saved && only_result_changed(regs, &t->call)) {
		/* The host thread holds the rest untouched. */
		if (regs->rax != t->call.rax &&
		    ptrace(PTRACE_POKEUSER, t->tid, (long)offsetof(guest_regs, rax), (long)regs->rax) < 0)
			return -ESRCH;
		if (regs->orig_rax != t->call.orig_rax &&
		    ptrace(PTRACE_POKEUSER, t->tid, (long)offsetof(guest_regs, orig_rax), (long)regs->orig_rax) < 0)
			return -ESRCH;
		t->partial = false;
		t->regs_valid = false;
		return 0;
	}
	if (complete_regs(t, regs) < 0)
		return -ESRCH;
	if (t->regs_valid) {
		guest_regs probe = *regs;
		probe.rax = t->regs.rax;
		if (memcmp(&probe, &t->regs, sizeof probe) == 0) {
			if (regs->rax == t->regs.rax)
				return 0;
			if (ptrace(PTRACE_POKEUSER, t->tid, (long)offsetof(guest_regs, rax), (long)regs->rax) < 0)
				return -ESRCH;
			t->regs.rax = regs->rax;
			return 0;
		}
	}
	if (ptrace(PTRACE_SETREGS, t->tid, 0L, regs) < 0)
		return -ESRCH;
	t->regs = *regs;
	t->regs_valid = true;
	return 0;
}

static bool take_interrupt(struct context *c)
{
	pthread_mutex_lock(&c->lock);
	bool pending = c->interrupt_pending;
	c->interrupt_pending = false;
	pthread_mutex_unlock(&c->lock);
	return pending;
}

static void bind(struct context *c, struct stub_thread *t)
{
	pthread_mutex_lock(&c->lock);
	c->bound_pid = t ? t->pid : 0;
	c->bound_tid = t ? t->tid : 0;
	pthread_mutex_unlock(&c->lock);
}

static enum switch_result fetch_regs(struct stub_thread *t, guest_regs *regs, enum switch_result r)
{
	if (ptrace(PTRACE_GETREGS, t->tid, 0L, regs) < 0)
		return SWITCH_DEAD;
	t->regs = *regs;
	t->regs_valid = true;
	t->partial = t->saved = false;
	return r;
}

/* A syscall stop, from PTRACE_GET_SYSCALL_INFO alone: the call's ABI and
 * fields (one ptrace call instead of GETREGS plus this). int 0x80,
 * sysenter, or syscall from 32-bit code make an i386 call whatever the
 * registers say (a guest can fake the rcx == rip, r11 == eflags a 64-bit
 * syscall leaves), so the host is asked. */
static enum switch_result syscall_stop(struct stub_thread *t, guest_regs *regs)
{
	struct __ptrace_syscall_info info;
	if (ptrace(PTRACE_GET_SYSCALL_INFO, t->tid, (long)sizeof info, &info) < 0)
		return SWITCH_DEAD;
	if (info.arch != AUDIT_ARCH_X86_64)
		return fetch_regs(t, regs, SWITCH_SYSCALL_I386);
	if (info.op != PTRACE_SYSCALL_INFO_ENTRY)
		return fetch_regs(t, regs, SWITCH_SYSCALL);
	regs->orig_rax = info.entry.nr;
	regs->rax = (uint64_t)-ENOSYS; /* as the host's entry code left it */
	regs->rdi = info.entry.args[0];
	regs->rsi = info.entry.args[1];
	regs->rdx = info.entry.args[2];
	regs->r10 = info.entry.args[3];
	regs->r8 = info.entry.args[4];
	regs->r9 = info.entry.args[5];
	regs->rip = info.instruction_pointer;
	regs->rsp = info.stack_pointer;
	t->call = *regs;
	t->partial = true;
	t->saved = false;
	t->regs_valid = false;
	return SWITCH_SYSCALL;
}

/* The host emulates the legacy vsyscall page: it runs the stub's seccomp
 * filter, which traps, and ptrace sees a SIGSYS from that page. */
static bool is_vsyscall(const siginfo_t *si)
{
	return si->si_signo == SIGSYS && si->si_code == 1 /* SYS_SECCOMP */ &&
	       ((uint64_t)si->si_call_addr & ~0xfffUL) == VSYSCALL_PAGE;
}

enum switch_result context_switch(struct context *c, struct address_space *as,
				  guest_regs *regs, siginfo_t *info)
{
	struct stub_thread *t = stub_thread_current(as);
	if (!t)
		return SWITCH_DEAD;
	bind(c, t);
	enum switch_result result = SWITCH_DEAD;
	if (t->interrupted) {
		t->interrupted = false;
		if (take_interrupt(c)) {
			result = SWITCH_INTERRUPTED;
			goto out;
		}
	}
	follow_cpu(c, t);
	if (load_regs(t, regs) < 0)
		goto out;
	for (;;) {
		if (ptrace(PTRACE_SYSEMU, t->tid, 0L, 0L) < 0)
			goto dead;
		int status;
		if (wait_stopped(t->tid, &status) < 0)
			goto dead;
		t->regs_valid = false;
		int sig = WSTOPSIG(status);
		if (sig == (SIGTRAP | 0x80)) {
			result = syscall_stop(t, regs);
			if (result == SWITCH_DEAD)
				goto dead;
			goto out;
		}
		if (status >> 16)
			continue; /* an event stop (a group stop from outside) */
		siginfo_t si;
		if (ptrace(PTRACE_GETSIGINFO, t->tid, 0L, &si) < 0)
			goto dead;
		if (sig == INTERRUPT_SIGNAL && si.si_code == SI_TKILL && si.si_pid == getpid()) {
			if (!take_interrupt(c))
				continue; /* a late one: that interrupt was taken already */
			result = fetch_regs(t, regs, SWITCH_INTERRUPTED);
			goto out;
		}
		/* A fault or a signal from outside: the kernel decides; the host
		 * never delivers it to the stub (resuming with 0 suppresses it). */
		*info = si;
		result = fetch_regs(t, regs, is_vsyscall(&si) ? SWITCH_VSYSCALL : SWITCH_FAULT);
		goto out;
	}
dead:
	stub_thread_forget(as);
	result = SWITCH_DEAD;
out:
	bind(c, NULL);
	return result;
}

void context_interrupt(struct context *c)
{
	pthread_mutex_lock(&c->lock);
	c->interrupt_pending = true;
	if (c->bound_tid)
		syscall(SYS_tgkill, c->bound_pid, c->bound_tid, INTERRUPT_SIGNAL);
	pthread_mutex_unlock(&c->lock);
}

/* NT_X86_XSTATE: the XSAVE area, the layout of a signal frame's fpstate. */
#define NT_X86_XSTATE 0x202

long context_get_fpstate(struct context *c, struct address_space *as, void *buf, size_t len)
{
	(void)c;
	struct stub_thread *t = stub_thread_current(as);
	struct iovec iov = { buf, len };
	if (!t || ptrace(PTRACE_GETREGSET, t->tid, (long)NT_X86_XSTATE, &iov) < 0)
		return -ESRCH;
	return (long)iov.iov_len;
}

long context_set_fpstate(struct context *c, struct address_space *as, const void *buf, size_t len)
{
	(void)c;
	struct stub_thread *t = stub_thread_current(as);
	struct iovec iov = { (void *)buf, len };
	if (!t)
		return -ESRCH;
	return ptrace(PTRACE_SETREGSET, t->tid, (long)NT_X86_XSTATE, &iov) < 0 ? -EINVAL : 0;
}
