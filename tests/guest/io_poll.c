/* poll, ppoll, select and pselect on the inherited std fds. */
#include "guest.h"
#include <poll.h>
#include <signal.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <time.h>

int main(void)
{
	struct pollfd p[3] = { { 1, POLLOUT, 0 }, { 99, POLLIN, 0 }, { -1, POLLIN, 0 } };
	int r = poll(p, 3, 0);
	printf("poll: %d, stdout writable=%d, fd 99 POLLNVAL=%d, fd -1 revents=%d\n", r,
	       !!(p[0].revents & POLLOUT), !!(p[1].revents & POLLNVAL), p[2].revents);
	SHOW("poll bad pointer", syscall(SYS_poll, 8, 1, 0));
	printf("poll nothing, 20ms: %d\n", poll(NULL, 0, 20));
	struct timespec ts = { 0, 1000000 };
	sigset_t none;
	sigemptyset(&none);
	struct pollfd q = { 1, POLLOUT, 0 };
	printf("ppoll: %d\n", ppoll(&q, 1, &ts, &none));
	struct timespec bad = { 0, -5 };
	SHOW("ppoll bad timeout", ppoll(&q, 1, &bad, NULL));

	fd_set w;
	FD_ZERO(&w);
	FD_SET(1, &w);
	struct timeval tv = { 0, 0 };
	r = select(2, NULL, &w, NULL, &tv);
	printf("select: %d, stdout set=%d\n", r, FD_ISSET(1, &w));
	fd_set b;
	FD_ZERO(&b);
	FD_SET(50, &b);
	SHOW("select on a closed fd", select(51, &b, NULL, NULL, &tv));
	SHOW("select negative n", select(-1, NULL, NULL, NULL, &tv));
	struct timeval badtv = { 0, 2000000 };
	SHOW("select bad timeval", select(0, NULL, NULL, NULL, &badtv));
	FD_ZERO(&w);
	FD_SET(1, &w);
	printf("pselect: %d\n", pselect(2, NULL, &w, NULL, &ts, &none));
	return 0;
}
