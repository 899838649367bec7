/* read/write and their positioned and vectored forms, lseek, O_APPEND,
 * truncate/ftruncate/fallocate, the sync family, sendfile,
 * copy_file_range, splice and tee, on files of the scratch directory. */
#include "fs_util.h"
#include <sys/mman.h>
#include <sys/uio.h>

#ifndef RWF_HIPRI
#define RWF_HIPRI 0x1
#define RWF_DSYNC 0x2
#define RWF_SYNC 0x4
#define RWF_NOWAIT 0x8
#endif
#ifndef RWF_APPEND
#define RWF_APPEND 0x10
#endif
#ifndef SEEK_DATA
#define SEEK_DATA 3
#define SEEK_HOLE 4
#endif
#ifndef FALLOC_FL_KEEP_SIZE
#define FALLOC_FL_KEEP_SIZE 1
#define FALLOC_FL_PUNCH_HOLE 2
#endif
#ifndef SPLICE_F_NONBLOCK
#define SPLICE_F_NONBLOCK 2
#endif

static long fsize(int fd)
{
	struct stat st;
	return fstat(fd, &st) ? -1 : (long)st.st_size;
}

/* The whole content of fd, from offset 0, printable. */
static void dump(const char *name, int fd)
{
	char buf[256];
	long n = syscall(SYS_pread64, fd, buf, sizeof buf - 1, 0);
	if (n < 0) {
		printf("%s: %s\n", name, errname(errno));
		return;
	}
	for (long i = 0; i < n; i++)
		if (buf[i] == 0)
			buf[i] = '0';
	buf[n] = 0;
	printf("%s: [%s] size %ld\n", name, buf, fsize(fd));
}

static int fresh(const char *p, const char *content)
{
	put(p, content);
	return open(p, O_RDWR);
}

static void rw(void)
{
	printf("-- read, write, pread64, pwrite64\n");
	int fd = fresh("a", "");
	char buf[64];
	SHOWN("write 10", write(fd, "0123456789", 10));
	SHOWN("offset", lseek(fd, 0, SEEK_CUR));
	SHOWN("read at EOF", read(fd, buf, 10));
	SHOWN("pwrite64 at 2", syscall(SYS_pwrite64, fd, "ab", 2, 2));
	SHOWN("offset unchanged", lseek(fd, 0, SEEK_CUR));
	SHOWN("pwrite64 at 15 (hole)", syscall(SYS_pwrite64, fd, "Z", 1, 15));
	dump("content", fd);
	SHOWN("pread64 at 8, 4", syscall(SYS_pread64, fd, buf, 4, 8));
	SHOWN("pread64 past EOF", syscall(SYS_pread64, fd, buf, 4, 100));
	SHOWN("pread64 offset -1", syscall(SYS_pread64, fd, buf, 4, -1L));
	SHOWN("pwrite64 offset -1", syscall(SYS_pwrite64, fd, "x", 1, -1L));
	SHOWN("read 0 bytes", read(fd, buf, 0));
	lseek(fd, 0, SEEK_SET);
	SHOWN("read bad ptr", syscall(SYS_read, fd, (void *)8, 4));
	SHOWN("write bad ptr", syscall(SYS_write, fd, (void *)8, 4));
	int dfd = open(".", O_RDONLY | O_DIRECTORY);
	SHOWN("read on a directory", read(dfd, buf, 4));
	SHOWN("pread64 on a directory", syscall(SYS_pread64, dfd, buf, 4, 0));
	close(dfd);
	int p[2];
	pipe(p);
	SHOWN("pread64 on a pipe", syscall(SYS_pread64, p[0], buf, 4, 0));
	SHOWN("pwrite64 on a pipe", syscall(SYS_pwrite64, p[1], buf, 4, 0));
	SHOWN("lseek on a pipe", lseek(p[0], 0, SEEK_CUR));
	close(p[0]);
	close(p[1]);

	printf("-- O_APPEND\n");
	int ap = open("a", O_WRONLY | O_APPEND);
	SHOWN("write", write(ap, "END", 3));
	SHOWN("offset = size", lseek(ap, 0, SEEK_CUR));
	SHOWN("pwrite64 at 0 appends anyway", syscall(SYS_pwrite64, ap, "P", 1, 0));
	dump("content", fd);
	SHOWN("F_SETFL clears O_APPEND", fcntl(ap, F_SETFL, 0));
	lseek(ap, 0, SEEK_SET);
	SHOWN("write at 0", write(ap, "S", 1));
	dump("content", fd);
	close(ap);
	close(fd);
}

