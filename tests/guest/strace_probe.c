/* The calls tests/strace.t looks for in --strace's output, each once: a
 * stat result, sigactions, iovecs, pollfds, AF_UNIX addresses, open and
 * mmap flags, an errno, a forked child, bad pointers. Run from a scratch
 * directory (it makes two files there). */
#include "guest.h"
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

static void on_usr1(int sig)
{
	(void)sig;
}

/* A listening socket at path, a client connected to it and the accepted
 * end; then a message each way through sendmsg, recvmsg and readv. */
static void sockets(void)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX, .sun_path = "strace_probe.sock" };
	socklen_t len = offsetof(struct sockaddr_un, sun_path) + sizeof "strace_probe.sock";
	int s = socket(AF_UNIX, SOCK_STREAM, 0);
	SHOW("bind", bind(s, (struct sockaddr *)&sun, len));
	SHOW("listen", listen(s, 1));
	int c = socket(AF_UNIX, SOCK_STREAM, 0);
	SHOW("connect", connect(c, (struct sockaddr *)&sun, len));
	struct sockaddr_un peer;
	socklen_t plen = sizeof peer;
	int a = accept(s, (struct sockaddr *)&peer, &plen);
	printf("accept: %s, peer unnamed=%d\n", a >= 0 ? "ok" : errname(errno), plen == sizeof(sa_family_t));

	struct iovec out = { "ping", 4 };
	struct msghdr m = { .msg_iov = &out, .msg_iovlen = 1 };
	SHOWN("sendmsg", sendmsg(c, &m, 0));
	char buf[16] = { 0 };
	struct iovec in = { buf, sizeof buf };
	struct msghdr r = { .msg_iov = &in, .msg_iovlen = 1 };
	SHOWN("recvmsg", recvmsg(a, &r, 0));
	SHOWN("write pong", write(a, "pong", 4));
	char p1[2], p2[8];
	struct iovec rv[2] = { { p1, sizeof p1 }, { p2, sizeof p2 } };
	SHOWN("readv", readv(c, rv, 2));

	/* An abstract name: its own per process, as the namespace is the host's. */
	struct sockaddr_un abs = { .sun_family = AF_UNIX };
	int n = snprintf(abs.sun_path + 1, sizeof abs.sun_path - 1, "strace_probe.%d", getpid());
	int s2 = socket(AF_UNIX, SOCK_DGRAM, 0);
	SHOW("bind abstract", bind(s2, (struct sockaddr *)&abs, offsetof(struct sockaddr_un, sun_path) + 1 + n));
	close(s2);
	close(a);
	close(c);
	close(s);
	unlink("strace_probe.sock");
}

int main(void)
{
	umask(022);
	int fd = open("strace_probe.txt", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
	SHOW("open", fd);
	SHOWN("write", write(fd, "hello", 5));
	struct stat st;
	SHOW("fstat", fstat(fd, &st));
	printf("size=%ld mode=%o\n", (long)st.st_size, (unsigned)st.st_mode);
	close(fd);
	SHOW("open missing", open("/nonexistent/strace_probe", O_RDONLY));
	SHOW("stat bad pointer", syscall(SYS_newfstatat, AT_FDCWD, "/", (void *)8, 0));
	unlink("strace_probe.txt");

	struct sigaction sa = { .sa_handler = on_usr1, .sa_flags = SA_RESTART }, old;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGINT);
	sigaddset(&sa.sa_mask, SIGTERM);
	SHOW("sigaction", sigaction(SIGUSR1, &sa, NULL));
	sa.sa_handler = SIG_IGN;
	SHOW("sigaction old", sigaction(SIGUSR1, &sa, &old));
	printf("old handler is ours=%d\n", old.sa_handler == on_usr1);
	SHOW("sigaction bad pointer", syscall(SYS_rt_sigaction, SIGUSR2, (void *)8, NULL, 8));

	fflush(stdout);
	struct iovec iov[2] = { { "hello ", 6 }, { "world\n", 6 } };
	SHOWN("writev", writev(1, iov, 2));
	SHOW("writev bad pointer", syscall(SYS_writev, 1, (void *)8, 1));

	int p[2];
	SHOW("pipe", pipe(p));
	SHOWN("write pipe", write(p[1], "x", 1));
	struct pollfd pfd = { .fd = p[0], .events = POLLIN };
	SHOWN("poll", poll(&pfd, 1, 1000));
	printf("revents POLLIN=%d\n", pfd.revents == POLLIN);
	struct pollfd wfd = { .fd = p[1], .events = POLLIN };
	struct timespec zero = { 0, 0 };
	SHOWN("ppoll", ppoll(&wfd, 1, &zero, NULL));
	close(p[0]);
	close(p[1]);

	void *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	printf("mmap: %s\n", m != MAP_FAILED ? "ok" : errname(errno));
	munmap(m, 4096);

	sockets();

	fflush(stdout);
	pid_t child = fork();
	if (child == 0) {
		SHOWN("child write", write(1, "child\n", 6));
		fflush(stdout);
		_exit(7);
	}
	int status;
	SHOW("wait", waitpid(child, &status, 0));
	printf("child status=%d\n", WEXITSTATUS(status));
	return 0;
}
