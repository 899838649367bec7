/* unshare: its own fd table and fs context, namespaces refused inside the
 * sandbox (so only the errors that do not depend on that are compared),
 * and syslog's argument checks. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "guest.h"

static int shared_fd = -1;
static int unshare_rc = -2, fd_after = -2;

static void *idle(void *arg)
{
	(void)arg;
	pause();
	return NULL;
}

static void *thread(void *arg)
{
	(void)arg;
	unshare_rc = unshare(CLONE_FILES);
	close(shared_fd); /* only this thread's copy */
	fd_after = fcntl(shared_fd, F_GETFD);
	return NULL;
}

int main(void)
{
	SHOW("unshare 0", unshare(0));
	SHOW("unshare bad flag", unshare(0x1));
	SHOW("unshare CLONE_FILES", unshare(CLONE_FILES));
	SHOW("unshare CLONE_FS", unshare(CLONE_FS));
	SHOW("unshare CLONE_SYSVSEM", unshare(CLONE_SYSVSEM));
	shared_fd = open("/dev/null", O_RDONLY);
	pthread_t th;
	pthread_create(&th, NULL, thread, NULL);
	pthread_join(th, NULL);
	printf("thread's unshare CLONE_FILES: %d, its fd closed: %d, ours still open: %d\n", unshare_rc,
	       fd_after < 0, fcntl(shared_fd, F_GETFD) >= 0);
	/* a second thread alive: CLONE_VM and CLONE_SIGHAND cannot go */
	pthread_create(&th, NULL, idle, NULL);
	SHOW("unshare CLONE_VM with two threads", unshare(CLONE_VM));
	SHOW("unshare CLONE_SIGHAND with two threads", unshare(CLONE_SIGHAND));
	SHOW("syslog bad type", syscall(SYS_syslog, 99, NULL, 0));
	SHOW("syslog read, negative length", syscall(SYS_syslog, 3, NULL, -1));
	return 0;
}
