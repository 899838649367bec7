/* alarm, setitimer/getitimer, and POSIX timers deliver their signals. */
#include "guest.h"
#include <signal.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t alarms, timer_sigs, timer_value, timer_code;

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

static void on_timer(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	timer_sigs++;
	timer_value = si->si_value.sival_int;
	timer_code = si->si_code;
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	struct sigaction sa = { .sa_handler = on_alarm };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);

	printf("alarm(0) with none pending: %u\n", alarm(0));
	alarm(5);
	printf("alarm(0) after alarm(5): %u\n", alarm(0));
	alarm(1);
	pause();
	printf("alarm fired: %d\n", alarms);

	/* A periodic itimer: three ticks. */
	struct itimerval it = { { 0, 20000 }, { 0, 20000 } }, cur;
	alarms = 0;
	SHOW("setitimer REAL", setitimer(ITIMER_REAL, &it, NULL));
	while (alarms < 3)
		pause();
	getitimer(ITIMER_REAL, &cur);
	printf("periodic: 3 ticks, interval kept=%d\n", cur.it_interval.tv_usec == 20000);
	struct itimerval off = { { 0, 0 }, { 0, 0 } };
	setitimer(ITIMER_REAL, &off, NULL);
	getitimer(ITIMER_REAL, &cur);
	printf("disarmed: value 0=%d\n", cur.it_value.tv_sec == 0 && cur.it_value.tv_usec == 0);
	SHOW("setitimer bad which", setitimer(5, &it, NULL));
	struct itimerval bad = { { 0, 0 }, { 0, 1000000 } };
	SHOW("setitimer bad usec", setitimer(ITIMER_REAL, &bad, NULL));

	/* A CPU-time itimer fires while we compute. */
	struct sigaction sv = { .sa_handler = on_alarm };
	sigemptyset(&sv.sa_mask);
	sigaction(SIGVTALRM, &sv, NULL);
	alarms = 0;
	struct itimerval v = { { 0, 0 }, { 0, 20000 } };
	setitimer(ITIMER_VIRTUAL, &v, NULL);
	for (volatile unsigned long i = 0; alarms == 0 && i < 4000000000UL; i++)
		;
	printf("ITIMER_VIRTUAL fired: %d\n", alarms);

	/* POSIX timers. */
	struct sigaction st = { .sa_sigaction = on_timer, .sa_flags = SA_SIGINFO };
	sigemptyset(&st.sa_mask);
	sigaction(SIGRTMIN, &st, NULL);
	struct sigevent ev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGRTMIN };
	ev.sigev_value.sival_int = 1234;
	timer_t tm;
	SHOW("timer_create", timer_create(CLOCK_MONOTONIC, &ev, &tm));
	struct itimerspec ts = { { 0, 0 }, { 0, 30 * 1000 * 1000 } }, got;
	SHOW("timer_settime", timer_settime(tm, 0, &ts, NULL));
	timer_gettime(tm, &got);
	printf("timer_gettime: armed=%d\n", got.it_value.tv_nsec > 0 || got.it_value.tv_sec > 0);
	while (timer_sigs == 0)
		pause();
	printf("timer fired: value=%d SI_TIMER=%d\n", timer_value, timer_code == SI_TIMER);
	printf("timer_getoverrun: %d\n", timer_getoverrun(tm));
	SHOW("timer_delete", timer_delete(tm));
	SHOW("timer_delete again", timer_delete(tm));
	SHOW("timer_create bad clock", timer_create(99, &ev, &tm));
	ev.sigev_signo = 99;
	SHOW("timer_create bad signal", timer_create(CLOCK_MONOTONIC, &ev, &tm));
	return 0;
}
