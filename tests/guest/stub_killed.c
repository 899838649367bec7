/* TEST: own-harness (tests/lifetime.t kills the child's stub from outside).
 * A child computes forever; the parent reports how it ended. */
#include "guest.h"
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	sigset_t usr1;
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, NULL);
	pid_t c = fork();
	if (c == 0) {
		kill(getppid(), SIGUSR1);
		for (volatile unsigned long i = 0;; i++)
			;
	}
	int sig;
	sigwait(&usr1, &sig);
	printf("child-running\n");
	int st;
	waitpid(c, &st, 0);
	printf("child ended: killed by %d\n", WIFSIGNALED(st) ? WTERMSIG(st) : 0);
	return 0;
}
