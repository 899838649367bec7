/* RLIMIT_FSIZE: writes are cut at the limit, a write at it fails EFBIG
 * with SIGXFSZ, and so does a truncate past it; pipes are not limited. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "guest.h"

static volatile int xfsz;
static void on_xfsz(int sig)
{
	(void)sig;
	xfsz++;
}

int main(void)
{
	char buf[600];
	memset(buf, 'x', sizeof buf);
	char name[64];
	snprintf(name, sizeof name, "fsize-test.%d", getpid());
	signal(SIGXFSZ, on_xfsz);
	struct rlimit rl = { 1000, RLIM_INFINITY };
	SHOW("setrlimit FSIZE 1000", setrlimit(RLIMIT_FSIZE, &rl));
	int fd = open(name, O_RDWR | O_CREAT | O_TRUNC, 0644);
	SHOWN("write 600", write(fd, buf, 600));
	SHOWN("write 600 more (cut)", write(fd, buf, 600));
	SHOW("write at the limit", write(fd, buf, 1));
	printf("SIGXFSZ seen %d\n", xfsz);
	SHOW("pwrite past the limit", pwrite(fd, buf, 10, 5000));
	SHOW("ftruncate past the limit", ftruncate(fd, 2000));
	SHOW("ftruncate below", ftruncate(fd, 10));
	printf("SIGXFSZ seen %d\n", xfsz);
	int p[2];
	pipe(p);
	SHOWN("a pipe is not limited", write(p[1], buf, 600) + write(p[1], buf, 600));
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		signal(SIGXFSZ, SIG_DFL);
		lseek(fd, 1000, SEEK_SET);
		write(fd, buf, 1);
		_exit(0);
	}
	int st;
	waitpid(c, &st, 0);
	printf("default action: %s %d\n", WIFSIGNALED(st) ? "killed by" : "exited", WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
	close(fd);
	unlink(name);
	return 0;
}
