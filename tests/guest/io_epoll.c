/* epoll: the errors of create/ctl/wait in Linux's order, level and edge
 * triggering, EPOLLONESHOT, nested epoll and loops, pipes, eventfds and
 * timerfds, registrations ending with the file, timeouts, signals, and
 * two fds of one open file registered apart (Linux keys by file and fd). */
#include "guest.h"
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

static int ep;

static void add(int fd, uint32_t events, uint64_t data)
{
	struct epoll_event ev = { .events = events, .data.u64 = data };
	if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0)
		printf("add %llu: %s\n", (unsigned long long)data, errname(errno));
}

static void wait_show(const char *what, int efd, int timeout)
{
	struct epoll_event evs[8];
	int n = epoll_wait(efd, evs, 8, timeout);
	printf("%s: %d", what, n < 0 ? -errno : n);
	for (int i = 0; i < n; i++)
		printf(" [%llu %#x]", (unsigned long long)evs[i].data.u64, evs[i].events);
	printf("\n");
}

static void errors(void)
{
	SHOW("epoll_create(0)", epoll_create(0));
	SHOW("epoll_create(-1)", epoll_create(-1));
	SHOW("epoll_create1 bad flags", epoll_create1(1));
	int e = epoll_create(1);
	printf("epoll_create(1) cloexec=%d\n", fcntl(e, F_GETFD));
	close(e);
	ep = epoll_create1(EPOLL_CLOEXEC);
	printf("epoll_create1 cloexec=%d\n", fcntl(ep, F_GETFD));
	struct epoll_event ev = { .events = EPOLLIN };
	int file = open("f", O_CREAT | O_RDWR | O_TRUNC, 0600);
	write(file, "x", 1);
	int dir = open(".", O_RDONLY | O_DIRECTORY);
	int path = open(".", O_PATH);
	int p[2];
	pipe(p);
	SHOW("ctl regular file", epoll_ctl(ep, EPOLL_CTL_ADD, file, &ev));
	SHOW("ctl directory", epoll_ctl(ep, EPOLL_CTL_ADD, dir, &ev));
	SHOW("ctl O_PATH", epoll_ctl(ep, EPOLL_CTL_ADD, path, &ev));
	SHOW("ctl self", epoll_ctl(ep, EPOLL_CTL_ADD, ep, &ev));
	SHOW("ctl epfd not epoll", epoll_ctl(p[0], EPOLL_CTL_ADD, p[1], &ev));
	SHOW("ctl bad epfd", epoll_ctl(99, EPOLL_CTL_ADD, p[0], &ev));
	SHOW("ctl bad fd", epoll_ctl(ep, EPOLL_CTL_ADD, 99, &ev));
	SHOW("ctl bad event pointer", epoll_ctl(ep, EPOLL_CTL_ADD, p[0], (void *)8));
	SHOW("ctl DEL ignores the pointer", epoll_ctl(ep, EPOLL_CTL_DEL, p[0], (void *)8));
	SHOW("ctl bad op", epoll_ctl(ep, 9, p[0], &ev));
	SHOW("ctl MOD unregistered", epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev));
	SHOW("ctl ADD", epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev));
	SHOW("ctl ADD again", epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev));
	ev.events = EPOLLIN | EPOLLEXCLUSIVE;
	SHOW("ctl MOD EXCLUSIVE", epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev));
	SHOW("ctl ADD EXCLUSIVE", epoll_ctl(ep, EPOLL_CTL_ADD, p[1], &ev));
	ev.events = EPOLLIN | EPOLLEXCLUSIVE | EPOLLONESHOT;
	SHOW("ctl ADD EXCLUSIVE|ONESHOT", epoll_ctl(ep, EPOLL_CTL_ADD, dir == 0 ? 0 : p[1], &ev));
	SHOW("ctl DEL", epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL));
	SHOW("ctl DEL again", epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL));
	struct epoll_event evs[2];
	SHOW("wait maxevents 0", epoll_wait(ep, evs, 0, 0));
	volatile int minus1 = -1;
	SHOW("wait maxevents -1", epoll_wait(ep, evs, minus1, 0));
	SHOW("wait not epoll", epoll_wait(p[0], evs, 2, 0));
	SHOW("wait bad fd", epoll_wait(99, evs, 2, 0));
	SHOW("wait bad pointer", epoll_wait(ep, (void *)-4096L, 2, 0));
	SHOW("read epoll", read(ep, evs, sizeof evs));
	close(file);
	close(dir);
	close(path);
	close(p[0]);
	close(p[1]);
	unlink("f");
	close(ep);
}

