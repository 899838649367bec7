/* AF_UNIX beyond the basics: pending errors (SO_ERROR, a listener closed
 * under a queued connection), MSG_OOB on streams, datagrams to a socket
 * connected elsewhere, epoll registrations made before connect, a
 * stream recv into a bad buffer, and readiness of unconnected and
 * listening sockets to poll, select and epoll. */
#include "guest.h"
#include "io_ready.h"
#include <poll.h>
#include <stddef.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static struct sockaddr_un abstract_of(const char *name, socklen_t *len)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	memcpy(a.sun_path + 1, name, strlen(name));
	*len = offsetof(struct sockaddr_un, sun_path) + 1 + strlen(name);
	return a;
}

static int so_error(int fd)
{
	int v = -1;
	socklen_t len = sizeof v;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &v, &len) < 0)
		return -errno;
	return v;
}

static void readiness(void)
{
	socklen_t al;
	struct sockaddr_un a = abstract_of("more-ready", &al);
	int l = socket(AF_UNIX, SOCK_STREAM, 0);
	ready("unconnected stream", l);
	int sq = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	ready("unconnected seqpacket", sq);
	int d = socket(AF_UNIX, SOCK_DGRAM, 0);
	ready("unconnected dgram", d);
	SHOW("bind", bind(l, (void *)&a, al));
	SHOW("listen", listen(l, 4));
	ready("listener, none queued", l);
	int c = socket(AF_UNIX, SOCK_STREAM, 0);
	SHOW("connect", connect(c, (void *)&a, al));
	ready("listener, one queued", l);
	ready("connector", c);
	int s = accept(l, NULL, NULL);
	ready("accepted", s);
	ready("listener after accept", l);
	close(s);
	close(c);
	close(l);
	close(sq);
	close(d);
}

static void errors(void)
{
	socklen_t al;
	struct sockaddr_un a = abstract_of("more-errors", &al);
	int l = socket(AF_UNIX, SOCK_STREAM, 0);
	bind(l, (void *)&a, al);
	listen(l, 4);
	int c = socket(AF_UNIX, SOCK_STREAM, 0);
	connect(c, (void *)&a, al);
	int s = accept(l, NULL, NULL);
	printf("SO_ERROR connected: %d\n", so_error(c));
	/* A peer closed with data unread: ECONNRESET, once. */
	send(c, "zz", 2, 0);
	close(s);
	printf("SO_ERROR after the peer closed unread: %s\n", errname(so_error(c)));
	printf("SO_ERROR again: %d\n", so_error(c));
	ready("peer closed", c);
	close(c);
	/* A listener closed with a connection queued resets it. */
	c = socket(AF_UNIX, SOCK_STREAM, 0);
	SHOW("connect", connect(c, (void *)&a, al));
	close(l);
	ready("listener closed", c);
	char buf[8];
	SHOWN("recv", recv(c, buf, sizeof buf, MSG_DONTWAIT));
	SHOWN("recv again", recv(c, buf, sizeof buf, MSG_DONTWAIT));
	printf("SO_ERROR: %d\n", so_error(c));
	close(c);
	c = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
	SHOW("connect to nobody", connect(c, (void *)&a, al));
	printf("SO_ERROR after a refused connect: %d\n", so_error(c));
	close(c);
}

static void oob(void)
{
	int sv[2];
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	char buf[16] = { 0 };
	int mark = -1;
	SHOWN("send MSG_OOB", send(sv[0], "abc", 3, MSG_OOB));
	ready("with urgent data", sv[1]);
	SHOW("SIOCATMARK", ioctl(sv[1], SIOCATMARK, &mark));
	printf("at mark: %d\n", mark);
	int n = recv(sv[1], buf, sizeof buf, 0);
	printf("recv: %d %.*s\n", n, n > 0 ? n : 0, buf);
	ioctl(sv[1], SIOCATMARK, &mark);
	printf("at mark: %d\n", mark);
	n = recv(sv[1], buf, sizeof buf, MSG_OOB);
	printf("recv MSG_OOB: %d %.*s\n", n, n > 0 ? n : 0, buf);
	SHOWN("recv MSG_OOB again", recv(sv[1], buf, sizeof buf, MSG_OOB));
	SHOWN("send MSG_OOB empty", send(sv[0], "", 0, MSG_OOB));
	int one = 1;
	SHOW("SO_OOBINLINE", setsockopt(sv[1], SOL_SOCKET, SO_OOBINLINE, &one, sizeof one));
	socklen_t ol = sizeof one;
	one = -1;
	getsockopt(sv[1], SOL_SOCKET, SO_OOBINLINE, &one, &ol);
	printf("SO_OOBINLINE: %d\n", one);
	SHOWN("send MSG_OOB", send(sv[0], "xy", 2, MSG_OOB));
	n = recv(sv[1], buf, sizeof buf, 0);
	printf("recv inline: %d %.*s\n", n, n > 0 ? n : 0, buf);
	close(sv[0]);
	close(sv[1]);
	int st = socket(AF_UNIX, SOCK_STREAM, 0);
	SHOWN("unconnected stream send MSG_OOB empty", send(st, "", 0, MSG_OOB));
	SHOWN("unconnected stream send MSG_OOB", send(st, "x", 1, MSG_OOB));
	SHOWN("unconnected stream recv MSG_OOB", recv(st, buf, 1, MSG_OOB));
	close(st);
	int sq = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	SHOWN("unconnected seqpacket send MSG_OOB", send(sq, "x", 1, MSG_OOB));
	SHOWN("unconnected seqpacket recv MSG_OOB", recv(sq, buf, 1, MSG_OOB));
	close(sq);
	socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv);
	SHOWN("seqpacket send MSG_OOB", send(sv[0], "x", 1, MSG_OOB));
	SHOWN("seqpacket recv MSG_OOB", recv(sv[1], buf, 1, MSG_OOB | MSG_DONTWAIT));
	close(sv[0]);
	close(sv[1]);
	socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
	SHOWN("dgram send MSG_OOB", send(sv[0], "x", 1, MSG_OOB));
	SHOWN("dgram recv MSG_OOB", recv(sv[1], buf, 1, MSG_OOB | MSG_DONTWAIT));
	close(sv[0]);
	close(sv[1]);
}