static void vectors(void)
{
	printf("-- readv, writev, preadv, pwritev, preadv2, pwritev2\n");
	int fd = fresh("v", "");
	struct iovec iov[3] = {{"abc", 3}, {"", 0}, {"defg", 4}};
	SHOWN("writev 3 iovecs", writev(fd, iov, 3));
	SHOWN("writev 0 iovecs", writev(fd, iov, 0));
	SHOWN("writev 1025 iovecs", syscall(SYS_writev, fd, iov, 1025));
	SHOWN("writev -1 iovecs", syscall(SYS_writev, fd, iov, -1L));
	struct iovec neg = {"x", (size_t)-1};
	SHOWN("writev negative len", syscall(SYS_writev, fd, &neg, 1));
	SHOWN("writev bad iov ptr", syscall(SYS_writev, fd, (void *)8, 1));
	char a[2], b[3], c[10];
	struct iovec r[3] = {{a, 2}, {b, 3}, {c, 10}};
	lseek(fd, 0, SEEK_SET);
	SHOWN("readv", readv(fd, r, 3));
	printf("  %.2s|%.3s|%.2s\n", a, b, c);
	SHOWN("pwritev at 1", syscall(SYS_pwritev, fd, iov, 3, 1, 0));
	dump("content", fd);
	SHOWN("offset unchanged", lseek(fd, 0, SEEK_CUR));
	memset(c, 0, sizeof c);
	struct iovec one = {c, 4};
	SHOWN("preadv at 3", syscall(SYS_preadv, fd, &one, 1, 3, 0));
	printf("  %.4s\n", c);
	SHOWN("preadv offset -1", syscall(SYS_preadv, fd, &one, 1, -1L, 0));
	lseek(fd, 2, SEEK_SET);
	SHOWN("preadv2 offset -1 (current)", syscall(SYS_preadv2, fd, &one, 1, -1L, 0, 0));
	printf("  %.4s\n", c);
	SHOWN("  offset moved", lseek(fd, 0, SEEK_CUR));
	SHOWN("preadv2 offset 0 (positioned)", syscall(SYS_preadv2, fd, &one, 1, 0, 0, 0));
	SHOWN("  offset kept", lseek(fd, 0, SEEK_CUR));
	SHOWN("preadv2 unknown flag", syscall(SYS_preadv2, fd, &one, 1, 0, 0, 0x10000));
	SHOWN("pwritev2 unknown flag", syscall(SYS_pwritev2, fd, &one, 1, 0, 0, 0x10000));
	struct iovec w = {"Q", 1};
	SHOWN("pwritev2 RWF_DSYNC at 0", syscall(SYS_pwritev2, fd, &w, 1, 0, 0, RWF_DSYNC));
	SHOWN("pwritev2 RWF_SYNC at 1", syscall(SYS_pwritev2, fd, &w, 1, 1, 0, RWF_SYNC));
	SHOWN("pwritev2 RWF_APPEND at 0", syscall(SYS_pwritev2, fd, &w, 1, 0, 0, RWF_APPEND));
	dump("content", fd);
	SHOWN("pwritev2 offset -1 (current)", syscall(SYS_pwritev2, fd, &w, 1, -1L, 0, 0));
	SHOWN("  offset", lseek(fd, 0, SEEK_CUR));
	int p[2];
	pipe(p);
	SHOWN("preadv2 RWF_NOWAIT empty pipe", syscall(SYS_preadv2, p[0], &one, 1, -1L, 0, RWF_NOWAIT));
	SHOWN("preadv2 pipe offset 0", syscall(SYS_preadv2, p[0], &one, 1, 0, 0, 0));
	SHOWN("pwritev2 pipe offset -1", syscall(SYS_pwritev2, p[1], &w, 1, -1L, 0, 0));
	SHOWN("preadv2 pipe offset -1", syscall(SYS_preadv2, p[0], &one, 1, -1L, 0, 0));
	close(p[0]);
	close(p[1]);
	close(fd);
}

