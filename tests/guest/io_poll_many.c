/* poll and epoll over 1,000 fds: 500 pipes, every 7th with data. */
#include "guest.h"
#include <poll.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <unistd.h>

#define PIPES 500

int main(void)
{
	static struct pollfd p[2 * PIPES];
	for (int i = 0; i < PIPES; i++) {
		int fds[2];
		if (pipe(fds) < 0) {
			printf("pipe %d: %s\n", i, errname(errno));
			return 1;
		}
		p[2 * i] = (struct pollfd){ fds[0], POLLIN, 0 };
		p[2 * i + 1] = (struct pollfd){ fds[1], POLLOUT, 0 };
		if (i % 7 == 0)
			write(fds[1], "x", 1);
	}
	int n = poll(p, 2 * PIPES, 1000);
	int in = 0, out = 0;
	for (int i = 0; i < 2 * PIPES; i++) {
		in += !!(p[i].revents & POLLIN);
		out += !!(p[i].revents & POLLOUT);
	}
	printf("poll 1000 fds: %d ready, %d readable, %d writable\n", n, in, out);
	int ep = epoll_create1(0);
	for (int i = 0; i < 2 * PIPES; i++) {
		struct epoll_event ev = { .events = p[i].events, .data.u32 = (uint32_t)i };
		epoll_ctl(ep, EPOLL_CTL_ADD, p[i].fd, &ev);
	}
	static struct epoll_event evs[2 * PIPES];
	n = epoll_wait(ep, evs, 2 * PIPES, 1000);
	in = out = 0;
	for (int i = 0; i < n; i++) {
		in += !!(evs[i].events & EPOLLIN);
		out += !!(evs[i].events & EPOLLOUT);
	}
	printf("epoll 1000 fds: %d ready, %d readable, %d writable\n", n, in, out);
	/* Drain the readable ones: only the writers are left. */
	for (int i = 0; i < PIPES; i += 7) {
		char c;
		read(p[2 * i].fd, &c, 1);
	}
	n = poll(p, 2 * PIPES, 0);
	printf("poll after draining: %d\n", n);
	return 0;
}