static void dgram_peers(void)
{
	socklen_t al;
	struct sockaddr_un a = abstract_of("more-a", &al), b = abstract_of("more-b", &al);
	int da = socket(AF_UNIX, SOCK_DGRAM, 0), db = socket(AF_UNIX, SOCK_DGRAM, 0);
	int dc = socket(AF_UNIX, SOCK_DGRAM, 0), dd = socket(AF_UNIX, SOCK_DGRAM, 0);
	bind(da, (void *)&a, al);
	bind(db, (void *)&b, al);
	SHOW("connect a to b", connect(da, (void *)&b, al));
	SHOWN("sendto a from a stranger", sendto(dc, "c", 1, 0, (void *)&a, al));
	SHOWN("sendto a from b", sendto(db, "b", 1, 0, (void *)&a, al));
	SHOW("connect to a", connect(dd, (void *)&a, al));
	SHOWN("send", send(dd, "d", 1, 0));
	char buf[8];
	int n = recv(da, buf, sizeof buf, MSG_DONTWAIT);
	printf("a got: %d %.*s\n", n, n > 0 ? n : 0, buf);
	SHOWN("a has no more", recv(da, buf, sizeof buf, MSG_DONTWAIT));
	close(da);
	close(db);
	close(dc);
	close(dd);
}

static void epoll_before_connect(void)
{
	socklen_t al;
	struct sockaddr_un a = abstract_of("more-epoll", &al);
	int l = socket(AF_UNIX, SOCK_STREAM, 0);
	bind(l, (void *)&a, al);
	int ep = epoll_create1(0);
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = 7 };
	SHOW("epoll ADD the listener before listen", epoll_ctl(ep, EPOLL_CTL_ADD, l, &ev));
	listen(l, 4);
	int c = socket(AF_UNIX, SOCK_STREAM, 0);
	ev.data.u64 = 8;
	SHOW("epoll ADD before connect", epoll_ctl(ep, EPOLL_CTL_ADD, c, &ev));
	struct epoll_event o[4];
	int n = epoll_wait(ep, o, 4, 0);
	printf("unconnected:");
	for (int i = 0; i < n; i++)
		printf(" [%llu %#x]", (unsigned long long)o[i].data.u64, o[i].events);
	printf("\n");
	SHOW("connect", connect(c, (void *)&a, al));
	n = epoll_wait(ep, o, 4, 1000);
	printf("queued: %d [%llu %#x]\n", n, (unsigned long long)o[0].data.u64, o[0].events);
	int s = accept(l, NULL, NULL);
	write(s, "hi", 2);
	n = epoll_wait(ep, o, 4, 1000);
	printf("peer wrote: %d [%llu %#x]\n", n, (unsigned long long)o[0].data.u64, o[0].events);
	close(ep);
	close(s);
	close(c);
	close(l);
}

static void bad_buffer(void)
{
	void *volatile bad = (void *)8;
	int sv[2];
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	char *pg = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(pg + 4096, 4096);
	write(sv[0], "0123456789", 10);
	SHOWN("recv into a bad buffer", recv(sv[1], bad, 10, 0));
	SHOWN("recv into a partly bad buffer", recv(sv[1], pg + 4090, 10, 0));
	SHOWN("read into a bad buffer", read(sv[1], bad, 10));
	char b[32];
	int n = recv(sv[1], b, sizeof b, MSG_DONTWAIT);
	printf("then: %d %.*s\n", n, n > 0 ? n : 0, b);
	close(sv[0]);
	close(sv[1]);
	socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv);
	write(sv[0], "xy", 2);
	SHOWN("seqpacket recv into a bad buffer", recv(sv[1], bad, 10, 0));
	SHOWN("then", recv(sv[1], b, sizeof b, MSG_DONTWAIT));
	close(sv[0]);
	close(sv[1]);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	readiness();
	errors();
	oob();
	dgram_peers();
	epoll_before_connect();
	bad_buffer();
	return 0;
}
