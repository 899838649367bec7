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

/* The task dies by sig as if by its default action. */
void task_fatal_signal(struct task *t, int sig);
/* Post sig to t from another thread and make t notice: its guest code or
 * blocking host call is interrupted. */
void task_post_signal(struct task *t, int sig);
void task_post_signal_locked(struct task *t, int sig); /* kernel.lock held */
/* Whether t has acted on sig (it is no longer pending). */
bool task_signal_taken(struct task *t, int sig);

#endif
