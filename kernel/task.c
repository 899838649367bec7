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
#include "signal.h"
#include "stats.h"
#include "task.h"

void task_regs_complete(struct task *t)
{
	kernel.platform->complete_regs(t->ctx, t->mm->as, &t->regs);
}

void task_fatal_signal(struct task *t, int sig)
{
	t->exiting = true;
	t->exit_status = sig;
}

void task_post_signal_locked(struct task *t, int sig)
{
	/* From the kernel itself: never held back by init's protection. */
	struct linux_siginfo info = { .si_signo = sig, .si_code = LINUX_SI_KERNEL };
	signal_send_task(t, &info);
}

void task_loop(struct task *t)
{
	struct platform *p = kernel.platform;
	signal_deliver(t, false);
	while (!t->exiting) {
		siginfo_t info;
		unsigned long long start = kernel.stats ? stats_now_ns() : 0;
		enum switch_result r = p->switch_to(t->ctx, t->mm->as, &t->regs, &info);
		if (kernel.stats)
			atomic_fetch_add_explicit(&stats_guest_ns, stats_now_ns() - start, memory_order_relaxed);
		switch (r) {
		case SWITCH_SYSCALL:
			syscall_dispatch(t);
			signal_deliver(t, true);
			break;
		case SWITCH_SYSCALL_I386:
			syscall_dispatch_i386(t);
			signal_deliver(t, true);
			break;
		case SWITCH_VSYSCALL:
			syscall_vsyscall(t, &info);
			signal_deliver(t, false);
			break;
		case SWITCH_FAULT:
			signal_force_fault(t, &info);
			signal_deliver(t, false);
			break;
		case SWITCH_INTERRUPTED:
			signal_deliver(t, false);
			break;
		case SWITCH_DEAD:
			process_group_exit(t, SIGKILL);
			break;
		}
	}
}
