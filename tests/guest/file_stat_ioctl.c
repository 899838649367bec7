/* ioctl, the stat family and readlink, on the standard fds and on paths
 * every Linux host has. Only file kinds, device numbers of /dev/null and
 * errnos are printed, never inode numbers, sizes or times.
 * The harness runs this with stdin from /dev/null, stdout to a regular
 * file and the current directory a fresh empty one. */
#include "guest.h"
#include <fcntl.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <termios.h>
#include <unistd.h>

#define KADDR 0xffff800000000000UL
#define PG 4096UL

static const char *kind(mode_t m)
{
	return S_ISREG(m) ? "regular" : S_ISDIR(m) ? "directory" : S_ISCHR(m) ? "char device" :
	       S_ISBLK(m) ? "block device" : S_ISFIFO(m) ? "fifo" : S_ISLNK(m) ? "symlink" :
	       S_ISSOCK(m) ? "socket" : "?";
}

/* One stat-family call: its result and, on success, the file's kind. */
static void st_show(const char *name, long r, const struct stat *st)
{
	if (r == -1)
		printf("%s: %s\n", name, errname(errno));
	else
		printf("%s: %ld %s\n", name, r, kind(st->st_mode));
}
#define ST(name, ...) do { \
	struct stat st_; \
	memset(&st_, 0, sizeof st_); \
	errno = 0; \
	long r_ = syscall(__VA_ARGS__); \
	st_show(name, r_, &st_); \
} while (0)

static void ioctls(void)
{
	printf("-- ioctl\n");
	struct termios tio;
	struct winsize ws;
	int n = -1;
	SHOWN("ioctl(1, TCGETS)", syscall(SYS_ioctl, 1, TCGETS, &tio));
	SHOWN("ioctl(0, TCGETS) (/dev/null)", syscall(SYS_ioctl, 0, TCGETS, &tio));
	SHOWN("ioctl(1, TCGETS, bad ptr)", syscall(SYS_ioctl, 1, TCGETS, (void *)1));
	SHOWN("ioctl(1, TIOCGWINSZ)", syscall(SYS_ioctl, 1, TIOCGWINSZ, &ws));
	SHOWN("ioctl(0, TIOCGWINSZ)", syscall(SYS_ioctl, 0, TIOCGWINSZ, &ws));
	SHOWN("ioctl(99, TCGETS)", syscall(SYS_ioctl, 99, TCGETS, &tio));
	SHOWN("ioctl(-1, TCGETS)", syscall(SYS_ioctl, -1, TCGETS, &tio));
	SHOWN("ioctl(99, 0x12345678)", syscall(SYS_ioctl, 99, 0x12345678, 0));
	SHOWN("ioctl(1, 0x12345678)", syscall(SYS_ioctl, 1, 0x12345678, 0));
	SHOWN("ioctl(0, 0x12345678)", syscall(SYS_ioctl, 0, 0x12345678, 0));
	SHOWN("ioctl(1, TIOCGPGRP)", syscall(SYS_ioctl, 1, TIOCGPGRP, &n));
	/* Generic ioctls every file has (fs/ioctl.c). */
	SHOWN("ioctl(1, FIONREAD) (regular file)", syscall(SYS_ioctl, 1, FIONREAD, &n));
	SHOWN("ioctl(1, FIOCLEX)", syscall(SYS_ioctl, 1, FIOCLEX, 0));
	SHOWN("  F_GETFD", syscall(SYS_fcntl, 1, F_GETFD));
	SHOWN("ioctl(1, FIONCLEX)", syscall(SYS_ioctl, 1, FIONCLEX, 0));
	SHOWN("  F_GETFD", syscall(SYS_fcntl, 1, F_GETFD));
	/* The command is an unsigned int: high bits are dropped. */
	SHOWN("ioctl(1, TCGETS | 1<<32)", syscall(SYS_ioctl, 1, (1UL << 32) | TCGETS, &tio));
}

