/* Signal syscalls: dispositions, masks, sending, waiting, sigreturn. */
#include <errno.h>
#include <stdatomic.h>
#include <time.h>

#include "guest_mem.h"
#include "process.h"
#include "signal.h"
#include "syscalls.h"

#define SIGSET_SIZE 8

static bool valid_sig(uint64_t sig)
{
	return sig >= 1 && sig <= LINUX_NSIG;
}

long sys_rt_sigaction(struct task *t, SYSCALL_ARGS)
{
	uint64_t sig = a[0];
	if (a[3] != SIGSET_SIZE || !valid_sig(sig))
		return -EINVAL;
	struct linux_sigaction new, old;
	if (a[1] && copy_from_guest(t, &new, a[1], sizeof new) < 0)
		return -EFAULT;
	if (a[1] && (sig == LINUX_SIGKILL || sig == LINUX_SIGSTOP))
		return -EINVAL;
	pthread_mutex_lock(&kernel.lock);
	struct linux_sigaction *cur = &t->sig.hand->action[sig - 1];
	old = *cur;
	if (a[1]) {
		new.mask &= ~SIG_UNBLOCKABLE;
		/* SA_UNSUPPORTED and SA_EXPOSE_TAGBITS: never reported back. */
		new.flags &= ~(LINUX_SA_UNSUPPORTED | LINUX_SA_EXPOSE_TAGBITS);
		*cur = new;
		/* Setting a signal to be ignored discards it where pending. */
		bool now_ignored = new.handler == LINUX_SIG_IGN ||
				   (new.handler == LINUX_SIG_DFL &&
				    (sig == LINUX_SIGCHLD || sig == LINUX_SIGCONT || sig == LINUX_SIGURG ||
				     sig == LINUX_SIGWINCH));
		if (now_ignored)
			signal_discard(t->tg, (int)sig);
		else if (old.handler == LINUX_SIG_IGN)
			posix_timers_unignore(t->tg, (int)sig);
	}
	pthread_mutex_unlock(&kernel.lock);
	if (a[2] && copy_to_guest(t, a[2], &old, sizeof old) < 0)
		return -EFAULT;
	return 0;
}

long sys_rt_sigprocmask(struct task *t, SYSCALL_ARGS)
{
	int how = (int)a[0];
	if (a[3] != SIGSET_SIZE)
		return -EINVAL;
	uint64_t set = 0;
	if (a[1] && copy_from_guest(t, &set, a[1], sizeof set) < 0)
		return -EFAULT;
	pthread_mutex_lock(&kernel.lock);
	uint64_t old = t->sig.blocked;
	long rc = 0;
	if (a[1]) {
		switch (how) {
		case LINUX_SIG_BLOCK: t->sig.blocked |= set; break;
		case LINUX_SIG_UNBLOCK: t->sig.blocked &= ~set; break;
		case LINUX_SIG_SETMASK: t->sig.blocked = set; break;
		default: rc = -EINVAL;
		}
		t->sig.blocked &= ~SIG_UNBLOCKABLE;
		atomic_store(&t->sig.hint, true);
	}
	pthread_mutex_unlock(&kernel.lock);
	if (rc == 0 && a[2] && copy_to_guest(t, a[2], &old, sizeof old) < 0)
		rc = -EFAULT;
	return rc;
}

long sys_rt_sigpending(struct task *t, SYSCALL_ARGS)
{
	if (a[1] > SIGSET_SIZE)
		return -EINVAL;
	pthread_mutex_lock(&kernel.lock);
	uint64_t set = (t->sig.pending.set | t->tg->shared_pending.set) & t->sig.blocked;
	pthread_mutex_unlock(&kernel.lock);
	return copy_to_guest(t, a[0], &set, a[1]);
}

long sys_rt_sigsuspend(struct task *t, SYSCALL_ARGS)
{
	if (a[1] != SIGSET_SIZE)
		return -EINVAL;
	uint64_t mask;
	if (copy_from_guest(t, &mask, a[0], sizeof mask) < 0)
		return -EFAULT;
	signal_wait_mask_begin(t, mask);
	pthread_mutex_lock(&kernel.lock);
	while (kernel_sleep(t) == 0)
		;
	pthread_mutex_unlock(&kernel.lock);
	return -ERESTARTNOHAND;
}

