/* timer_create and friends through raw syscalls: which clocks take timers
 * (EOPNOTSUPP for those without, EINVAL for none), the order of the
 * checks, the sigevent forms, ids counting up even past failed creates,
 * and the errors of settime, gettime, getoverrun and delete. */
#include "guest.h"
#include <signal.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#ifndef sigev_notify_thread_id
#define sigev_notify_thread_id _sigev_un._tid
#endif

static void create(const char *what, long clock, void *ev)
{
	int id = -1;
	errno = 0;
	long r = syscall(SYS_timer_create, clock, ev, &id);
	if (r < 0)
		printf("%s: %s\n", what, errname(errno));
	else
		printf("%s: id %d\n", what, id);
}

/* The same, and the timer deleted again (its id stays used up). */
static void create_delete(const char *what, long clock, void *ev)
{
	int id = -1;
	errno = 0;
	long r = syscall(SYS_timer_create, clock, ev, &id);
	if (r < 0) {
		printf("%s: %s\n", what, errname(errno));
		return;
	}
	printf("%s: id %d\n", what, id);
	syscall(SYS_timer_delete, id);
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	struct sigevent ev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGUSR1 };
	create("REALTIME", CLOCK_REALTIME, &ev);
	create("MONOTONIC, no sigevent", CLOCK_MONOTONIC, NULL);
	create("MONOTONIC_RAW", CLOCK_MONOTONIC_RAW, &ev);
	create("REALTIME_COARSE", CLOCK_REALTIME_COARSE, &ev);
	create("MONOTONIC_COARSE", CLOCK_MONOTONIC_COARSE, &ev);
	create_delete("BOOTTIME", CLOCK_BOOTTIME, &ev);
	create_delete("TAI", CLOCK_TAI, &ev);
	create("clock 10", 10, &ev);
	create("clock 99", 99, &ev);
	create_delete("PROCESS_CPUTIME", CLOCK_PROCESS_CPUTIME_ID, &ev);
	create_delete("THREAD_CPUTIME", CLOCK_THREAD_CPUTIME_ID, &ev);
	clockid_t own;
	clock_getcpuclockid(0, &own);
	create_delete("clock_getcpuclockid(0)", own, &ev);
	create("no such process's CPU clock", ((-99999L - 1) * 8) | 2 /* ~pid << 3 | CPUCLOCK_SCHED */, &ev);
	create("clock fd id", -8L | 3, &ev);
	create("CPU clock kind 3 of a thread", -8L | 7, &ev);
	create("bad sigevent pointer", CLOCK_MONOTONIC, (void *)8);
	create("bad sigevent pointer, bad clock", 99, (void *)8);
	errno = 0;
	printf("bad id pointer: %s\n",
	       errname(syscall(SYS_timer_create, CLOCK_MONOTONIC, &ev, (void *)8) < 0 ? errno : 0));
	struct sigevent tid = ev;
	tid.sigev_notify = SIGEV_THREAD_ID;
	tid.sigev_notify_thread_id = 99999;
	create("SIGEV_THREAD_ID, no such thread", CLOCK_MONOTONIC, &tid);
	tid.sigev_notify_thread_id = (int)syscall(SYS_gettid);
	create_delete("SIGEV_THREAD_ID, this thread", CLOCK_MONOTONIC, &tid);
	tid.sigev_notify = SIGEV_THREAD_ID | SIGEV_THREAD;
	create("SIGEV_THREAD_ID|SIGEV_THREAD", CLOCK_MONOTONIC, &tid);
	struct sigevent th = ev;
	th.sigev_notify = SIGEV_THREAD; /* the kernel sees a signal */
	create_delete("SIGEV_THREAD", CLOCK_MONOTONIC, &th);
	th.sigev_notify = 77;
	create("notify 77", CLOCK_MONOTONIC, &th);
	th.sigev_notify = SIGEV_SIGNAL;
	th.sigev_signo = 0;
	create("signal 0", CLOCK_MONOTONIC, &th);
	th.sigev_signo = 65;
	create("signal 65", CLOCK_MONOTONIC, &th);
	th.sigev_notify = SIGEV_NONE;
	create_delete("SIGEV_NONE, signal 65", CLOCK_MONOTONIC, &th);

	/* Timer 0 (REALTIME, SIGUSR1) is ours. */
	struct itimerspec its = { { 0, 0 }, { 100, 0 } }, cur;
	SHOW("settime no such timer", syscall(SYS_timer_settime, 999, 0, &its, NULL));
	SHOW("settime negative id", syscall(SYS_timer_settime, -1, 0, &its, NULL));
	SHOW("settime unknown flags", syscall(SYS_timer_settime, 0, 0x10, &its, NULL));
	its.it_value.tv_nsec = -1;
	SHOW("settime bad nsec", syscall(SYS_timer_settime, 0, 0, &its, NULL));
	its.it_value.tv_nsec = 0;
	its.it_interval.tv_nsec = 1000000000;
	SHOW("settime bad interval", syscall(SYS_timer_settime, 0, 0, &its, NULL));
	SHOW("settime bad pointer", syscall(SYS_timer_settime, 0, 0, (void *)8, NULL));
	its.it_interval.tv_nsec = 0;
	SHOW("settime bad old pointer", syscall(SYS_timer_settime, 0, 0, &its, (void *)8));
	SHOW("gettime bad pointer", syscall(SYS_timer_gettime, 0, (void *)8));
	SHOW("gettime no such timer", syscall(SYS_timer_gettime, 999, &cur));
	syscall(SYS_timer_gettime, 0, &cur);
	printf("armed by the bad-old-pointer settime: %d\n", cur.it_value.tv_sec >= 99);
	SHOWN("getoverrun", syscall(SYS_timer_getoverrun, 0));
	SHOWN("getoverrun no such timer", syscall(SYS_timer_getoverrun, 999));
	SHOW("delete -1", syscall(SYS_timer_delete, -1));
	SHOW("delete timer 0", syscall(SYS_timer_delete, 0));
	SHOW("delete timer 0 again", syscall(SYS_timer_delete, 0));
	SHOW("delete timer 1", syscall(SYS_timer_delete, 1));
	create("after all that", CLOCK_MONOTONIC, &ev);
	return 0;
}
