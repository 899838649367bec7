/* iovec arrays with a bad entry in the middle (an unmapped page, a kernel
 * address, a negative length) and too many entries, for readv, writev,
 * preadv, pwritev, sendmsg and recvmsg on pipes, files and AF_UNIX
 * sockets: EFAULT, EINVAL or a short count, and what is left queued,
 * exactly as Linux. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "guest.h"

static const char data[] = "0123456789abcdefghijklmnopqrstuv";

static void pipes(struct iovec *w, struct iovec *r)
{
	int p[2];
	char rd[64];
	pipe2(p, O_NONBLOCK);
	SHOWN("  writev pipe", writev(p[1], w, 3));
	SHOWN("  pipe then holds", read(p[0], rd, sizeof rd));
	write(p[1], data, 32);
	SHOWN("  readv pipe", readv(p[0], r, 3));
	SHOWN("  pipe then holds", read(p[0], rd, sizeof rd));
	close(p[0]);
	close(p[1]);
}

static void files(struct iovec *w, struct iovec *r)
{
	int fd = open("escape_iovec.tmp", O_RDWR | O_CREAT | O_TRUNC, 0600);
	SHOWN("  pwritev file", pwritev(fd, w, 3, 0));
	SHOWN("  file size", lseek(fd, 0, SEEK_END));
	SHOWN("  writev file", writev(fd, w, 3));
	SHOWN("  file size", lseek(fd, 0, SEEK_END));
	pwrite(fd, data, 32, 0);
	SHOWN("  preadv file", preadv(fd, r, 3, 0));
	lseek(fd, 0, SEEK_SET);
	SHOWN("  readv file", readv(fd, r, 3));
	SHOWN("  offset after", lseek(fd, 0, SEEK_CUR));
	close(fd);
	unlink("escape_iovec.tmp");
}

static void sockets(int type, struct iovec *w, struct iovec *r)
{
	int s[2];
	char rd[64];
	socketpair(AF_UNIX, type, 0, s);
	struct msghdr m = { .msg_iov = w, .msg_iovlen = 3 };
	SHOWN("  sendmsg", sendmsg(s[0], &m, MSG_DONTWAIT));
	SHOWN("  socket then holds", recv(s[1], rd, sizeof rd, MSG_DONTWAIT));
	SHOWN("  writev socket", writev(s[0], w, 3));
	SHOWN("  socket then holds", recv(s[1], rd, sizeof rd, MSG_DONTWAIT));
	send(s[0], data, 32, 0);
	struct msghdr rm = { .msg_iov = r, .msg_iovlen = 3 };
	SHOWN("  recvmsg", recvmsg(s[1], &rm, MSG_DONTWAIT));
	SHOWN("  socket then holds", recv(s[1], rd, sizeof rd, MSG_DONTWAIT));
	send(s[0], data, 32, 0);
	SHOWN("  readv socket", readv(s[1], r, 3));
	SHOWN("  socket then holds", recv(s[1], rd, sizeof rd, MSG_DONTWAIT));
	close(s[0]);
	close(s[1]);
}

static void all(const char *what, void *bad, size_t badlen, int where)
{
	static char a[8] = "AAAAAAA", b[8] = "BBBBBBB", rd[64];
	struct iovec w[3] = { { a, 7 }, { b, 7 }, { a, 7 } };
	struct iovec r[3] = { { rd, 4 }, { rd + 8, 10 }, { rd + 20, 10 } };
	w[where] = (struct iovec){ bad, badlen };
	r[where] = (struct iovec){ bad, badlen };
	printf("-- bad entry %d: %s\n", where, what);
	pipes(w, r);
	files(w, r);
	printf(" stream:\n");
	sockets(SOCK_STREAM, w, r);
	printf(" datagram:\n");
	sockets(SOCK_DGRAM, w, r);
	fflush(stdout);
}

int main(void)
{
	/* A read-only page, a hole where a page was, a writable page. */
	char *ro = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *hole = ro + 4096;
	mprotect(ro, 4096, PROT_READ);
	munmap(hole, 4096);
	all("an unmapped page", hole, 10, 1);
	all("an unmapped page", hole, 10, 0);
	all("a read-only page", ro, 10, 1);
	all("a kernel address", (void *)0xffff880000000000UL, 10, 1);
	all("a length running into the hole", ro + 4096 - 4, 10, 1);
	all("a negative length", (void *)data, (size_t)-5, 1);

	printf("-- too many entries\n");
	static struct iovec many[1025];
	for (int i = 0; i < 1025; i++)
		many[i] = (struct iovec){ (void *)data, 1 };
	int p[2], s[2];
	pipe2(p, O_NONBLOCK);
	socketpair(AF_UNIX, SOCK_STREAM, 0, s);
	SHOWN("writev 1024", writev(p[1], many, 1024));
	SHOWN("writev 1025", writev(p[1], many, 1025));
	SHOWN("writev -1", syscall(SYS_writev, p[1], many, -1));
	struct msghdr m = { .msg_iov = many, .msg_iovlen = 1025 };
	SHOWN("sendmsg 1025", sendmsg(s[0], &m, MSG_DONTWAIT));
	m.msg_iovlen = 1024;
	SHOWN("sendmsg 1024", sendmsg(s[0], &m, MSG_DONTWAIT));
	m.msg_iov = (void *)hole;
	SHOWN("sendmsg iov array unmapped", sendmsg(s[0], &m, MSG_DONTWAIT));
	SHOWN("writev iov array unmapped", writev(p[1], (void *)hole, 2));
	SHOWN("writev iov array half mapped", writev(p[1], (struct iovec *)(ro + 4096 - 16), 2));
	return 0;
}
