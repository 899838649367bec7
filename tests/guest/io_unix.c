/* AF_UNIX sockets: socketpair of each type, bind/listen/connect/accept on
 * paths and abstract names, their errors, names, options, credentials,
 * datagrams to bound names, and SCM_RIGHTS/SCM_CREDENTIALS. */
#include "guest.h"
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

static struct sockaddr_un addr_of(const char *path, socklen_t *len)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	strcpy(a.sun_path, path);
	*len = offsetof(struct sockaddr_un, sun_path) + strlen(path) + 1;
	return a;
}

static struct sockaddr_un abstract_of(const char *name, socklen_t *len)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	memcpy(a.sun_path + 1, name, strlen(name));
	*len = offsetof(struct sockaddr_un, sun_path) + 1 + strlen(name);
	return a;
}

static void show_name(const char *what, int r, struct sockaddr_un *a, socklen_t len)
{
	if (r < 0) {
		printf("%s: %s\n", what, errname(errno));
		return;
	}
	printf("%s: len=%u", what, (unsigned)len);
	if (len > offsetof(struct sockaddr_un, sun_path))
		printf(" path=%s%s", a->sun_path[0] ? "" : "@", a->sun_path[0] ? a->sun_path : a->sun_path + 1);
	printf("\n");
}

static void names(const char *what, int fd)
{
	struct sockaddr_un a;
	socklen_t len = sizeof a;
	char w[64];
	snprintf(w, sizeof w, "%s sockname", what);
	memset(&a, 0, sizeof a);
	int r = getsockname(fd, (void *)&a, &len);
	show_name(w, r, &a, len);
	len = sizeof a;
	snprintf(w, sizeof w, "%s peername", what);
	memset(&a, 0, sizeof a);
	r = getpeername(fd, (void *)&a, &len);
	show_name(w, r, &a, len);
}

static void peercred(const char *what, int fd, pid_t expect)
{
	struct ucred c;
	socklen_t len = sizeof c;
	int r = getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &c, &len);
	printf("%s SO_PEERCRED: %s len=%u pid %s uid=%u gid=%u\n", what, r < 0 ? errname(errno) : "ok", len,
	       c.pid == expect ? "as expected" : c.pid == 0 ? "0" : "other", c.uid, c.gid);
}

static int sockopt(int fd, int opt)
{
	int v = -1;
	socklen_t len = sizeof v;
	if (getsockopt(fd, SOL_SOCKET, opt, &v, &len) < 0)
		return -errno;
	return v;
}

