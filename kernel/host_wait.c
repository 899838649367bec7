/* Waiting for another task through a host object. Natively the two tasks of
 * a pipe ping-pong each sleep and are woken across CPUs; here each wait would
 * also put a tracer to sleep and wake it on an idle vCPU, which costs more
 * than the guest calls around it. So a task about to block first moves to a
 * CPU of its own when one is free (platform spread), then polls the fd for a
 * short while, yielding its CPU at each turn so a task sharing it runs. The
 * blocking call after it stays the one that sleeps: the spin only saves the
 * wake-up when the answer comes within SPIN_NS. */
#include <poll.h>
#include <sched.h>
#include <stdatomic.h>
#include <time.h>

#include "host_wait.h"
#include "kernel.h"

/* About two guest round trips of the peer: a ping-pong's answer comes well
 * within it, and a task waiting on a slow peer wastes no more. */
#define SPIN_NS 50000

static int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void host_wait_spin(struct task *t, int host_fd, short events)
{
	struct pollfd p = { .fd = host_fd, .events = events };
	if (poll(&p, 1, 0) != 0 || !t->ctx || !kernel.platform->spread(t->ctx))
		return;
	int64_t end = now_ns() + SPIN_NS;
	do {
		sched_yield();
		if (poll(&p, 1, 0) != 0)
			return;
	} while (!atomic_load(&t->sig.hint) && now_ns() < end);
}
