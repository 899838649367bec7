/* Pipes and FIFOs: pipe/pipe2 flags, O_DIRECT packet mode, capacity
 * (65536 by default, F_GETPIPE_SZ/F_SETPIPE_SZ), PIPE_BUF atomicity,
 * EPIPE and SIGPIPE, EOF, FIONREAD, mkfifo and opening a FIFO from two
 * processes, O_NONBLOCK opens (ENXIO without a reader). */
#include "fs_util.h"
#include <limits.h>
#include <signal.h>
#include <sys/ioctl.h>

#ifndef F_SETPIPE_SZ
#define F_SETPIPE_SZ 1031
#define F_GETPIPE_SZ 1032
#endif

/* Write into a non-blocking pipe until EAGAIN: the bytes it took. */
static long fill(int wfd, size_t chunk)
{
	static char buf[65536];
	long total = 0, r;
	memset(buf, 'x', sizeof buf);
	while ((r = write(wfd, buf, chunk)) > 0)
		total += r;
	if (errno != EAGAIN)
		printf("fill: %s\n", errname(errno));
	return total;
}

static void basics(void)
{
	printf("-- pipe, pipe2\n");
	int p[2];
	SHOWN("pipe", pipe(p));
	printf("  F_GETFD %d %d, F_GETFL 0%o 0%o\n", fcntl(p[0], F_GETFD), fcntl(p[1], F_GETFD),
	       fcntl(p[0], F_GETFL), fcntl(p[1], F_GETFL));
	struct stat s;
	fstat(p[0], &s);
	printf("  fstat: %s mode %o size %lld\n", kind(s.st_mode), (unsigned)(s.st_mode & 07777), (long long)s.st_size);
	char buf[64];
	SHOWN("write to the read end", write(p[0], "x", 1));
	SHOWN("read from the write end", read(p[1], buf, 1));
	SHOWN("write 5", write(p[1], "hello", 5));
	int n = -1;
	ioctl(p[0], FIONREAD, &n);
	printf("  FIONREAD %d\n", n);
	fstat(p[0], &s);
	printf("  fstat size %lld\n", (long long)s.st_size);
	SHOWN("read 3", read(p[0], buf, 3));
	SHOWN("read 10 (short)", read(p[0], buf, 10));
	close(p[1]);
	SHOWN("read at EOF (writer closed)", read(p[0], buf, 10));
	SHOWN("read at EOF again", read(p[0], buf, 10));
	close(p[0]);
	int q[2];
	SHOWN("pipe2 O_CLOEXEC", pipe2(q, O_CLOEXEC));
	printf("  F_GETFD %d %d\n", fcntl(q[0], F_GETFD), fcntl(q[1], F_GETFD));
	close(q[0]);
	close(q[1]);
	SHOWN("pipe2 O_NONBLOCK", pipe2(q, O_NONBLOCK));
	printf("  F_GETFL 0%o 0%o\n", fcntl(q[0], F_GETFL), fcntl(q[1], F_GETFL));
	SHOWN("read empty non-blocking", read(q[0], buf, 1));
	close(q[1]);
	SHOWN("read empty non-blocking, writer closed", read(q[0], buf, 1));
	close(q[0]);
	SHOWN("pipe2 bad flags", pipe2(q, O_APPEND));
	SHOWN("pipe bad pointer", syscall(SYS_pipe, (void *)8));
	SHOWN("pipe2 O_DIRECT", pipe2(q, O_DIRECT));
	write(q[1], "one", 3);
	write(q[1], "three", 5);
	memset(buf, 0, sizeof buf);
	SHOWN("  packet read 64", read(q[0], buf, 64));
	SHOWN("  packet read 2 (rest of packet discarded)", read(q[0], buf, 2));
	write(q[1], "four", 4);
	SHOWN("  next packet", read(q[0], buf, 64));
	close(q[0]);
	close(q[1]);
}

