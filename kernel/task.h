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
};

/* Boot the first guest task and wait for the sandbox to finish; returns
 * cvisor's exit status (the guest's, 128+N when killed by signal N). */
int task_run_init(const struct exec_request *req);

/* The task dies by sig as if by its default action. */
void task_fatal_signal(struct task *t, int sig);
/* Post sig to t from another thread and make t notice: its guest code or
 * blocking host call is interrupted. */
void task_post_signal(struct task *t, int sig);
/* Whether t has acted on sig (it is no longer pending). */
bool task_signal_taken(struct task *t, int sig);

#endif
