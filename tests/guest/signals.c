/* Signals: handlers and frames, masks, pending, sigsuspend, altstack,
 * faults caught and recovered, kill between processes, SIGCHLD, stop and
 * continue, sigtimedwait and sigqueue, abort.
 * TEST-ARGS: main
 * TEST-ARGS: abort
 * TEST-ARGS: kill-self-term
 * TEST-ARGS: ignored-fault */
#include "guest.h"
#include <setjmp.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t got, got_code, got_value, on_alt;
static sigjmp_buf jump;
static char altstack[65536];

static void handler(int sig)
{
	got = sig;
}

static void info_handler(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	got = sig;
	got_code = si->si_code;
	got_value = si->si_value.sival_int;
}

static void alt_handler(int sig)
{
	char here;
	got = sig;
	on_alt = &here >= altstack && &here < altstack + sizeof altstack;
}

static void segv_handler(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	got = sig;
	got_code = si->si_code;
	got_value = si->si_addr == (void *)24;
	siglongjmp(jump, 1);
}

/* Registers and FP state survive a handler: computed across a signal. */
static double fp_across_signal(void)
{
	volatile double x = 1.5;
	double y = x * 3.0;
	raise(SIGUSR1);
	return y + x;
}

static void test_basics(void)
{
	struct sigaction sa = { .sa_handler = handler };
	sigemptyset(&sa.sa_mask);
	SHOW("sigaction USR1", sigaction(SIGUSR1, &sa, NULL));
	got = 0;
	SHOW("raise USR1", raise(SIGUSR1));
	printf("handler ran: sig=%d\n", got);
	printf("fp across a handler: %.2f\n", fp_across_signal());

	SHOW("sigaction SIGKILL", sigaction(SIGKILL, &sa, NULL));
	SHOW("sigaction 0", syscall(SYS_rt_sigaction, 0, NULL, NULL, 8));
	SHOW("sigaction 65", syscall(SYS_rt_sigaction, 65, NULL, NULL, 8));
	SHOW("sigaction bad size", syscall(SYS_rt_sigaction, SIGUSR1, NULL, NULL, 4));
	SHOW("sigprocmask bad how", syscall(SYS_rt_sigprocmask, 7, &sa.sa_mask, NULL, 8));

	/* Blocked: pending, delivered on unblock. */
	sigset_t block, old, pend;
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigprocmask(SIG_BLOCK, &block, &old);
	got = 0;
	raise(SIGUSR1);
	sigpending(&pend);
	printf("blocked: ran=%d pending=%d\n", got != 0, sigismember(&pend, SIGUSR1));
	sigprocmask(SIG_SETMASK, &old, NULL);
	printf("unblocked: ran=%d\n", got == SIGUSR1);

	/* SA_SIGINFO and sigqueue's value. */
	struct sigaction si = { .sa_sigaction = info_handler, .sa_flags = SA_SIGINFO };
	sigemptyset(&si.sa_mask);
	sigaction(SIGRTMIN + 1, &si, NULL);
	sigqueue(getpid(), SIGRTMIN + 1, (union sigval){ .sival_int = 77 });
	printf("sigqueue: sig is RTMIN+1=%d code=SI_QUEUE:%d value=%d\n", got == SIGRTMIN + 1,
	       got_code == SI_QUEUE, got_value);
	kill(getpid(), SIGRTMIN + 1);
	printf("kill: code=SI_USER:%d\n", got_code == SI_USER);

	/* SA_RESETHAND: once, then the default. */
	struct sigaction once = { .sa_handler = handler, .sa_flags = SA_RESETHAND };
	sigemptyset(&once.sa_mask);
	sigaction(SIGUSR2, &once, NULL);
	raise(SIGUSR2);
	struct sigaction now;
	sigaction(SIGUSR2, NULL, &now);
	printf("SA_RESETHAND: back to default=%d\n", now.sa_handler == SIG_DFL);

	/* Ignored signals vanish. */
	signal(SIGUSR2, SIG_IGN);
	raise(SIGUSR2);
	printf("ignored SIGUSR2: still alive\n");

	/* The alternate stack. */
	stack_t ss = { .ss_sp = altstack, .ss_size = sizeof altstack };
	SHOW("sigaltstack", sigaltstack(&ss, NULL));
	stack_t small = { .ss_sp = altstack, .ss_size = 100 };
	SHOW("sigaltstack too small", sigaltstack(&small, NULL));
	struct sigaction as = { .sa_handler = alt_handler, .sa_flags = SA_ONSTACK };
	sigemptyset(&as.sa_mask);
	sigaction(SIGUSR2, &as, NULL);
	raise(SIGUSR2);
	printf("SA_ONSTACK: ran on the alternate stack=%d\n", on_alt);

	/* A fault caught, and recovered from with siglongjmp. */
	struct sigaction sv = { .sa_sigaction = segv_handler, .sa_flags = SA_SIGINFO };
	sigemptyset(&sv.sa_mask);
	sigaction(SIGSEGV, &sv, NULL);
	if (sigsetjmp(jump, 1) == 0) {
		int *volatile p = (int *)24;
		*p = 1;
	}
	printf("SIGSEGV caught: sig=%d SEGV_MAPERR=%d si_addr right=%d\n", got, got_code == SEGV_MAPERR,
	       got_value);
	signal(SIGSEGV, SIG_DFL);

	/* A blocked signal with the default action waits for sigwait (even
	 * for a pid namespace's init, which drops unblocked ones). */
	sigset_t s2;
	sigemptyset(&s2);
	sigaddset(&s2, SIGUSR2);
	signal(SIGUSR2, SIG_DFL);
	sigprocmask(SIG_BLOCK, &s2, NULL);
	kill(getpid(), SIGUSR2);
	int got2 = 0;
	sigwait(&s2, &got2);
	printf("sigwait took a blocked default-action signal: %d\n", got2 == SIGUSR2);
	sigprocmask(SIG_UNBLOCK, &s2, NULL);

	/* SIG_IGN discards what is queued, info and all: a later signal
	 * brings only its own. */
	sigset_t rt;
	sigemptyset(&rt);
	sigaddset(&rt, SIGRTMIN + 2);
	sigprocmask(SIG_BLOCK, &rt, NULL);
	signal(SIGRTMIN + 2, handler);
	sigqueue(getpid(), SIGRTMIN + 2, (union sigval){ .sival_int = 1 });
	sigqueue(getpid(), SIGRTMIN + 2, (union sigval){ .sival_int = 2 });
	signal(SIGRTMIN + 2, SIG_IGN);
	signal(SIGRTMIN + 2, handler);
	sigqueue(getpid(), SIGRTMIN + 2, (union sigval){ .sival_int = 3 });
	siginfo_t rsi;
	struct timespec zero = { 0, 0 };
	int first = sigtimedwait(&rt, &rsi, &zero) == SIGRTMIN + 2 ? rsi.si_value.sival_int : 0;
	int more = sigtimedwait(&rt, &rsi, &zero) == SIGRTMIN + 2;
	printf("queued rt signals discarded by SIG_IGN: next value %d, more %d\n", first, more);
	sigprocmask(SIG_UNBLOCK, &rt, NULL);
	signal(SIGRTMIN + 2, SIG_DFL);
}

