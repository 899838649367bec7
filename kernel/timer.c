/* The timer service thread. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>

#include "kernel.h"
#include "timer.h"

/* How often armed CPU-time timers are checked. */
#define CPU_TIMER_POLL_NS (5 * 1000 * 1000)

static struct ktimer *armed;
static pthread_cond_t changed;

int64_t timer_now_ns(clockid_t clock)
{
	struct timespec ts;
	if (clock_gettime(clock, &ts) < 0)
		return 0;
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void unlink_timer(struct ktimer *k)
{
	for (struct ktimer **p = &armed; *p; p = &(*p)->next)
		if (*p == k) {
			*p = k->next;
			return;
		}
}

void timer_disarm(struct ktimer *k)
{
	if (k->deadline_ns)
		unlink_timer(k);
	k->deadline_ns = 0;
	k->interval_ns = 0;
}

void timer_arm(struct ktimer *k, int64_t deadline_ns, int64_t interval_ns)
{
	timer_disarm(k);
	if (deadline_ns <= 0)
		return;
	k->deadline_ns = deadline_ns;
	k->interval_ns = interval_ns;
	k->next = armed;
	armed = k;
	pthread_cond_signal(&changed);
}

int64_t timer_remaining_ns(const struct ktimer *k)
{
	if (!k->deadline_ns)
		return 0;
	int64_t left = k->deadline_ns - timer_now_ns(k->clock);
	return left > 0 ? left : 1; /* due but not fired yet: a moment left */
}

static void *service(void *unused)
{
	(void)unused;
	sigset_t all;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	pthread_mutex_lock(&kernel.lock);
	for (;;) {
		int64_t now = timer_now_ns(CLOCK_MONOTONIC), wake = 0;
		bool cpu_timers = false;
		for (struct ktimer *k = armed, *next; k; k = next) {
			next = k->next;
			if (k->clock != CLOCK_MONOTONIC)
				cpu_timers = true;
			int64_t t_now = k->clock == CLOCK_MONOTONIC ? now : timer_now_ns(k->clock);
			if (k->deadline_ns > t_now) {
				if (k->clock == CLOCK_MONOTONIC && (!wake || k->deadline_ns < wake))
					wake = k->deadline_ns;
				continue;
			}
			/* Fire; a periodic timer steps past now (missed periods are
			 * not queued again). */
			unlink_timer(k);
			int64_t interval = k->interval_ns, d = timer_add_ns(k->deadline_ns, interval);
			k->expired_ns = k->deadline_ns;
			k->deadline_ns = 0;
			if (interval > 0) {
				if (d <= t_now)
					d += ((t_now - d) / interval + 1) * interval;
				k->deadline_ns = d;
				k->interval_ns = interval;
				k->next = armed;
				armed = k;
			}
			k->fire(k);
			next = armed; /* fire may have changed the list: rescan */
			now = timer_now_ns(CLOCK_MONOTONIC);
			wake = 0;
			cpu_timers = false;
		}
		if (cpu_timers && (!wake || wake > now + CPU_TIMER_POLL_NS))
			wake = now + CPU_TIMER_POLL_NS;
		if (wake) {
			struct timespec until = { wake / 1000000000LL, wake % 1000000000LL };
			pthread_cond_timedwait(&changed, &kernel.lock, &until);
		} else {
			pthread_cond_wait(&changed, &kernel.lock);
		}
	}
	return NULL;
}

int timer_service_start(void)
{
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&changed, &ca);
	pthread_condattr_destroy(&ca);
	pthread_t thread;
	int rc = pthread_create(&thread, NULL, service, NULL);
	if (rc)
		return -rc;
	pthread_detach(thread);
	return 0;
}
