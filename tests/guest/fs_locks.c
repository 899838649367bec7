/* File lock edges beyond fs_fd.c: POSIX ranges split and merged, negative
 * l_len, SEEK_CUR/SEEK_END, EOVERFLOW, F_OFD_GETLK with F_UNLCK, EFAULT,
 * F_SETLKW's EDEADLK, F_SETLKW and flock interrupted by a signal (EINTR,
 * or restarted under SA_RESTART), locks dropped by closing a dup, OFD
 * locks kept until the last close, flock waits. */
#include "fs_util.h"
#include <signal.h>
#include <stdint.h>
#include <sys/file.h>

#ifndef LOCK_MAND
#define LOCK_MAND 32
#endif
#ifndef F_OFD_GETLK
#define F_OFD_GETLK 36
#define F_OFD_SETLK 37
#define F_OFD_SETLKW 38
#endif

static const char *lt(int t) { return t == F_RDLCK ? "F_RDLCK" : t == F_WRLCK ? "F_WRLCK" : t == F_UNLCK ? "F_UNLCK" : "?"; }

static void getlk(const char *name, int fd, int cmd, short type, short whence, off_t start, off_t len)
{
	struct flock fl = {.l_type = type, .l_whence = whence, .l_start = start, .l_len = len};
	errno = 0;
	if (fcntl(fd, cmd, &fl) < 0) {
		printf("%s: %s\n", name, errname(errno));
		return;
	}
	printf("%s: %s", name, lt(fl.l_type));
	if (fl.l_type != F_UNLCK)
		printf(" whence %d start %ld len %ld pid %s", fl.l_whence, (long)fl.l_start, (long)fl.l_len,
		       fl.l_pid == getppid() ? "parent" : fl.l_pid == getpid() ? "self" :
		       fl.l_pid == -1 ? "-1" : "other");
	printf("\n");
}

static int setlk(int fd, int cmd, short type, short whence, off_t start, off_t len)
{
	struct flock fl = {.l_type = type, .l_whence = whence, .l_start = start, .l_len = len};
	return fcntl(fd, cmd, &fl);
}

/* What another process sees: each query from a forked child. */
static void (*probe_fn)(void);
static void probe(void (*fn)(void))
{
	probe_fn = fn;
	in_child(fn);
}

static void probe_ranges(void)
{
	int fd = open("lk", O_RDWR);
	getlk("  0..", fd, F_GETLK, F_RDLCK, SEEK_SET, 0, 0);
	getlk("  3 len 1", fd, F_GETLK, F_RDLCK, SEEK_SET, 3, 1);
	getlk("  5 len 1", fd, F_GETLK, F_RDLCK, SEEK_SET, 5, 1);
	getlk("  5 len 1 write", fd, F_GETLK, F_WRLCK, SEEK_SET, 5, 1);
	getlk("  20..", fd, F_GETLK, F_WRLCK, SEEK_SET, 20, 0);
	close(fd);
}

