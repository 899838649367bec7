/* memfd_create: names and their limit, flags, MFD_CLOEXEC,
 * MFD_ALLOW_SEALING and F_ADD_SEALS/F_GET_SEALS (every seal's effect),
 * mmap of a memfd, and its /proc/self/fd link "/memfd:NAME (deleted)". */
#include "fs_util.h"
#include <sys/mman.h>

#ifndef MFD_CLOEXEC
#define MFD_CLOEXEC 1U
#define MFD_ALLOW_SEALING 2U
#endif
#ifndef F_ADD_SEALS
#define F_ADD_SEALS 1033
#define F_GET_SEALS 1034
#define F_SEAL_SEAL 0x1
#define F_SEAL_SHRINK 0x2
#define F_SEAL_GROW 0x4
#define F_SEAL_WRITE 0x8
#endif
#ifndef F_SEAL_FUTURE_WRITE
#define F_SEAL_FUTURE_WRITE 0x10
#endif

static long mfd(const char *name, unsigned flags) { return syscall(SYS_memfd_create, name, flags); }

static void link_of(int fd)
{
	char p[64], buf[512];
	snprintf(p, sizeof p, "/proc/self/fd/%d", fd);
	long n = readlink(p, buf, sizeof buf - 1);
	buf[n < 0 ? 0 : n] = 0;
	printf("  link: %s\n", n < 0 ? errname(errno) : buf);
}

static void names(void)
{
	printf("-- names and flags\n");
	int fd = mfd("test", 0);
	printf("memfd_create(test, 0): %s\n", fd >= 0 ? "ok" : errname(errno));
	link_of(fd);
	struct stat s;
	fstat(fd, &s);
	printf("  %s size %lld nlink %ld\n", kind(s.st_mode), (long long)s.st_size, (long)s.st_nlink);
	SHOWN("  F_GETFD", fcntl(fd, F_GETFD));
	printf("  F_GETFL 0%o\n", fcntl(fd, F_GETFL));
	SHOWN("  F_GET_SEALS (no sealing allowed)", fcntl(fd, F_GET_SEALS));
	SHOWN("  F_ADD_SEALS", fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE));
	close(fd);
	fd = mfd("", MFD_CLOEXEC);
	printf("memfd_create(\"\", MFD_CLOEXEC): %s\n", fd >= 0 ? "ok" : errname(errno));
	link_of(fd);
	SHOWN("  F_GETFD", fcntl(fd, F_GETFD));
	close(fd);
	char name[300];
	memset(name, 'n', 249);
	name[249] = 0;
	fd = mfd(name, 0);
	printf("249-byte name: %s\n", fd >= 0 ? "ok" : errname(errno));
	close(fd);
	name[249] = 'n';
	name[250] = 0;
	SHOWN("250-byte name", mfd(name, 0));
	SHOWN("name with a slash", (fd = mfd("a/b", 0)) >= 0 ? 0 : -1);
	link_of(fd);
	close(fd);
	SHOWN("unknown flag", mfd("x", 0x100));
	SHOWN("bad name pointer", mfd((const char *)8, 0));
	SHOWN("F_ADD_SEALS on a pipe's read end", ({ int p[2]; pipe(p); long r = fcntl(p[0], F_ADD_SEALS, F_SEAL_WRITE);
		int e = errno; close(p[0]); close(p[1]); errno = e; r; }));
	SHOWN("F_ADD_SEALS on a pipe's write end", ({ int p[2]; pipe(p); long r = fcntl(p[1], F_ADD_SEALS, F_SEAL_WRITE);
		int e = errno; close(p[0]); close(p[1]); errno = e; r; }));
	SHOWN("F_GET_SEALS on a pipe", ({ int p[2]; pipe(p); long r = fcntl(p[0], F_GET_SEALS);
		int e = errno; close(p[0]); close(p[1]); errno = e; r; }));
}