static void seeks(void)
{
	printf("-- lseek\n");
	int fd = fresh("s", "0123456789");
	SHOWN("SEEK_SET 3", lseek(fd, 3, SEEK_SET));
	SHOWN("SEEK_CUR +2", lseek(fd, 2, SEEK_CUR));
	SHOWN("SEEK_CUR -10", lseek(fd, -10, SEEK_CUR));
	SHOWN("SEEK_END -1", lseek(fd, -1, SEEK_END));
	SHOWN("SEEK_END +5", lseek(fd, 5, SEEK_END));
	SHOWN("SEEK_SET -1", lseek(fd, -1, SEEK_SET));
	SHOWN("whence 5", lseek(fd, 0, 5));
	SHOWN("bad fd", lseek(99, 0, SEEK_SET));
	SHOWN("SEEK_SET 20", lseek(fd, 20, SEEK_SET));
	SHOWN("write past EOF", write(fd, "E", 1));
	dump("content", fd);
	SHOWN("SEEK_DATA 0", lseek(fd, 0, SEEK_DATA));
	SHOWN("SEEK_DATA at size", lseek(fd, 21, SEEK_DATA));
	SHOWN("SEEK_HOLE at size", lseek(fd, 21, SEEK_HOLE));
	SHOWN("SEEK_DATA -1", lseek(fd, -1, SEEK_DATA));
	close(fd);
	fd = fresh("s2", "0123456789");
	SHOWN("SEEK_HOLE 0 (no holes)", lseek(fd, 0, SEEK_HOLE));
	SHOWN("SEEK_DATA 4 (no holes)", lseek(fd, 4, SEEK_DATA));
	close(fd);
	fd = open(".", O_RDONLY | O_DIRECTORY);
	SHOWN("directory SEEK_SET 0", lseek(fd, 0, SEEK_SET));
	close(fd);
}

static void sizes(void)
{
	printf("-- truncate, ftruncate, fallocate\n");
	int fd = fresh("t", "0123456789");
	SHOWN("ftruncate 4", ftruncate(fd, 4));
	dump("content", fd);
	SHOWN("ftruncate 8 (grows with zeros)", ftruncate(fd, 8));
	dump("content", fd);
	SHOWN("ftruncate -1", ftruncate(fd, -1));
	SHOWN("truncate t 2", truncate("t", 2));
	dump("content", fd);
	SHOWN("truncate missing", truncate("missing", 0));
	SHOWN("truncate -1", truncate("t", -1));
	SHOWN("truncate a directory", truncate(".", 0));
	SHOWN("truncate t/", truncate("t/", 0));
	int ro = open("t", O_RDONLY);
	SHOWN("ftruncate O_RDONLY fd", ftruncate(ro, 0));
	SHOWN("fallocate O_RDONLY fd", fallocate(ro, 0, 0, 10));
	close(ro);
	int p[2];
	pipe(p);
	SHOWN("ftruncate pipe", ftruncate(p[1], 0));
	SHOWN("fallocate pipe", fallocate(p[1], 0, 0, 10));
	SHOWN("fsync pipe", fsync(p[1]));
	SHOWN("fdatasync pipe", fdatasync(p[1]));
	close(p[0]);
	close(p[1]);
	SHOWN("fallocate 0..16", fallocate(fd, 0, 0, 16));
	dump("content", fd);
	SHOWN("fallocate KEEP_SIZE to 100", fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, 100));
	printf("  size %ld\n", fsize(fd));
	SHOWN("fallocate len 0", fallocate(fd, 0, 0, 0));
	SHOWN("fallocate offset -1", fallocate(fd, 0, -1, 10));
	SHOWN("fallocate PUNCH_HOLE without KEEP_SIZE", fallocate(fd, FALLOC_FL_PUNCH_HOLE, 0, 4));
	SHOWN("fallocate bad mode", fallocate(fd, 0x800000, 0, 4));
	syscall(SYS_pwrite64, fd, "abcdefghijklmnop", 16, 0);
	SHOWN("fallocate PUNCH_HOLE|KEEP_SIZE 2..6", fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 2, 4));
	dump("content", fd);

	printf("-- sync family\n");
	SHOWN("fsync", fsync(fd));
	SHOWN("fdatasync", fdatasync(fd));
	SHOWN("fsync bad fd", fsync(99));
	sync();
	printf("sync: done\n");
	SHOWN("syncfs", syncfs(fd));
	SHOWN("syncfs bad fd", syncfs(99));
	int dfd = open(".", O_RDONLY | O_DIRECTORY);
	SHOWN("fsync a directory", fsync(dfd));
	close(dfd);
	close(fd);
}

