/* nanosleep and clock_nanosleep: sleeps last, errors, and a signal
 * interrupting a sleep (EINTR with a handler and the remaining time;
 * restarted transparently without one). */
#include "guest.h"
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long ms_since(const struct timespec *a)
{
	struct timespec b;
	clock_gettime(CLOCK_MONOTONIC, &b);
	return (b.tv_sec - a->tv_sec) * 1000 + (b.tv_nsec - a->tv_nsec) / 1000000;
}

static void on_alarm(int sig)
{
	(void)sig;
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	struct timespec start, req = { 0, 50 * 1000 * 1000 }, rem;
	clock_gettime(CLOCK_MONOTONIC, &start);
	SHOW("nanosleep 50ms", nanosleep(&req, NULL));
	printf("slept at least 50ms=%d\n", ms_since(&start) >= 50);

	struct timespec bad = { 0, 1000000000 };
	SHOW("nanosleep bad nsec", nanosleep(&bad, NULL));
	struct timespec neg = { -1, 0 };
	SHOW("nanosleep negative", nanosleep(&neg, NULL));
	SHOW("nanosleep bad pointer", syscall(SYS_nanosleep, (void *)8, NULL));

	clock_gettime(CLOCK_MONOTONIC, &start);
	struct timespec until = start;
	until.tv_nsec += 30 * 1000 * 1000;
	if (until.tv_nsec >= 1000000000) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000;
	}
	int r = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, NULL);
	printf("clock_nanosleep absolute: %d, slept at least 30ms=%d\n", r, ms_since(&start) >= 30);
	printf("clock_nanosleep bad clock: %s\n", errname(clock_nanosleep(99, 0, &req, NULL)));
	printf("clock_nanosleep thread clock: %s\n",
	       errname(clock_nanosleep(CLOCK_THREAD_CPUTIME_ID, 0, &req, NULL)));

	/* A child interrupts our sleep with a signal we handle. */
	struct sigaction sa = { .sa_handler = on_alarm };
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
	struct timespec longer = { 5, 0 };
	errno = 0;
	r = nanosleep(&longer, &rem);
	printf("interrupted nanosleep: %d %s, remaining between 3s and 5s=%d\n", r, errname(errno),
	       rem.tv_sec >= 3 && rem.tv_sec < 5);
	waitpid(c, NULL, 0);

	/* Without a handler (SIGCHLD is ignored by default) the sleep goes on. */
	clock_gettime(CLOCK_MONOTONIC, &start);
	c = fork();
	if (c == 0)
		_exit(0);
	struct timespec d = { 0, 200 * 1000 * 1000 };
	r = nanosleep(&d, NULL);
	printf("sleep through an ignored SIGCHLD: %d, full 200ms=%d\n", r, ms_since(&start) >= 200);
	waitpid(c, NULL, 0);
	return 0;
}
