/* TEST: own-harness (tests/tty.t runs it on a pseudo-terminal, in the
 * terminal's foreground). Terminal job control: a background process group
 * that reads the terminal gets SIGTTIN, one that writes it under TOSTOP or
 * sets its modes gets SIGTTOU (EIO when ignored, blocked or orphaned, as
 * Linux decides it); stopped jobs continue in the foreground. Children
 * report through shared memory and the foreground parent prints. */
#include "guest.h"
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

/* Children's lines, in a shared page (cvisor has no pipes yet). */
static struct shared {
	volatile int go;
	volatile int len;
	char text[4000];
} *shared;
static volatile sig_atomic_t handled, handled_code;

static void on_sig(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	handled = sig;
	handled_code = si->si_code;
}

/* A line for the parent to print. */
static void say(const char *what, long r, int err)
{
	int room = (int)sizeof shared->text - shared->len;
	int n = snprintf(shared->text + shared->len, (size_t)room, "%s: %s\n", what, r < 0 ? errname(err) : "ok");
	if (n > 0 && n < room)
		shared->len += n;
}

static void set_tostop(int on)
{
	struct termios tio;
	tcgetattr(1, &tio);
	if (on)
		tio.c_lflag |= TOSTOP;
	else
		tio.c_lflag &= ~TOSTOP;
	tcsetattr(1, TCSANOW, &tio);
}

static void disposition(int sig, int how)
{
	struct sigaction sa = { .sa_handler = how == 0 ? SIG_DFL : SIG_IGN };
	if (how == 2) {
		sa.sa_sigaction = on_sig;
		sa.sa_flags = SA_SIGINFO;
	}
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
}

enum op { READ, WRITE, TCSETATTR, TCSETPGRP };

static long do_op(enum op op)
{
	char c;
	struct termios tio;
	switch (op) {
	case READ:
		return read(0, &c, 1);
	case WRITE:
		return write(1, "\r", 1);
	case TCSETATTR:
		tcgetattr(1, &tio);
		return tcsetattr(1, TCSANOW, &tio);
	case TCSETPGRP:
		return tcsetpgrp(1, getpgrp());
	}
	return 0;
}

static const char *op_name[] = { "read", "write", "tcsetattr", "tcsetpgrp" };
static const char *how_name[] = { "default", "ignored", "handled", "blocked" };

/* A child in a background group tries op with sig disposed of as how.
 * The parent reports how the child ended or was stopped. */
static void background(enum op op, int sig, int how)
{
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		setpgid(0, 0);
		sigset_t s;
		sigemptyset(&s);
		sigaddset(&s, sig);
		sigprocmask(how == 3 ? SIG_BLOCK : SIG_UNBLOCK, &s, NULL);
		if (how != 3) {
			disposition(sig, how);
		}
		handled = 0;
		errno = 0;
		long r = do_op(op);
		int e = errno;
		char what[96];
		snprintf(what, sizeof what, "%s from the background, %s %s", op_name[op],
			 how_name[how], sig == SIGTTIN ? "SIGTTIN" : "SIGTTOU");
		say(what, r, e);
		if (how == 2) {
			snprintf(what, sizeof what, "  handler ran: %s, SI_KERNEL", handled == sig ? "yes" : "no");
			say(what, handled_code == SI_KERNEL ? 0 : -1, EINVAL);
		}
		_exit(0);
	}
	setpgid(c, c);
	int st;
	waitpid(c, &st, WUNTRACED);
	if (WIFSTOPPED(st)) {
		printf("%s from the background, %s: stopped by %s\n", op_name[op], how_name[how],
		       WSTOPSIG(st) == SIGTTIN ? "SIGTTIN" : WSTOPSIG(st) == SIGTTOU ? "SIGTTOU" : "?");
		/* Bring it to the foreground and continue it: the call now
		 * goes through (a read would wait for input: kill it). */
		if (op == READ) {
			kill(c, SIGKILL);
			waitpid(c, &st, 0);
			printf("  killed: %d\n", WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
			return;
		}
		tcsetpgrp(1, c);
		kill(-c, SIGCONT);
		waitpid(c, &st, 0);
		tcsetpgrp(1, getpgrp()); /* SIGTTOU is blocked: allowed */
		printf("  continued in the foreground: %.*s", shared->len, shared->text);
		shared->len = 0;
	} else {
		printf("%.*s", shared->len, shared->text);
		shared->len = 0;
		printf("  exit %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
		tcsetpgrp(1, getpgrp()); /* a tcsetpgrp that went through */
	}
}

/* A group whose only member's parent left the session: orphaned. */
static void orphaned(void)
{
	fflush(stdout);
	shared->go = 0;
	pid_t c = fork();
	if (c == 0) {
		pid_t g = fork();
		if (g == 0) {
			setpgid(0, 0);
			sigset_t s;
			sigemptyset(&s);
			sigprocmask(SIG_SETMASK, &s, NULL);
			while (!shared->go)
				usleep(1000);
			errno = 0;
			long r = do_op(READ);
			say("read from an orphaned background group", r, errno);
			errno = 0;
			r = do_op(WRITE);
			say("write (TOSTOP) from an orphaned background group", r, errno);
			errno = 0;
			r = do_op(TCSETATTR);
			say("tcsetattr from an orphaned background group", r, errno);
			errno = 0;
			r = do_op(TCSETPGRP);
			say("tcsetpgrp from an orphaned background group", r, errno);
			raise(SIGTSTP); /* ignored: nobody would continue us */
			say("SIGTSTP in an orphaned group: went on", 0, 0);
			_exit(0);
		}
		setpgid(g, g);
		setsid(); /* the parent leaves the session: g's group is orphaned */
		shared->go = 1;
		waitpid(g, NULL, 0);
		_exit(0);
	}
	int st;
	waitpid(c, &st, WUNTRACED);
	/* c waited for g: its lines are all in the pipe. */
	printf("%.*s", shared->len, shared->text);
	shared->len = 0;
	printf("  exit %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	shared = mmap(NULL, sizeof *shared, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shared == MAP_FAILED)
		return 1;
	/* The parent takes the terminal back from stopped jobs: it must not
	 * stop for it. */
	sigset_t ttou;
	sigemptyset(&ttou);
	sigaddset(&ttou, SIGTTOU);
	sigprocmask(SIG_BLOCK, &ttou, NULL);
	printf("in the foreground: %d\n", tcgetpgrp(1) == getpgrp());
	struct termios saved;
	tcgetattr(1, &saved);

	for (int how = 0; how < 4; how++)
		background(READ, SIGTTIN, how);
	background(WRITE, SIGTTOU, 0); /* no TOSTOP: writes go through */
	set_tostop(1);
	for (int how = 0; how < 4; how++)
		background(WRITE, SIGTTOU, how);
	set_tostop(0);
	for (int how = 0; how < 4; how++)
		background(TCSETATTR, SIGTTOU, how);
	for (int how = 0; how < 4; how++)
		background(TCSETPGRP, SIGTTOU, how);
	set_tostop(1);
	orphaned();
	tcsetpgrp(1, getpgrp());
	tcsetattr(1, TCSANOW, &saved);
	printf("in the foreground at the end: %d\n", tcgetpgrp(1) == getpgrp());
	return 0;
}
