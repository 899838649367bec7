/* Interval and POSIX timers: alarm, setitimer, getitimer, timer_create,
 * timer_settime, timer_gettime, timer_getoverrun, timer_delete. */
#include <errno.h>
#include <stdlib.h>

#include "guest_mem.h"
#include "mm.h"
#include "process.h"
#include "signal.h"
#include "syscalls.h"
#include "timer.h"

#define NSEC 1000000000LL
/* include/uapi/linux/time.h, include/uapi/asm-generic/siginfo.h */
#define L_ITIMER_REAL 0
#define L_ITIMER_VIRTUAL 1
#define L_ITIMER_PROF 2
#define LINUX_TIMER_ABSTIME 1
#define L_SIGEV_SIGNAL 0
#define L_SIGEV_NONE 1
#define L_SIGEV_THREAD 2

#define L_SIGEV_THREAD_ID 4
#define L_SI_TIMER (-2)

struct linux_itimerval {
	struct linux_timeval interval, value;
};
struct linux_itimerspec {
	struct linux_timespec interval, value;
};
/* include/uapi/asm-generic/siginfo.h: struct sigevent (64 bytes) */
struct linux_sigevent {
	uint64_t value;
	int32_t signo, notify;
	int32_t tid;
	int32_t pad[11];
};

static int64_t tv_ns(const struct linux_timeval *tv)
{
	if (tv->tv_sec >= LINUX_KTIME_SEC_MAX)
		return INT64_MAX;
	return tv->tv_sec * NSEC + tv->tv_usec * 1000;
}

static struct linux_timeval ns_tv(int64_t ns)
{
	/* Linux rounds a remaining time up to the next microsecond. */
	return (struct linux_timeval){ ns / NSEC, (ns % NSEC + 999) / 1000 };
}

/* timespec64_to_ktime: saturated at KTIME_MAX. */
static int64_t ts_ns(const struct linux_timespec *ts)
{
	if (ts->tv_sec >= LINUX_KTIME_SEC_MAX)
		return INT64_MAX;
	return ts->tv_sec * NSEC + ts->tv_nsec;
}

static struct linux_timespec ns_ts(int64_t ns)
{
	return (struct linux_timespec){ ns / NSEC, ns % NSEC };
}

/* The itimers' signals go to the whole process. */
static void itimer_fire(struct ktimer *k)
{
	struct thread_group *g = k->owner;
	int which = (int)(k - g->itimer);
	static const int sig[] = { LINUX_SIGALRM, LINUX_SIGVTALRM, LINUX_SIGPROF };
	struct linux_siginfo info = { .si_signo = sig[which], .si_code = LINUX_SI_KERNEL };
	signal_send_group(g, &info, false);
}

/* RLIMIT_CPU (kernel/time/posix-cpu-timers.c): SIGXCPU at the soft limit
 * and each second past it, SIGKILL once the hard one is reached. */
static void cpu_limit_fire(struct ktimer *k)
{
	struct thread_group *g = k->owner;
	uint64_t hard = g->rlimits[LINUX_RLIMIT_CPU].rlim_max;
	bool kill = hard != LINUX_RLIM_INFINITY && timer_now_ns(k->clock) >= (int64_t)(hard * NSEC);
	struct linux_siginfo info = { .si_signo = kill ? LINUX_SIGKILL : LINUX_SIGXCPU, .si_code = LINUX_SI_KERNEL };
	signal_send_group(g, &info, false);
}

void process_cpu_limit_arm(struct task *t)
{
	struct thread_group *g = t->tg;
	struct ktimer *k = &g->cpu_limit;
	uint64_t soft = g->rlimits[LINUX_RLIMIT_CPU].rlim_cur;
	timer_disarm(k);
	if (soft == LINUX_RLIM_INFINITY || !t->mm || soft > INT64_MAX / NSEC)
		return;
	k->clock = kernel.platform->cpu_clock(t->mm->as);
	k->fire = cpu_limit_fire;
	k->owner = g;
	/* A soft limit of 0 acts as 1 second, as Linux's. */
	timer_arm(k, (int64_t)(soft ? soft : 1) * NSEC, NSEC);
}