static void capacity(void)
{
	printf("-- capacity\n");
	int p[2];
	pipe2(p, O_NONBLOCK);
	SHOWN("F_GETPIPE_SZ", fcntl(p[0], F_GETPIPE_SZ));
	printf("fill 1-byte writes: %ld\n", fill(p[1], 1));
	close(p[0]);
	close(p[1]);
	pipe2(p, O_NONBLOCK);
	printf("fill 1000-byte writes: %ld\n", fill(p[1], 1000));
	close(p[0]);
	close(p[1]);
	pipe2(p, O_NONBLOCK);
	printf("fill 65536-byte writes: %ld\n", fill(p[1], 65536));
	char buf[8192];
	SHOWN("full: read 100", read(p[0], buf, 100));
	SHOWN("full: write PIPE_BUF", write(p[1], buf, PIPE_BUF));
	SHOWN("read 4096", read(p[0], buf, 4096));
	SHOWN("write PIPE_BUF", write(p[1], buf, PIPE_BUF));
	SHOWN("F_SETPIPE_SZ 4096 with 64K queued", fcntl(p[1], F_SETPIPE_SZ, 4096));
	close(p[0]);
	close(p[1]);
	pipe2(p, O_NONBLOCK);
	SHOWN("F_SETPIPE_SZ 4096", fcntl(p[1], F_SETPIPE_SZ, 4096));
	SHOWN("F_GETPIPE_SZ read end", fcntl(p[0], F_GETPIPE_SZ));
	printf("fill: %ld\n", fill(p[1], 100));
	read(p[0], buf, sizeof buf);
	SHOWN("F_SETPIPE_SZ 1", fcntl(p[1], F_SETPIPE_SZ, 1));
	SHOWN("F_SETPIPE_SZ 100000", fcntl(p[1], F_SETPIPE_SZ, 100000));
	printf("fill: %ld\n", fill(p[1], 65536));
	read(p[0], buf, 1);
	SHOWN("F_SETPIPE_SZ 0 with data queued", fcntl(p[1], F_SETPIPE_SZ, 0));
	SHOWN("F_SETPIPE_SZ -1", fcntl(p[1], F_SETPIPE_SZ, -1));
	close(p[0]);
	close(p[1]);
	put("f", "x");
	int fd = open("f", O_RDONLY);
	SHOWN("F_GETPIPE_SZ on a file", fcntl(fd, F_GETPIPE_SZ));
	SHOWN("F_SETPIPE_SZ on a file", fcntl(fd, F_SETPIPE_SZ, 4096));
	close(fd);
}

/* Two writers of PIPE_BUF-sized records into one blocking pipe: every
 * record arrives whole. */
static void atomicity(void)
{
	printf("-- PIPE_BUF atomicity\n");
	int p[2];
	pipe(p);
	pid_t kids[2];
	for (int k = 0; k < 2; k++) {
		kids[k] = fork();
		if (kids[k] == 0) {
			close(p[0]);
			char rec[PIPE_BUF];
			memset(rec, 'a' + k, sizeof rec);
			for (int i = 0; i < 64; i++)
				if (write(p[1], rec, sizeof rec) != sizeof rec)
					_exit(1);
			_exit(0);
		}
	}
	close(p[1]);
	static char all[2 * 64 * PIPE_BUF + 1];
	long got = 0, r;
	while ((r = read(p[0], all + got, sizeof all - got)) > 0)
		got += r;
	close(p[0]);
	long whole = 0, count[2] = {0, 0};
	for (long o = 0; o + PIPE_BUF <= got; o += PIPE_BUF) {
		int same = 1;
		for (int i = 1; i < PIPE_BUF; i++)
			same &= all[o + i] == all[o];
		whole += same;
		if (same && (all[o] == 'a' || all[o] == 'b'))
			count[all[o] - 'a']++;
	}
	int st0, st1;
	waitpid(kids[0], &st0, 0);
	waitpid(kids[1], &st1, 0);
	printf("read %ld bytes, %ld whole records (a %ld, b %ld), writers exit %d %d\n", got, whole,
	       count[0], count[1], WEXITSTATUS(st0), WEXITSTATUS(st1));
}

static volatile sig_atomic_t got_pipe;
static void on_pipe(int s) { (void)s; got_pipe++; }

static void default_sigpipe(void)
{
	int p[2];
	pipe(p);
	close(p[0]);
	write(p[1], "x", 1);
	printf("child: still alive after a write with no reader\n");
}

