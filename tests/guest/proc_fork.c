/* fork, vfork, execve, wait4/waitid: statuses, ids and errors.
 * TEST-ARGS: main */
#include "guest.h"
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void show_status(const char *what, int st)
{
	if (WIFEXITED(st))
		printf("%s: exited %d\n", what, WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		printf("%s: killed by %d core=%d\n", what, WTERMSIG(st), !!WCOREDUMP(st));
}

static void show_status_handler(int sig)
{
	(void)sig;
}

/* A thread that exec kills: it never gets to print. */
static void *doomed(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc > 2 && strcmp(argv[1], "exec") == 0) {
		/* proc_fork exec PATH ARG...: become PATH (tests/exec.t). */
		execv(argv[2], argv + 2);
		printf("execv %s: %s\n", argv[2], errname(errno));
		return 1;
	}
	if (argc > 1 && strcmp(argv[1], "exec-child") == 0) {
		printf("exec-child: argc=%d argv[2]=%s env=%s\n", argc, argc > 2 ? argv[2] : "-",
		       getenv("PROC_FORK_VAR") ? getenv("PROC_FORK_VAR") : "unset");
		/* What exec kept and what it dropped. */
		if (argc > 4) {
			int cloexec_fd = atoi(argv[3]), plain_fd = atoi(argv[4]);
			int closed = fcntl(cloexec_fd, F_GETFD) == -1 && errno == EBADF;
			printf("exec-child: cloexec fd closed=%d, plain fd open=%d\n", closed,
			       fcntl(plain_fd, F_GETFD) == 0);
		}
		struct sigaction sa;
		sigaction(SIGUSR1, NULL, &sa);
		printf("exec-child: handler reset to default=%d\n", sa.sa_handler == SIG_DFL);
		sigaction(SIGUSR2, NULL, &sa);
		printf("exec-child: ignored stays ignored=%d\n", sa.sa_handler == SIG_IGN);
		sigset_t mask;
		sigprocmask(SIG_BLOCK, NULL, &mask);
		printf("exec-child: mask kept=%d\n", sigismember(&mask, SIGTERM));
		return 42;
	}
	setvbuf(stdout, NULL, _IONBF, 0);
	pid_t me = getpid();

	pid_t c = fork();
	if (c == 0) {
		printf("child: getppid is parent=%d, pid differs=%d\n", getppid() == me, getpid() != me);
		_exit(7);
	}
	int st;
	printf("waitpid returns the child=%d\n", waitpid(c, &st, 0) == c);
	show_status("fork child", st);
	SHOW("waitpid again", waitpid(c, &st, 0));
	SHOW("waitpid(-1) no children", waitpid(-1, &st, 0));
	SHOW("waitpid WNOHANG no children", waitpid(-1, &st, WNOHANG));
	SHOW("wait4 bad options", syscall(SYS_wait4, -1, &st, 0x100, NULL));

	/* A child killed by a fault. */
	c = fork();
	if (c == 0) {
		int *volatile p = (int *)16;
		*p = 1;
		_exit(0);
	}
	waitpid(c, &st, 0);
	show_status("faulting child", st);

	/* WNOHANG while the child still runs (it waits for the pipe to
	 * close), then the real wait. */
	int hold[2];
	pipe(hold);
	c = fork();
	if (c == 0) {
		char b;
		close(hold[1]);
		read(hold[0], &b, 1);
		_exit(3);
	}
	close(hold[0]);
	pid_t r = waitpid(c, &st, WNOHANG);
	printf("WNOHANG on a running child: %s\n", r == 0 ? "0" : r == c ? "(already done)" : "error");
	close(hold[1]);
	if (r == 0)
		waitpid(c, &st, 0);
	show_status("slow child", st);

	/* vfork: the parent resumes once the child exits. */
	c = vfork();
	if (c == 0)
		_exit(5);
	waitpid(c, &st, 0);
	show_status("vfork child", st);

	/* exec: argv and env reach the new image; its status comes back. */
	c = fork();
	if (c == 0) {
		static char cfd[16], pfd[16];
		snprintf(cfd, sizeof cfd, "%d", fcntl(1, F_DUPFD_CLOEXEC, 10));
		snprintf(pfd, sizeof pfd, "%d", fcntl(1, F_DUPFD, 10));
		signal(SIGUSR1, show_status_handler);
		signal(SIGUSR2, SIG_IGN);
		sigset_t term;
		sigemptyset(&term);
		sigaddset(&term, SIGTERM);
		sigprocmask(SIG_BLOCK, &term, NULL);
		char *av[] = { argv[0], "exec-child", "two", cfd, pfd, NULL };
		char *ev[] = { "PROC_FORK_VAR=yes", NULL };
		execve(argv[0], av, ev);
		_exit(99);
	}
	waitpid(c, &st, 0);
	show_status("exec child", st);

	/* exec from a multi-threaded process: the other threads go. */
	c = fork();
	if (c == 0) {
		pthread_t th;
		pthread_create(&th, NULL, doomed, NULL);
		char *av2[] = { argv[0], "exec-child", "threaded", NULL };
		char *ev2[] = { NULL };
		execve(argv[0], av2, ev2);
		_exit(98);
	}
	waitpid(c, &st, 0);
	show_status("exec from a threaded child", st);

	/* An argument list past the limit: E2BIG. */
	static char big[200000];
	memset(big, 'x', sizeof big - 1);
	char *avbig[] = { "x", big, NULL };
	SHOW("execve with a 200 KB argument", execve(argv[0], avbig, avbig + 2));

	/* exec errors come back to the caller. */
	char *av[] = { "x", NULL };
	SHOW("execve missing", execve("/nonexistent/prog", av, av + 1));
	SHOW("execve a directory", execve("/", av, av + 1));
	SHOW("execve relative missing", execve("./no-such-prog", av, av + 1));
	SHOW("execve bad path pointer", syscall(SYS_execve, (char *)8, av, av + 1));
	SHOW("execve bad argv", syscall(SYS_execve, argv[0], (char **)8, av + 1));

	/* waitid: siginfo of an exited child. */
	c = fork();
	if (c == 0)
		_exit(9);
	siginfo_t si;
	memset(&si, 0, sizeof si);
	SHOW("waitid", waitid(P_PID, c, &si, WEXITED));
	printf("waitid: signo=%d code=%d status=%d pid matches=%d\n", si.si_signo, si.si_code,
	       si.si_status, si.si_pid == c);
	SHOW("waitid no flags", waitid(P_ALL, 0, &si, 0));

	/* Process groups and sessions. */
	printf("getpgid(0)==getpgrp()=%d\n", getpgid(0) == getpgrp());
	SHOW("getpgid(no such pid)", getpgid(999999));
	SHOW("getsid(no such pid)", getsid(999999));
	c = fork();
	if (c == 0) {
		printf("child setsid is its pid=%d\n", setsid() == getpid());
		SHOW("child setsid again", setsid());
		printf("child pgid is its pid=%d\n", getpgid(0) == getpid());
		_exit(0);
	}
	waitpid(c, &st, 0);
	SHOW("setpgid(no such pid)", setpgid(999999, 0));
	SHOW("setpgid(negative pgid)", setpgid(0, -1));
	return 0;
}