static void pairs(void)
{
	int sv[2];
	SHOW("socketpair stream", socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv));
	printf("cloexec=%d type=%d domain=%d acceptconn=%d error=%d passcred=%d\n", fcntl(sv[0], F_GETFD),
	       sockopt(sv[0], SO_TYPE), sockopt(sv[0], SO_DOMAIN), sockopt(sv[0], SO_ACCEPTCONN),
	       sockopt(sv[0], SO_ERROR), sockopt(sv[0], SO_PASSCRED));
	names("pair", sv[0]);
	peercred("pair", sv[0], getpid());
	char buf[64];
	SHOWN("write", write(sv[0], "hello", 5));
	SHOWN("send", send(sv[0], " world", 6, 0));
	SHOWN("recv MSG_PEEK", recv(sv[1], buf, 3, MSG_PEEK));
	SHOWN("read", read(sv[1], buf, sizeof buf));
	printf("data: %.11s\n", buf);
	SHOWN("recv MSG_DONTWAIT empty", recv(sv[1], buf, sizeof buf, MSG_DONTWAIT));
	struct pollfd p = { sv[1], POLLIN | POLLOUT, 0 };
	printf("poll: %d revents=%#x\n", poll(&p, 1, 0), p.revents);
	SHOW("shutdown bad how", shutdown(sv[0], 7));
	SHOW("shutdown SHUT_WR", shutdown(sv[0], SHUT_WR));
	SHOWN("read after peer SHUT_WR", read(sv[1], buf, sizeof buf));
	SHOWN("send after SHUT_WR", send(sv[0], "x", 1, MSG_NOSIGNAL));
	SHOWN("sendto with address", sendto(sv[1], "x", 1, 0, (void *)&(struct sockaddr_un){ AF_UNIX, "x" }, 4));
	SHOWN("recv MSG_OOB", recv(sv[1], buf, 1, MSG_OOB));
	SHOWN("getsockopt other level", sockopt(sv[0], 0) * 0 + getsockopt(sv[0], 0 /* SOL_IP */, 1, buf, &(socklen_t){ 4 }));
	SHOWN("getsockopt unknown", getsockopt(sv[0], SOL_SOCKET, 9999, buf, &(socklen_t){ 4 }));
	int big = 100000;
	SHOW("SO_SNDBUF set", setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &big, sizeof big));
	printf("SO_SNDBUF: %d\n", sockopt(sv[0], SO_SNDBUF));
	int one = 1;
	SHOW("SO_REUSEADDR", setsockopt(sv[0], SOL_SOCKET, SO_REUSEADDR, &one, sizeof one));
	SHOW("setsockopt short", setsockopt(sv[0], SOL_SOCKET, SO_PASSCRED, &one, 2));
	struct timeval tv = { 0, 30000 };
	SHOW("SO_RCVTIMEO", setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv));
	SHOWN("recv with a timeout", recv(sv[0], buf, sizeof buf, 0));
	tv = (struct timeval){ 0, 0 };
	socklen_t tl = sizeof tv;
	getsockopt(sv[1], SOL_SOCKET, SO_RCVTIMEO, &tv, &tl);
	printf("SO_RCVTIMEO: %ld.%06ld len=%u\n", (long)tv.tv_sec, (long)tv.tv_usec, tl);
	close(sv[0]);
	close(sv[1]);

	SHOW("socketpair dgram", socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
	send(sv[0], "one", 3, 0);
	send(sv[0], "three", 5, 0);
	SHOWN("recv dgram short", recv(sv[1], buf, 2, 0));
	SHOWN("recv dgram MSG_TRUNC", recv(sv[1], buf, 2, MSG_TRUNC));
	struct iovec iov = { buf, 2 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	send(sv[0], "four", 4, 0);
	SHOWN("recvmsg short", recvmsg(sv[1], &mh, 0));
	printf("msg_flags MSG_TRUNC=%d\n", !!(mh.msg_flags & MSG_TRUNC));
	close(sv[0]);
	close(sv[1]);

	SHOW("socketpair seqpacket", socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK, 0, sv));
	printf("nonblock=%d\n", !!(fcntl(sv[0], F_GETFL) & O_NONBLOCK));
	write(sv[0], "ab", 2);
	write(sv[0], "cde", 3);
	SHOWN("read seqpacket", read(sv[1], buf, sizeof buf));
	SHOWN("read seqpacket", read(sv[1], buf, sizeof buf));
	SHOWN("read seqpacket empty", read(sv[1], buf, sizeof buf));
	close(sv[0]);
	SHOWN("read seqpacket closed", read(sv[1], buf, sizeof buf));
	close(sv[1]);

	SHOW("socketpair bad flags", socketpair(AF_UNIX, SOCK_STREAM | 0x100, 0, sv));
	SHOW("socketpair bad protocol", socketpair(AF_UNIX, SOCK_STREAM, 5, sv));
	SHOW("socketpair bad type", socketpair(AF_UNIX, 7, 0, sv));
	SHOW("socketpair type 12", socketpair(AF_UNIX, 12, 0, sv));
	int *volatile badp = (int *)8;
	SHOW("socketpair bad pointer", socketpair(AF_UNIX, SOCK_STREAM, 0, badp));
	SHOW("socket family 99", socket(99, SOCK_STREAM, 0));
	int raw = socket(AF_UNIX, SOCK_RAW, 0);
	printf("SOCK_RAW is %s\n", sockopt(raw, SO_TYPE) == SOCK_DGRAM ? "SOCK_DGRAM" : "?");
	close(raw);
	SHOW("bind on a pipe", bind(0 * pipe(sv) + sv[0], (void *)&(struct sockaddr_un){ AF_UNIX, "x" }, 4));
	SHOW("listen on a closed fd", listen(77, 1));
	close(sv[0]);
	close(sv[1]);
}