long sys_pause(struct task *t, SYSCALL_ARGS)
{
	(void)a;
	pthread_mutex_lock(&kernel.lock);
	while (kernel_sleep(t) == 0)
		;
	pthread_mutex_unlock(&kernel.lock);
	return -ERESTARTNOHAND;
}

long sys_rt_sigtimedwait(struct task *t, SYSCALL_ARGS)
{
	if (a[3] != SIGSET_SIZE)
		return -EINVAL;
	uint64_t set;
	if (copy_from_guest(t, &set, a[0], sizeof set) < 0)
		return -EFAULT;
	set &= ~SIG_UNBLOCKABLE;
	struct timespec deadline, *dp = NULL;
	if (a[2]) {
		long rc = guest_deadline(t, a[2], CLOCK_MONOTONIC, false, &deadline);
		if (rc < 0)
			return rc;
		dp = &deadline;
	}
	struct linux_siginfo info;
	long r;
	pthread_mutex_lock(&kernel.lock);
	/* The waited-for signals count as unblocked meanwhile. */
	uint64_t blocked = t->sig.blocked;
	t->sig.real_blocked = blocked; /* still "blocked" for who sends */
	t->sig.blocked &= ~set;
	for (;;) {
		int sig = signal_dequeue_mask(t, set, &info);
		if (sig) {
			r = sig;
			break;
		}
		r = dp ? kernel_sleep_until(t, CLOCK_MONOTONIC, dp) : kernel_sleep(t);
		if (r == -ETIMEDOUT) {
			r = -EAGAIN;
			break;
		}
		if (r < 0) {
			/* Woken by another signal, unless it is one of ours. */
			sig = signal_dequeue_mask(t, set, &info);
			r = sig ? sig : -EINTR;
			break;
		}
	}
	t->sig.blocked = blocked;
	t->sig.real_blocked = 0;
	atomic_store(&t->sig.hint, true);
	pthread_mutex_unlock(&kernel.lock);
	if (r > 0 && a[1] && copy_to_guest(t, a[1], &info, sizeof info) < 0)
		return -EFAULT;
	return r;
}

long sys_sigaltstack(struct task *t, SYSCALL_ARGS)
{
	struct linux_stack ss, old;
	if (a[0] && copy_from_guest(t, &ss, a[0], sizeof ss) < 0)
		return -EFAULT;
	pthread_mutex_lock(&kernel.lock);
	old = t->sig.altstack;
	old.ss_flags = signal_altstack_flags(t, t->regs.rsp) |
		       (t->sig.altstack.ss_flags & LINUX_SS_AUTODISARM);
	if (old.ss_flags & LINUX_SS_DISABLE)
		old = (struct linux_stack){ .ss_flags = LINUX_SS_DISABLE };
	long rc = 0;
	if (a[0]) {
		int mode = ss.ss_flags & ~LINUX_SS_AUTODISARM;
		if (old.ss_flags & LINUX_SS_ONSTACK)
			rc = -EPERM;
		else if (mode != 0 && mode != LINUX_SS_DISABLE && mode != LINUX_SS_ONSTACK)
			rc = -EINVAL;
		else if (mode == LINUX_SS_DISABLE)
			t->sig.altstack = (struct linux_stack){ .ss_flags = LINUX_SS_DISABLE };
		else if (ss.ss_size < LINUX_MINSIGSTKSZ)
			rc = -ENOMEM;
		else
			t->sig.altstack = (struct linux_stack){ ss.ss_sp, ss.ss_flags & LINUX_SS_AUTODISARM, 0, ss.ss_size };
	}
	pthread_mutex_unlock(&kernel.lock);
	if (rc == 0 && a[1] && copy_to_guest(t, a[1], &old, sizeof old) < 0)
		rc = -EFAULT;
	return rc;
}

/* kill(2) to pid's meaning: a process, our group, every one, a group.
 * sig 0 only checks. kernel.lock held. */