static void epipe(void)
{
	printf("-- EPIPE and SIGPIPE\n");
	int p[2];
	pipe(p);
	close(p[0]);
	signal(SIGPIPE, SIG_IGN);
	SHOWN("write, no reader, SIGPIPE ignored", write(p[1], "x", 1));
	signal(SIGPIPE, on_pipe);
	SHOWN("write, no reader, handler", write(p[1], "x", 1));
	printf("  handler ran %d time(s)\n", (int)got_pipe);
	sigset_t set, old;
	sigemptyset(&set);
	sigaddset(&set, SIGPIPE);
	sigprocmask(SIG_BLOCK, &set, &old);
	SHOWN("write, no reader, blocked", write(p[1], "x", 1));
	sigset_t pend;
	sigpending(&pend);
	printf("  SIGPIPE pending: %d\n", sigismember(&pend, SIGPIPE));
	sigprocmask(SIG_SETMASK, &old, NULL);
	printf("  handler ran %d time(s) after unblock\n", (int)got_pipe);
	close(p[1]);
	signal(SIGPIPE, SIG_DFL);
	int st = in_child(default_sigpipe);
	printf("default action: signaled %d signal %s\n", WIFSIGNALED(st),
	       WIFSIGNALED(st) && WTERMSIG(st) == SIGPIPE ? "SIGPIPE" : "other");
}

static void fifos(void)
{
	printf("-- FIFOs\n");
	umask(022);
	SHOWN("mkfifo", mkfifo("ff", 0666));
	struct stat s;
	stat("ff", &s);
	printf("  %s %o\n", kind(s.st_mode), (unsigned)(s.st_mode & 07777));
	SHOWN("mkfifo existing", mkfifo("ff", 0666));
	SHOWN("mkfifo in missing dir", mkfifo("nodir/ff", 0666));
	SHOWN("open O_WRONLY|O_NONBLOCK, no reader", open("ff", O_WRONLY | O_NONBLOCK));
	int r = open("ff", O_RDONLY | O_NONBLOCK);
	printf("open O_RDONLY|O_NONBLOCK, no writer: %s\n", r >= 0 ? "ok" : errname(errno));
	char buf[64];
	SHOWN("  read, no writer yet", read(r, buf, sizeof buf));
	int w = open("ff", O_WRONLY | O_NONBLOCK);
	printf("open O_WRONLY|O_NONBLOCK with a reader: %s\n", w >= 0 ? "ok" : errname(errno));
	SHOWN("  read, writer open, empty", read(r, buf, sizeof buf));
	write(w, "via fifo", 8);
	memset(buf, 0, sizeof buf);
	SHOWN("  read", read(r, buf, sizeof buf));
	printf("  %s\n", buf);
	close(w);
	SHOWN("  read, writer gone", read(r, buf, sizeof buf));
	close(r);
	int rw = open("ff", O_RDWR);
	printf("open O_RDWR: %s\n", rw >= 0 ? "ok" : errname(errno));
	write(rw, "self", 4);
	SHOWN("  read back", read(rw, buf, sizeof buf));
	close(rw);
	SHOWN("lseek on a FIFO", (r = open("ff", O_RDONLY | O_NONBLOCK), lseek(r, 0, SEEK_SET)));
	close(r);

	/* blocking opens from two processes rendezvous */
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		int fd = open("ff", O_WRONLY);
		write(fd, "hello from the child", 20);
		close(fd);
		_exit(0);
	}
	int fd = open("ff", O_RDONLY);
	printf("blocking open O_RDONLY: %s\n", fd >= 0 ? "ok" : errname(errno));
	long got = 0, n;
	memset(buf, 0, sizeof buf);
	while ((n = read(fd, buf + got, sizeof buf - 1 - got)) > 0)
		got += n;
	printf("  read %ld: %s\n", got, buf);
	close(fd);
	int st;
	waitpid(c, &st, 0);
	unlink("ff");
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	alarm(20); /* a hang under cvisor fails fast */
	work_begin();
	basics();
	capacity();
	atomicity();
	epipe();
	fifos();
	work_end();
	return 0;
}