static void listeners(void)
{
	socklen_t len;
	struct sockaddr_un a = addr_of("sock", &len);
	unlink("sock");
	int s = socket(AF_UNIX, SOCK_STREAM, 0);
	SHOW("listen unbound", listen(s, 5));
	SHOW("accept not listening", accept(s, NULL, NULL));
	int c0 = socket(AF_UNIX, SOCK_STREAM, 0);
	SHOW("connect missing path", connect(c0, (void *)&a, len));
	SHOW("bind short", bind(s, (void *)&a, 1));
	SHOW("bind bad family", bind(s, (void *)&(struct sockaddr_un){ AF_INET, "x" }, 4));
	SHOW("bind too long", bind(s, (void *)&a, 200));
	SHOW("bind bad pointer", bind(s, (void *)8, len));
	mode_t old = umask(022);
	SHOW("bind", bind(s, (void *)&a, len));
	umask(old);
	struct stat st;
	stat("sock", &st);
	printf("socket inode: S_ISSOCK=%d mode=%o\n", S_ISSOCK(st.st_mode), st.st_mode & 0777);
	SHOW("bind again", bind(s, (void *)&a, len));
	int s2 = socket(AF_UNIX, SOCK_STREAM, 0);
	SHOW("bind taken path", bind(s2, (void *)&a, len));
	SHOW("connect not listening", connect(c0, (void *)&a, len));
	SHOW("listen", listen(s, 2));
	SHOW("listen again", listen(s, 8));
	names("listener", s);
	int fl = fcntl(s, F_GETFL);
	fcntl(s, F_SETFL, fl | O_NONBLOCK);
	SHOW("accept nothing queued", accept(s, NULL, NULL));
	fcntl(s, F_SETFL, fl);
	struct pollfd p = { s, POLLIN, 0 };
	printf("listener readable: %d\n", poll(&p, 1, 0));
	int d = socket(AF_UNIX, SOCK_DGRAM, 0);
	SHOW("connect dgram to stream", connect(d, (void *)&a, len));
	close(d);
	int q = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	SHOW("connect seqpacket to stream", connect(q, (void *)&a, len));
	close(q);
	int file = open("plain", O_CREAT | O_WRONLY, 0600);
	close(file);
	socklen_t plen;
	struct sockaddr_un pa = addr_of("plain", &plen);
	SHOW("connect to a regular file", connect(c0, (void *)&pa, plen));
	unlink("plain");
	char buf[32];
	SHOWN("recv unconnected", recv(c0, buf, sizeof buf, 0));
	SHOWN("send unconnected", send(c0, "x", 1, 0));
	SHOW("getpeername unconnected", getpeername(c0, (void *)buf, &(socklen_t){ sizeof buf }));
	peercred("unconnected", c0, 0);
	SHOW("connect", connect(c0, (void *)&a, len));
	SHOW("connect again", connect(c0, (void *)&a, len));
	printf("listener readable: %d\n", poll(&p, 1, 0));
	names("client", c0);
	peercred("client", c0, getpid());
	SHOWN("write before accept", write(c0, "early", 5));
	struct sockaddr_un from;
	socklen_t flen = sizeof from;
	int a0 = accept4(s, (void *)&from, &flen, SOCK_CLOEXEC);
	fflush(stdout);
	show_name("accepted peer", a0, &from, flen);
	printf("accepted cloexec=%d\n", fcntl(a0, F_GETFD));
	names("accepted", a0);
	peercred("accepted", a0, getpid());
	SHOWN("read", read(a0, buf, sizeof buf));
	SHOW("accept4 bad flags", syscall(SYS_accept4, s, NULL, NULL, 1));
	SHOW("listen on accepted", listen(a0, 1));
	/* A child connects (a bound client), the parent accepts. */
	fflush(stdout);
	pid_t child = fork();
	if (child == 0) {
		int c = socket(AF_UNIX, SOCK_STREAM, 0);
		socklen_t cl;
		struct sockaddr_un ca = abstract_of("client-name", &cl);
		bind(c, (void *)&ca, cl);
		connect(c, (void *)&a, len);
		write(c, "from child", 10);
		read(c, buf, 1);
		_exit(0);
	}
	flen = sizeof from;
	int a1 = accept(s, (void *)&from, &flen);
	fflush(stdout);
	show_name("accepted child", a1, &from, flen);
	peercred("accepted child", a1, child);
	memset(buf, 0, sizeof buf);
	SHOWN("read", read(a1, buf, sizeof buf));
	printf("data: %s\n", buf);
	write(a1, "k", 1);
	waitpid(child, NULL, 0);
	SHOWN("read after the child is gone", read(a1, buf, sizeof buf));
	SHOWN("write after the child is gone", send(a1, "x", 1, MSG_NOSIGNAL));
	close(a0);
	close(a1);
	close(c0);
	close(s2);
	close(s);
	int c2 = socket(AF_UNIX, SOCK_STREAM, 0);
	SHOW("connect after the listener closed", connect(c2, (void *)&a, len));
	close(c2);
	unlink("sock");

	/* Abstract names and autobind. */
	socklen_t alen;
	struct sockaddr_un aa = abstract_of("cvisor-test", &alen);
	s = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	SHOW("bind abstract", bind(s, (void *)&aa, alen));
	s2 = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	SHOW("bind abstract taken", bind(s2, (void *)&aa, alen));
	listen(s, 1);
	SHOW("connect abstract", connect(s2, (void *)&aa, alen));
	a0 = accept(s, NULL, NULL);
	names("abstract accepted", a0);
	write(s2, "12", 2);
	write(s2, "345", 3);
	SHOWN("seqpacket read", read(a0, buf, sizeof buf));
	SHOWN("seqpacket read", read(a0, buf, sizeof buf));
	close(s2);
	s2 = socket(AF_UNIX, SOCK_DGRAM, 0);
	SHOW("autobind", bind(s2, (void *)&(sa_family_t){ AF_UNIX }, sizeof(sa_family_t)));
	flen = sizeof from;
	getsockname(s2, (void *)&from, &flen);
	printf("autobind name: len=%u abstract=%d\n", flen, from.sun_path[0] == 0);
	close(s2);
	close(a0);
	close(s);
}

