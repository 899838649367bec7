/* Syscall statistics: how often the guest asked for each call, how often
 * it failed, and where the time went (--stats). */
#ifndef CVISOR_STATS_H
#define CVISOR_STATS_H

#include <stdatomic.h>
#include <stdio.h>

#include "syscall.h"

struct syscall_stat {
	atomic_ulong calls, errors;
	atomic_ullong kernel_ns;   /* time in cvisor handling it */
};

/* By number; the last slot counts numbers outside the table. Calls are
 * always counted (the unimplemented report needs them); errors and time
 * only with --stats. */
extern struct syscall_stat syscall_stats[NR_SYSCALLS + 1];
/* Time the guest ran between syscalls (switch in to stop), all tasks. */
extern atomic_ullong stats_guest_ns;

enum stats_format { STATS_TEXT, STATS_JSON };

/* At exit: one row per syscall used, sorted by kernel time. */
void stats_report(FILE *out, enum stats_format format);

static inline unsigned long long stats_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000000000ULL + (unsigned long long)ts.tv_nsec;
}

#endif
