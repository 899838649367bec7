/* The task loop: switch into guest code, handle what comes back. */
#include <errno.h>
#include <stdatomic.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "host_signals.h"
#include "mm.h"
#include "process.h"
#include "syscall.h"
#include "task.h"

void task_fatal_signal(struct task *t, int sig)
{
	t->exiting = true;
	t->exit_status = sig;
}

static uint64_t sigbit(int sig)
{
	return 1ULL << (sig - 1);
}

void task_post_signal_locked(struct task *t, int sig)
{
	atomic_fetch_or(&t->pending, sigbit(sig));
	/* Guest code, a kernel sleep or a blocking host call: each hears it. */
	if (t->ctx)
		kernel.platform->interrupt(t->ctx);
	pthread_cond_broadcast(&kernel.wake);
	if (t->thread)
		pthread_kill(t->thread, KICK_SIGNAL);
}

void task_post_signal(struct task *t, int sig)
{
	pthread_mutex_lock(&kernel.lock);
	task_post_signal_locked(t, sig);
	pthread_mutex_unlock(&kernel.lock);
}

bool task_signal_taken(struct task *t, int sig)
{
	return !(atomic_load(&t->pending) & sigbit(sig));
}

/* Act on posted signals. Until guest handlers exist every posted signal
 * takes its default action, and the ones posted so far all terminate. */
static void handle_pending(struct task *t)
{
	uint64_t pending = atomic_exchange(&t->pending, 0);
	if (pending)
		task_fatal_signal(t, __builtin_ctzll(pending) + 1);
}

/* A call was interrupted by a signal (a restart code): it starts again
 * unless the task is dying, as Linux restarts when no handler runs. */
static void restart_if_interrupted(struct task *t)
{
	int64_t rax = (int64_t)t->regs.rax;
	if (t->exiting || (rax != -ERESTARTSYS && rax != -ERESTARTNOINTR && rax != -ERESTARTNOHAND))
		return;
	t->regs.rax = t->regs.orig_rax;
	t->regs.rip -= 2; /* back onto the syscall instruction */
}

/* A synchronous fault. Until guest signal handlers exist, every one takes
 * the default action, which for faults is to die, and the whole process
 * with it. */
static void handle_fault(struct task *t, const siginfo_t *info)
{
	process_group_exit(t, info->si_signo);
	task_fatal_signal(t, info->si_signo);
}

void task_loop(struct task *t)
{
	struct platform *p = kernel.platform;
	handle_pending(t);
	while (!t->exiting) {
		siginfo_t info;
		switch (p->switch_to(t->ctx, t->mm->as, &t->regs, &info)) {
		case SWITCH_SYSCALL:
			syscall_dispatch(t);
			handle_pending(t);
			restart_if_interrupted(t);
			break;
		case SWITCH_FAULT:
			handle_fault(t, &info);
			break;
		case SWITCH_INTERRUPTED:
			handle_pending(t);
			break;
		case SWITCH_DEAD:
			process_group_exit(t, SIGKILL);
			break;
		}
	}
}