/* L_ITIMER_REAL counts wall time; VIRTUAL and PROF the process's CPU time
 * (both the guest's code: cvisor's time is its own). */
static void itimer_init(struct task *t, int which)
{
	struct ktimer *k = &t->tg->itimer[which];
	k->clock = which == L_ITIMER_REAL ? CLOCK_MONOTONIC : kernel.platform->cpu_clock(t->mm->as);
	k->fire = itimer_fire;
	k->owner = t->tg;
}

static long do_setitimer(struct task *t, int which, const struct linux_itimerval *new,
			 struct linux_itimerval *old)
{
	if (which < L_ITIMER_REAL || which > L_ITIMER_PROF)
		return -EINVAL;
	pthread_mutex_lock(&kernel.lock);
	struct ktimer *k = &t->tg->itimer[which];
	if (old)
		*old = (struct linux_itimerval){ ns_tv(k->interval_ns), ns_tv(timer_remaining_ns(k)) };
	if (new) {
		itimer_init(t, which);
		int64_t value = tv_ns(&new->value);
		if (value)
			timer_arm(k, timer_add_ns(timer_now_ns(k->clock), value), tv_ns(&new->interval));
		else
			timer_disarm(k);
	}
	pthread_mutex_unlock(&kernel.lock);
	return 0;
}

static bool valid_tv(const struct linux_timeval *tv)
{
	return tv->tv_sec >= 0 && tv->tv_usec >= 0 && tv->tv_usec < 1000000;
}

long sys_setitimer(struct task *t, SYSCALL_ARGS)
{
	struct linux_itimerval new, old;
	if (a[1]) {
		if (copy_from_guest(t, &new, a[1], sizeof new) < 0)
			return -EFAULT;
		if (!valid_tv(&new.value) || !valid_tv(&new.interval))
			return -EINVAL;
	}
	long rc = do_setitimer(t, (int)a[0], a[1] ? &new : NULL, &old);
	if (rc == 0 && a[2] && copy_to_guest(t, a[2], &old, sizeof old) < 0)
		return -EFAULT;
	return rc;
}

long sys_getitimer(struct task *t, SYSCALL_ARGS)
{
	struct linux_itimerval old;
	long rc = do_setitimer(t, (int)a[0], NULL, &old);
	if (rc == 0 && copy_to_guest(t, a[1], &old, sizeof old) < 0)
		return -EFAULT;
	return rc;
}

long sys_alarm(struct task *t, SYSCALL_ARGS)
{
	struct linux_itimerval new = { .value = { (int64_t)(uint32_t)a[0], 0 } }, old;
	do_setitimer(t, L_ITIMER_REAL, &new, &old);
	/* The seconds left, rounded to nearest, and never 0 for a live alarm. */
	long left = old.value.tv_sec + (old.value.tv_usec >= 500000);
	return !left && old.value.tv_usec ? 1 : left;
}

/* A POSIX timer, as kernel/time/posix-timers.c keeps one since Linux 6.13:
 * a periodic timer whose signal is queued does not tick again until the
 * signal is dequeued; then it steps past the periods missed meanwhile and
 * counts them as the overrun (si_overrun, timer_getoverrun). */
struct posix_timer {
	struct ktimer k;              /* fires once; the period is kept here */
	struct thread_group *g;
	int id, signo, notify, tid;
	uint64_t value;
	int64_t interval_ns;
	int64_t expired_ns;           /* the expiry whose signal is queued */
	uint64_t seq;                 /* this arming's; its queued signal's */
	bool queued;                  /* its signal waits to be dequeued */
	bool parked;                  /* periodic, its signal ignored (or
					 * SIGEV_NONE): waits, computed */
	int overrun_last;             /* timer_getoverrun's */
	struct posix_timer *next;
};

/* Arming sequence numbers, unique across timers (kernel.lock). */
static uint64_t last_seq;

/* hrtimer_forward: the first period boundary after now, and how many
 * periods that stepped over. */
static int64_t forward(int64_t expired, int64_t interval, int64_t now, int64_t *steps)
{
	*steps = 0;
	if (now < expired)
		return expired;
	int64_t n = (now - expired) / interval + 1;
	*steps = n;
	if (n > (INT64_MAX - expired) / interval)
		return INT64_MAX;
	return expired + n * interval;
}