static void stats(void)
{
	printf("-- fstat\n");
	ST("fstat(0)", SYS_fstat, 0, &st_);
	struct stat st;
	syscall(SYS_fstat, 0, &st);
	printf("/dev/null rdev: %u,%u\n", major(st.st_rdev), minor(st.st_rdev));
	ST("fstat(1)", SYS_fstat, 1, &st_);
	syscall(SYS_fstat, 1, &st);
	printf("fstat(1) S_ISREG=%d S_ISFIFO=%d\n", S_ISREG(st.st_mode), S_ISFIFO(st.st_mode));
	ST("fstat(99)", SYS_fstat, 99, &st_);
	ST("fstat(-1)", SYS_fstat, -1, &st_);
	SHOWN("fstat(1, NULL)", syscall(SYS_fstat, 1, NULL));
	SHOWN("fstat(1, bad ptr)", syscall(SYS_fstat, 1, (void *)1));
	SHOWN("fstat(99, bad ptr)", syscall(SYS_fstat, 99, (void *)1));
	/* A struct stat running into an unmapped page. */
	char *m = (char *)syscall(SYS_mmap, 0, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	syscall(SYS_munmap, m + PG, PG);
	SHOWN("fstat(0, across the end of a mapping)", syscall(SYS_fstat, 0, m + PG - 64));
	syscall(SYS_munmap, m, PG);

	printf("-- newfstatat\n");
	struct stat a, b;
	syscall(SYS_fstat, 1, &a);
	ST("newfstatat(1, \"\", AT_EMPTY_PATH)", SYS_newfstatat, 1, "", &st_, AT_EMPTY_PATH);
	syscall(SYS_newfstatat, 1, "", &b, AT_EMPTY_PATH);
	printf("same file as fstat(1): %d\n", a.st_ino == b.st_ino && a.st_dev == b.st_dev);
	ST("newfstatat(1, \"\", 0)", SYS_newfstatat, 1, "", &st_, 0);
	ST("newfstatat(99, \"\", AT_EMPTY_PATH)", SYS_newfstatat, 99, "", &st_, AT_EMPTY_PATH);
	ST("newfstatat(AT_FDCWD, \"\", AT_EMPTY_PATH)", SYS_newfstatat, AT_FDCWD, "", &st_, AT_EMPTY_PATH);
	/* (A NULL path with AT_EMPTY_PATH is left out: allowed since Linux 6.11,
	 * EFAULT before.) */
	ST("newfstatat(flags 0x12345)", SYS_newfstatat, AT_FDCWD, "/", &st_, 0x12345);
	ST("newfstatat(flags 0x12345, bad path)", SYS_newfstatat, AT_FDCWD, (void *)1, &st_, 0x12345);
	ST("newfstatat(AT_FDCWD, /)", SYS_newfstatat, AT_FDCWD, "/", &st_, 0);
	ST("newfstatat(AT_FDCWD, /dev/null)", SYS_newfstatat, AT_FDCWD, "/dev/null", &st_, 0);
	ST("newfstatat(AT_FDCWD, /nonexistent)", SYS_newfstatat, AT_FDCWD, "/nonexistent-cvisor-test", &st_, 0);
	ST("newfstatat(AT_FDCWD, /dev/null/x)", SYS_newfstatat, AT_FDCWD, "/dev/null/x", &st_, 0);
	ST("newfstatat(AT_FDCWD, /dev/null/)", SYS_newfstatat, AT_FDCWD, "/dev/null/", &st_, 0);
	ST("newfstatat(AT_FDCWD, \".\")", SYS_newfstatat, AT_FDCWD, ".", &st_, 0);
	ST("newfstatat(AT_FDCWD, \"..\")", SYS_newfstatat, AT_FDCWD, "..", &st_, 0);
	/* Relative paths start at the current directory, which holds no
	 * dev/null (it is empty in the harness). */
	ST("newfstatat(AT_FDCWD, dev/null)", SYS_newfstatat, AT_FDCWD, "dev/null", &st_, 0);
	ST("newfstatat(1, dev/null) (not a dir)", SYS_newfstatat, 1, "dev/null", &st_, 0);
	ST("newfstatat(99, dev/null)", SYS_newfstatat, 99, "dev/null", &st_, 0);
	ST("newfstatat(99, /dev/null) (dirfd unused)", SYS_newfstatat, 99, "/dev/null", &st_, 0);
	ST("newfstatat(1, /dev/null) (dirfd unused)", SYS_newfstatat, 1, "/dev/null", &st_, 0);
	ST("newfstatat(bad path ptr)", SYS_newfstatat, AT_FDCWD, (void *)1, &st_, 0);
	ST("newfstatat(kernel path ptr)", SYS_newfstatat, AT_FDCWD, KADDR, &st_, 0);
	SHOWN("newfstatat(/, bad statbuf)", syscall(SYS_newfstatat, AT_FDCWD, "/", (void *)1, 0));
	SHOWN("newfstatat(/nonexistent, bad statbuf)", syscall(SYS_newfstatat, AT_FDCWD, "/nonexistent-cvisor-test", (void *)1, 0));
	/* Symlinks: /proc/self/exe is one; following it gives a regular file. */
	ST("newfstatat(/proc/self/exe)", SYS_newfstatat, AT_FDCWD, "/proc/self/exe", &st_, 0);
	ST("newfstatat(/proc/self/exe, NOFOLLOW)", SYS_newfstatat, AT_FDCWD, "/proc/self/exe", &st_, AT_SYMLINK_NOFOLLOW);

	/* Path length limits. */
	static char longp[5000];
	memset(longp, 'a', sizeof longp - 1);
	longp[0] = '/';
	longp[4096] = 0;
	ST("newfstatat(path of 4096 chars)", SYS_newfstatat, AT_FDCWD, longp, &st_, 0);
	longp[4096] = 'a';
	ST("newfstatat(path of 4999 chars)", SYS_newfstatat, AT_FDCWD, longp, &st_, 0);
	longp[300] = 0;
	ST("newfstatat(name of 299 chars)", SYS_newfstatat, AT_FDCWD, longp, &st_, 0);
	/* A path string ending right before an unmapped page works. */
	m = (char *)syscall(SYS_mmap, 0, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	syscall(SYS_munmap, m + PG, PG);
	memcpy(m + PG - 10, "/dev/null", 10);
	ST("newfstatat(path ending at a hole)", SYS_newfstatat, AT_FDCWD, m + PG - 10, &st_, 0);
	memcpy(m + PG - 9, "/dev/null", 9);
	ST("newfstatat(path running into a hole)", SYS_newfstatat, AT_FDCWD, m + PG - 9, &st_, 0);
	syscall(SYS_munmap, m, PG);

	printf("-- stat, lstat\n");
	ST("stat(/)", SYS_stat, "/", &st_);
	ST("stat(/dev/null)", SYS_stat, "/dev/null", &st_);
	syscall(SYS_stat, "/dev/null", &st);
	printf("/dev/null rdev: %u,%u\n", major(st.st_rdev), minor(st.st_rdev));
	ST("stat(\"\")", SYS_stat, "", &st_);
	ST("stat(NULL)", SYS_stat, NULL, &st_);
	ST("stat(/nonexistent)", SYS_stat, "/nonexistent-cvisor-test", &st_);
	ST("stat(/proc/self/exe)", SYS_stat, "/proc/self/exe", &st_);
	ST("stat(.)", SYS_stat, ".", &st_);
	ST("stat(dev/null)", SYS_stat, "dev/null", &st_);
	SHOWN("stat(/, bad statbuf)", syscall(SYS_stat, "/", (void *)1));
	ST("lstat(/proc/self/exe)", SYS_lstat, "/proc/self/exe", &st_);
	ST("lstat(/dev/null)", SYS_lstat, "/dev/null", &st_);
	ST("lstat(\"\")", SYS_lstat, "", &st_);
	ST("lstat(/nonexistent)", SYS_lstat, "/nonexistent-cvisor-test", &st_);
	ST("lstat(dev/null)", SYS_lstat, "dev/null", &st_);
}

static const char *base(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

static void readlinks(void)
{
	printf("-- readlink\n");
	char buf[4096];
	errno = 0;
	long n = syscall(SYS_readlink, "/proc/self/exe", buf, sizeof buf - 1);
	if (n < 0) {
		printf("readlink(/proc/self/exe): %s\n", errname(errno));
	} else {
		buf[n] = 0;
		printf("readlink(/proc/self/exe): absolute %d, basename %s\n", buf[0] == '/', base(buf));
	}
	long full = n;
	/* No NUL is written, and a short buffer truncates silently. */
	memset(buf, '#', sizeof buf);
	SHOWN("readlink(/proc/self/exe, 3)", syscall(SYS_readlink, "/proc/self/exe", buf, 3));
	printf("  no NUL written: %d\n", buf[3] == '#');
	SHOWN("readlink(/proc/self/exe, 1)", syscall(SYS_readlink, "/proc/self/exe", buf, 1));
	errno = 0;
	n = syscall(SYS_readlink, "/proc/self/exe", buf, full);
	printf("readlink(/proc/self/exe, exact length): %s\n", n == full ? "full" : n < 0 ? errname(errno) : "short");
	SHOWN("readlink(/proc/self/exe, 0)", syscall(SYS_readlink, "/proc/self/exe", buf, 0));
	SHOWN("readlink(/proc/self/exe, -1)", syscall(SYS_readlink, "/proc/self/exe", buf, -1));
	SHOWN("readlink(bad path, buf, 0)", syscall(SYS_readlink, (void *)1, buf, 0));
	SHOWN("readlink(/proc/self/exe, bad ptr)", syscall(SYS_readlink, "/proc/self/exe", (void *)1, 100));
	SHOWN("readlink(/proc/self/exe, NULL)", syscall(SYS_readlink, "/proc/self/exe", NULL, 100));
	SHOWN("readlink(bad path)", syscall(SYS_readlink, (void *)1, buf, 100));
	SHOWN("readlink(NULL)", syscall(SYS_readlink, NULL, buf, 100));
	SHOWN("readlink(\"\")", syscall(SYS_readlink, "", buf, 100));
	SHOWN("readlink(/dev/null) (not a link)", syscall(SYS_readlink, "/dev/null", buf, 100));
	SHOWN("readlink(/) (not a link)", syscall(SYS_readlink, "/", buf, 100));
	SHOWN("readlink(/nonexistent)", syscall(SYS_readlink, "/nonexistent-cvisor-test", buf, 100));
	SHOWN("readlink(/dev/null/x)", syscall(SYS_readlink, "/dev/null/x", buf, 100));
	SHOWN("readlink(dev/null) (relative)", syscall(SYS_readlink, "dev/null", buf, 100));
	SHOWN("readlink(.) (not a link)", syscall(SYS_readlink, ".", buf, 100));
	/* A path of exactly the /proc/self/exe spelling, through a symlink
	 * in the middle: /proc/self/../self/exe is the same link. */
	errno = 0;
	n = syscall(SYS_readlink, "/proc/self/../self/exe", buf, sizeof buf - 1);
	if (n >= 0)
		buf[n] = 0;
	printf("readlink(/proc/self/../self/exe): %s\n", n < 0 ? errname(errno) : base(buf));
	n = syscall(SYS_readlink, "/proc/self//exe", buf, sizeof buf - 1);
	if (n >= 0)
		buf[n] = 0;
	printf("readlink(/proc/self//exe): %s\n", n < 0 ? errname(errno) : base(buf));

	printf("-- readlinkat\n");
	n = syscall(SYS_readlinkat, AT_FDCWD, "/proc/self/exe", buf, sizeof buf - 1);
	if (n >= 0)
		buf[n] = 0;
	printf("readlinkat(AT_FDCWD, /proc/self/exe): %s\n", n < 0 ? errname(errno) : base(buf));
	n = syscall(SYS_readlinkat, 99, "/proc/self/exe", buf, sizeof buf - 1);
	if (n >= 0)
		buf[n] = 0;
	printf("readlinkat(99, /proc/self/exe) (dirfd unused): %s\n", n < 0 ? errname(errno) : base(buf));
	SHOWN("readlinkat(99, x)", syscall(SYS_readlinkat, 99, "x", buf, 100));
	SHOWN("readlinkat(1, x) (not a dir)", syscall(SYS_readlinkat, 1, "x", buf, 100));
	SHOWN("readlinkat(1, \"\") (fd not a link)", syscall(SYS_readlinkat, 1, "", buf, 100));
	SHOWN("readlinkat(AT_FDCWD, \"\")", syscall(SYS_readlinkat, AT_FDCWD, "", buf, 100));
	SHOWN("readlinkat(99, \"\")", syscall(SYS_readlinkat, 99, "", buf, 100));
	SHOWN("readlinkat(AT_FDCWD, /proc/self/exe, 0)", syscall(SYS_readlinkat, AT_FDCWD, "/proc/self/exe", buf, 0));
	SHOWN("readlinkat(99, bad path, 0)", syscall(SYS_readlinkat, 99, (void *)1, buf, 0));
	SHOWN("readlinkat(AT_FDCWD, bad path)", syscall(SYS_readlinkat, AT_FDCWD, (void *)1, buf, 100));
}

int main(void)
{
	ioctls();
	stats();
	readlinks();
	return 0;
}
