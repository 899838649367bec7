/* Kernel timers: one host thread fires them in deadline order. Wall-clock
 * timers run on CLOCK_MONOTONIC deadlines; CPU-time timers compare the
 * guest process's CPU clock, checked every few milliseconds while armed.
 * Everything is guarded by kernel.lock; fire() runs with it held. */
#ifndef CVISOR_TIMER_H
#define CVISOR_TIMER_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

struct ktimer {
	clockid_t clock;          /* CLOCK_MONOTONIC, or a host CPU clock */
	int64_t deadline_ns;      /* on clock; 0 when disarmed */
	int64_t interval_ns;      /* re-armed by this much after firing */
	int64_t expired_ns;       /* the deadline that fired, for fire() */
	void (*fire)(struct ktimer *k);
	void *owner;
	struct ktimer *next;      /* the armed list */
};

int64_t timer_now_ns(clockid_t clock);
/* base + delta (both >= 0), saturated as Linux's ktime_add_safe. */
static inline int64_t timer_add_ns(int64_t base, int64_t delta)
{
	return delta > INT64_MAX - base ? INT64_MAX : base + delta;
}
/* Arm (or re-arm) k to fire at deadline_ns on k->clock; 0 disarms. */
void timer_arm(struct ktimer *k, int64_t deadline_ns, int64_t interval_ns);
void timer_disarm(struct ktimer *k);
/* The time left before k fires, 0 if disarmed. */
int64_t timer_remaining_ns(const struct ktimer *k);
int timer_service_start(void);

#endif