static long kill_locked(struct task *t, int pid, const struct linux_siginfo *info, int sig)
{
	if (pid > 0) {
		for (struct thread_group *g = kernel.groups; g; g = g->next_group)
			if (g->pid == pid) {
				if (sig)
					signal_send_group(g, info, false);
				return 0;
			}
		return -ESRCH;
	}
	int pgid = pid == 0 ? t->tg->pgid : -pid;
	bool any = false;
	/* Unreaped zombies are members still (Linux's pid lists keep them):
	 * they make the group exist; signal_send_group ignores them. */
	for (struct thread_group *g = kernel.groups; g; g = g->next_group) {
		if (pid == -1 ? (g == kernel.init || g == t->tg) : g->pgid != pgid)
			continue;
		any = true;
		if (sig)
			signal_send_group(g, info, false);
	}
	return any ? 0 : -ESRCH;
}

long sys_kill(struct task *t, SYSCALL_ARGS)
{
	int pid = (int)a[0], sig = (int)a[1];
	if (sig < 0 || sig > LINUX_NSIG)
		return -EINVAL;
	if (pid == INT32_MIN)
		return -ESRCH;
	struct linux_siginfo info = signal_info_user(sig, LINUX_SI_USER, t);
	pthread_mutex_lock(&kernel.lock);
	long rc = kill_locked(t, pid, &info, sig);
	pthread_mutex_unlock(&kernel.lock);
	return rc;
}

static struct task *task_by_tid(int tgid, int tid)
{
	for (struct task *o = kernel.tasks; o; o = o->next_task)
		if (o->tid == tid && (tgid <= 0 || o->tg->pid == tgid) && !o->exiting)
			return o;
	return NULL;
}

static long tkill(struct task *t, int tgid, int tid, const struct linux_siginfo *info, int sig)
{
	pthread_mutex_lock(&kernel.lock);
	struct task *o = task_by_tid(tgid, tid);
	if (o && sig)
		signal_send_task(o, info);
	pthread_mutex_unlock(&kernel.lock);
	(void)t;
	return o ? 0 : -ESRCH;
}

long sys_tkill(struct task *t, SYSCALL_ARGS)
{
	int tid = (int)a[0], sig = (int)a[1];
	if (tid <= 0 || sig < 0 || sig > LINUX_NSIG)
		return -EINVAL;
	struct linux_siginfo info = signal_info_user(sig, LINUX_SI_TKILL, t);
	return tkill(t, 0, tid, &info, sig);
}

long sys_tgkill(struct task *t, SYSCALL_ARGS)
{
	int tgid = (int)a[0], tid = (int)a[1], sig = (int)a[2];
	if (tgid <= 0 || tid <= 0 || sig < 0 || sig > LINUX_NSIG)
		return -EINVAL;
	struct linux_siginfo info = signal_info_user(sig, LINUX_SI_TKILL, t);
	return tkill(t, tgid, tid, &info, sig);
}

/* A user-made siginfo may not pretend to come from the kernel or kill(2)
 * unless sent to oneself (kernel/signal.c). */
static long user_info(struct task *t, uint64_t addr, int sig, bool to_self, struct linux_siginfo *info)
{
	if (copy_from_guest(t, info, addr, sizeof *info) < 0)
		return -EFAULT;
	if ((info->si_code >= 0 || info->si_code == LINUX_SI_TKILL) && !to_self)
		return -EPERM;
	info->si_signo = sig;
	return 0;
}

long sys_rt_sigqueueinfo(struct task *t, SYSCALL_ARGS)
{
	int pid = (int)a[0], sig = (int)a[1];
	struct linux_siginfo info;
	long rc = user_info(t, a[2], sig, pid == t->tg->pid, &info);
	if (rc < 0)
		return rc;
	if (!valid_sig((uint64_t)sig) && sig != 0)
		return -EINVAL;
	if (pid <= 0)
		return -ESRCH;
	pthread_mutex_lock(&kernel.lock);
	rc = kill_locked(t, pid, &info, sig);
	pthread_mutex_unlock(&kernel.lock);
	return rc;
}

long sys_rt_tgsigqueueinfo(struct task *t, SYSCALL_ARGS)
{
	int tgid = (int)a[0], tid = (int)a[1], sig = (int)a[2];
	if (tgid <= 0 || tid <= 0 || sig < 0 || sig > LINUX_NSIG)
		return -EINVAL;
	struct linux_siginfo info;
	long rc = user_info(t, a[3], sig, tgid == t->tg->pid, &info);
	return rc < 0 ? rc : tkill(t, tgid, tid, &info, sig);
}

long sys_rt_sigreturn(struct task *t, SYSCALL_ARGS)
{
	(void)a;
	return signal_return(t);
}
