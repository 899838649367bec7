/* The fd table: close, dup, dup2, dup3 and fcntl, and how RLIMIT_NOFILE
 * bounds them. Fds the harness may have left open are not assumed free:
 * fd numbers are printed relative to the lowest free one. */
#include "guest.h"
#include <fcntl.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The lowest fd >= from that is not open. */
static long lowest_free(long from)
{
	for (long fd = from;; fd++)
		if (syscall(SYS_fcntl, fd, F_GETFD) == -1 && errno == EBADF)
			return fd;
}

/* An fd result: its offset from what it should be, or the errno. */
static void fd_is(const char *name, long r, long expect)
{
	if (r == -1)
		printf("%s: %s\n", name, errname(errno));
	else if (r == expect)
		printf("%s: as expected\n", name);
	else
		printf("%s: off by %ld\n", name, r - expect);
}
#define FD(name, expect, expr) do { errno = 0; long e_ = (expect); fd_is(name, (long)(expr), e_); } while (0)

static void set_nofile(uint64_t cur)
{
	struct rlimit rl;
	getrlimit(RLIMIT_NOFILE, &rl);
	rl.rlim_cur = cur;
	if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
		printf("setrlimit(NOFILE, %llu) failed: %s\n", (unsigned long long)cur, errname(errno));
}