static void datagrams(void)
{
	socklen_t len;
	struct sockaddr_un a = addr_of("dsock", &len);
	unlink("dsock");
	int r = socket(AF_UNIX, SOCK_DGRAM, 0);
	SHOW("bind dgram", bind(r, (void *)&a, len));
	int s = socket(AF_UNIX, SOCK_DGRAM, 0);
	SHOWN("send unconnected", send(s, "x", 1, 0));
	SHOWN("sendto", sendto(s, "first", 5, 0, (void *)&a, len));
	SHOW("connect dgram", connect(s, (void *)&a, len));
	names("dgram client", s);
	SHOWN("send connected", send(s, "second!", 7, 0));
	SHOWN("write connected", write(s, "3rd", 3));
	char buf[32];
	struct pollfd p = { r, POLLIN, 0 };
	printf("receiver readable: %d\n", poll(&p, 1, 0));
	struct sockaddr_un from;
	socklen_t flen = sizeof from;
	memset(&from, 0, sizeof from);
	int got = recvfrom(r, buf, sizeof buf, 0, (void *)&from, &flen);
	show_name("recvfrom an unbound sender", got, &from, flen);
	flen = sizeof from;
	got = recvfrom(r, buf, 3, MSG_TRUNC, (void *)&from, &flen);
	printf("recvfrom MSG_TRUNC: %d\n", got);
	SHOWN("read", read(r, buf, sizeof buf));
	SHOWN("recv empty nonblocking", recv(r, buf, sizeof buf, MSG_DONTWAIT));
	SHOW("disconnect (AF_UNSPEC)", connect(s, (void *)&(struct sockaddr){ AF_UNSPEC }, sizeof(struct sockaddr)));
	SHOWN("send after disconnect", send(s, "x", 1, 0));
	socklen_t missing_len;
	struct sockaddr_un missing = addr_of("nothing-here", &missing_len);
	SHOWN("sendto missing", sendto(s, "x", 1, 0, (void *)&missing, missing_len));
	/* A bound sender is named to the receiver; the receiver answers it. */
	socklen_t blen;
	struct sockaddr_un ba = abstract_of("dgram-sender", &blen);
	bind(s, (void *)&ba, blen);
	sendto(s, "ping", 4, 0, (void *)&a, len);
	struct sockaddr_un who;
	socklen_t wlen = sizeof who;
	memset(&who, 0, sizeof who);
	got = recvfrom(r, buf, sizeof buf, 0, (void *)&who, &wlen);
	show_name("recvfrom a bound sender", got, &who, wlen);
	SHOWN("answer it", sendto(r, "pong", 4, 0, (void *)&who, wlen));
	SHOWN("the answer", recv(s, buf, sizeof buf, 0));
	struct iovec iov = { buf, sizeof buf };
	struct msghdr mh = { .msg_name = &who, .msg_namelen = sizeof who, .msg_iov = &iov, .msg_iovlen = 1 };
	sendto(s, "again", 5, 0, (void *)&a, len);
	got = recvmsg(r, &mh, 0);
	show_name("recvmsg name", got, &who, mh.msg_namelen);
	close(r);
	SHOWN("sendto closed receiver", sendto(s, "x", 1, 0, (void *)&a, len));
	close(s);
	unlink("dsock");
}

