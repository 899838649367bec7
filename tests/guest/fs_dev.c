/* devfs: /dev/null, zero, full, random, urandom (kinds, modes, device
 * numbers fixed by Linux, reads and writes), /dev/fd/N, the
 * /dev/stdin|stdout|stderr and /dev/fd symlinks, and /dev/shm and /tmp
 * (tmpfs under cvisor; uniquely named files, removed). */
#include "fs_util.h"
#include <sys/mman.h>
#include <sys/sysmacros.h>

static void dev(const char *p)
{
	struct stat s;
	if (stat(p, &s)) {
		printf("%s: %s\n", p, errname(errno));
		return;
	}
	printf("%s: %s %o rdev %u,%u\n", p, kind(s.st_mode), (unsigned)(s.st_mode & 07777), major(s.st_rdev),
	       minor(s.st_rdev));
}

static int all(const char *b, long n, char c)
{
	for (long i = 0; i < n; i++)
		if (b[i] != c)
			return 0;
	return 1;
}

static void devices(void)
{
	printf("-- device nodes\n");
	dev("/dev/null");
	dev("/dev/zero");
	dev("/dev/full");
	dev("/dev/random");
	dev("/dev/urandom");
	struct stat s;
	stat("/dev", &s);
	printf("/dev: %s\n", kind(s.st_mode));

	static char buf[1 << 20];
	printf("-- /dev/null\n");
	int fd = open("/dev/null", O_RDWR);
	SHOWN("read", read(fd, buf, 100));
	SHOWN("write 100", write(fd, buf, 100));
	SHOWN("write 1 MiB", write(fd, buf, sizeof buf));
	SHOWN("lseek 100", lseek(fd, 100, SEEK_SET));
	SHOWN("pread at 5", pread(fd, buf, 10, 5));
	SHOWN("ftruncate", ftruncate(fd, 0));
	close(fd);
	SHOWN("open O_CREAT|O_TRUNC", (fd = open("/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0644)) >= 0);
	close(fd);
	dev("/dev/null");

	printf("-- /dev/zero\n");
	fd = open("/dev/zero", O_RDWR);
	memset(buf, 'x', 8192);
	SHOWN("read 8192", read(fd, buf, 8192));
	printf("  all zero: %d\n", all(buf, 8192, 0));
	SHOWN("write 1", write(fd, "x", 1));
	SHOWN("lseek", lseek(fd, 12345, SEEK_SET));
	char *m = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	printf("mmap private: %s\n", m == MAP_FAILED ? errname(errno) : "ok");
	if (m != MAP_FAILED) {
		printf("  zero: %d\n", all(m, 8192, 0));
		m[0] = 1;
		munmap(m, 8192);
	}
	close(fd);

	printf("-- /dev/full\n");
	fd = open("/dev/full", O_RDWR);
	SHOWN("write", write(fd, "x", 1));
	SHOWN("write 0 bytes", write(fd, "x", 0));
	memset(buf, 'x', 100);
	SHOWN("read 100", read(fd, buf, 100));
	printf("  all zero: %d\n", all(buf, 100, 0));
	close(fd);

	printf("-- /dev/random, /dev/urandom\n");
	fd = open("/dev/urandom", O_RDONLY);
	SHOWN("urandom read 16", read(fd, buf, 16));
	SHOWN("urandom read 4096", read(fd, buf, 4096));
	SHOWN("urandom read 1 MiB", read(fd, buf, sizeof buf));
	memset(buf, 0, 64);
	read(fd, buf, 64);
	printf("  64 bytes not all zero: %d\n", !all(buf, 64, 0));
	SHOWN("urandom write", write(fd, "x", 1));
	close(fd);
	fd = open("/dev/urandom", O_WRONLY);
	SHOWN("urandom write (O_WRONLY)", write(fd, "seed", 4));
	close(fd);
	fd = open("/dev/random", O_RDONLY);
	SHOWN("random read 32", read(fd, buf, 32));
	SHOWN("random read 512", read(fd, buf, 512));
	close(fd);
	fd = open("/dev/random", O_RDONLY | O_NONBLOCK);
	SHOWN("random O_NONBLOCK read 16", read(fd, buf, 16));
	close(fd);
}

static void fdlinks(void)
{
	printf("-- /dev/fd and the std links\n");
	char buf[256];
	const char *links[] = {"/dev/fd", "/dev/stdin", "/dev/stdout", "/dev/stderr"};
	for (int i = 0; i < 4; i++) {
		struct stat s;
		lstat(links[i], &s);
		memset(buf, 0, sizeof buf);
		long n = readlink(links[i], buf, sizeof buf - 1);
		printf("%s: %s -> %s\n", links[i], kind(s.st_mode), n < 0 ? errname(errno) : buf);
	}
	put("f", "through /dev/fd");
	int fd = open("f", O_RDONLY);
	char p[64];
	snprintf(p, sizeof p, "/dev/fd/%d", fd);
	printf("open /dev/fd/N: %s\n", get(p));
	struct stat a, b;
	fstat(fd, &a);
	stat(p, &b);
	printf("stat /dev/fd/N is the file: %s\n", a.st_ino == b.st_ino && a.st_dev == b.st_dev ? "same" : "differ");
	lseek(fd, 8, SEEK_SET);
	int again = open(p, O_RDONLY);
	printf("reopened has its own offset: %ld\n", (long)lseek(again, 0, SEEK_CUR));
	close(again);
	snprintf(p, sizeof p, "/dev/fd/%d/", fd);
	SHOWN("/dev/fd/N/ of a file", open(p, O_RDONLY));
	SHOWN("/dev/fd/99 (not open)", open("/dev/fd/99", O_RDONLY));
	close(fd);
	int pp[2];
	pipe(pp);
	snprintf(p, sizeof p, "/dev/fd/%d", pp[1]);
	int w = open(p, O_WRONLY);
	write(w, "pipe via /dev/fd", 16);
	close(w);
	memset(buf, 0, sizeof buf);
	read(pp[0], buf, sizeof buf);
	printf("pipe written through /dev/fd/N: %s\n", buf);
	close(pp[0]);
	close(pp[1]);
	fd = open("/dev/stdout", O_WRONLY);
	printf("open /dev/stdout: %s\n", fd >= 0 ? "ok" : errname(errno));
	close(fd);
	fd = open("/dev/stdin", O_RDONLY);
	SHOWN("read /dev/stdin (/dev/null)", read(fd, buf, 10));
	close(fd);
}

static void shm(const char *dir)
{
	printf("-- %s\n", dir);
	struct stat s;
	stat(dir, &s);
	printf("%s: %s %o\n", dir, kind(s.st_mode), (unsigned)(s.st_mode & 07777));
	char p[64];
	snprintf(p, sizeof p, "%s/fs_dev.%d", dir, getpid());
	int fd = open(p, O_RDWR | O_CREAT | O_EXCL, 0600);
	printf("create: %s\n", fd >= 0 ? "ok" : errname(errno));
	ftruncate(fd, 8192);
	char *m = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	printf("mmap shared: %s\n", m == MAP_FAILED ? errname(errno) : "ok");
	if (m != MAP_FAILED) {
		strcpy(m + 4096, "through the mapping");
		munmap(m, 8192);
	}
	char buf[64] = {0};
	pread(fd, buf, 19, 4096);
	printf("read back: %s\n", buf);
	close(fd);
	SHOWN("unlink", unlink(p));
	SHOWN("unlink again", unlink(p));
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	alarm(20); /* a hang under cvisor fails fast */
	work_begin();
	devices();
	fdlinks();
	shm("/dev/shm");
	shm("/tmp");
	work_end();
	return 0;
}
