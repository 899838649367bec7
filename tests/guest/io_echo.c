/* A 64-client AF_UNIX echo server driven by epoll: 64 child processes
 * connect at once to a listener with a small backlog (so connectors wait
 * for room), each sends its line and checks the echo. */
#include "guest.h"
#include <signal.h>
#include <stddef.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define CLIENTS 64

static int client(int i, const struct sockaddr_un *a, socklen_t len)
{
	int c = socket(AF_UNIX, SOCK_STREAM, 0);
	if (connect(c, (const void *)a, len) < 0)
		return 1;
	char line[64], back[64];
	int n = snprintf(line, sizeof line, "hello from client %d\n", i);
	if (write(c, line, n) != n)
		return 2;
	int got = 0;
	while (got < n) {
		int r = read(c, back + got, sizeof back - got);
		if (r <= 0)
			return 3;
		got += r;
	}
	return memcmp(line, back, n) ? 4 : 0;
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);
	struct sockaddr_un a = { .sun_family = AF_UNIX, .sun_path = "echo.sock" };
	socklen_t len = offsetof(struct sockaddr_un, sun_path) + sizeof "echo.sock";
	unlink("echo.sock");
	int s = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if (bind(s, (void *)&a, len) < 0 || listen(s, 8) < 0) {
		printf("listener: %s\n", errname(errno));
		return 1;
	}
	int ep = epoll_create1(0);
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = s };
	epoll_ctl(ep, EPOLL_CTL_ADD, s, &ev);
	pid_t kids[CLIENTS];
	for (int i = 0; i < CLIENTS; i++) {
		fflush(stdout);
		if ((kids[i] = fork()) == 0)
			_exit(client(i, &a, len));
	}
	int accepted = 0, closed = 0;
	long bytes = 0;
	while (closed < CLIENTS) {
		struct epoll_event evs[16];
		int n = epoll_wait(ep, evs, 16, 10000);
		if (n <= 0) {
			printf("epoll_wait: %d %s\n", n, errname(errno));
			break;
		}
		for (int k = 0; k < n; k++) {
			int fd = evs[k].data.fd;
			if (fd == s) {
				int c;
				while ((c = accept4(s, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
					accepted++;
					struct epoll_event ce = { .events = EPOLLIN | EPOLLRDHUP, .data.fd = c };
					epoll_ctl(ep, EPOLL_CTL_ADD, c, &ce);
				}
				continue;
			}
			char buf[256];
			int r;
			while ((r = read(fd, buf, sizeof buf)) > 0) {
				bytes += r;
				write(fd, buf, r);
			}
			if (r == 0) {
				close(fd); /* leaves the epoll set with its last reference */
				closed++;
			}
		}
	}
	int ok = 0;
	for (int i = 0; i < CLIENTS; i++) {
		int st;
		waitpid(kids[i], &st, 0);
		ok += WIFEXITED(st) && WEXITSTATUS(st) == 0;
	}
	printf("accepted %d, closed %d, echoed %ld bytes, clients ok %d\n", accepted, closed, bytes, ok);
	unlink("echo.sock");
	return 0;
}
