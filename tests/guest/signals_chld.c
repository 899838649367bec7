/* SIGCHLD for a child's stops, continues and death (si_code CLD_STOPPED,
 * CLD_CONTINUED, CLD_KILLED with si_status), SA_NOCLDSTOP silencing the
 * first two, and the matching waitpid/waitid reports. */
#include "guest.h"
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int nocldstop;
static const char *code_name(int c);

/* The SIGCHLD the last step sent, taken while it is blocked (a handler
 * would see two coalesce, as timing has it): its code and status. */
static void chld_info(void)
{
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGCHLD);
	/* Under SA_NOCLDSTOP, stops and continues send nothing: wait less. */
	struct timespec t = { nocldstop ? 0 : 5, nocldstop ? 200 * 1000 * 1000 : 0 };
	siginfo_t si;
	/* A stop's si_status is read after the child stopped, racing with a
	 * wait that consumes the stop (then 0): only the code is certain. */
	if (sigtimedwait(&s, &si, &t) != SIGCHLD)
		printf("  SIGCHLD: none\n");
	else if (si.si_code == CLD_STOPPED)
		printf("  SIGCHLD: %s\n", code_name(si.si_code));
	else
		printf("  SIGCHLD: %s %s\n", code_name(si.si_code), strsignal(si.si_status));
}

static const char *code_name(int c)
{
	switch (c) {
	case CLD_EXITED: return "CLD_EXITED";
	case CLD_KILLED: return "CLD_KILLED";
	case CLD_DUMPED: return "CLD_DUMPED";
	case CLD_STOPPED: return "CLD_STOPPED";
	case CLD_CONTINUED: return "CLD_CONTINUED";
	}
	return "?";
}

static void cycle(int flags)
{
	/* The disposition matters (SA_NOCLDSTOP), the signal stays blocked. */
	struct sigaction sa = { .sa_handler = SIG_DFL, .sa_flags = flags };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGCHLD, &sa, NULL);
	nocldstop = flags & SA_NOCLDSTOP;
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGCHLD);
	sigprocmask(SIG_BLOCK, &s, NULL);
	/* A group of its own, whose parent is outside it in the session: not
	 * orphaned, so SIGTSTP stops it whatever group we run in. */
	pid_t c = fork();
	if (c == 0) {
		setpgid(0, 0);
		for (;;)
			pause();
	}
	setpgid(c, c);
	int st;
	kill(c, SIGSTOP);
	waitpid(c, &st, WUNTRACED);
	printf("waitpid: stopped=%d by %s\n", WIFSTOPPED(st), strsignal(WSTOPSIG(st)));
	chld_info();
	kill(c, SIGCONT);
	waitpid(c, &st, WCONTINUED);
	printf("waitpid: continued=%d\n", WIFCONTINUED(st));
	chld_info();
	kill(c, SIGTSTP);
	siginfo_t si;
	memset(&si, 0, sizeof si);
	waitid(P_PID, c, &si, WSTOPPED);
	printf("waitid: %s %s\n", code_name(si.si_code), strsignal(si.si_status));
	chld_info();
	kill(c, SIGCONT);
	memset(&si, 0, sizeof si);
	waitid(P_PID, c, &si, WCONTINUED);
	printf("waitid: %s %s\n", code_name(si.si_code), strsignal(si.si_status));
	chld_info();
	kill(c, SIGKILL);
	waitpid(c, &st, 0);
	printf("waitpid: killed=%d by %s\n", WIFSIGNALED(st), strsignal(WTERMSIG(st)));
	nocldstop = 0;
	chld_info();
	sigprocmask(SIG_UNBLOCK, &s, NULL);
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	printf("SIGCHLD default:\n");
	cycle(0);
	printf("with SA_NOCLDSTOP:\n");
	cycle(SA_NOCLDSTOP);
	return 0;
}