/* A pipe's read end goes to a child over SCM_RIGHTS; the child reads
 * what the parent writes into the pipe afterwards. Credentials too. */
static void passing(void)
{
	int sv[2], pp[2];
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	pipe(pp);
	fflush(stdout);
	pid_t child = fork();
	if (child == 0) {
		close(sv[0]);
		close(pp[0]);
		close(pp[1]);
		int on = 1;
		setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &on, sizeof on);
		write(sv[1], "r", 1); /* ready */
		char data[8], control[CMSG_SPACE(sizeof(int)) + CMSG_SPACE(sizeof(struct ucred))];
		struct iovec iov = { data, sizeof data };
		struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control,
				     .msg_controllen = sizeof control };
		ssize_t n = recvmsg(sv[1], &mh, MSG_CMSG_CLOEXEC);
		printf("child: recvmsg %zd, flags=%#x\n", n, mh.msg_flags);
		int fd = -1;
		for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
			if (c->cmsg_type == SCM_RIGHTS) {
				memcpy(&fd, CMSG_DATA(c), sizeof fd);
				printf("child: SCM_RIGHTS len=%zu\n", (size_t)c->cmsg_len);
			} else if (c->cmsg_type == SCM_CREDENTIALS) {
				struct ucred cr;
				memcpy(&cr, CMSG_DATA(c), sizeof cr);
				printf("child: SCM_CREDENTIALS pid is parent=%d uid=%u\n", cr.pid == getppid(), cr.uid);
			}
		}
		printf("child: fd cloexec=%d\n", fcntl(fd, F_GETFD));
		char buf[32] = { 0 };
		write(sv[1], "g", 1);
		printf("child: pipe read %zd: %s\n", read(fd, buf, sizeof buf), buf);
		/* Too small a control buffer: MSG_CTRUNC, the fd dropped. */
		char small[CMSG_LEN(0)];
		mh.msg_control = small;
		mh.msg_controllen = sizeof small;
		n = recvmsg(sv[1], &mh, 0);
		printf("child: small control: %zd, MSG_CTRUNC=%d, controllen=%zu\n", n, !!(mh.msg_flags & MSG_CTRUNC),
		       (size_t)mh.msg_controllen);
		fflush(stdout);
		_exit(0);
	}
	close(sv[1]);
	char c;
	read(sv[0], &c, 1);
	char control[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { "fd", 2 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control, .msg_controllen = sizeof control };
	struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &pp[0], sizeof(int));
	long first = sendmsg(sv[0], &mh, 0);
	read(sv[0], &c, 1);
	write(pp[1], "through the pipe", 16);
	long again = sendmsg(sv[0], &mh, 0);
	waitpid(child, NULL, 0);
	printf("sendmsg SCM_RIGHTS: %ld, again: %ld\n", first, again);
	int bad = 99;
	memcpy(CMSG_DATA(cm), &bad, sizeof bad);
	SHOWN("sendmsg bad fd", sendmsg(sv[0], &mh, 0));
	cm->cmsg_len = 4;
	SHOWN("sendmsg bad cmsg_len", sendmsg(sv[0], &mh, 0));
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	cm->cmsg_type = 77;
	SHOWN("sendmsg bad cmsg type", sendmsg(sv[0], &mh, MSG_NOSIGNAL));
	char cc[CMSG_SPACE(sizeof(struct ucred))];
	mh.msg_control = cc;
	mh.msg_controllen = sizeof cc;
	cm = CMSG_FIRSTHDR(&mh);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_CREDENTIALS;
	cm->cmsg_len = CMSG_LEN(sizeof(struct ucred));
	struct ucred cr = { 0x3ffffff0, getuid(), getgid() };
	memcpy(CMSG_DATA(cm), &cr, sizeof cr);
	/* root may claim another pid, but it must exist */
	SHOWN("sendmsg SCM_CREDENTIALS no such pid", sendmsg(sv[0], &mh, MSG_NOSIGNAL) < 0 ? -1 : 0);
	close(sv[0]);
	close(pp[0]);
	close(pp[1]);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);
	pairs();
	listeners();
	datagrams();
	passing();
	return 0;
}
