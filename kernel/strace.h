/* --strace: one line per guest syscall, as strace prints it. */
#ifndef CVISOR_STRACE_H
#define CVISOR_STRACE_H

#include <stdint.h>
#include <time.h>

#include "fs_proc.h" /* struct sbuf */
#include "kernel.h"

/* One call between its entry and its return. */
struct strace_call {
	struct task *t;
	int nr;
	uint64_t a[6];
	struct timespec when;   /* its entry, for --strace-time */
	struct sbuf in;         /* its inputs, formatted at entry */
	size_t in_end[6];       /* where input i ends in in */
	uint64_t saved[6];      /* what an in-out argument was at entry */
	bool done;              /* printed already (a call that does not return) */
};

/* Before the call: its inputs, which the call may change. */
void strace_enter(struct strace_call *c, struct task *t, int nr, const uint64_t a[6]);
/* After it: its outputs and result; prints the line. */
void strace_exit(struct strace_call *c, long result);
/* "--- SIGINT {si_signo=SIGINT, ...} ---" as a handler is entered. */
void strace_signal(struct task *t, int sig, const struct linux_siginfo *info);

#endif
