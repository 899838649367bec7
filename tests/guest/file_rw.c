/* read, write, readv and writev on the standard fds: stdin is /dev/null
 * and stdout a regular file in the harness (a pipe when run by hand:
 * short writes from a faulting buffer then differ, natively too). */
#include "guest.h"
#include <limits.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#define PG 4096UL
#define KADDR 0xffff800000000000UL

/* Two pages with the second one unmapped: a buffer that runs into it. The
 * last 100 bytes of the first page hold a printable line. */
static char *page_before_hole(void)
{
	char *m = (char *)syscall(SYS_mmap, 0, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	syscall(SYS_munmap, m + PG, PG);
	memset(m + PG - 100, '.', 100);
	memcpy(m + PG - 100, "[last 100 bytes before a hole]", 30);
	m[PG - 1] = '\n';
	return m;
}

static void writes(void)
{
	printf("-- write\n");
	SHOWN("write(1, 6)", syscall(SYS_write, 1, "hello\n", 6));
	SHOWN("write(1, buf, 0)", syscall(SYS_write, 1, "x", 0));
	SHOWN("write(1, NULL, 0)", syscall(SYS_write, 1, NULL, 0));
	SHOWN("write(1, bad ptr, 0)", syscall(SYS_write, 1, (void *)1, 0));
	SHOWN("write(1, kernel ptr, 0)", syscall(SYS_write, 1, KADDR, 0));
	SHOWN("write(1, bad ptr, 10)", syscall(SYS_write, 1, (void *)1, 10));
	SHOWN("write(1, NULL, 10)", syscall(SYS_write, 1, NULL, 10));
	SHOWN("write(1, kernel ptr, 10)", syscall(SYS_write, 1, KADDR, 10));
	SHOWN("write(99)", syscall(SYS_write, 99, "x", 1));
	SHOWN("write(-1)", syscall(SYS_write, -1, "x", 1));
	SHOWN("write(1<<20)", syscall(SYS_write, 1 << 20, "x", 1));
	SHOWN("write(0) (read-only /dev/null)", syscall(SYS_write, 0, "x", 1));
	SHOWN("write(0, buf, 0)", syscall(SYS_write, 0, "x", 0));
	SHOWN("write(99, bad ptr, 10)", syscall(SYS_write, 99, (void *)1, 10));
	/* The fd is an unsigned int: high bits are dropped. */
	SHOWN("write(1 | 1<<32)", syscall(SYS_write, (1UL << 32) | 1, "high bits\n", 10));

	char *m = page_before_hole();
	SHOWN("write(1, 100 bytes before a hole, 200)", syscall(SYS_write, 1, m + PG - 100, 200));
	SHOWN("write(1, in the hole, 10)", syscall(SYS_write, 1, m + PG, 10));
	syscall(SYS_mprotect, m, PG, PROT_NONE);
	SHOWN("write(1, PROT_NONE, 10)", syscall(SYS_write, 1, m + PG - 100, 10));
	syscall(SYS_mprotect, m, PG, PROT_READ);
	SHOWN("write(1, read-only, 100)", syscall(SYS_write, 1, m + PG - 100, 100));
	syscall(SYS_munmap, m, PG);
}

static void reads(void)
{
	printf("-- read\n");
	char buf[64];
	SHOWN("read(0, 10)", syscall(SYS_read, 0, buf, 10));
	SHOWN("read(0, buf, 0)", syscall(SYS_read, 0, buf, 0));
	SHOWN("read(0, NULL, 10)", syscall(SYS_read, 0, NULL, 10));
	SHOWN("read(0, bad ptr, 10)", syscall(SYS_read, 0, (void *)1, 10));
	SHOWN("read(0, kernel ptr, 10)", syscall(SYS_read, 0, KADDR, 10));
	SHOWN("read(0, kernel ptr, 0)", syscall(SYS_read, 0, KADDR, 0));
	SHOWN("read(1) (write-only stdout)", syscall(SYS_read, 1, buf, 10));
	SHOWN("read(1, buf, 0)", syscall(SYS_read, 1, buf, 0));
	SHOWN("read(99)", syscall(SYS_read, 99, buf, 10));
	SHOWN("read(-1)", syscall(SYS_read, -1, buf, 10));
	SHOWN("read(0 | 1<<32)", syscall(SYS_read, (1UL << 32) | 0, buf, 10));
	SHOWN("read(0, huge count)", syscall(SYS_read, 0, buf, (size_t)-1));
}

static void vectors(void)
{
	printf("-- readv\n");
	char a[8], b[8];
	struct iovec iov[2] = { { a, sizeof a }, { b, sizeof b } };
	static struct iovec many[1025];
	for (int i = 0; i < 1025; i++)
		many[i] = (struct iovec){ a, 0 };
	SHOWN("readv(0, 2)", syscall(SYS_readv, 0, iov, 2));
	SHOWN("readv(0, iov, 0)", syscall(SYS_readv, 0, iov, 0));
	SHOWN("readv(0, NULL, 0)", syscall(SYS_readv, 0, NULL, 0));
	SHOWN("readv(0, iov, -1)", syscall(SYS_readv, 0, iov, -1));
	SHOWN("readv(0, iov, 1024)", syscall(SYS_readv, 0, many, 1024));
	SHOWN("readv(0, iov, 1025)", syscall(SYS_readv, 0, many, 1025));
	SHOWN("readv(0, bad ptr, 1)", syscall(SYS_readv, 0, (void *)1, 1));
	SHOWN("readv(0, NULL, 1)", syscall(SYS_readv, 0, NULL, 1));
	SHOWN("readv(99, iov, 1)", syscall(SYS_readv, 99, iov, 1));
	SHOWN("readv(99, iov, -1)", syscall(SYS_readv, 99, iov, -1));
	SHOWN("readv(1, iov, 1) (write-only)", syscall(SYS_readv, 1, iov, 1));
	SHOWN("readv(1, iov, -1) (write-only)", syscall(SYS_readv, 1, iov, -1));
	struct iovec bad_base[1] = { { (void *)1, 10 } };
	SHOWN("readv(0, {bad ptr, 10})", syscall(SYS_readv, 0, bad_base, 1));
	struct iovec kern_base[1] = { { (void *)KADDR, 10 } };
	SHOWN("readv(0, {kernel ptr, 10})", syscall(SYS_readv, 0, kern_base, 1));
	struct iovec huge[2] = { { a, SSIZE_MAX }, { b, 1 } };
	SHOWN("readv(0, lengths over SSIZE_MAX)", syscall(SYS_readv, 0, huge, 2));
	struct iovec neg[1] = { { a, (size_t)-1 } };
	SHOWN("readv(0, length -1)", syscall(SYS_readv, 0, neg, 1));

	printf("-- writev\n");
	struct iovec w[3] = { { "wr", 2 }, { "ite", 3 }, { "v\n", 2 } };
	SHOWN("writev(1, 3)", syscall(SYS_writev, 1, w, 3));
	SHOWN("writev(1, iov, 0)", syscall(SYS_writev, 1, w, 0));
	SHOWN("writev(1, NULL, 0)", syscall(SYS_writev, 1, NULL, 0));
	SHOWN("writev(0, iov, 0) (read-only)", syscall(SYS_writev, 0, w, 0));
	SHOWN("writev(0, iov, 1) (read-only)", syscall(SYS_writev, 0, w, 1));
	SHOWN("writev(1, iov, -1)", syscall(SYS_writev, 1, w, -1));
	SHOWN("writev(1, iov, 1025)", syscall(SYS_writev, 1, many, 1025));
	many[1023] = (struct iovec){ "1024 iovecs\n", 12 };
	SHOWN("writev(1, iov, 1024)", syscall(SYS_writev, 1, many, 1024));
	SHOWN("writev(1, bad ptr, 1)", syscall(SYS_writev, 1, (void *)1, 1));
	SHOWN("writev(99, iov, 1)", syscall(SYS_writev, 99, w, 1));
	SHOWN("writev(-1, iov, 1)", syscall(SYS_writev, -1, w, 1));
	SHOWN("writev(99, iov, -1)", syscall(SYS_writev, 99, w, -1));
	SHOWN("writev(1, {bad ptr, 10})", syscall(SYS_writev, 1, bad_base, 1));
	SHOWN("writev(1, {kernel ptr, 10})", syscall(SYS_writev, 1, kern_base, 1));
	struct iovec kern2[2] = { { "never\n", 6 }, { (void *)KADDR, 10 } };
	SHOWN("writev(1, {ok, kernel ptr})", syscall(SYS_writev, 1, kern2, 2));
	SHOWN("writev(1, lengths over SSIZE_MAX)", syscall(SYS_writev, 1, huge, 2));
	struct iovec zero_bad[2] = { { (void *)1, 0 }, { "zero-length bad base skipped\n", 29 } };
	SHOWN("writev(1, {bad ptr, 0}, ok)", syscall(SYS_writev, 1, zero_bad, 2));
	/* A fault after some bytes: a short count (regular file). */
	struct iovec part[2] = { { "before a bad one\n", 17 }, { (void *)1, 10 } };
	SHOWN("writev(1, {ok, bad ptr})", syscall(SYS_writev, 1, part, 2));
	char *m = page_before_hole();
	struct iovec hole[3] = { { "x\n", 2 }, { m + PG - 100, 200 }, { "never\n", 6 } };
	SHOWN("writev(1, {ok, into a hole, ok})", syscall(SYS_writev, 1, hole, 3));
	syscall(SYS_munmap, m, PG);
	/* The iovec array itself running into a hole. */
	m = page_before_hole();
	struct iovec *tail = (struct iovec *)(m + PG - sizeof(struct iovec));
	*tail = (struct iovec){ "x\n", 2 };
	SHOWN("writev(1, iovec array into a hole, 2)", syscall(SYS_writev, 1, tail, 2));
	SHOWN("writev(1, last iovec before a hole, 1)", syscall(SYS_writev, 1, tail, 1));
	syscall(SYS_munmap, m, PG);
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	writes();
	reads();
	vectors();
	return 0;
}