static void triggers(void)
{
	ep = epoll_create1(0);
	int lt[2], et[2], os[2];
	pipe(lt);
	pipe(et);
	pipe(os);
	add(lt[0], EPOLLIN, 1);
	add(et[0], EPOLLIN | EPOLLET, 2);
	add(os[0], EPOLLIN | EPOLLONESHOT, 3);
	add(lt[1], EPOLLOUT, 4);
	wait_show("only the write end", ep, 0);
	struct epoll_event ev = { .events = 0, .data.u64 = 4 };
	epoll_ctl(ep, EPOLL_CTL_MOD, lt[1], &ev);
	write(lt[1], "a", 1);
	write(et[1], "b", 1);
	write(os[1], "c", 1);
	wait_show("all three", ep, 0);
	wait_show("level only", ep, 0);
	write(et[1], "b", 1);
	wait_show("edge again after a write", ep, 0);
	ev = (struct epoll_event){ .events = EPOLLIN | EPOLLONESHOT, .data.u64 = 33 };
	epoll_ctl(ep, EPOLL_CTL_MOD, os[0], &ev);
	wait_show("oneshot rearmed", ep, 0);
	char buf[8];
	read(lt[0], buf, sizeof buf);
	read(os[0], buf, sizeof buf);
	wait_show("drained", ep, 0);
	close(lt[1]);
	wait_show("writer gone: HUP", ep, 0);
	/* Closing the only fd of a file ends its registration; a dup keeps it. */
	int d = dup(et[0]);
	close(et[0]);
	write(et[1], "z", 1);
	wait_show("after close, dup alive", ep, 0);
	SHOW("DEL closed fd", epoll_ctl(ep, EPOLL_CTL_DEL, et[0], NULL));
	close(d);
	write(et[1], "z", 1);
	wait_show("after last close", ep, 0);
	close(lt[0]);
	close(et[1]);
	close(os[0]);
	close(os[1]);
	wait_show("empty, 20ms", ep, 20);
	close(ep);
}

static void kinds(void)
{
	ep = epoll_create1(0);
	int inner = epoll_create1(0);
	int outer = epoll_create1(0);
	int efd = eventfd(0, EFD_NONBLOCK);
	int tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = 10 };
	epoll_ctl(inner, EPOLL_CTL_ADD, efd, &ev);
	ev.data.u64 = 11;
	epoll_ctl(inner, EPOLL_CTL_ADD, tfd, &ev);
	ev.data.u64 = 20;
	SHOW("nest inner in outer", epoll_ctl(outer, EPOLL_CTL_ADD, inner, &ev));
	SHOW("loop outer in inner", epoll_ctl(inner, EPOLL_CTL_ADD, outer, &ev));
	ev.events = EPOLLIN | EPOLLEXCLUSIVE;
	SHOW("EXCLUSIVE on an epoll", epoll_ctl(ep, EPOLL_CTL_ADD, inner, &ev));
	wait_show("outer idle", outer, 0);
	uint64_t one = 1;
	write(efd, &one, 8);
	wait_show("outer", outer, 0);
	wait_show("inner", inner, 0);
	read(efd, &one, 8);
	struct itimerspec its = { { 0, 0 }, { 0, 10000000 } };
	timerfd_settime(tfd, 0, &its, NULL);
	wait_show("outer, blocking for the timer", outer, -1);
	wait_show("inner", inner, 0);
	close(inner);
	close(outer);
	close(efd);
	close(tfd);
	close(ep);
}

