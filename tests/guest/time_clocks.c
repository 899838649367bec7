/* Time: clock_gettime and clock_getres for every clock id (raw syscalls,
 * not the vDSO), gettimeofday and time. Only whether calls succeed and
 * coarse sanity of the values are printed. */
#include "guest.h"
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

/* Dynamic CPU clock ids (include/linux/posix-timers.h). */
#define CPUCLOCK_PROF 0
#define CPUCLOCK_VIRT 1
#define CPUCLOCK_SCHED 2
#define PROCESS_CPUCLOCK(pid, c) ((int)((~(unsigned)(pid)) << 3) | (c))
#define THREAD_CPUCLOCK(tid, c) ((int)((~(unsigned)(tid)) << 3) | 4 | (c))

static const char *ts_ok(const struct timespec *ts)
{
	return ts->tv_nsec >= 0 && ts->tv_nsec < 1000000000 && ts->tv_sec >= 0 ? "sane" : "INSANE";
}

static void one_clock(const char *what, long id)
{
	struct timespec ts = { -1, -1 }, res = { -1, -1 };
	errno = 0;
	long r = syscall(SYS_clock_gettime, id, &ts);
	printf("clock_gettime(%s): %s", what, r == 0 ? "0" : errname(errno));
	if (r == 0)
		printf(" %s", ts_ok(&ts));
	errno = 0;
	r = syscall(SYS_clock_getres, id, &res);
	printf(", clock_getres: %s", r == 0 ? "0" : errname(errno));
	if (r == 0)
		printf(" %s, <= 1s: %d", ts_ok(&res), res.tv_sec == 0 || (res.tv_sec == 1 && res.tv_nsec == 0));
	printf("\n");
}

