/* Time: the host's clocks, read for the guest. */
#include <errno.h>
#include <time.h>
#include <sys/time.h>

#include "guest_mem.h"
#include "mm.h"
#include "process.h"
#include "syscalls.h"
#include "timer.h"

bool cpu_clock_of(struct task *t, int pid, bool thread, bool leader, clockid_t *clock)
{
	if (pid == 0 || pid == (thread ? t->tid : t->pid)) {
		*clock = kernel.platform->cpu_clock(t->mm->as);
		return true;
	}
	bool found = false;
	pthread_mutex_lock(&kernel.lock);
	for (struct thread_group *g = thread ? t->tg : kernel.groups; g && !found;
	     g = thread ? NULL : g->next_group) {
		if (g->zombie || (leader && g->pid != pid))
			continue;
		for (struct task *o = g->threads; o && !found; o = o->next_in_group)
			if (o->tid == pid && o->mm && !o->exiting) {
				*clock = kernel.platform->cpu_clock(o->mm->as);
				found = true;
			}
	}
	pthread_mutex_unlock(&kernel.lock);
	return found;
}

/* The host clock that answers a guest clock id, or -EINVAL. CPU-time
 * clocks (the CPUTIME ids and the negative ones of clock_getcpuclockid(),
 * include/linux/posix-timers.h) measure the guest's code, not cvisor;
 * leader: a process clock must name a process, not one of its threads. */
static long host_clock(struct task *t, int id, clockid_t *out, bool leader)
{
	int which;
	clockid_t cpu = kernel.platform->cpu_clock(t->mm->as);
	if (id >= 0) {
		switch (id) {
		case CLOCK_REALTIME: case CLOCK_MONOTONIC: case CLOCK_MONOTONIC_RAW:
		case CLOCK_REALTIME_COARSE: case CLOCK_MONOTONIC_COARSE: case CLOCK_BOOTTIME:
		case CLOCK_REALTIME_ALARM: case CLOCK_BOOTTIME_ALARM: case CLOCK_TAI:
			*out = id; /* the alarm clocks: as the host has an RTC or not */
			return 0;
		case LINUX_CLOCK_PROCESS_CPUTIME_ID:
		case LINUX_CLOCK_THREAD_CPUTIME_ID:
			break;
		default:
			return -EINVAL;
		}
		which = 2; /* CPUCLOCK_SCHED */
	} else {
		which = id & 3;
		if (which == 3 || !cpu_clock_of(t, ~(id >> 3), id & 4, leader, &cpu))
			return -EINVAL;
	}
	*out = (cpu & ~3) | which;
	return 0;
}

long sys_clock_gettime(struct task *t, SYSCALL_ARGS)
{
	clockid_t id;
	long rc = host_clock(t, (int)a[0], &id, false);
	if (rc < 0)
		return rc;
	struct timespec ts;
	if (clock_gettime(id, &ts) < 0)
		return -errno;
	struct linux_timespec lt = { ts.tv_sec, ts.tv_nsec };
	return copy_to_guest(t, a[1], &lt, sizeof lt);
}

long sys_clock_getres(struct task *t, SYSCALL_ARGS)
{
	clockid_t id;
	long rc = host_clock(t, (int)a[0], &id, false);
	if (rc < 0)
		return rc;
	struct timespec ts;
	if (clock_getres(id, &ts) < 0)
		return -errno;
	if (!a[1])
		return 0;
	struct linux_timespec lt = { ts.tv_sec, ts.tv_nsec };
	return copy_to_guest(t, a[1], &lt, sizeof lt);
}

long sys_gettimeofday(struct task *t, SYSCALL_ARGS)
{
	if (a[0]) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		struct linux_timeval tv = { ts.tv_sec, ts.tv_nsec / 1000 };
		if (copy_to_guest(t, a[0], &tv, sizeof tv) < 0)
			return -EFAULT;
	}
	if (a[1]) {
		/* struct timezone: always zero on Linux unless settimeofday set it. */
		static const int tz[2];
		if (copy_to_guest(t, a[1], tz, sizeof tz) < 0)
			return -EFAULT;
	}
	return 0;
}

long sys_time(struct task *t, SYSCALL_ARGS)
{
	int64_t now = (int64_t)time(NULL);
	if (a[0] && copy_to_guest(t, a[0], &now, sizeof now) < 0)
		return -EFAULT;
	return now;
}

/* A CPU-time sleep's wake-up: the timer service watches the clock. */
struct cpu_sleep {
	struct ktimer k;
	bool fired;
};

static void cpu_sleep_fire(struct ktimer *k)
{
	((struct cpu_sleep *)k->owner)->fired = true;
	kernel_wake_all();
}

/* Wait until the CPU clock reaches deadline (kernel.lock held): 0, or
 * -ERESTARTSYS on a signal. Other threads of the process spend the time. */
