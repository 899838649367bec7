/* alarm, setitimer/getitimer, and POSIX timers deliver their signals. */
#include "guest.h"
#include <signal.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t alarms, timer_sigs, timer_value, timer_code, timer_overrun,
	timer_getoverrun_in_handler;
static timer_t overrun_timer;

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
	timer_overrun = si->si_overrun;
	timer_getoverrun_in_handler = timer_getoverrun(overrun_timer);
}

static int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Whether an overrun fits the times measured around it (a loaded machine
 * stretches sleeps): a timer set between set0 and set1, first due after
 * first_ns and then every period_ns, its signal taken between take0 and
 * take1, missed the periods between its first expiry and the taking. */
static int overrun_fits(int overrun, int64_t set0, int64_t set1, int64_t first_ns, int64_t period_ns,
			int64_t take0, int64_t take1)
{
	int64_t lo = (take0 - (set1 + first_ns)) / period_ns, hi = (take1 - (set0 + first_ns)) / period_ns;
	return overrun >= (lo > 0 ? lo : 0) && overrun <= hi;
}

/* Wait (up to 5 s) until sig is pending. */
static void wait_pending(int sig)
{
	for (int i = 0; i < 5000; i++) {
		sigset_t pend;
		sigpending(&pend);
		if (sigismember(&pend, sig))
			return;
		usleep(1000);
	}
}

#define MS (1000 * 1000LL)

/* Overruns: a periodic timer whose signal waits does not queue another;
 * the periods missed meanwhile are counted when it is taken (Linux 6.13+:
 * at dequeue), in si_overrun and timer_getoverrun alike. */
static void test_overruns(void)
{
	struct sigevent ev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGRTMIN };
	timer_create(CLOCK_MONOTONIC, &ev, &overrun_timer);
	printf("getoverrun of a new timer: %d\n", timer_getoverrun(overrun_timer));
	sigset_t rt;
	sigemptyset(&rt);
	sigaddset(&rt, SIGRTMIN);
	sigprocmask(SIG_BLOCK, &rt, NULL);
	struct itimerspec its = { { 0, 20 * MS }, { 0, 20 * MS } };
	int64_t set0 = now_ns();
	timer_settime(overrun_timer, 0, &its, NULL);
	int64_t set1 = now_ns();
	usleep(210 * 1000);
	printf("getoverrun while its signal waits: %d\n", timer_getoverrun(overrun_timer));
	timer_sigs = 0;
	int64_t take0 = now_ns();
	sigprocmask(SIG_UNBLOCK, &rt, NULL);
	int64_t take1 = now_ns();
	printf("unblocked: one signal=%d, si_overrun several=%d and fits the time=%d, getoverrun agrees in handler=%d and after=%d\n",
	       timer_sigs, timer_overrun >= 5,
	       overrun_fits(timer_overrun, set0, set1, 20 * MS, 20 * MS, take0, take1),
	       timer_getoverrun_in_handler == timer_overrun, timer_getoverrun(overrun_timer) == timer_overrun);
	while (timer_sigs < 2)
		pause();
	/* The next period began after the first was taken. */
	printf("the next one: si_overrun fits the time=%d\n",
	       timer_overrun <= (now_ns() - take0) / (20 * MS));

	/* The same through sigwaitinfo. */
	sigprocmask(SIG_BLOCK, &rt, NULL);
	set0 = now_ns();
	timer_settime(overrun_timer, 0, &its, NULL);
	set1 = now_ns();
	usleep(110 * 1000);
	siginfo_t si;
	take0 = now_ns();
	int sig = sigwaitinfo(&rt, &si);
	take1 = now_ns();
	printf("sigwaitinfo: SIGRTMIN=%d SI_TIMER=%d overrun several=%d and fits the time=%d getoverrun agrees=%d\n",
	       sig == SIGRTMIN, si.si_code == SI_TIMER, si.si_overrun >= 2,
	       overrun_fits(si.si_overrun, set0, set1, 20 * MS, 20 * MS, take0, take1),
	       timer_getoverrun(overrun_timer) == si.si_overrun);
	timer_settime(overrun_timer, 0, &its, NULL);
	printf("set again: getoverrun=%d\n", timer_getoverrun(overrun_timer));
	wait_pending(SIGRTMIN);
	struct itimerspec cur;
	timer_gettime(overrun_timer, &cur);
	printf("gettime while its signal waits: interval kept=%d, next period under 20ms=%d\n",
	       cur.it_interval.tv_nsec == 20 * MS,
	       cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec > 0 && cur.it_value.tv_nsec <= 20 * MS);
	struct itimerspec off = { { 0, 0 }, { 0, 0 } };
	timer_settime(overrun_timer, 0, &off, NULL);
	sigset_t pend;
	sigpending(&pend);
	struct timespec zero = { 0, 0 };
	errno = 0;
	sig = sigtimedwait(&rt, &si, &zero);
	printf("disarmed with its signal pending: pending=%d, then taken: %s\n", sigismember(&pend, SIGRTMIN),
	       sig < 0 ? errname(errno) : "a signal");
	timer_delete(overrun_timer);
	sigprocmask(SIG_UNBLOCK, &rt, NULL);

	/* SIGEV_NONE never counts; a timer's standard signal queues besides
	 * the same signal from kill(). */
	timer_t none, alrm;
	struct sigevent en = { .sigev_notify = SIGEV_NONE };
	timer_create(CLOCK_MONOTONIC, &en, &none);
	struct itimerspec fast = { { 0, MS }, { 0, MS } };
	timer_settime(none, 0, &fast, NULL);
	usleep(20 * 1000);
	timer_gettime(none, &cur);
	printf("SIGEV_NONE: getoverrun=%d\n", timer_getoverrun(none));
	/* Nothing is sent, yet the timer runs: gettime shows its period. */
	struct itimerspec slow = { { 0, 30 * MS }, { 0, 10 * MS } };
	timer_settime(none, 0, &slow, NULL);
	usleep(25 * 1000);
	timer_gettime(none, &cur);
	printf("SIGEV_NONE periodic: next expiry within a period=%d\n",
	       cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec > 0 && cur.it_value.tv_nsec <= 30 * MS);
	struct itimerspec shot = { { 0, 0 }, { 0, MS } };
	timer_settime(none, 0, &shot, NULL);
	usleep(10 * 1000);
	timer_gettime(none, &cur);
	printf("SIGEV_NONE one-shot expired: value 0=%d\n", cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec == 0);
	timer_delete(none);
	struct sigevent ea = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGALRM };
	timer_create(CLOCK_MONOTONIC, &ea, &alrm);
	sigset_t al;
	sigemptyset(&al);
	sigaddset(&al, SIGALRM);
	sigprocmask(SIG_BLOCK, &al, NULL);
	kill(getpid(), SIGALRM);
	struct itimerspec once = { { 0, 0 }, { 0, 10 * MS } };
	timer_settime(alrm, 0, &once, NULL);
	struct timespec wait5 = { 5, 0 };
	int codes[3] = { 1, 1, 1 };
	for (int i = 0; i < 3; i++)
		if (sigtimedwait(&al, &si, i == 1 ? &wait5 : &zero) == SIGALRM)
			codes[i] = si.si_code;
	printf("SIGALRM from kill and from a timer: codes %s %s, then %s\n", codes[0] == SI_USER ? "SI_USER" : "?",
	       codes[1] == SI_TIMER ? "SI_TIMER" : "?", codes[2] == 1 ? "none" : "more");
	timer_delete(alrm);
	sigprocmask(SIG_UNBLOCK, &al, NULL);
}

