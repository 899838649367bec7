/* Waiting for another task by spinning first. Natively the two tasks of a
 * pipe ping-pong or a fork and wait each sleep and are woken, often across
 * CPUs; here each wait would also put a tracer to sleep and wake it on an
 * idle vCPU, which costs more than the guest calls around it. So a task
 * about to block first moves to a CPU of its own when one is free (the
 * platform's spread), then polls for what it waits for a short while,
 * yielding its CPU at each turn so that a task sharing it runs. The
 * blocking wait after it stays the one that sleeps: the spin only saves
 * the wake-up when the answer comes within SPIN_WAIT_NS.
 *
 * A yield that ran someone else ends the spin: the CPU has other work, and
 * the spin would take from it. */
#include <sched.h>
#include <stdatomic.h>
#include <time.h>

#include "kernel.h"
#include "spin_wait.h"

/* Longer than a yield that finds nobody else to run (well under a
 * microsecond here), shorter than two switches and anything between. */
#define SPIN_YIELD_BUSY_NS 5000

static int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

bool spin_wait(struct task *t, int64_t ns, bool (*ready)(void *arg), void *arg)
{
	int64_t now = now_ns(), end = now + ns;
	do {
		int64_t before = now;
		sched_yield();
		if (ready(arg))
			return true;
		now = now_ns();
		if (now - before > SPIN_YIELD_BUSY_NS)
			return false;
	} while (!(t && atomic_load(&t->sig.hint)) && now < end);
	return false;
}

bool spin_wait_worthwhile(struct task *t)
{
	return t->ctx && kernel.platform->spread(t->ctx);
}
