/* pidfds: CLONE_PIDFD with clone and clone3, pidfd_open, poll seeing the
 * exit, waitid(P_PIDFD), pidfd_send_signal, and their errors. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "guest.h"

#ifndef CLONE_PIDFD
#define CLONE_PIDFD 0x1000
#endif
#ifndef P_PIDFD
#define P_PIDFD 3
#endif

struct clone_args_v0 {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
};

static int ready(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	return poll(&p, 1, 0) == 1 && (p.revents & POLLIN);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	int go[2];
	pipe(go);
	int pidfd = -1;
	long pid = syscall(SYS_clone, CLONE_PIDFD | SIGCHLD, 0, &pidfd, 0, 0);
	if (pid == 0) {
		char c;
		close(go[1]);
		read(go[0], &c, 1);
		_exit(7);
	}
	printf("clone CLONE_PIDFD: %s, fd %s\n", pid > 0 ? "ok" : errname(errno), pidfd > 2 ? "given" : "none");
	printf("  close-on-exec: %d\n", fcntl(pidfd, F_GETFD) == FD_CLOEXEC);
	printf("  readable before exit: %d\n", ready(pidfd));
	char buf[8];
	SHOW("  read a pidfd", read(pidfd, buf, sizeof buf));
	close(go[1]);
	struct pollfd p = { .fd = pidfd, .events = POLLIN };
	SHOWN("  poll until exit", poll(&p, 1, 5000));
	siginfo_t si;
	memset(&si, 0, sizeof si);
	SHOW("  waitid P_PIDFD", waitid(P_PIDFD, pidfd, &si, WEXITED));
	printf("  status %d code %s\n", si.si_status, si.si_code == CLD_EXITED ? "CLD_EXITED" : "other");
	printf("  still readable after reaping: %d\n", ready(pidfd));
	SHOW("  pidfd_send_signal to a reaped child", syscall(SYS_pidfd_send_signal, pidfd, SIGTERM, NULL, 0));
	close(pidfd);

	SHOW("clone CLONE_PIDFD|CLONE_PARENT_SETTID",
	     syscall(SYS_clone, CLONE_PIDFD | CLONE_PARENT_SETTID | SIGCHLD, 0, &pidfd, 0, 0));

	/* clone3 with a pidfd, killed through it. */
	struct clone_args_v0 ca = { .flags = CLONE_PIDFD, .pidfd = (uintptr_t)&pidfd, .exit_signal = SIGCHLD };
	pid = syscall(SYS_clone3, &ca, sizeof ca);
	if (pid == 0) {
		for (;;)
			pause();
	}
	printf("clone3 CLONE_PIDFD: %s\n", pid > 0 ? "ok" : errname(errno));
	SHOW("  pidfd_send_signal SIGKILL", syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0));
	SHOW("  pidfd_send_signal flags 1", syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 1));
	int st;
	waitpid(pid, &st, 0);
	printf("  killed by %d\n", WIFSIGNALED(st) ? WTERMSIG(st) : 0);
	close(pidfd);

	int self = (int)syscall(SYS_pidfd_open, getpid(), 0);
	printf("pidfd_open self: %s\n", self >= 0 ? "ok" : errname(errno));
	printf("  self readable: %d\n", ready(self));
	SHOW("  pidfd_send_signal 0 to self", syscall(SYS_pidfd_send_signal, self, 0, NULL, 0));
	SHOW("  waitid P_PIDFD on self", waitid(P_PIDFD, self, &si, WEXITED | WNOHANG));
	close(self);
	SHOW("pidfd_open 0", syscall(SYS_pidfd_open, 0, 0));
	SHOW("pidfd_open missing", syscall(SYS_pidfd_open, 999999, 0));
	SHOW("pidfd_open bad flags", syscall(SYS_pidfd_open, getpid(), 1));
	int nb = (int)syscall(SYS_pidfd_open, getpid(), O_NONBLOCK);
	printf("pidfd_open O_NONBLOCK: %s, flags %s\n", nb >= 0 ? "ok" : errname(errno),
	       fcntl(nb, F_GETFL) & O_NONBLOCK ? "nonblock" : "block");
	SHOW("pidfd_send_signal on a pipe", syscall(SYS_pidfd_send_signal, go[0], 0, NULL, 0));
	SHOW("waitid P_PIDFD on a pipe", waitid(P_PIDFD, go[0], &si, WEXITED | WNOHANG));
	return 0;
}
