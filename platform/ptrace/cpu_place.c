/* Where contexts run. A context pins its host thread, and its stub threads
 * follow (context.c): a stop and resume on one CPU is a plain switch, across
 * CPUs a wake-up of an idle vCPU that costs several times more. The host
 * cannot know which tasks talk to each other, so cvisor places two kinds:
 * a fork's or clone's child, whose thread its parent wakes early on the CPU
 * fewest contexts share (another than the parent's when as light), and a
 * task about to wait on a pipe or socket, which moves to a CPU at least two
 * lighter. The two can then run at once, and each sees the other's answer
 * by spinning briefly (kernel/spin_wait.c) rather than by a cross-CPU
 * wake-up. Every other task's thread stays where the host woke it. */
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "ptrace_internal.h"

/* The CPUs cvisor may use, read before any of its threads is pinned. */
static cpu_set_t allowed;
static int allowed_list[CPU_SETSIZE], nallowed;
/* Live contexts pinned to each CPU. */
static _Atomic int load[CPU_SETSIZE];

void cpu_place_init(void)
{
	if (sched_getaffinity(0, sizeof allowed, &allowed) < 0)
		CPU_ZERO(&allowed);
	for (int cpu = 0; cpu < CPU_SETSIZE; cpu++)
		if (CPU_ISSET(cpu, &allowed))
			allowed_list[nallowed++] = cpu;
}

int cpu_pin(pid_t tid, int cpu)
{
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(tid, sizeof set, &set);
}

/* The allowed CPU the fewest contexts share, among equals not avoid. -1
 * when none is known. */
static int lightest_cpu(int avoid)
{
	int best = -1, best_score = 0;
	for (int i = 0; i < nallowed; i++) {
		int cpu = allowed_list[i];
		int score = 2 * atomic_load(&load[cpu]) + (cpu == avoid);
		if (best < 0 || score < best_score) {
			best = cpu;
			best_score = score;
		}
	}
	return best;
}

/* Pin the calling thread for a new context where it woke: the host's
 * choice, or cpu_place_thread's. */
int cpu_place_new(void)
{
	int cpu = sched_getcpu();
	if (cpu < 0 || cpu >= CPU_SETSIZE || cpu_pin(0, cpu) < 0)
		return -1;
	atomic_fetch_add(&load[cpu], 1);
	return cpu;
}

/* A new task's thread, woken by its parent's: on the lightest CPU, another
 * than the parent's when that one is as light, so that both run at once. */
bool cpu_place_thread(pid_t host_tid)
{
	if (nallowed < 2)
		return false;
	int cpu = lightest_cpu(sched_getcpu());
	return cpu >= 0 && cpu_pin(host_tid, cpu) == 0;
}

/* The calling thread's context (on cpu, or -1) is gone: free again, so a
 * reused task thread wakes where the host sees fit. */
void cpu_place_drop(int cpu)
{
	if (cpu < 0)
		return;
	atomic_fetch_sub(&load[cpu], 1);
	if (nallowed > 0)
		sched_setaffinity(0, sizeof allowed, &allowed);
}

bool context_spread(struct context *c)
{
	if (nallowed < 2)
		return false;
	if (c->cpu < 0)
		return true;
	/* Only to a CPU at least two lighter: two tasks on one CPU split,
	 * and a balanced pair stays put. */
	int best = c->cpu, least = atomic_load(&load[c->cpu]) - 1;
	for (int i = 0; i < nallowed; i++) {
		int n = atomic_load(&load[allowed_list[i]]);
		if (n < least) {
			least = n;
			best = allowed_list[i];
		}
	}
	if (best != c->cpu && cpu_pin(0, best) == 0) {
		atomic_fetch_sub(&load[c->cpu], 1);
		atomic_fetch_add(&load[best], 1);
		c->cpu = best; /* the stub threads follow at their next run */
	}
	return true;
}
