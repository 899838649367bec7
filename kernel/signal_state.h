/* The data of signals, embedded in tasks and processes (signal.h has the
 * operations). */
#ifndef CVISOR_SIGNAL_STATE_H
#define CVISOR_SIGNAL_STATE_H

#include <stdbool.h>
#include <stdint.h>

#include "../abi/linux.h"

struct sigqueue {
	struct linux_siginfo info;
	uint64_t timer_seq;         /* a POSIX timer's arming that sent it, or 0 */
	struct sigqueue *next;
};

/* Pending signals: standard ones once each, real-time ones queued. */
struct sigpending {
	uint64_t set;
	struct sigqueue *head;
	int queued;
};

/* Dispositions, shared by the tasks of a CLONE_SIGHAND family. */
struct sighand {
	_Atomic int refs;
	struct linux_sigaction action[LINUX_NSIG];
};

/* A task's signal state. */
struct task_signals {
	struct sighand *hand;
	struct sigpending pending;  /* sent to this task */
	uint64_t blocked;
	uint64_t real_blocked;      /* rt_sigtimedwait's own mask while it waits */
	uint64_t saved_mask;        /* sigsuspend's, restored after delivery */
	bool restore_mask;
	struct linux_stack altstack;
	_Atomic bool hint;          /* signal_deliver has something to look at */
};

#endif