static void test_processes(void)
{
	/* Kill a child; its status shows the signal. */
	pid_t c = fork();
	if (c == 0) {
		for (;;)
			pause();
	}
	SHOW("kill child TERM", kill(c, SIGTERM));
	int st;
	waitpid(c, &st, 0);
	printf("child killed by TERM=%d\n", WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM);
	SHOW("kill a reaped child", kill(c, 0));
	SHOW("kill bad signal", kill(getpid(), 99));

	/* SIGCHLD handler, and sigsuspend waiting for it. */
	struct sigaction sa = { .sa_handler = handler };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGCHLD, &sa, NULL);
	sigset_t block, old;
	sigemptyset(&block);
	sigaddset(&block, SIGCHLD);
	sigprocmask(SIG_BLOCK, &block, &old);
	got = 0;
	c = fork();
	if (c == 0)
		_exit(4);
	sigset_t wait_mask = old;
	sigdelset(&wait_mask, SIGCHLD);
	errno = 0;
	int r = sigsuspend(&wait_mask);
	printf("sigsuspend: %d %s, SIGCHLD ran=%d\n", r, errname(errno), got == SIGCHLD);
	sigprocmask(SIG_SETMASK, &old, NULL);
	waitpid(c, &st, 0);
	printf("child exit 4=%d\n", WIFEXITED(st) && WEXITSTATUS(st) == 4);
	signal(SIGCHLD, SIG_DFL);

	/* Stop and continue, seen through waitpid. */
	c = fork();
	if (c == 0) {
		for (;;)
			pause();
	}
	kill(c, SIGSTOP);
	waitpid(c, &st, WUNTRACED);
	printf("stopped by STOP=%d\n", WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP);
	kill(c, SIGCONT);
	waitpid(c, &st, WCONTINUED);
	printf("continued=%d\n", WIFCONTINUED(st));
	kill(c, SIGKILL);
	waitpid(c, &st, 0);
	printf("then killed by KILL=%d\n", WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);

	/* sigtimedwait takes a blocked signal without running a handler. */
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigprocmask(SIG_BLOCK, &block, NULL);
	raise(SIGUSR1);
	siginfo_t info;
	struct timespec zero = { 0, 0 };
	printf("sigtimedwait: %d\n", sigtimedwait(&block, &info, &zero));
	errno = 0;
	printf("sigtimedwait again: %d %s\n", sigtimedwait(&block, &info, &zero), errname(errno));
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	const char *what = argc > 1 ? argv[1] : "main";
	if (strcmp(what, "main") != 0) {
		/* In a child: under cvisor this program is the namespace's init,
		 * which ignores signals it has no handler for. */
		pid_t c = fork();
		if (c == 0) {
			if (strcmp(what, "abort") == 0)
				abort();
			if (strcmp(what, "kill-self-term") == 0)
				kill(getpid(), SIGTERM);
			if (strcmp(what, "ignored-fault") == 0) {
				/* An ignored or blocked fault still kills. */
				signal(SIGSEGV, SIG_IGN);
				int *volatile p = (int *)8;
				*p = 1;
			}
			_exit(0);
		}
		int st;
		waitpid(c, &st, 0);
		printf("%s: killed=%d by %d\n", what, WIFSIGNALED(st), WIFSIGNALED(st) ? WTERMSIG(st) : 0);
		return 0;
	}
	test_basics();
	test_processes();
	return 0;
}