static long accmode(long fd)
{
	long fl = syscall(SYS_fcntl, fd, F_GETFL);
	return fl < 0 ? -1 : (fl & O_ACCMODE);
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	/* A known, small limit: 64 (below what any host gives). */
	set_nofile(64);
	long L = lowest_free(0);
	printf("std fds open: %d\n", L >= 3);

	printf("-- close, dup\n");
	FD("dup(1)", L, syscall(SYS_dup, 1));
	SHOWN("  F_GETFD", syscall(SYS_fcntl, L, F_GETFD));
	printf("  same access mode: %d\n", accmode(L) == accmode(1));
	long second = lowest_free(L + 1);
	FD("dup(1) again", second, syscall(SYS_dup, 1));
	SHOWN("close(dup)", syscall(SYS_close, L));
	SHOWN("close(dup) again", syscall(SYS_close, L));
	FD("dup(0) takes the lowest", L, syscall(SYS_dup, 0));
	printf("  read-only: %d\n", accmode(L) == O_RDONLY);
	syscall(SYS_close, L);
	SHOWN("close(second dup)", syscall(SYS_close, second));
	SHOWN("close(99)", syscall(SYS_close, 99));
	SHOWN("close(-1)", syscall(SYS_close, -1));
	SHOWN("close(1<<20)", syscall(SYS_close, 1 << 20));
	SHOWN("dup(99)", syscall(SYS_dup, 99));
	SHOWN("dup(-1)", syscall(SYS_dup, -1));
	/* A dup outlives the fd it came from. */
	long d = syscall(SYS_dup, 1);
	syscall(SYS_close, 1);
	errno = 0;
	long w = syscall(SYS_write, d, "write through a dup of closed stdout\n", 37);
	long back = syscall(SYS_dup2, d, 1);
	syscall(SYS_close, d);
	printf("write through the dup: %ld\n", w);
	printf("dup2 back to 1: %ld\n", back);

	printf("-- dup2\n");
	SHOWN("dup2(1, 1)", syscall(SYS_dup2, 1, 1));
	SHOWN("dup2(99, 99)", syscall(SYS_dup2, 99, 99));
	SHOWN("dup2(-1, -1)", syscall(SYS_dup2, -1, -1));
	SHOWN("dup2(99, 50)", syscall(SYS_dup2, 99, 50));
	SHOWN("dup2(1, 50)", syscall(SYS_dup2, 1, 50));
	SHOWN("  F_GETFD", syscall(SYS_fcntl, 50, F_GETFD));
	printf("  write-only: %d\n", accmode(50) == O_WRONLY);
	SHOWN("dup2(0, 50) (replaces)", syscall(SYS_dup2, 0, 50));
	printf("  read-only: %d\n", accmode(50) == O_RDONLY);
	SHOWN("dup2(1, -1)", syscall(SYS_dup2, 1, -1));
	SHOWN("dup2(1, 63) (limit 64)", syscall(SYS_dup2, 1, 63));
	SHOWN("dup2(1, 64) (limit 64)", syscall(SYS_dup2, 1, 64));
	SHOWN("dup2(1, 1<<20)", syscall(SYS_dup2, 1, 1 << 20));
	SHOWN("dup2(99, 64)", syscall(SYS_dup2, 99, 64));
	syscall(SYS_close, 63);

	printf("-- dup3\n");
	SHOWN("dup3(1, 1, 0)", syscall(SYS_dup3, 1, 1, 0));
	SHOWN("dup3(99, 99, 0)", syscall(SYS_dup3, 99, 99, 0));
	SHOWN("dup3(1, 1, bad flags)", syscall(SYS_dup3, 1, 1, 0x1));
	SHOWN("dup3(1, 51, O_CLOEXEC)", syscall(SYS_dup3, 1, 51, O_CLOEXEC));
	SHOWN("  F_GETFD", syscall(SYS_fcntl, 51, F_GETFD));
	SHOWN("dup3(0, 51, 0) (replaces)", syscall(SYS_dup3, 0, 51, 0));
	SHOWN("  F_GETFD", syscall(SYS_fcntl, 51, F_GETFD));
	SHOWN("dup3(1, 52, 0x1)", syscall(SYS_dup3, 1, 52, 0x1));
	SHOWN("dup3(1, 52, O_NONBLOCK)", syscall(SYS_dup3, 1, 52, O_NONBLOCK));
	SHOWN("dup3(1, 52, O_CLOEXEC|O_NONBLOCK)", syscall(SYS_dup3, 1, 52, O_CLOEXEC | O_NONBLOCK));
	SHOWN("dup3(99, 52, 0)", syscall(SYS_dup3, 99, 52, 0));
	SHOWN("dup3(1, 64, 0) (limit 64)", syscall(SYS_dup3, 1, 64, 0));
	SHOWN("dup3(99, 64, 0)", syscall(SYS_dup3, 99, 64, 0));
	SHOWN("dup3(1, -1, 0)", syscall(SYS_dup3, 1, -1, 0));
	printf("  52 still closed: %d\n", syscall(SYS_fcntl, 52, F_GETFD) == -1);
	syscall(SYS_close, 50);
	syscall(SYS_close, 51);

	printf("-- fcntl\n");
	long f10 = lowest_free(10);
	FD("F_DUPFD(1, 10)", f10, syscall(SYS_fcntl, 1, F_DUPFD, 10));
	SHOWN("  F_GETFD", syscall(SYS_fcntl, f10, F_GETFD));
	long f10b = lowest_free(10);
	FD("F_DUPFD_CLOEXEC(1, 10)", f10b, syscall(SYS_fcntl, 1, F_DUPFD_CLOEXEC, 10));
	SHOWN("  F_GETFD", syscall(SYS_fcntl, f10b, F_GETFD));
	FD("F_DUPFD(1, 0)", L, syscall(SYS_fcntl, 1, F_DUPFD, 0));
	syscall(SYS_close, L);
	SHOWN("F_DUPFD(1, 63)", syscall(SYS_fcntl, 1, F_DUPFD, 63));
	SHOWN("F_DUPFD(1, 63) again (full)", syscall(SYS_fcntl, 1, F_DUPFD, 63));
	syscall(SYS_close, 63);
	SHOWN("F_DUPFD(1, 64) (limit 64)", syscall(SYS_fcntl, 1, F_DUPFD, 64));
	SHOWN("F_DUPFD(1, -1)", syscall(SYS_fcntl, 1, F_DUPFD, -1L));
	SHOWN("F_DUPFD(99, 10)", syscall(SYS_fcntl, 99, F_DUPFD, 10));
	SHOWN("F_SETFD(FD_CLOEXEC)", syscall(SYS_fcntl, f10, F_SETFD, FD_CLOEXEC));
	SHOWN("  F_GETFD", syscall(SYS_fcntl, f10, F_GETFD));
	SHOWN("F_SETFD(0)", syscall(SYS_fcntl, f10, F_SETFD, 0));
	SHOWN("  F_GETFD", syscall(SYS_fcntl, f10, F_GETFD));
	SHOWN("F_SETFD(0xff)", syscall(SYS_fcntl, f10, F_SETFD, 0xff));
	SHOWN("  F_GETFD", syscall(SYS_fcntl, f10, F_GETFD));
	SHOWN("F_SETFD(0xfe)", syscall(SYS_fcntl, f10, F_SETFD, 0xfe));
	SHOWN("  F_GETFD", syscall(SYS_fcntl, f10, F_GETFD));
	printf("fd 1 cloexec untouched: %ld\n", syscall(SYS_fcntl, 1, F_GETFD));
	syscall(SYS_close, f10);
	syscall(SYS_close, f10b);
	printf("F_GETFL(0) O_RDONLY: %d\n", accmode(0) == O_RDONLY);
	printf("F_GETFL(1) O_WRONLY: %d\n", accmode(1) == O_WRONLY);
	SHOWN("F_GETFD(99)", syscall(SYS_fcntl, 99, F_GETFD));
	SHOWN("F_GETFL(99)", syscall(SYS_fcntl, 99, F_GETFL));
	SHOWN("F_GETFD(-1)", syscall(SYS_fcntl, -1, F_GETFD));
	SHOWN("fcntl(1, 9999)", syscall(SYS_fcntl, 1, 9999));
	SHOWN("fcntl(99, 9999)", syscall(SYS_fcntl, 99, 9999));
	SHOWN("fcntl(1, -1)", syscall(SYS_fcntl, 1, -1));
	/* The command is an unsigned int: high bits are dropped. */
	SHOWN("fcntl(1, F_GETFD | 1<<32)", syscall(SYS_fcntl, 1, (1UL << 32) | F_GETFD));
	/* Other commands every fd answers. */
	SHOWN("F_GETOWN(1)", syscall(SYS_fcntl, 1, F_GETOWN));
	SHOWN("F_GETSIG(1)", syscall(SYS_fcntl, 1, F_GETSIG));
	/* F_SETFL changes only the status flags, not the access mode. */
	long fl = syscall(SYS_fcntl, 1, F_GETFL);
	SHOWN("F_SETFL(1, O_RDWR)", syscall(SYS_fcntl, 1, F_SETFL, O_RDWR));
	printf("  still O_WRONLY: %d\n", accmode(1) == O_WRONLY);
	SHOWN("F_SETFL(1, +O_NONBLOCK)", syscall(SYS_fcntl, 1, F_SETFL, fl | O_NONBLOCK));
	printf("  O_NONBLOCK set: %d\n", (syscall(SYS_fcntl, 1, F_GETFL) & O_NONBLOCK) != 0);
	long dup_nb = syscall(SYS_dup, 1);
	printf("  shared by a dup: %d\n", (syscall(SYS_fcntl, dup_nb, F_GETFL) & O_NONBLOCK) != 0);
	syscall(SYS_close, dup_nb);
	SHOWN("F_SETFL(1, original)", syscall(SYS_fcntl, 1, F_SETFL, fl));
	printf("  O_NONBLOCK clear: %d\n", (syscall(SYS_fcntl, 1, F_GETFL) & O_NONBLOCK) == 0);
	SHOWN("F_SETFL(99)", syscall(SYS_fcntl, 99, F_SETFL, 0));

	printf("-- RLIMIT_NOFILE\n");
	/* With the limit at the lowest free fd, no new fd can be made. */
	set_nofile(L);
	SHOWN("dup(1) at the limit", syscall(SYS_dup, 1));
	SHOWN("F_DUPFD(1, 0) at the limit", syscall(SYS_fcntl, 1, F_DUPFD, 0));
	SHOWN("F_DUPFD(1, limit)", syscall(SYS_fcntl, 1, F_DUPFD, L));
	SHOWN("dup2(1, limit)", syscall(SYS_dup2, 1, L));
	SHOWN("dup3(1, limit, 0)", syscall(SYS_dup3, 1, L, 0));
	/* An fd above a lowered limit stays open and usable. */
	set_nofile(64);
	syscall(SYS_dup2, 1, 40);
	set_nofile(L);
	SHOWN("F_GETFD(40) above the limit", syscall(SYS_fcntl, 40, F_GETFD));
	SHOWN("write(40) above the limit", syscall(SYS_write, 40, "fd 40\n", 6));
	SHOWN("dup(40) above the limit", syscall(SYS_dup, 40));
	SHOWN("close(40) above the limit", syscall(SYS_close, 40));
	set_nofile(64);

	printf("-- closing stdin\n");
	SHOWN("close(0)", syscall(SYS_close, 0));
	SHOWN("read(0)", syscall(SYS_read, 0, &fl, 1));
	SHOWN("dup(1) takes fd 0", syscall(SYS_dup, 1));
	printf("  fd 0 write-only: %d\n", accmode(0) == O_WRONLY);
	SHOWN("write(0)", syscall(SYS_write, 0, "via fd 0\n", 9));
	return 0;
}