static void ranges(void)
{
	printf("-- ranges\n");
	put("lk", "0123456789");
	int fd = open("lk", O_RDWR);
	SHOWN("write 0..9", setlk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 10));
	SHOWN("unlock 3..5", setlk(fd, F_SETLK, F_UNLCK, SEEK_SET, 3, 3));
	probe(probe_ranges);
	SHOWN("write 3..5 again (merges)", setlk(fd, F_SETLK, F_WRLCK, SEEK_SET, 3, 3));
	probe(probe_ranges);
	SHOWN("read 4..5 inside (splits)", setlk(fd, F_SETLK, F_RDLCK, SEEK_SET, 4, 2));
	probe(probe_ranges);
	SHOWN("write 10..19 (adjacent)", setlk(fd, F_SETLK, F_WRLCK, SEEK_SET, 10, 10));
	SHOWN("read 20.. (to EOF)", setlk(fd, F_SETLK, F_RDLCK, SEEK_SET, 20, 0));
	probe(probe_ranges);
	SHOWN("unlock all", setlk(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0));
	SHOWN("negative len: 10 len -5", setlk(fd, F_SETLK, F_WRLCK, SEEK_SET, 10, -5));
	probe(probe_ranges);
	SHOWN("negative len past 0", setlk(fd, F_SETLK, F_WRLCK, SEEK_SET, 10, -11));
	SHOWN("unlock all", setlk(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0));
	lseek(fd, 3, SEEK_SET);
	SHOWN("SEEK_CUR+1 len 2", setlk(fd, F_SETLK, F_WRLCK, SEEK_CUR, 1, 2));
	SHOWN("SEEK_END-2 to EOF", setlk(fd, F_SETLK, F_RDLCK, SEEK_END, -2, 0));
	probe(probe_ranges);
	SHOWN("SEEK_END-11", setlk(fd, F_SETLK, F_RDLCK, SEEK_END, -11, 1));
	SHOWN("start INT64_MAX len 2", setlk(fd, F_SETLK, F_RDLCK, SEEK_SET, INT64_MAX, 2));
	SHOWN("SEEK_END+INT64_MAX", setlk(fd, F_SETLK, F_RDLCK, SEEK_END, INT64_MAX, 1));
	SHOWN("start INT64_MAX len 1", setlk(fd, F_SETLK, F_RDLCK, SEEK_SET, INT64_MAX, 1));
	getlk("F_GETLK F_UNLCK", fd, F_GETLK, F_UNLCK, SEEK_SET, 0, 0);
	getlk("F_GETLK own locks", fd, F_GETLK, F_WRLCK, SEEK_SET, 0, 0);
	SHOWN("F_GETLK bad pointer", fcntl(fd, F_GETLK, (void *)8));
	SHOWN("F_SETLK bad pointer", fcntl(fd, F_SETLK, (void *)8));
	SHOWN("unlock on a read-only fd", (close(fd), fd = open("lk", O_RDONLY),
					   setlk(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0)));
	SHOWN("read lock on a read-only fd", setlk(fd, F_SETLK, F_RDLCK, SEEK_SET, 0, 0));
	close(fd);
	int wo = open("lk", O_WRONLY);
	SHOWN("read lock on a write-only fd", setlk(wo, F_SETLK, F_RDLCK, SEEK_SET, 0, 0));
	close(wo);
	int pa = open("lk", O_PATH);
	SHOWN("F_GETLK on O_PATH", setlk(pa, F_GETLK, F_RDLCK, SEEK_SET, 0, 0));
	SHOWN("flock on O_PATH", flock(pa, LOCK_SH));
	close(pa);
	int p[2];
	pipe(p);
	SHOWN("F_SETLK on a pipe", setlk(p[1], F_SETLK, F_WRLCK, SEEK_SET, 0, 0));
	close(p[0]);
	close(p[1]);
}

static void probe_any(void)
{
	int fd = open("lk", O_RDWR);
	getlk("  0..", fd, F_GETLK, F_WRLCK, SEEK_SET, 0, 0);
	close(fd);
}

static void closes(void)
{
	printf("-- what a close drops\n");
	int fd = open("lk", O_RDWR);
	int d = dup(fd);
	SHOWN("POSIX write 0..", setlk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 0));
	probe(probe_any);
	SHOWN("close the dup", close(d));
	probe(probe_any);
	SHOWN("POSIX write 0..", setlk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 0));
	int other = open("lk", O_RDONLY);
	SHOWN("dup2 over another open of it", dup2(other, 50));
	SHOWN("close it", close(50));
	probe(probe_any);
	close(other);
	close(fd);
	fd = open("lk", O_RDWR);
	d = dup(fd);
	SHOWN("OFD write 0..", setlk(fd, F_OFD_SETLK, F_WRLCK, SEEK_SET, 0, 0));
	getlk("F_OFD_GETLK F_UNLCK (own)", fd, F_OFD_GETLK, F_UNLCK, SEEK_SET, 0, 0);
	SHOWN("close the dup", close(d));
	probe(probe_any);
	SHOWN("flock LOCK_EX", flock(fd, LOCK_EX));
	SHOWN("close the last", close(fd));
	probe(probe_any);
	fd = open("lk", O_RDWR);
	SHOWN("flock again from a new open", flock(fd, LOCK_EX | LOCK_NB));
	close(fd);
}

static int pp[2];
static void ready(void) { write(pp[1], "r", 1); }
static void wait_ready(void) { char c; read(pp[0], &c, 1); }
/* ... and give the child time to block (generous: a loaded host is slow). */
static void wait_blocked(void) { wait_ready(); usleep(300000); }

