/* Timeouts and deadlines near the top of time_t: Linux saturates them at
 * KTIME_MAX; none may overflow in the kernel (the fuzzer found one). */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "guest.h"

/* include/uapi/linux/futex.h (musl has no header for it) */
#define FUTEX_WAIT_PRIVATE 128
#define FUTEX_WAIT_BITSET_PRIVATE 137
#define FUTEX_BITSET_MATCH_ANY 0xffffffff

static const struct timespec huge = { INT64_MAX, 999999999 };

static void result(const char *what, long r)
{
	printf("%s: %s\n", what, r < 0 ? errname(errno) : r == 0 ? "0" : "ready");
}

static void on_alarm(int sig)
{
	(void)sig;
}

/* A sleep until the end of time, in a child (the guest is init under
 * cvisor) ended by a 20 ms itimer. */
static void sleep_forever(const char *what, int clock, int flags)
{
	pid_t pid = fork();
	if (pid == 0) {
		signal(SIGALRM, on_alarm);
		struct itimerval it = { { 0, 0 }, { 0, 20000 } };
		setitimer(ITIMER_REAL, &it, NULL);
		struct timespec ts = { INT64_MAX, 0 };
		int r = clock < 0 ? nanosleep(&ts, NULL) : clock_nanosleep(clock, flags, &ts, NULL);
		printf("%s: %s\n", what, r == 0 ? "0" : errname(clock < 0 ? errno : r));
		fflush(stdout);
		_exit(0);
	}
	waitpid(pid, NULL, 0);
}

int main(void)
{
	int p[2];
	pipe(p);
	write(p[1], "x", 1);
	struct pollfd pfd = { .fd = p[0], .events = POLLIN };
	result("ppoll", ppoll(&pfd, 1, &huge, NULL));
	fd_set set;
	FD_ZERO(&set);
	FD_SET(p[0], &set);
	result("pselect", pselect(p[0] + 1, &set, NULL, NULL, &huge, NULL));
	int ep = epoll_create1(0);
	struct epoll_event ev = { .events = EPOLLIN };
	epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev);
	result("epoll_pwait2", syscall(SYS_epoll_pwait2, ep, &ev, 1, &huge, NULL, 8));
	int word = 1;
	result("futex wait", syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 0, &huge, NULL, 0));
	result("futex wait_bitset abs", syscall(SYS_futex, &word, FUTEX_WAIT_BITSET_PRIVATE, 0, &huge, NULL,
						 FUTEX_BITSET_MATCH_ANY));
	struct timespec bad = { INT64_MAX, 1000000000 };
	result("ppoll bad nsec", ppoll(&pfd, 1, &bad, NULL));
	struct timespec neg = { -1, 0 };
	result("ppoll negative", ppoll(&pfd, 1, &neg, NULL));
	struct itimerval it = { { INT64_MAX, 999999 }, { INT64_MAX, 999999 } }, cur;
	result("setitimer huge", setitimer(ITIMER_REAL, &it, NULL));
	getitimer(ITIMER_REAL, &cur);
	printf("itimer left > 200 years: %s\n", cur.it_value.tv_sec > 200L * 366 * 86400 ? "yes" : "no");
	it = (struct itimerval){ { 0, 0 }, { 0, 0 } };
	setitimer(ITIMER_REAL, &it, NULL);
	timer_t tm;
	struct sigevent sev = { .sigev_notify = SIGEV_NONE };
	timer_create(CLOCK_MONOTONIC, &sev, &tm);
	struct itimerspec its = { huge, huge }, left;
	result("timer_settime huge", timer_settime(tm, 0, &its, NULL));
	timer_gettime(tm, &left);
	printf("timer left > 200 years: %s\n", left.it_value.tv_sec > 200L * 366 * 86400 ? "yes" : "no");
	fflush(stdout);
	sleep_forever("nanosleep", -1, 0);
	sleep_forever("clock_nanosleep monotonic", CLOCK_MONOTONIC, 0);
	sleep_forever("clock_nanosleep realtime abs", CLOCK_REALTIME, TIMER_ABSTIME);
	return 0;
}