/* The thread a SIGEV_THREAD_ID timer signals, NULL if gone. */
static struct task *timer_thread(struct posix_timer *pt)
{
	for (struct task *o = pt->g->threads; o; o = o->next_in_group)
		if (o->tid == pt->tid)
			return o;
	return NULL;
}

/* Queue pt's signal for its last expiry. One that is dropped (ignored)
 * parks a periodic timer until the signal is unignored, as Linux 6.13+
 * keeps it on the ignored list; a one-shot is just spent. */
static void send_timer_signal(struct posix_timer *pt, struct task *to)
{
	struct linux_siginfo info = { .si_signo = pt->signo, .si_code = L_SI_TIMER };
	info.u.timer.tid = pt->id;
	info.u.timer.value = pt->value;
	pt->queued = signal_send_timer(pt->g, to, &info, pt->seq);
	pt->parked = !pt->queued && pt->interval_ns;
}

static void posix_timer_fire(struct ktimer *k)
{
	struct posix_timer *pt = k->owner;
	if (pt->notify == L_SIGEV_NONE) {
		/* Nobody to tell: a periodic one just runs on, computed by
		 * timer_gettime from its expiry (never ticking here). */
		pt->expired_ns = k->expired_ns;
		pt->parked = pt->interval_ns != 0;
		return;
	}
	struct task *to = NULL;
	if (pt->notify == L_SIGEV_THREAD_ID && !(to = timer_thread(pt)))
		return;
	pt->expired_ns = k->expired_ns;
	send_timer_signal(pt, to);
}

void posix_timer_park(struct thread_group *g, uint64_t seq)
{
	for (struct posix_timer *pt = g->timers; pt; pt = pt->next)
		if (pt->seq == seq && pt->queued) {
			pt->queued = false;
			pt->parked = pt->interval_ns != 0;
		}
}

void posix_timers_unignore(struct thread_group *g, int sig)
{
	for (struct posix_timer *pt = g->timers; pt; pt = pt->next) {
		if (!pt->parked || pt->signo != sig || pt->notify == L_SIGEV_NONE)
			continue;
		struct task *to = NULL;
		if (pt->notify == L_SIGEV_THREAD_ID && !(to = timer_thread(pt)))
			continue;
		pt->parked = false;
		send_timer_signal(pt, to);
	}
}

bool posix_timer_dequeued(struct thread_group *g, uint64_t seq, struct linux_siginfo *info)
{
	struct posix_timer *pt = g->timers;
	while (pt && pt->seq != seq)
		pt = pt->next;
	if (!pt || !pt->queued)
		return false;
	pt->queued = false;
	int64_t overrun = 0;
	if (pt->interval_ns) {
		int64_t steps;
		int64_t next = forward(pt->expired_ns, pt->interval_ns, timer_now_ns(pt->k.clock), &steps);
		overrun = steps > 0 ? steps - 1 : 0;
		timer_arm(&pt->k, next, 0);
	}
	/* timer_overrun_to_int: saturated at INT_MAX (DELAYTIMER_MAX). */
	pt->overrun_last = overrun > INT32_MAX ? INT32_MAX : (int)overrun;
	info->u.timer.overrun = pt->overrun_last;
	return true;
}

/* timer_gettime's view (kernel.lock held): a periodic timer whose signal
 * waits shows the next period boundary, as common_timer_get forwards it. */
static struct linux_itimerspec timer_current(struct posix_timer *pt)
{
	int64_t left = timer_remaining_ns(&pt->k);
	if ((pt->queued || pt->parked) && pt->interval_ns) {
		int64_t now = timer_now_ns(pt->k.clock), steps;
		left = forward(pt->expired_ns, pt->interval_ns, now, &steps) - now;
	}
	return (struct linux_itimerspec){ ns_ts(pt->interval_ns), ns_ts(left) };
}

static struct posix_timer *find_timer(struct task *t, int id)
{
	for (struct posix_timer *pt = t->tg->timers; pt; pt = pt->next)
		if (pt->id == id)
			return pt;
	return NULL;
}

