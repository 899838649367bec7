#ifndef CVISOR_SPIN_WAIT_H
#define CVISOR_SPIN_WAIT_H

#include <stdbool.h>
#include <stdint.h>

struct task;

/* About two guest round trips of a peer task: a ping-pong's answer comes
 * well within it, and a wait on a slow peer wastes no more. */
#define SPIN_WAIT_NS 50000

/* Poll ready(arg) for up to ns, yielding the CPU between polls; stops early
 * at a yield that ran another task, or on a signal hint for t (when t is
 * given). True once ready. */
bool spin_wait(struct task *t, int64_t ns, bool (*ready)(void *arg), void *arg);

/* t is about to wait for another task: spread it to a lighter CPU (the
 * platform's spread) and say whether a spin can pay off. */
bool spin_wait_worthwhile(struct task *t);

#endif