static void copies(void)
{
	printf("-- sendfile\n");
	int in = fresh("src", "0123456789abcdef");
	int out = fresh("dst", "");
	SHOWN("sendfile 4", syscall(SYS_sendfile, out, in, NULL, 4));
	SHOWN("  in offset", lseek(in, 0, SEEK_CUR));
	off_t off = 10;
	SHOWN("sendfile from offset 10, 100", syscall(SYS_sendfile, out, in, &off, 100));
	printf("  off %ld in offset %ld\n", (long)off, (long)lseek(in, 0, SEEK_CUR));
	dump("dst", out);
	SHOWN("sendfile at EOF", syscall(SYS_sendfile, out, in, &off, 10));
	off = -1;
	SHOWN("sendfile offset -1", syscall(SYS_sendfile, out, in, &off, 10));
	SHOWN("sendfile bad in fd", syscall(SYS_sendfile, out, 99, NULL, 10));
	int ro = open("dst", O_RDONLY);
	SHOWN("sendfile to O_RDONLY fd", syscall(SYS_sendfile, ro, in, NULL, 10));
	int ap = open("dst", O_WRONLY | O_APPEND);
	SHOWN("sendfile to O_APPEND fd", syscall(SYS_sendfile, ap, in, NULL, 10));
	int p[2];
	pipe(p);
	off = 0;
	SHOWN("sendfile file -> pipe", syscall(SYS_sendfile, p[1], in, &off, 5));
	char buf[32] = {0};
	read(p[0], buf, sizeof buf);
	printf("  pipe had %s\n", buf);

	printf("-- copy_file_range\n");
	ftruncate(out, 0);
	lseek(out, 0, SEEK_SET);
	lseek(in, 0, SEEK_SET);
	SHOWN("copy 6", syscall(SYS_copy_file_range, in, NULL, out, NULL, 6, 0));
	printf("  offsets %ld %ld\n", (long)lseek(in, 0, SEEK_CUR), (long)lseek(out, 0, SEEK_CUR));
	loff_t io = 12, oo = 2;
	SHOWN("copy from 12 to 2, 100", syscall(SYS_copy_file_range, in, &io, out, &oo, 100, 0));
	printf("  offsets %ld %ld\n", (long)io, (long)oo);
	dump("dst", out);
	SHOWN("copy at EOF", syscall(SYS_copy_file_range, in, &io, out, &oo, 10, 0));
	SHOWN("copy flags 1", syscall(SYS_copy_file_range, in, NULL, out, NULL, 6, 1));
	io = 0, oo = 2;
	SHOWN("copy same file overlapping", syscall(SYS_copy_file_range, in, &io, in, &oo, 6, 0));
	io = 0, oo = 20;
	SHOWN("copy same file apart", syscall(SYS_copy_file_range, in, &io, in, &oo, 4, 0));
	dump("src", in);
	SHOWN("copy to O_APPEND fd", syscall(SYS_copy_file_range, in, NULL, ap, NULL, 4, 0));
	SHOWN("copy to O_RDONLY fd", syscall(SYS_copy_file_range, in, NULL, ro, NULL, 4, 0));
	SHOWN("copy from a pipe", syscall(SYS_copy_file_range, p[0], NULL, out, NULL, 4, 0));
	int dfd = open(".", O_RDONLY | O_DIRECTORY);
	SHOWN("copy from a directory", syscall(SYS_copy_file_range, dfd, NULL, out, NULL, 4, 0));
	close(dfd);
	io = -1;
	SHOWN("copy offset -1", syscall(SYS_copy_file_range, in, &io, out, NULL, 4, 0));

	printf("-- splice, tee\n");
	lseek(in, 0, SEEK_SET);
	SHOWN("splice file -> pipe 5", syscall(SYS_splice, in, NULL, p[1], NULL, 5, 0));
	SHOWN("  in offset", lseek(in, 0, SEEK_CUR));
	int q[2];
	pipe(q);
	SHOWN("tee pipe -> pipe 3", syscall(SYS_tee, p[0], q[1], 3, 0));
	SHOWN("tee same pipe", syscall(SYS_tee, p[0], p[1], 3, 0));
	SHOWN("tee file", syscall(SYS_tee, in, q[1], 3, 0));
	loff_t so = 0;
	ftruncate(out, 0);
	SHOWN("splice pipe -> file at 0", syscall(SYS_splice, p[0], NULL, out, &so, 100, 0));
	printf("  off %ld\n", (long)so);
	dump("dst", out);
	memset(buf, 0, sizeof buf);
	SHOWN("read tee copy", read(q[0], buf, sizeof buf));
	printf("  %s\n", buf);
	SHOWN("splice file -> file", syscall(SYS_splice, in, NULL, out, NULL, 5, 0));
	so = 0;
	SHOWN("splice with offset on the pipe side", syscall(SYS_splice, in, NULL, p[1], &so, 5, 0));
	SHOWN("splice empty pipe NONBLOCK", syscall(SYS_splice, p[0], NULL, out, NULL, 5, SPLICE_F_NONBLOCK));
	SHOWN("tee empty pipe NONBLOCK", syscall(SYS_tee, p[0], q[1], 5, SPLICE_F_NONBLOCK));
	close(p[1]);
	SHOWN("splice from empty pipe, writer closed", syscall(SYS_splice, p[0], NULL, out, NULL, 5, 0));
	SHOWN("splice to O_APPEND fd", syscall(SYS_splice, q[0], NULL, ap, NULL, 5, 0));
	SHOWN("splice bad fd", syscall(SYS_splice, 99, NULL, q[1], NULL, 5, 0));
	close(p[0]);
	close(q[0]);
	close(q[1]);
	close(in);
	close(out);
	close(ro);
	close(ap);
}

