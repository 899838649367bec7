/* A file's readiness to poll (every event), select (every set) and a
 * level-triggered epoll, printed on one line. */
#ifndef IO_READY_H
#define IO_READY_H
#include <poll.h>
#include <stdio.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <unistd.h>

static void ready(const char *what, int fd)
{
	struct pollfd p = { fd, POLLIN | POLLOUT | POLLPRI | POLLRDNORM | POLLWRNORM | POLLRDHUP, 0 };
	int n = poll(&p, 1, 0);
	fd_set r, w, x;
	FD_ZERO(&r);
	FD_ZERO(&w);
	FD_ZERO(&x);
	FD_SET(fd, &r);
	FD_SET(fd, &w);
	FD_SET(fd, &x);
	struct timeval tv = { 0, 0 };
	int s = select(fd + 1, &r, &w, &x, &tv);
	int ep = epoll_create1(0);
	struct epoll_event ev = { .events = EPOLLIN | EPOLLOUT | EPOLLPRI | EPOLLRDHUP };
	epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
	struct epoll_event o = { 0 };
	int e = epoll_wait(ep, &o, 1, 0);
	close(ep);
	printf("%s: poll %d %#x, select %d r%d w%d x%d, epoll %d %#x\n", what, n, p.revents, s, FD_ISSET(fd, &r),
	       FD_ISSET(fd, &w), FD_ISSET(fd, &x), e, e > 0 ? o.events : 0);
}

#endif