static void on_usr1(int sig)
{
	(void)sig;
	write(1, "handler\n", 8);
}

static void signals(void)
{
	struct sigaction sa = { .sa_handler = on_usr1, .sa_flags = SA_RESTART };
	sigaction(SIGUSR1, &sa, NULL);
	ep = epoll_create1(0);
	int p[2];
	pipe(p);
	add(p[0], EPOLLIN, 7);
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		usleep(30000);
		kill(getppid(), SIGUSR1);
		_exit(0);
	}
	wait_show("wait interrupted (SA_RESTART too)", ep, -1);
	waitpid(c, NULL, 0);
	sigset_t block;
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	fflush(stdout);
	c = fork();
	if (c == 0) {
		usleep(30000);
		kill(getppid(), SIGUSR1);
		usleep(30000);
		write(p[1], "x", 1);
		_exit(0);
	}
	struct epoll_event evs[2];
	int n = epoll_pwait(ep, evs, 2, -1, &block);
	printf("pwait with USR1 blocked: %d\n", n);
	fflush(stdout);
	waitpid(c, NULL, 0);
	struct timespec ts = { 0, 5000000 };
	n = syscall(SYS_epoll_pwait2, ep, evs, 2, &ts, NULL, 8);
	printf("pwait2: %d\n", n);
	char b;
	read(p[0], &b, 1);
	n = syscall(SYS_epoll_pwait2, ep, evs, 2, &ts, NULL, 8);
	printf("pwait2 5ms timeout: %d\n", n);
	ts.tv_nsec = -1;
	SHOW("pwait2 bad timespec", syscall(SYS_epoll_pwait2, ep, evs, 2, &ts, NULL, 8));
	SHOW("pwait bad sigsetsize", epoll_pwait(ep, evs, 2, 0, &block) * 0 + syscall(SYS_epoll_pwait, ep, evs, 2, 0, &block, 4));
	close(p[0]);
	close(p[1]);
	close(ep);
}

static void dup_fds(void)
{
	ep = epoll_create1(0);
	int p[2];
	pipe(p);
	int d = dup(p[0]);
	add(p[0], EPOLLIN, 1);
	add(d, EPOLLIN, 2);
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = 3 };
	SHOW("ADD the dup again", epoll_ctl(ep, EPOLL_CTL_ADD, d, &ev));
	ev.events = EPOLLIN | EPOLLET;
	ev.data.u64 = 4;
	SHOW("MOD the dup", epoll_ctl(ep, EPOLL_CTL_MOD, d, &ev));
	write(p[1], "x", 1);
	wait_show("both", ep, 0);
	wait_show("the level-triggered one", ep, 0);
	close(p[0]);
	wait_show("after closing the first fd", ep, 0);
	SHOW("DEL the first fd, closed", epoll_ctl(ep, EPOLL_CTL_DEL, p[0], &ev));
	SHOW("DEL the dup", epoll_ctl(ep, EPOLL_CTL_DEL, d, &ev));
	SHOW("DEL the dup again", epoll_ctl(ep, EPOLL_CTL_DEL, d, &ev));
	wait_show("after DEL", ep, 0);
	/* The last fd closed: the file and its registrations are gone, and
	 * the pipe's writer sees no reader. */
	close(d);
	wait_show("after closing the dup", ep, 0);
	SHOWN("write with no reader", write(p[1], "x", 1));
	close(p[1]);
	close(ep);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	/* Natively a SIGPIPE kills; cvisor runs the test as init, which
	 * Linux protects from it: the same EPIPE either way. */
	signal(SIGPIPE, SIG_IGN);
	errors();
	triggers();
	kinds();
	signals();
	dup_fds();
	return 0;
}
