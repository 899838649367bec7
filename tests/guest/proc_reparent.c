/* Orphans: reparented to init, or to a child subreaper; the parent-death
 * signal. (Run under cvisor as the namespace's init, natively not, so the
 * facts printed are those that hold in both: a subreaper adopts.) */
#include "guest.h"
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	SHOW("PR_SET_CHILD_SUBREAPER", prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0));
	pid_t me = getpid();
	pid_t mid = fork();
	if (mid == 0) {
		pid_t leaf = fork();
		if (leaf == 0) {
			/* Wait until the middle process is gone, then report. */
			while (getppid() != me)
				usleep(1000);
			_exit(getppid() == me ? 33 : 34);
		}
		_exit(0);
	}
	int st;
	waitpid(mid, &st, 0);
	printf("middle exited %d\n", WEXITSTATUS(st));
	/* The grandchild is ours now: wait for it. */
	pid_t r = wait(&st);
	printf("adopted grandchild reaped=%d, it saw us as parent: %d\n", r > 0, WEXITSTATUS(st));

	/* PR_SET_PDEATHSIG: a child dies with its parent. */
	pid_t p = fork();
	if (p == 0) {
		sigset_t usr1;
		sigemptyset(&usr1);
		sigaddset(&usr1, SIGUSR1);
		sigprocmask(SIG_BLOCK, &usr1, NULL);
		pid_t c = fork();
		if (c == 0) {
			prctl(PR_SET_PDEATHSIG, SIGTERM);
			kill(getppid(), SIGUSR1); /* armed: the parent may go */
			pause();
			_exit(0);
		}
		int sig;
		sigwait(&usr1, &sig);
		_exit(0);
	}
	waitpid(p, &st, 0);
	r = wait(&st);
	printf("pdeathsig child reaped=%d killed by TERM=%d\n", r > 0, WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM);
	return 0;
}