static volatile sig_atomic_t ign_hits, ign_overrun;
static void on_ign_test(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	ign_hits++;
	ign_overrun = si->si_overrun;
}

/* A timer whose signal is ignored: a periodic one waits parked and its
 * signal comes as soon as a handler is set, counting the periods missed;
 * a one-shot's is lost. A pending timer signal discarded by SIG_IGN comes
 * back the same way (Linux 6.13+). */
static void test_ignored(void)
{
	struct sigaction sa = { .sa_sigaction = on_ign_test, .sa_flags = SA_SIGINFO };
	sigemptyset(&sa.sa_mask);
	signal(SIGUSR2, SIG_IGN);
	timer_t tm;
	struct sigevent ev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGUSR2 };
	timer_create(CLOCK_MONOTONIC, &ev, &tm);
	/* First due at once (1ns): it has surely expired after the sleep. */
	struct itimerspec its = { { 0, 50 * MS }, { 0, 1 } }, cur;
	int64_t set0 = now_ns();
	timer_settime(tm, 0, &its, NULL);
	int64_t set1 = now_ns();
	usleep(120 * 1000);
	timer_gettime(tm, &cur);
	printf("ignored periodic timer: still running=%d\n", cur.it_value.tv_nsec > 0);
	int64_t take0 = now_ns();
	sigaction(SIGUSR2, &sa, NULL);
	int64_t take1 = now_ns();
	printf("handler set: signal at once=%d, overrun fits the time=%d\n", ign_hits,
	       overrun_fits(ign_overrun, set0, set1, 1, 50 * MS, take0, take1));
	timer_delete(tm);

	signal(SIGUSR2, SIG_IGN);
	ign_hits = 0;
	timer_create(CLOCK_MONOTONIC, &ev, &tm);
	struct itimerspec once = { { 0, 0 }, { 0, 1 } };
	timer_settime(tm, 0, &once, NULL);
	usleep(30 * 1000);
	sigaction(SIGUSR2, &sa, NULL);
	usleep(30 * 1000);
	printf("ignored one-shot: lost=%d\n", ign_hits == 0);
	timer_delete(tm);

	sigset_t s, pend;
	sigemptyset(&s);
	sigaddset(&s, SIGUSR2);
	sigprocmask(SIG_BLOCK, &s, NULL);
	timer_create(CLOCK_MONOTONIC, &ev, &tm);
	its = (struct itimerspec){ { 0, 20 * MS }, { 0, 10 * MS } };
	set0 = now_ns();
	timer_settime(tm, 0, &its, NULL);
	set1 = now_ns();
	wait_pending(SIGUSR2);
	signal(SIGUSR2, SIG_IGN);
	sigpending(&pend);
	printf("pending timer signal, SIG_IGN: still pending=%d\n", sigismember(&pend, SIGUSR2));
	usleep(50 * 1000);
	sigaction(SIGUSR2, &sa, NULL);
	sigpending(&pend);
	printf("handler set: pending again=%d\n", sigismember(&pend, SIGUSR2));
	ign_hits = 0;
	take0 = now_ns();
	sigprocmask(SIG_UNBLOCK, &s, NULL);
	take1 = now_ns();
	printf("unblocked: delivered=%d, overrun several=%d and fits the time=%d\n", ign_hits, ign_overrun >= 2,
	       overrun_fits(ign_overrun, set0, set1, 10 * MS, 20 * MS, take0, take1));
	timer_delete(tm);
	signal(SIGUSR2, SIG_DFL);
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
	test_overruns();
	test_ignored();
	return 0;
}
