/* File descriptors: dup/dup2/dup3, fcntl (DUPFD, DUPFD_CLOEXEC,
 * GETFD/SETFD, GETFL/SETFL, POSIX record locks GETLK/SETLK/SETLKW and OFD
 * locks across fork), flock, close-on-exec across execve (the program
 * re-executes itself), ioctl FIONREAD/FIOCLEX/FIONCLEX/FIONBIO. */
#include "fs_util.h"
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/resource.h>

#ifndef F_OFD_GETLK
#define F_OFD_GETLK 36
#define F_OFD_SETLK 37
#define F_OFD_SETLKW 38
#endif

/* The lowest fd >= from that is not open (the harness may leave some open). */
static int lowest_free(int from)
{
	while (fcntl(from, F_GETFD) >= 0)
		from++;
	return from;
}

static void dups(void)
{
	printf("-- dup, dup2, dup3\n");
	put("f", "0123456789");
	int fd = open("f", O_RDWR);
	int want = lowest_free(0);
	int d = dup(fd);
	printf("dup is the lowest free fd: %s\n", d == want ? "yes" : "no");
	char c;
	read(fd, &c, 1);
	printf("dup shares the offset: %ld\n", (long)lseek(d, 0, SEEK_CUR));
	SHOWN("dup bad fd", dup(99));
	SHOWN("dup -1", dup(-1));
	SHOWN("dup2 to itself", dup2(fd, fd) == fd);
	SHOWN("dup2 bad fd to itself", dup2(99, 99));
	SHOWN("dup2 bad fd", dup2(99, 40));
	SHOWN("dup2 to 40", dup2(fd, 40));
	SHOWN("  F_GETFD 40", fcntl(40, F_GETFD));
	fcntl(40, F_SETFD, FD_CLOEXEC);
	SHOWN("dup2 over a cloexec fd", dup2(d, 40));
	SHOWN("  F_GETFD 40 (cleared)", fcntl(40, F_GETFD));
	struct rlimit rl;
	getrlimit(RLIMIT_NOFILE, &rl);
	SHOWN("dup2 to RLIMIT_NOFILE", dup2(fd, (int)rl.rlim_cur));
	SHOWN("dup2 to -1", dup2(fd, -1));
	SHOWN("dup3 O_CLOEXEC to 41", syscall(SYS_dup3, fd, 41, O_CLOEXEC));
	SHOWN("  F_GETFD 41", fcntl(41, F_GETFD));
	SHOWN("dup3 to itself", syscall(SYS_dup3, fd, fd, 0));
	SHOWN("dup3 bad flags", syscall(SYS_dup3, fd, 42, O_NONBLOCK));
	SHOWN("dup3 bad fd", syscall(SYS_dup3, 99, 42, 0));
	close(40);
	close(41);
	close(d);
	close(fd);
}

static void fcntls(void)
{
	printf("-- fcntl\n");
	int fd = open("f", O_RDWR | O_APPEND);
	SHOWN("F_DUPFD 100", fcntl(fd, F_DUPFD, 100));
	SHOWN("F_DUPFD 100 again", fcntl(fd, F_DUPFD, 100));
	SHOWN("  F_GETFD 101", fcntl(101, F_GETFD));
	SHOWN("F_DUPFD_CLOEXEC 120", fcntl(fd, F_DUPFD_CLOEXEC, 120));
	SHOWN("  F_GETFD 120", fcntl(120, F_GETFD));
	struct rlimit rl;
	getrlimit(RLIMIT_NOFILE, &rl);
	SHOWN("F_DUPFD RLIMIT_NOFILE", fcntl(fd, F_DUPFD, (int)rl.rlim_cur));
	SHOWN("F_DUPFD -1", fcntl(fd, F_DUPFD, -1));
	close(100);
	close(101);
	close(120);
	SHOWN("F_GETFD", fcntl(fd, F_GETFD));
	SHOWN("F_SETFD FD_CLOEXEC", fcntl(fd, F_SETFD, FD_CLOEXEC));
	SHOWN("F_GETFD", fcntl(fd, F_GETFD));
	SHOWN("F_SETFD 0xff (only FD_CLOEXEC kept)", fcntl(fd, F_SETFD, 0xff));
	SHOWN("F_GETFD", fcntl(fd, F_GETFD));
	SHOWN("F_SETFD 0", fcntl(fd, F_SETFD, 0));
	printf("F_GETFL: 0%o\n", fcntl(fd, F_GETFL));
	SHOWN("F_SETFL O_NONBLOCK|O_RDONLY (access mode kept)", fcntl(fd, F_SETFL, O_NONBLOCK | O_RDONLY));
	printf("F_GETFL: 0%o\n", fcntl(fd, F_GETFL));
	SHOWN("F_SETFL 0", fcntl(fd, F_SETFL, 0));
	printf("F_GETFL: 0%o\n", fcntl(fd, F_GETFL));
	int ro = open("f", O_RDONLY | O_CLOEXEC);
	printf("F_GETFL O_RDONLY|O_CLOEXEC: 0%o\n", fcntl(ro, F_GETFL));
	close(ro);
	SHOWN("fcntl bad fd", fcntl(99, F_GETFD));
	SHOWN("fcntl bad cmd", fcntl(fd, 9999));
	close(fd);
}