/* The host clock for a timer on a guest clock id (kernel/time/posix-timers.c
 * clockid_to_kclock): 0, -EINVAL for no clock, -EOPNOTSUPP for one without
 * timers. *late is the error of the clock's own timer_create, which runs
 * only once the id is given out: the alarm clocks (no RTC wake-up in the
 * sandbox) and CPU clocks of no process (posix_cpu_timer_create). */
static long timer_clock(struct task *t, int id, clockid_t *out, long *late)
{
	*late = 0;
	switch (id) {
	case CLOCK_REALTIME: case CLOCK_MONOTONIC: case CLOCK_BOOTTIME: case CLOCK_TAI:
		*out = CLOCK_MONOTONIC; /* deadlines are kept there */
		return 0;
	case LINUX_CLOCK_PROCESS_CPUTIME_ID:
	case LINUX_CLOCK_THREAD_CPUTIME_ID:
		*out = kernel.platform->cpu_clock(t->mm->as);
		return 0;
	case CLOCK_MONOTONIC_RAW: case CLOCK_REALTIME_COARSE: case CLOCK_MONOTONIC_COARSE:
		return -EOPNOTSUPP;
	case CLOCK_REALTIME_ALARM: case CLOCK_BOOTTIME_ALARM:
		*late = -EOPNOTSUPP;
		return 0;
	}
	if (id >= 0)
		return -EINVAL;
	if ((id & 7) == 3)
		return -EOPNOTSUPP; /* CLOCKFD: a posix clock device */
	/* clock_getcpuclockid()'s ids (include/linux/posix-timers.h): a
	 * process's, or a thread's of ours (as the process's clock). */
	if ((id & 3) == 3 || !cpu_clock_of(t, ~(id >> 3), id & 4, true, out))
		*late = -EINVAL;
	return 0;
}

/* good_sigevent(): SIGEV_SIGNAL (SIGEV_THREAD alike: the kernel sees a
 * signal), SIGEV_SIGNAL|SIGEV_THREAD_ID to a thread of the process, or
 * SIGEV_NONE (kernel.lock held). */
static bool good_sigevent(struct task *t, const struct linux_sigevent *ev)
{
	switch (ev->notify) {
	case L_SIGEV_SIGNAL | L_SIGEV_THREAD_ID: {
		bool found = false;
		for (struct task *o = t->tg->threads; o; o = o->next_in_group)
			found |= o->tid == ev->tid;
		if (!found)
			return false;
	}
		/* fall through */
	case L_SIGEV_SIGNAL:
	case L_SIGEV_THREAD:
		return ev->signo > 0 && ev->signo <= LINUX_NSIG;
	case L_SIGEV_NONE:
		return true;
	}
	return false;
}

/* do_timer_create(): the sigevent is read first, then the clock checked;
 * from the id on (given out even if the call then fails, ids only count
 * up) the sigevent is judged, the id written out, the clock's own
 * timer_create run. */
long sys_timer_create(struct task *t, SYSCALL_ARGS)
{
	struct linux_sigevent ev = { .signo = LINUX_SIGALRM, .notify = L_SIGEV_SIGNAL };
	if (a[1] && copy_from_guest(t, &ev, a[1], sizeof ev) < 0)
		return -EFAULT;
	clockid_t clock = CLOCK_MONOTONIC;
	long late;
	long rc = timer_clock(t, (int)a[0], &clock, &late);
	if (rc < 0)
		return rc;
	struct posix_timer *pt = calloc(1, sizeof *pt);
	if (!pt)
		return -EAGAIN;
	pthread_mutex_lock(&kernel.lock);
	int id;
	do
		id = t->tg->next_timer_id++ & INT32_MAX;
	while (find_timer(t, id));
	bool good = good_sigevent(t, &ev);
	if (good && !late) {
		*pt = (struct posix_timer){
			.k = { .clock = clock, .fire = posix_timer_fire, .owner = pt },
			.g = t->tg, .id = id, .signo = ev.signo, .tid = ev.tid, .value = ev.value,
			.notify = ev.notify == L_SIGEV_NONE ? L_SIGEV_NONE
				: ev.notify & L_SIGEV_THREAD_ID ? L_SIGEV_THREAD_ID : L_SIGEV_SIGNAL,
		};
		if (!a[1])
			pt->value = (uint64_t)id; /* sigev_value defaults to the id */
		pt->next = t->tg->timers;
		t->tg->timers = pt;
	} else {
		free(pt);
	}
	pthread_mutex_unlock(&kernel.lock);
	if (!good)
		return -EINVAL;
	int32_t id32 = id;
	if (copy_to_guest(t, a[2], &id32, sizeof id32) < 0) {
		if (!late) {
			pthread_mutex_lock(&kernel.lock);
			process_timers_delete(t->tg, id);
			pthread_mutex_unlock(&kernel.lock);
		}
		return -EFAULT;
	}
	return late;
}

