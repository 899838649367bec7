/* Tasks: one host thread per guest task, running guest code through the
 * platform and its syscalls through the kernel. */
#ifndef CVISOR_TASK_H
#define CVISOR_TASK_H

#include <signal.h>

#include "kernel.h"

/* What the first task runs. */
struct exec_request {
	const char *path;       /* guest path */
	char *const *argv;
	char *const *envp;
	const char *execfn;     /* AT_EXECFN when not path (a script's name) */
};

/* Run t's guest code until t exits. */
void task_loop(struct task *t);

/* All of t's registers in t->regs, not only its syscall's (see the
 * platform's complete_regs): before reading or writing any other field. A
 * dead stub leaves them as they are (its next switch says so). */
void task_regs_complete(struct task *t);

/* The task dies by sig as if by its default action. */
void task_fatal_signal(struct task *t, int sig);
/* Send t a signal from the kernel itself (SIGKILL for exit_group, exec);
 * kernel.lock held. */
void task_post_signal_locked(struct task *t, int sig);

#endif