int main(void)
{
	static const struct { int id; const char *name; } clocks[] = {
		{ 0, "REALTIME" }, { 1, "MONOTONIC" }, { 2, "PROCESS_CPUTIME_ID" },
		{ 3, "THREAD_CPUTIME_ID" }, { 4, "MONOTONIC_RAW" }, { 5, "REALTIME_COARSE" },
		{ 6, "MONOTONIC_COARSE" }, { 7, "BOOTTIME" },
		/* 8, 9: the ALARM clocks need an RTC; host-specific. */
		{ 10, "SGI_CYCLE (gone)" }, { 11, "TAI" }, { 12, "12" }, { 15, "15" }, { 16, "16" },
		{ 99, "99" }, { 0x7fffffff, "INT_MAX" },
	};
	for (size_t i = 0; i < sizeof clocks / sizeof clocks[0]; i++)
		one_clock(clocks[i].name, clocks[i].id);

	/* Negative ids are CPU clocks: pid/tid in the high bits, 0 = self. */
	one_clock("-1 (bad cpu clock type)", -1);
	one_clock("-5 (bad cpu clock type)", -5);
	one_clock("process SCHED, self", PROCESS_CPUCLOCK(0, CPUCLOCK_SCHED));
	one_clock("process PROF, self", PROCESS_CPUCLOCK(0, CPUCLOCK_PROF));
	one_clock("process VIRT, self", PROCESS_CPUCLOCK(0, CPUCLOCK_VIRT));
	one_clock("thread SCHED, self", THREAD_CPUCLOCK(0, CPUCLOCK_SCHED));
	one_clock("thread PROF, self", THREAD_CPUCLOCK(0, CPUCLOCK_PROF));
	one_clock("process SCHED, own pid", PROCESS_CPUCLOCK(syscall(SYS_getpid), CPUCLOCK_SCHED));
	one_clock("thread SCHED, own tid", THREAD_CPUCLOCK(syscall(SYS_gettid), CPUCLOCK_SCHED));
	one_clock("process SCHED, pid 999999", PROCESS_CPUCLOCK(999999, CPUCLOCK_SCHED));
	one_clock("INT_MIN", (int)0x80000000);
	/* The id is an int: high bits of the register are ignored. */
	one_clock("1 | 1<<32", (long)((1UL << 32) | 1));

	printf("-- pointers\n");
	SHOWN("clock_gettime(REALTIME, NULL)", syscall(SYS_clock_gettime, CLOCK_REALTIME, NULL));
	SHOWN("clock_gettime(REALTIME, bad ptr)", syscall(SYS_clock_gettime, CLOCK_REALTIME, (void *)1));
	SHOWN("clock_gettime(MONOTONIC, kernel ptr)", syscall(SYS_clock_gettime, CLOCK_MONOTONIC, 0xffff800000000000UL));
	SHOWN("clock_gettime(99, bad ptr)", syscall(SYS_clock_gettime, 99, (void *)1));
	SHOWN("clock_getres(REALTIME, NULL)", syscall(SYS_clock_getres, CLOCK_REALTIME, NULL));
	SHOWN("clock_getres(99, NULL)", syscall(SYS_clock_getres, 99, NULL));
	SHOWN("clock_getres(REALTIME, bad ptr)", syscall(SYS_clock_getres, CLOCK_REALTIME, (void *)1));
	SHOWN("clock_getres(99, bad ptr)", syscall(SYS_clock_getres, 99, (void *)1));

	printf("-- values\n");
	struct timespec a, b;
	syscall(SYS_clock_gettime, CLOCK_REALTIME, &a);
	printf("REALTIME after 2020: %d\n", a.tv_sec > 1577836800);
	syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &a);
	syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &b);
	printf("MONOTONIC does not go back: %d\n",
	       b.tv_sec > a.tv_sec || (b.tv_sec == a.tv_sec && b.tv_nsec >= a.tv_nsec));
	syscall(SYS_clock_gettime, CLOCK_BOOTTIME, &b);
	printf("BOOTTIME >= MONOTONIC: %d\n", b.tv_sec >= a.tv_sec);
	struct timespec res;
	syscall(SYS_clock_getres, CLOCK_MONOTONIC, &res);
	printf("MONOTONIC resolution <= 1ms: %d\n", res.tv_sec == 0 && res.tv_nsec <= 1000000);

	printf("-- gettimeofday\n");
	struct timeval tv = { -1, -1 };
	struct timezone tz = { -1, -1 };
	SHOWN("gettimeofday(&tv, NULL)", syscall(SYS_gettimeofday, &tv, NULL));
	printf("usec in range: %d, after 2020: %d\n", tv.tv_usec >= 0 && tv.tv_usec < 1000000, tv.tv_sec > 1577836800);
	SHOWN("gettimeofday(&tv, &tz)", syscall(SYS_gettimeofday, &tv, &tz));
	printf("tz written: %d\n", tz.tz_minuteswest != -1 && tz.tz_dsttime != -1);
	SHOWN("gettimeofday(NULL, NULL)", syscall(SYS_gettimeofday, NULL, NULL));
	SHOWN("gettimeofday(NULL, &tz)", syscall(SYS_gettimeofday, NULL, &tz));
	SHOWN("gettimeofday(bad ptr, NULL)", syscall(SYS_gettimeofday, (void *)1, NULL));
	SHOWN("gettimeofday(&tv, bad ptr)", syscall(SYS_gettimeofday, &tv, (void *)1));
	syscall(SYS_clock_gettime, CLOCK_REALTIME, &a);
	syscall(SYS_gettimeofday, &tv, NULL);
	printf("agrees with REALTIME: %d\n", tv.tv_sec - a.tv_sec <= 1 && tv.tv_sec >= a.tv_sec);

	printf("-- time\n");
	long t1 = syscall(SYS_time, NULL);
	printf("time(NULL) after 2020: %d\n", t1 > 1577836800);
	int64_t t2 = 0;
	long t3 = syscall(SYS_time, &t2);
	printf("time(&t) stores its result: %d\n", t2 == t3);
	printf("agrees with REALTIME: %d\n", t3 >= a.tv_sec && t3 - a.tv_sec <= 1);
	SHOWN("time(bad ptr)", syscall(SYS_time, (void *)1));
	SHOWN("time(kernel ptr)", syscall(SYS_time, 0xffff800000000000UL));
	return 0;
}