static void deadlock(void)
{
	printf("-- EDEADLK\n");
	int fd = open("lk", O_RDWR);
	SHOWN("parent locks byte 0", setlk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 1));
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		int cf = open("lk", O_RDWR);
		SHOWN("child locks byte 1", setlk(cf, F_SETLK, F_WRLCK, SEEK_SET, 1, 1));
		fflush(stdout);
		ready();
		long r = setlk(cf, F_SETLKW, F_WRLCK, SEEK_SET, 0, 1);
		printf("child F_SETLKW byte 0: %s\n", r ? errname(errno) : "got it");
		fflush(stdout);
		_exit(0);
	}
	wait_blocked();
	SHOWN("parent F_SETLKW byte 1", setlk(fd, F_SETLKW, F_WRLCK, SEEK_SET, 1, 1));
	SHOWN("parent F_OFD_SETLK byte 1 (no detection)", setlk(fd, F_OFD_SETLK, F_WRLCK, SEEK_SET, 1, 1));
	printf("parent unlocks byte 0\n");
	fflush(stdout);
	setlk(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 1);
	int st;
	waitpid(c, &st, 0);
	close(fd);
}

static void on_usr1(int s) { (void)s; }

/* A child holds the lock, then interrupts the parent's wait with SIGUSR1
 * and lets go a little later. */
static void interrupted(const char *what, int (*wait_fn)(int), int (*hold_fn)(int))
{
	for (int restart = 0; restart < 2; restart++) {
		struct sigaction sa = {.sa_handler = on_usr1, .sa_flags = restart ? SA_RESTART : 0};
		sigaction(SIGUSR1, &sa, NULL);
		fflush(stdout);
		pid_t parent = getpid();
		pid_t c = fork();
		if (c == 0) {
			int cf = open("lk", O_RDWR);
			hold_fn(cf);
			ready();
			usleep(500000); /* the parent waits by then */
			kill(parent, SIGUSR1);
			usleep(300000);
			_exit(0);
		}
		int fd = open("lk", O_RDWR);
		wait_ready();
		long r = wait_fn(fd);
		printf("%s%s: %s\n", what, restart ? " (SA_RESTART)" : "", r ? errname(errno) : "got it");
		close(fd);
		int st;
		waitpid(c, &st, 0);
	}
	signal(SIGUSR1, SIG_DFL);
}

static int hold_posix(int fd) { return setlk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 0); }
static int wait_posix(int fd) { return setlk(fd, F_SETLKW, F_WRLCK, SEEK_SET, 0, 0); }
static int wait_ofd(int fd) { return setlk(fd, F_OFD_SETLKW, F_RDLCK, SEEK_SET, 0, 0); }
static int hold_flock(int fd) { return flock(fd, LOCK_EX); }
static int wait_flock(int fd) { return flock(fd, LOCK_SH); }

static void flocks(void)
{
	printf("-- flock\n");
	SHOWN("LOCK_MAND on a bad fd", flock(99, LOCK_MAND | LOCK_EX));
	SHOWN("bad operation on a bad fd", flock(99, 16));
	SHOWN("LOCK_UN on a bad fd", flock(99, LOCK_UN));
	int fd = open("lk", O_RDWR);
	SHOWN("LOCK_UN without a lock", flock(fd, LOCK_UN));
	SHOWN("LOCK_SH", flock(fd, LOCK_SH));
	SHOWN("LOCK_SH again", flock(fd, LOCK_SH));
	SHOWN("LOCK_EX converts", flock(fd, LOCK_EX | LOCK_NB));
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		int cf = open("lk", O_RDONLY);
		SHOWN("child LOCK_SH|LOCK_NB", flock(cf, LOCK_SH | LOCK_NB));
		fflush(stdout);
		ready();
		long r = flock(cf, LOCK_SH);
		printf("child LOCK_SH: %s\n", r ? errname(errno) : "got it");
		fflush(stdout);
		_exit(0);
	}
	wait_blocked();
	printf("parent converts to LOCK_SH\n");
	fflush(stdout);
	flock(fd, LOCK_SH);
	int st;
	waitpid(c, &st, 0);
	close(fd);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	alarm(20); /* a hang under cvisor fails fast */
	(void)probe_fn;
	work_begin();
	pipe(pp);
	ranges();
	closes();
	deadlock();
	printf("-- interrupted waits\n");
	interrupted("F_SETLKW", wait_posix, hold_posix);
	interrupted("F_OFD_SETLKW", wait_ofd, hold_posix);
	interrupted("flock LOCK_SH", wait_flock, hold_flock);
	flocks();
	work_end();
	return 0;
}
