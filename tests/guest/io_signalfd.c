/* signalfd and signalfd4: reads of blocked pending signals, their
 * siginfo fields, nonblock, mask changes, poll readiness, a blocking read
 * that another process's kill ends, readiness after fork (the reader's
 * signals, never the creator's), never writable, and bad arguments. */
#include "guest.h"
#include "io_ready.h"
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <unistd.h>

static int pollin(int fd)
{
	struct pollfd p = { fd, POLLIN, 0 };
	return poll(&p, 1, 0) > 0 && (p.revents & POLLIN);
}

/* After fork the child reads its own signals: the parent's pending one is
 * not the child's, one the child sends itself is. */
static void after_fork(const sigset_t *m)
{
	int fd = signalfd(-1, m, SFD_NONBLOCK);
	ready("empty", fd);
	kill(getpid(), SIGUSR1);
	ready("pending", fd);
	int ep = epoll_create1(0);
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = 5 };
	epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		ready("child, the parent's pending", fd);
		struct epoll_event o;
		printf("child epoll_wait: %d\n", epoll_wait(ep, &o, 1, 0));
		struct signalfd_siginfo si;
		SHOW("child read", read(fd, &si, sizeof si));
		kill(getpid(), SIGUSR2);
		/* (Not epoll: Linux wakes it by its registrar's signals.) */
		ready("child, its own pending", fd);
		long r = read(fd, &si, sizeof si);
		printf("child read: %ld signo=%u\n", r, si.ssi_signo);
		fflush(stdout);
		_exit(0);
	}
	waitpid(c, NULL, 0);
	ready("parent after the child", fd);
	struct epoll_event o;
	int n = epoll_wait(ep, &o, 1, 0);
	printf("parent epoll_wait: %d data=%llu\n", n, n > 0 ? (unsigned long long)o.data.u64 : 0ULL);
	struct signalfd_siginfo si;
	long r = read(fd, &si, sizeof si);
	printf("parent read: %ld signo=%u\n", r, si.ssi_signo);
	close(ep);
	close(fd);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	sigset_t m;
	sigemptyset(&m);
	sigaddset(&m, SIGUSR1);
	sigaddset(&m, SIGUSR2);
	sigaddset(&m, SIGRTMIN + 1);
	sigprocmask(SIG_BLOCK, &m, NULL);
	int fd = signalfd(-1, &m, SFD_NONBLOCK | SFD_CLOEXEC);
	printf("signalfd: %s, cloexec=%d, nonblock=%d\n", fd >= 0 ? "ok" : errname(errno),
	       !!(fcntl(fd, F_GETFD) & FD_CLOEXEC), !!(fcntl(fd, F_GETFL) & O_NONBLOCK));
	struct signalfd_siginfo si[4];
	printf("readable empty: %d\n", pollin(fd));
	SHOW("read empty", read(fd, si, sizeof si));
	SHOW("read short buffer", read(fd, si, 100));
	SHOW("write", write(fd, si, sizeof si[0]));
	kill(getpid(), SIGUSR1);
	printf("readable after kill: %d\n", pollin(fd));
	long r = read(fd, si, sizeof si);
	printf("read: %ld bytes, signo=%u code=%d pid ok=%d uid=%u\n", r, si[0].ssi_signo, si[0].ssi_code,
	       si[0].ssi_pid == (uint32_t)getpid(), si[0].ssi_uid);
	printf("readable after read: %d\n", pollin(fd));
	union sigval v = { .sival_int = 1234 };
	sigqueue(getpid(), SIGRTMIN + 1, v);
	v.sival_int = 5678;
	sigqueue(getpid(), SIGRTMIN + 1, v);
	kill(getpid(), SIGUSR2);
	r = read(fd, si, sizeof si);
	printf("read: %ld bytes\n", r);
	for (long i = 0; i < r / (long)sizeof si[0]; i++)
		printf("  signo=%u code=%d int=%d\n", si[i].ssi_signo == (uint32_t)SIGRTMIN + 1 ? 999 : si[i].ssi_signo,
		       si[i].ssi_code, si[i].ssi_int);
	/* One at a time into a buffer of one. */
	kill(getpid(), SIGUSR1);
	kill(getpid(), SIGUSR2);
	for (int i = 0; i < 2; i++) {
		r = read(fd, si, sizeof si[0]);
		printf("read one: %ld, signo=%u\n", r, si[0].ssi_signo);
	}
	/* Changing the mask. */
	kill(getpid(), SIGUSR2);
	sigset_t only1;
	sigemptyset(&only1);
	sigaddset(&only1, SIGUSR1);
	printf("signalfd update: %d\n", signalfd(fd, &only1, 0) == fd);
	printf("readable with USR2 out of the mask: %d\n", pollin(fd));
	SHOW("read", read(fd, si, sizeof si));
	sigset_t pend;
	sigpending(&pend);
	printf("USR2 still pending: %d\n", sigismember(&pend, SIGUSR2));
	printf("signalfd update back: %d\n", signalfd(fd, &m, 0) == fd);
	printf("readable: %d\n", pollin(fd));
	r = read(fd, si, sizeof si);
	printf("read: %ld signo=%u\n", r, si[0].ssi_signo);
	/* A child's signal to us ends a blocking read. */
	int bfd = signalfd(-1, &m, 0);
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		usleep(20000);
		kill(getppid(), SIGUSR1);
		_exit(0);
	}
	r = read(bfd, si, sizeof si);
	printf("blocking read: %ld signo=%u pid is child=%d\n", r, si[0].ssi_signo, si[0].ssi_pid == (uint32_t)c);
	waitpid(c, NULL, 0);
	/* SIGCHLD through a signalfd. */
	sigset_t chld;
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, NULL);
	int cfd = signalfd(-1, &chld, 0);
	fflush(stdout);
	c = fork();
	if (c == 0)
		_exit(7);
	r = read(cfd, si, sizeof si);
	printf("SIGCHLD: %ld signo=%u code=%d status=%d pid is child=%d\n", r, si[0].ssi_signo, si[0].ssi_code,
	       si[0].ssi_status, si[0].ssi_pid == (uint32_t)c);
	waitpid(c, NULL, 0);
	after_fork(&m);
	SHOW("signalfd4 bad flags", syscall(SYS_signalfd4, -1, &m, 8, 1));
	SHOW("signalfd4 bad size", syscall(SYS_signalfd4, -1, &m, 4, 0));
	SHOW("signalfd4 bad mask pointer", syscall(SYS_signalfd4, -1, 8, 8, 0));
	SHOW("signalfd on a pipe fd", signalfd(1, &m, 0));
	SHOW("signalfd on a closed fd", signalfd(77, &m, 0));
	SHOW("signalfd on fd -2", signalfd(-2, &m, 0));
	SHOW("pread", pread(fd, si, sizeof si, 0));
	return 0;
}