static int lockfd;

static const char *lt(int t) { return t == F_RDLCK ? "F_RDLCK" : t == F_WRLCK ? "F_WRLCK" : t == F_UNLCK ? "F_UNLCK" : "?"; }

static void getlk(const char *name, int fd, int cmd, short type, off_t start, off_t len, pid_t owner)
{
	struct flock fl = {.l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = len};
	errno = 0;
	if (fcntl(fd, cmd, &fl) < 0) {
		printf("%s: %s\n", name, errname(errno));
		return;
	}
	printf("%s: %s", name, lt(fl.l_type));
	if (fl.l_type != F_UNLCK)
		printf(" start %ld len %ld pid %s", (long)fl.l_start, (long)fl.l_len,
		       fl.l_pid == owner ? "owner" : fl.l_pid == -1 ? "-1" : "other");
	printf("\n");
}

static int setlk(int fd, int cmd, short type, off_t start, off_t len)
{
	struct flock fl = {.l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = len};
	return fcntl(fd, cmd, &fl);
}

static void locks(void)
{
	printf("-- POSIX record locks\n");
	put("lk", "0123456789");
	lockfd = open("lk", O_RDWR);
	pid_t me = getpid();
	SHOWN("F_SETLK write 0..4", setlk(lockfd, F_SETLK, F_WRLCK, 0, 4));
	SHOWN("F_SETLK read 6..", setlk(lockfd, F_SETLK, F_RDLCK, 6, 0));
	getlk("own F_GETLK", lockfd, F_GETLK, F_WRLCK, 0, 0, me);
	SHOWN("F_SETLK bad type", setlk(lockfd, F_SETLK, 99, 0, 1));
	SHOWN("F_SETLK bad whence", (errno = 0, fcntl(lockfd, F_SETLK, &(struct flock){.l_type = F_RDLCK, .l_whence = 9})));
	SHOWN("F_SETLK negative start", setlk(lockfd, F_SETLK, F_RDLCK, -5, 1));
	int ro = open("lk", O_RDONLY);
	SHOWN("F_SETLK write lock on O_RDONLY fd", setlk(ro, F_SETLK, F_WRLCK, 0, 1));
	int pp[2];
	pipe(pp);
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		int fd = open("lk", O_RDWR);
		getlk("child F_GETLK write 0..", fd, F_GETLK, F_WRLCK, 0, 0, me);
		getlk("child F_GETLK read 2..3", fd, F_GETLK, F_RDLCK, 2, 2, me);
		getlk("child F_GETLK read 6..", fd, F_GETLK, F_RDLCK, 6, 0, me);
		getlk("child F_GETLK write 4..6", fd, F_GETLK, F_WRLCK, 4, 2, me);
		SHOWN("child F_SETLK write 0..1", setlk(fd, F_SETLK, F_WRLCK, 0, 1));
		SHOWN("child F_SETLK read 6..", setlk(fd, F_SETLK, F_RDLCK, 6, 0));
		SHOWN("child F_SETLK write 4..5", setlk(fd, F_SETLK, F_WRLCK, 4, 2));
		printf("child F_SETLKW write 0..1 waits\n");
		fflush(stdout);
		write(pp[1], "w", 1);
		long r = setlk(fd, F_SETLKW, F_WRLCK, 0, 1);
		printf("child F_SETLKW: %s\n", r ? errname(errno) : "got it");
		fflush(stdout);
		_exit(0);
	}
	char ch;
	read(pp[0], &ch, 1);
	usleep(100000);
	printf("parent closes another fd of the file (drops its POSIX locks)\n");
	fflush(stdout);
	close(ro);
	int st;
	waitpid(c, &st, 0);
	getlk("parent F_GETLK after child exit", lockfd, F_GETLK, F_WRLCK, 0, 0, me);

	printf("-- OFD locks\n");
	SHOWN("F_OFD_SETLK with l_pid set", (errno = 0, fcntl(lockfd, F_OFD_SETLK,
		&(struct flock){.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_len = 1, .l_pid = 1})));
	SHOWN("F_OFD_SETLK write 0..9", setlk(lockfd, F_OFD_SETLK, F_WRLCK, 0, 10));
	int other = open("lk", O_RDWR);
	getlk("F_OFD_GETLK from another open", other, F_OFD_GETLK, F_WRLCK, 0, 1, me);
	getlk("F_OFD_GETLK same description", lockfd, F_OFD_GETLK, F_WRLCK, 0, 1, me);
	getlk("F_GETLK (POSIX) sees it", other, F_GETLK, F_WRLCK, 0, 1, me);
	SHOWN("F_OFD_SETLK from another open", setlk(other, F_OFD_SETLK, F_RDLCK, 0, 1));
	SHOWN("POSIX F_SETLK from the same process", setlk(other, F_SETLK, F_RDLCK, 0, 1));
	fflush(stdout);
	c = fork();
	if (c == 0) {
		SHOWN("child F_OFD_SETLK on the inherited fd", setlk(lockfd, F_OFD_SETLK, F_WRLCK, 0, 10));
		int fd = open("lk", O_RDWR);
		SHOWN("child F_OFD_SETLK on its own open", setlk(fd, F_OFD_SETLK, F_WRLCK, 0, 1));
		printf("child F_OFD_SETLKW waits\n");
		fflush(stdout);
		write(pp[1], "w", 1);
		long r = setlk(fd, F_OFD_SETLKW, F_WRLCK, 0, 1);
		printf("child F_OFD_SETLKW: %s\n", r ? errname(errno) : "got it");
		fflush(stdout);
		_exit(0);
	}
	read(pp[0], &ch, 1);
	usleep(100000);
	printf("parent unlocks\n");
	fflush(stdout);
	setlk(lockfd, F_OFD_SETLK, F_UNLCK, 0, 0);
	waitpid(c, &st, 0);
	close(other);
	close(lockfd);
	close(pp[0]);
	close(pp[1]);
}

