/* clock_nanosleep on CPU-time clocks (raw syscalls: the libcs refuse the
 * thread clock themselves): which clocks sleep, their errors, a sleep that
 * ends when another thread spent the time, a signal interrupting one. */
#include "guest.h"
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* include/linux/posix-timers.h: a CPU clock id for pid (0: the caller). */
static long cpu_clock_id(long pid, int thread, int which)
{
	return (~pid << 3) | (thread ? 4 : 0) | which;
}

static long csleep(long id, int flags, const struct timespec *req, struct timespec *rem)
{
	return syscall(SYS_clock_nanosleep, id, flags, req, rem);
}

static void try(const char *what, long id, int flags, long sec, long nsec)
{
	struct timespec ts = { sec, nsec };
	errno = 0;
	long r = csleep(id, flags, &ts, NULL);
	printf("%s: %s\n", what, r == 0 ? "0" : errname(errno));
}

static atomic_int stop_spinning;
static void *spin(void *arg)
{
	while (!atomic_load(&stop_spinning))
		;
	return arg;
}

static int64_t cpu_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void on_usr1(int sig)
{
	(void)sig;
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	/* Errors: before the request is read, then after. */
	try("THREAD_CPUTIME", CLOCK_THREAD_CPUTIME_ID, 0, 0, 1000);
	try("THREAD_CPUTIME absolute", CLOCK_THREAD_CPUTIME_ID, TIMER_ABSTIME, 0, 1000);
	try("MONOTONIC_RAW", CLOCK_MONOTONIC_RAW, 0, 0, 1000);
	try("REALTIME_COARSE", CLOCK_REALTIME_COARSE, 0, 0, 1000);
	try("MONOTONIC_COARSE", CLOCK_MONOTONIC_COARSE, 0, 0, 1000);
	try("clock 10", 10, 0, 0, 1000);
	try("clock 12", 12, 0, 0, 1000);
	try("clock fd id", cpu_clock_id(0, 0, 3), 0, 0, 1000);
	try("own thread clock (pid 0)", cpu_clock_id(0, 1, 2), 0, 0, 1000);
	try("own thread clock (tid)", cpu_clock_id(syscall(SYS_gettid), 1, 2), 0, 0, 1000);
	try("PROCESS bad nsec", CLOCK_PROCESS_CPUTIME_ID, 0, 0, 1000000000);
	try("PROCESS negative", CLOCK_PROCESS_CPUTIME_ID, 0, -1, 0);
	try("no such process's clock", cpu_clock_id(99999, 0, 2), 0, 0, 1000);
	errno = 0;
	printf("PROCESS bad pointer: %s\n", errname(csleep(CLOCK_PROCESS_CPUTIME_ID, 0, (void *)8, NULL) ? errno : 0));
	printf("THREAD bad pointer: %s\n", errname(csleep(CLOCK_THREAD_CPUTIME_ID, 0, (void *)8, NULL) ? errno : 0));

	/* Already reached: at once. */
	try("PROCESS absolute 0", CLOCK_PROCESS_CPUTIME_ID, TIMER_ABSTIME, 0, 0);
	try("PROCESS relative 0", CLOCK_PROCESS_CPUTIME_ID, 0, 0, 0);

	/* A spinning thread spends the process's time while we sleep. */
	pthread_t th;
	pthread_create(&th, NULL, spin, NULL);
	int64_t before = cpu_ns();
	try("PROCESS relative 30ms", CLOCK_PROCESS_CPUTIME_ID, 0, 0, 30 * 1000 * 1000);
	printf("process clock advanced 30ms=%d\n", cpu_ns() - before >= 30 * 1000 * 1000);
	clockid_t own;
	clock_getcpuclockid(0, &own);
	before = cpu_ns();
	try("own process clock relative 20ms", own, 0, 0, 20 * 1000 * 1000);
	printf("process clock advanced 20ms=%d\n", cpu_ns() - before >= 20 * 1000 * 1000);
	int64_t target = cpu_ns() + 20 * 1000 * 1000;
	try("PROCESS absolute +20ms", CLOCK_PROCESS_CPUTIME_ID, TIMER_ABSTIME, target / 1000000000,
	    target % 1000000000);
	printf("process clock reached it=%d\n", cpu_ns() >= target);
	try("prof clock relative 10ms", cpu_clock_id(0, 0, 0), 0, 0, 10 * 1000 * 1000);
	atomic_store(&stop_spinning, 1);
	pthread_join(th, NULL);

	/* Nothing spends time: a handled signal ends the sleep, EINTR, and
	 * nearly all of it remains. */
	struct sigaction sa = { .sa_handler = on_usr1 };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	pid_t parent = getpid();
	pid_t c = fork();
	if (c == 0) {
		struct timespec d = { 0, 100 * 1000 * 1000 };
		nanosleep(&d, NULL);
		kill(parent, SIGUSR1);
		_exit(0);
	}
	struct timespec req = { 2, 0 }, rem = { 0, 0 };
	errno = 0;
	long r = csleep(CLOCK_PROCESS_CPUTIME_ID, 0, &req, &rem);
	printf("interrupted CPU sleep: %ld %s, remaining above 1.5s=%d\n", r, errname(errno),
	       (rem.tv_sec == 1 && rem.tv_nsec > 500 * 1000 * 1000) ||
	       (rem.tv_sec == 2 && rem.tv_nsec == 0));
	waitpid(c, NULL, 0);

	/* Absolute: interrupted too, and rem untouched. */
	c = fork();
	if (c == 0) {
		struct timespec d = { 0, 50 * 1000 * 1000 };
		nanosleep(&d, NULL);
		kill(parent, SIGUSR1);
		_exit(0);
	}
	target = cpu_ns() + 2000000000LL;
	req = (struct timespec){ target / 1000000000, target % 1000000000 };
	rem = (struct timespec){ 7, 7 };
	errno = 0;
	r = csleep(CLOCK_PROCESS_CPUTIME_ID, TIMER_ABSTIME, &req, &rem);
	printf("interrupted absolute CPU sleep: %ld %s, rem untouched=%d\n", r, errname(errno),
	       rem.tv_sec == 7 && rem.tv_nsec == 7);
	waitpid(c, NULL, 0);

	/* A stop and a continue without handlers: the sleep goes on and ends
	 * when a thread spent the time. */
	atomic_store(&stop_spinning, 0);
	pthread_create(&th, NULL, spin, NULL);
	c = fork();
	if (c == 0) {
		struct timespec d2 = { 0, 20 * 1000 * 1000 };
		nanosleep(&d2, NULL);
		kill(parent, SIGSTOP);
		nanosleep(&d2, NULL);
		kill(parent, SIGCONT);
		_exit(0);
	}
	before = cpu_ns();
	req = (struct timespec){ 0, 150 * 1000 * 1000 };
	r = csleep(CLOCK_PROCESS_CPUTIME_ID, 0, &req, &rem);
	printf("CPU sleep across a stop: %ld, advanced 150ms=%d\n", r, cpu_ns() - before >= 150 * 1000 * 1000);
	atomic_store(&stop_spinning, 1);
	pthread_join(th, NULL);
	while (wait(NULL) > 0)
		;

	/* Another process's CPU clock: readable, and a sleep on it ends once
	 * that process spent the time; no such process: ESRCH from libc. */
	c = fork();
	if (c == 0)
		for (;;)
			;
	clockid_t theirs;
	printf("clock_getcpuclockid(child): %s\n", errname(clock_getcpuclockid(c, &theirs)));
	struct timespec ts;
	SHOW("clock_gettime(child's clock)", clock_gettime(theirs, &ts));
	SHOW("clock_getres(child's clock)", clock_getres(theirs, &ts));
	clock_gettime(theirs, &ts);
	int64_t theirs_before = ts.tv_sec * 1000000000LL + ts.tv_nsec;
	req = (struct timespec){ 0, 20 * 1000 * 1000 };
	r = csleep(theirs, 0, &req, NULL);
	clock_gettime(theirs, &ts);
	printf("sleep on the child's clock: %ld, it advanced 20ms=%d\n", r,
	       ts.tv_sec * 1000000000LL + ts.tv_nsec - theirs_before >= 20 * 1000 * 1000);
	/* A timer on it fires once the child spent the time. */
	sigset_t u;
	sigemptyset(&u);
	sigaddset(&u, SIGUSR1);
	sigprocmask(SIG_BLOCK, &u, NULL);
	timer_t ct;
	struct sigevent cev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGUSR1 };
	SHOW("timer_create(child's clock)", timer_create(theirs, &cev, &ct));
	struct itimerspec cits = { { 0, 0 }, { 0, 10 * 1000 * 1000 } };
	timer_settime(ct, 0, &cits, NULL);
	struct timespec five = { 5, 0 };
	siginfo_t csi;
	printf("timer on the child's clock fired: %d\n",
	       sigtimedwait(&u, &csi, &five) == SIGUSR1 && csi.si_code == SI_TIMER);
	timer_delete(ct);
	sigprocmask(SIG_UNBLOCK, &u, NULL);
	kill(c, SIGKILL);
	waitpid(c, NULL, 0);
	printf("clock_getcpuclockid(reaped child): %s\n", errname(clock_getcpuclockid(c, &theirs)));
	errno = 0;
	printf("clock_gettime(reaped child's clock): %s\n", errname(clock_gettime(theirs, &ts) ? errno : 0));

	/* Another thread's clock, readable too. */
	atomic_store(&stop_spinning, 0);
	pthread_create(&th, NULL, spin, NULL);
	clockid_t thread_clock;
	printf("pthread_getcpuclockid: %s\n", errname(pthread_getcpuclockid(th, &thread_clock)));
	SHOW("clock_gettime(other thread's clock)", clock_gettime(thread_clock, &ts));
	atomic_store(&stop_spinning, 1);
	pthread_join(th, NULL);
	return 0;
}