static int cpu_sleep_until(struct task *t, clockid_t clock, const struct timespec *deadline)
{
	int64_t until = deadline->tv_sec * 1000000000LL + deadline->tv_nsec;
	if (timer_now_ns(clock) >= until)
		return 0;
	struct cpu_sleep s = { .k = { .clock = clock, .fire = cpu_sleep_fire, .owner = &s } };
	timer_arm(&s.k, until, 0);
	int rc;
	while (!s.fired && (rc = kernel_sleep(t)) == 0)
		;
	timer_disarm(&s.k);
	return s.fired ? 0 : rc;
}

/* Host CPU-time clock ids are negative (include/linux/posix-timers.h). */
static bool cpu_clock(clockid_t clock)
{
	return clock < 0;
}

/* Sleep until deadline on clock. On a signal: the remaining time into rem
 * (if any), and -ERESTART_RESTARTBLOCK so that without a handler the sleep
 * goes on through restart_syscall. */
static long sleep_until(struct task *t, clockid_t clock, const struct timespec *deadline, uint64_t rem)
{
	pthread_mutex_lock(&kernel.lock);
	long rc;
	if (cpu_clock(clock))
		rc = cpu_sleep_until(t, clock, deadline) == 0 ? -ETIMEDOUT : -ERESTARTSYS;
	else
		while ((rc = kernel_sleep_until(t, clock, deadline)) == 0)
			;
	pthread_mutex_unlock(&kernel.lock);
	if (rc == -ETIMEDOUT)
		return 0;
	t->restart.clock = clock;
	t->restart.deadline = *deadline;
	t->restart.rem = rem;
	if (rem) {
		struct timespec now;
		clock_gettime(clock, &now);
		int64_t ns = (deadline->tv_sec - now.tv_sec) * 1000000000LL + (deadline->tv_nsec - now.tv_nsec);
		if (ns < 0)
			ns = 0;
		struct linux_timespec left = { ns / 1000000000LL, ns % 1000000000LL };
		if (copy_to_guest(t, rem, &left, sizeof left) < 0)
			return -EFAULT;
	}
	return -ERESTART_RESTARTBLOCK;
}

static long do_nanosleep(struct task *t, clockid_t clock, bool absolute, uint64_t req, uint64_t rem)
{
	struct timespec deadline;
	long rc = guest_deadline(t, req, clock, absolute, &deadline);
	return rc < 0 ? rc : sleep_until(t, clock, &deadline, absolute ? 0 : rem);
}

long sys_nanosleep(struct task *t, SYSCALL_ARGS)
{
	return do_nanosleep(t, CLOCK_MONOTONIC, false, a[0], a[1]);
}

/* include/uapi/linux/time.h */
#define LINUX_TIMER_ABSTIME 1

/* kernel/time/posix-timers.c clock_nanosleep: a clock without a sleep
 * (the raw and coarse ones, the thread CPU clock, clock fds) is EOPNOTSUPP
 * before the request is read; an unknown one EINVAL. */
long sys_clock_nanosleep(struct task *t, SYSCALL_ARGS)
{
	int id = (int)a[0];
	bool absolute = a[1] & LINUX_TIMER_ABSTIME;
	clockid_t clock = id;
	switch (id) {
	case CLOCK_REALTIME: case CLOCK_MONOTONIC: case CLOCK_BOOTTIME: case CLOCK_TAI:
	case CLOCK_REALTIME_ALARM: case CLOCK_BOOTTIME_ALARM:
	case LINUX_CLOCK_PROCESS_CPUTIME_ID:
		break;
	case LINUX_CLOCK_THREAD_CPUTIME_ID: case CLOCK_MONOTONIC_RAW:
	case CLOCK_REALTIME_COARSE: case CLOCK_MONOTONIC_COARSE:
		return -EOPNOTSUPP;
	default:
		if (id >= 0)
			return -EINVAL;
		if ((id & 7) == 3) /* CLOCKFD: a posix clock device */
			return -EOPNOTSUPP;
	}
	struct timespec req;
	long rc = guest_timespec(t, a[2], &req);
	if (rc < 0)
		return rc;
	/* The alarm clocks need an RTC wake-up the sandbox never offers (as a
	 * host without one: alarmtimer_get_rtcdev() fails). */
	if (id == CLOCK_REALTIME_ALARM || id == CLOCK_BOOTTIME_ALARM)
		return -EOPNOTSUPP;
	if (id < 0 || id == LINUX_CLOCK_PROCESS_CPUTIME_ID) {
		/* posix_cpu_nsleep: never on the caller's own thread clock. */
		if (id < 0 && (id & 4) && (~(id >> 3) == 0 || ~(id >> 3) == t->tid))
			return -EINVAL;
		if ((rc = host_clock(t, id, &clock, true)) < 0)
			return rc;
		rc = do_nanosleep(t, clock, absolute, a[2], a[3]);
		/* An absolute CPU sleep restarts as a whole, never by
		 * restart_syscall. */
		return absolute && rc == -ERESTART_RESTARTBLOCK ? -ERESTARTNOHAND : rc;
	}
	return do_nanosleep(t, clock, absolute, a[2], a[3]);
}

long sys_restart_syscall(struct task *t, SYSCALL_ARGS)
{
	(void)a;
	struct timespec deadline = t->restart.deadline;
	return sleep_until(t, t->restart.clock, &deadline, t->restart.rem);
}