static void flocks(void)
{
	printf("-- flock\n");
	int fd = open("lk", O_RDWR);
	SHOWN("LOCK_EX", flock(fd, LOCK_EX));
	int other = open("lk", O_RDONLY);
	SHOWN("LOCK_SH|LOCK_NB from another open", flock(other, LOCK_SH | LOCK_NB));
	int d = dup(fd);
	SHOWN("LOCK_SH on a dup (converts)", flock(d, LOCK_SH));
	SHOWN("LOCK_SH|LOCK_NB from another open", flock(other, LOCK_SH | LOCK_NB));
	SHOWN("LOCK_EX|LOCK_NB from another open", flock(other, LOCK_EX | LOCK_NB));
	flock(fd, LOCK_EX);
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		SHOWN("child LOCK_EX|LOCK_NB inherited fd", flock(fd, LOCK_EX | LOCK_NB));
		int mine = open("lk", O_RDONLY);
		SHOWN("child LOCK_SH|LOCK_NB own open", flock(mine, LOCK_SH | LOCK_NB));
		fflush(stdout);
		_exit(0);
	}
	int st;
	waitpid(c, &st, 0);
	SHOWN("LOCK_UN", flock(fd, LOCK_UN));
	SHOWN("LOCK_EX|LOCK_NB from another open", flock(other, LOCK_EX | LOCK_NB));
	SHOWN("bad operation", flock(fd, 0));
	SHOWN("LOCK_SH|LOCK_EX", flock(fd, LOCK_SH | LOCK_EX));
	SHOWN("bad fd", flock(99, LOCK_EX));
	int p[2];
	pipe(p);
	SHOWN("flock a pipe", flock(p[0], LOCK_EX));
	close(p[0]);
	close(p[1]);
	close(fd);
	close(d);
	close(other);
}