long sys_timer_settime(struct task *t, SYSCALL_ARGS)
{
	struct linux_itimerspec new, old;
	if (copy_from_guest(t, &new, a[2], sizeof new) < 0)
		return -EFAULT;
	if (new.value.tv_nsec < 0 || new.value.tv_nsec >= NSEC || new.value.tv_sec < 0 ||
	    new.interval.tv_nsec < 0 || new.interval.tv_nsec >= NSEC || new.interval.tv_sec < 0)
		return -EINVAL;
	pthread_mutex_lock(&kernel.lock);
	struct posix_timer *pt = find_timer(t, (int)a[0]);
	if (!pt) {
		pthread_mutex_unlock(&kernel.lock);
		return -EINVAL;
	}
	old = timer_current(pt);
	/* A new arming: a signal of the old one still queued goes stale. */
	pt->seq = ++last_seq;
	pt->queued = false;
	pt->parked = false;
	pt->overrun_last = 0;
	pt->interval_ns = ts_ns(&new.interval);
	/* The ktimer fires once; the period is counted here. */
	int64_t period = 0;
	int64_t value = ts_ns(&new.value);
	if (value && (a[1] & LINUX_TIMER_ABSTIME) && pt->k.clock == CLOCK_MONOTONIC) {
		/* An absolute time on the timer's clock, as monotonic. */
		value -= timer_now_ns(CLOCK_REALTIME) - timer_now_ns(CLOCK_MONOTONIC);
		timer_arm(&pt->k, value > 0 ? value : 1, period);
	} else if (value) {
		int64_t base = (a[1] & LINUX_TIMER_ABSTIME) ? 0 : timer_now_ns(pt->k.clock);
		timer_arm(&pt->k, timer_add_ns(base, value), period);
	} else {
		timer_disarm(&pt->k);
		pt->interval_ns = 0;
	}
	pthread_mutex_unlock(&kernel.lock);
	if (a[3] && copy_to_guest(t, a[3], &old, sizeof old) < 0)
		return -EFAULT;
	return 0;
}

long sys_timer_gettime(struct task *t, SYSCALL_ARGS)
{
	pthread_mutex_lock(&kernel.lock);
	struct posix_timer *pt = find_timer(t, (int)a[0]);
	struct linux_itimerspec cur = { 0 };
	if (pt)
		cur = timer_current(pt);
	pthread_mutex_unlock(&kernel.lock);
	if (!pt)
		return -EINVAL;
	return copy_to_guest(t, a[1], &cur, sizeof cur);
}

long sys_timer_getoverrun(struct task *t, SYSCALL_ARGS)
{
	pthread_mutex_lock(&kernel.lock);
	struct posix_timer *pt = find_timer(t, (int)a[0]);
	long r = pt ? pt->overrun_last : -EINVAL;
	pthread_mutex_unlock(&kernel.lock);
	return r;
}

long sys_timer_delete(struct task *t, SYSCALL_ARGS)
{
	pthread_mutex_lock(&kernel.lock);
	/* A negative id is no timer (-1 means all only to process exit). */
	long r = (int)a[0] < 0 ? -EINVAL : process_timers_delete(t->tg, (int)a[0]);
	pthread_mutex_unlock(&kernel.lock);
	return r;
}

long process_timers_delete(struct thread_group *g, int id)
{
	long r = id < 0 ? 0 : -EINVAL;
	for (struct posix_timer **p = &g->timers; *p;) {
		struct posix_timer *pt = *p;
		if (id >= 0 && pt->id != id) {
			p = &pt->next;
			continue;
		}
		timer_disarm(&pt->k);
		*p = pt->next;
		free(pt);
		r = 0;
	}
	return r;
}