/* File mappings of files the guest made (the root's writable layer must
 * support them) and of a file it did not (its own binary). */
static void maps(const char *self)
{
	printf("-- mmap of files\n");
	int fd = fresh("m", "");
	ftruncate(fd, 8192);
	char *m = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	printf("MAP_SHARED rw: %s\n", m == MAP_FAILED ? errname(errno) : "ok");
	if (m == MAP_FAILED)
		return;
	memcpy(m + 4090, "via map", 7);
	char buf[16] = {0};
	SHOWN("  pread sees the map's write", syscall(SYS_pread64, fd, buf, 7, 4090));
	printf("  %s\n", buf);
	syscall(SYS_pwrite64, fd, "via write", 9, 100);
	printf("  map sees the write: %.9s\n", m + 100);
	SHOWN("  msync", msync(m, 8192, MS_SYNC));
	munmap(m, 8192);
	close(fd);
	fd = open("m", O_RDONLY);
	m = mmap(NULL, 8192, PROT_READ, MAP_SHARED, fd, 0);
	printf("  reopened, mapped again: %.7s\n", m == MAP_FAILED ? errname(errno) : m + 4090);
	if (m != MAP_FAILED)
		munmap(m, 8192);
	SHOWN("MAP_SHARED|PROT_WRITE of an O_RDONLY fd", mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) == MAP_FAILED ? -1 : 0);
	m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	printf("MAP_PRIVATE rw of an O_RDONLY fd: %s\n", m == MAP_FAILED ? errname(errno) : "ok");
	if (m != MAP_FAILED) {
		m[100] = 'P';
		syscall(SYS_pread64, fd, buf, 1, 100);
		printf("  private write not in the file: %c\n", buf[0]);
		munmap(m, 4096);
	}
	close(fd);
	fd = open(self, O_RDONLY);
	m = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
	printf("map of our own binary: %s\n", m == MAP_FAILED ? errname(errno) : memcmp(m, "\177ELF", 4) ? "not ELF" : "ELF");
	if (m != MAP_FAILED)
		munmap(m, 4096);
	close(fd);
	fd = open(".", O_RDONLY | O_DIRECTORY);
	SHOWN("mmap a directory", mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0) == MAP_FAILED ? -1 : 0);
	close(fd);
	int p[2];
	pipe(p);
	SHOWN("mmap a pipe", mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, p[0], 0) == MAP_FAILED ? -1 : 0);
	close(p[0]);
	close(p[1]);
	fd = fresh("m2", "abc");
	m = mmap(NULL, 8192, PROT_READ, MAP_SHARED, fd, 0);
	printf("map past EOF: %s, in-page tail zero: %d\n", m == MAP_FAILED ? errname(errno) : "ok", m != MAP_FAILED && m[3] == 0 && m[4095] == 0);
	if (m != MAP_FAILED)
		munmap(m, 8192);
	close(fd);
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	alarm(20); /* a hang under cvisor fails fast */
	(void)argc;
	static char self[4096];
	if (!realpath(argv[0], self))
		snprintf(self, sizeof self, "%s", argv[0]);
	work_begin();
	rw();
	vectors();
	seeks();
	sizes();
	copies();
	maps(self);
	work_end();
	return 0;
}