static void ioctls(void)
{
	printf("-- ioctl\n");
	int fd = open("f", O_RDWR);
	int n = -1;
	SHOWN("FIONREAD regular file", ioctl(fd, FIONREAD, &n));
	printf("  %d\n", n);
	lseek(fd, 4, SEEK_SET);
	ioctl(fd, FIONREAD, &n);
	printf("  after lseek 4: %d\n", n);
	int p[2];
	pipe(p);
	write(p[1], "abcde", 5);
	SHOWN("FIONREAD pipe", ioctl(p[0], FIONREAD, &n));
	printf("  %d\n", n);
	SHOWN("FIONREAD bad pointer", ioctl(p[0], FIONREAD, (void *)8));
	SHOWN("FIOCLEX", ioctl(fd, FIOCLEX));
	SHOWN("  F_GETFD", fcntl(fd, F_GETFD));
	SHOWN("FIONCLEX", ioctl(fd, FIONCLEX));
	SHOWN("  F_GETFD", fcntl(fd, F_GETFD));
	int on = 1;
	SHOWN("FIONBIO 1", ioctl(p[0], FIONBIO, &on));
	printf("  O_NONBLOCK: %d\n", (fcntl(p[0], F_GETFL) & O_NONBLOCK) != 0);
	char buf[16];
	read(p[0], buf, sizeof buf);
	SHOWN("  read empty pipe", read(p[0], buf, sizeof buf));
	on = 0;
	SHOWN("FIONBIO 0", ioctl(p[0], FIONBIO, &on));
	printf("  O_NONBLOCK: %d\n", (fcntl(p[0], F_GETFL) & O_NONBLOCK) != 0);
	SHOWN("ioctl unknown on a file", ioctl(fd, 0x5401 + 0x7000, 0));
	SHOWN("ioctl bad fd", ioctl(99, FIONREAD, &n));
	close(p[0]);
	close(p[1]);
	close(fd);
}

/* Re-executed as "PROG exec-check A B C": fd A was O_CLOEXEC, fd B not, fd
 * C got FD_CLOEXEC by fcntl. */
static int exec_check(char **argv)
{
	int a = atoi(argv[2]), b = atoi(argv[3]), c = atoi(argv[4]);
	SHOWN("after exec: O_CLOEXEC fd", fcntl(a, F_GETFD));
	SHOWN("after exec: plain fd", fcntl(b, F_GETFD));
	SHOWN("after exec: F_SETFD FD_CLOEXEC fd", fcntl(c, F_GETFD));
	char buf[16] = {0};
	SHOWN("after exec: read plain fd (offset kept)", read(b, buf, 3));
	printf("  %s\n", buf);
	return 0;
}

static void cloexec(const char *self)
{
	printf("-- close-on-exec across execve\n");
	int a = open("f", O_RDONLY | O_CLOEXEC);
	int b = open("f", O_RDONLY);
	int c = open("f", O_RDONLY);
	fcntl(c, F_SETFD, FD_CLOEXEC);
	lseek(b, 2, SEEK_SET);
	char sa[16], sb[16], sc[16];
	snprintf(sa, sizeof sa, "%d", a);
	snprintf(sb, sizeof sb, "%d", b);
	snprintf(sc, sizeof sc, "%d", c);
	fflush(stdout);
	pid_t p = fork();
	if (p == 0) {
		execl(self, self, "exec-check", sa, sb, sc, (char *)NULL);
		printf("execl: %s\n", errname(errno));
		fflush(stdout);
		_exit(1);
	}
	int st;
	waitpid(p, &st, 0);
	printf("child exit %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	close(a);
	close(b);
	close(c);
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	alarm(20); /* a hang under cvisor fails fast */
	if (argc == 5 && !strcmp(argv[1], "exec-check"))
		return exec_check(argv);
	static char self[4096];
	if (!realpath(argv[0], self))
		snprintf(self, sizeof self, "%s", argv[0]);
	work_begin();
	dups();
	fcntls();
	locks();
	flocks();
	ioctls();
	cloexec(self);
	work_end();
	return 0;
}
