/* Time: the host's clocks, read for the guest. */
#include <errno.h>
#include <time.h>
#include <sys/time.h>

#include "guest_mem.h"
#include "mm.h"
#include "syscalls.h"

/* The host clock that answers a guest clock id, or -EINVAL. CPU-time
 * clocks (the CPUTIME ids and the negative ones of clock_getcpuclockid(),
 * include/linux/posix-timers.h) measure the guest's code, not cvisor. */
static long host_clock(struct task *t, int id, clockid_t *out)
{
	int which;
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
		int pid = ~(id >> 3);
		bool thread = id & 4;
		which = id & 3;
		if (which == 3 || (pid != 0 && pid != (thread ? t->tid : t->pid)))
			return -EINVAL;
	}
	*out = (kernel.platform->cpu_clock(t->mm->as) & ~3) | which;
	return 0;
}

long sys_clock_gettime(struct task *t, SYSCALL_ARGS)
{
	clockid_t id;
	long rc = host_clock(t, (int)a[0], &id);
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
	long rc = host_clock(t, (int)a[0], &id);
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