static void io(void)
{
	printf("-- read, write, mmap\n");
	int fd = mfd("io", 0);
	SHOWN("write", write(fd, "hello memfd", 11));
	SHOWN("lseek 0", lseek(fd, 0, SEEK_SET));
	char buf[64] = {0};
	SHOWN("read", read(fd, buf, sizeof buf));
	printf("  %s\n", buf);
	SHOWN("ftruncate 8192", ftruncate(fd, 8192));
	char *m = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	printf("mmap shared: %s\n", m == MAP_FAILED ? errname(errno) : "ok");
	printf("  mapped content: %.11s\n", m);
	strcpy(m + 5000, "written via the map");
	memset(buf, 0, sizeof buf);
	pread(fd, buf, 19, 5000);
	printf("  pread: %s\n", buf);
	pwrite(fd, "PWRITE", 6, 0);
	printf("  map sees pwrite: %.6s\n", m);
	munmap(m, 8192);
	m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	m[0] = 'p';
	memset(buf, 0, sizeof buf);
	pread(fd, buf, 6, 0);
	printf("  private map write not in file: %s\n", buf);
	munmap(m, 4096);
	/* the same memory through a second open of /proc/self/fd/N */
	char p[64];
	snprintf(p, sizeof p, "/proc/self/fd/%d", fd);
	int fd2 = open(p, O_RDWR);
	printf("reopen via /proc/self/fd: %s\n", fd2 >= 0 ? "ok" : errname(errno));
	memset(buf, 0, sizeof buf);
	read(fd2, buf, 6);
	printf("  content: %s, own offset\n", buf);
	close(fd2);
	close(fd);
}

static void seals(void)
{
	printf("-- seals\n");
	int fd = mfd("sealed", MFD_ALLOW_SEALING);
	write(fd, "0123456789", 10);
	SHOWN("F_GET_SEALS", fcntl(fd, F_GET_SEALS));
	SHOWN("F_ADD_SEALS unknown bit", fcntl(fd, F_ADD_SEALS, 0x100));
	SHOWN("F_ADD_SEALS F_SEAL_SHRINK", fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK));
	SHOWN("  ftruncate 5", ftruncate(fd, 5));
	SHOWN("  ftruncate 20", ftruncate(fd, 20));
	SHOWN("F_ADD_SEALS F_SEAL_GROW", fcntl(fd, F_ADD_SEALS, F_SEAL_GROW));
	SHOWN("  ftruncate 30", ftruncate(fd, 30));
	SHOWN("  write inside", pwrite(fd, "ab", 2, 0));
	SHOWN("  write past the end", pwrite(fd, "ab", 2, 19));
	SHOWN("  fallocate past the end", fallocate(fd, 0, 0, 100));
	SHOWN("F_GET_SEALS", fcntl(fd, F_GET_SEALS));
	char *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	SHOWN("F_SEAL_WRITE with a writable shared map", fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE));
	munmap(m, 4096);
	SHOWN("F_SEAL_WRITE after munmap", fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE));
	SHOWN("  write", pwrite(fd, "x", 1, 0));
	SHOWN("  mmap shared writable", mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) == MAP_FAILED ? -1 : 0);
	SHOWN("  mmap shared read-only", mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0) == MAP_FAILED ? -1 : 0);
	SHOWN("  mmap private writable", mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0) == MAP_FAILED ? -1 : 0);
	char buf[32] = {0};
	SHOWN("  read", pread(fd, buf, sizeof buf, 0));
	SHOWN("F_ADD_SEALS F_SEAL_SEAL", fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL));
	SHOWN("F_GET_SEALS", fcntl(fd, F_GET_SEALS));
	SHOWN("F_ADD_SEALS after F_SEAL_SEAL", fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK));
	SHOWN("F_ADD_SEALS 0 after F_SEAL_SEAL", fcntl(fd, F_ADD_SEALS, 0));
	int ro = open(({ static char p[64]; snprintf(p, sizeof p, "/proc/self/fd/%d", fd); p; }), O_RDONLY);
	SHOWN("F_GET_SEALS on a read-only reopen", fcntl(ro, F_GET_SEALS));
	close(ro);
	close(fd);
	fd = mfd("ro", MFD_ALLOW_SEALING);
	ro = open(({ static char p[64]; snprintf(p, sizeof p, "/proc/self/fd/%d", fd); p; }), O_RDONLY);
	SHOWN("F_ADD_SEALS through an O_RDONLY fd", fcntl(ro, F_ADD_SEALS, F_SEAL_GROW));
	close(ro);
	SHOWN("F_SEAL_FUTURE_WRITE", fcntl(fd, F_ADD_SEALS, F_SEAL_FUTURE_WRITE));
	SHOWN("  write", write(fd, "x", 1));
	SHOWN("  ftruncate 10", ftruncate(fd, 10));
	close(fd);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	alarm(20); /* a hang under cvisor fails fast */
	work_begin();
	names();
	io();
	seals();
	work_end();
	return 0;
}
