/* open, openat, openat2, creat, close, close_range: flags, modes under
 * umask, the path walk's errors (ENOENT, ENOTDIR, EISDIR, EEXIST,
 * ENAMETOOLONG, ELOOP at 40 links, trailing slashes) and openat2's
 * RESOLVE_* flags. Works in its cwd only (a fresh scratch directory). */
#include "fs_util.h"
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

struct open_how { uint64_t flags, mode, resolve; };
#define RESOLVE_NO_XDEV 0x01
#define RESOLVE_NO_MAGICLINKS 0x02
#define RESOLVE_NO_SYMLINKS 0x04
#define RESOLVE_BENEATH 0x08
#define RESOLVE_IN_ROOT 0x10
#ifndef SYS_openat2
#define SYS_openat2 437
#endif
#ifndef SYS_close_range
#define SYS_close_range 436
#endif

#ifndef O_TMPFILE
#define O_TMPFILE (020000000 | O_DIRECTORY)
#endif
#ifndef CLOSE_RANGE_UNSHARE
#define CLOSE_RANGE_UNSHARE (1U << 1)
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

static long sys_open(const char *p, long fl, long mode) { return syscall(SYS_open, p, fl, mode); }

/* Open, print the result, close it again. */
static void try_open(const char *name, const char *p, long fl, long mode)
{
	errno = 0;
	long fd = sys_open(p, fl, mode);
	if (fd < 0)
		printf("%s: %s\n", name, errname(errno));
	else {
		printf("%s: ok\n", name);
		close(fd);
	}
}

static void fmode(const char *name, const char *p)
{
	struct stat st;
	if (lstat(p, &st) != 0)
		printf("%s: %s\n", name, errname(errno));
	else
		printf("%s: mode %o size %lld\n", name, (unsigned)st.st_mode, (long long)st.st_size);
}

static void basics(void)
{
	printf("-- open basics\n");
	umask(022);
	try_open("open missing", "missing", O_RDONLY, 0);
	try_open("open empty path", "", O_RDONLY, 0);
	try_open("O_CREAT 0666", "f1", O_CREAT | O_WRONLY, 0666);
	fmode("f1", "f1");
	printf("umask(077) old: %o\n", (unsigned)umask(077));
	try_open("O_CREAT 0666 under 077", "f2", O_CREAT | O_WRONLY, 0666);
	fmode("f2", "f2");
	try_open("O_CREAT 07777 under 077", "f3", O_CREAT | O_WRONLY, 07777);
	fmode("f3", "f3");
	umask(022);
	try_open("O_CREAT existing, other mode", "f2", O_CREAT | O_WRONLY, 0777);
	fmode("f2 unchanged", "f2");
	try_open("O_CREAT|O_EXCL existing", "f1", O_CREAT | O_EXCL | O_WRONLY, 0644);
	try_open("O_CREAT|O_EXCL new", "f4", O_CREAT | O_EXCL | O_WRONLY, 0644);
	symlink("dangling-target", "dangle");
	try_open("O_CREAT|O_EXCL on dangling symlink", "dangle", O_CREAT | O_EXCL | O_WRONLY, 0644);
	try_open("O_CREAT through dangling symlink", "dangle", O_CREAT | O_WRONLY, 0600);
	fmode("dangling-target created", "dangling-target");
	try_open("O_CREAT in missing dir", "nodir/f", O_CREAT | O_WRONLY, 0644);
	try_open("O_CREAT|O_DIRECTORY", "f5", O_CREAT | O_DIRECTORY | O_RDONLY, 0644);

	int fd = sys_open("f1", O_WRONLY, 0);
	write(fd, "0123456789", 10);
	close(fd);
	fmode("f1 after write", "f1");
	try_open("O_TRUNC", "f1", O_WRONLY | O_TRUNC, 0);
	fmode("f1 after O_TRUNC", "f1");
	fd = sys_open("f1", O_WRONLY, 0);
	write(fd, "abcdef", 6);
	close(fd);
	try_open("O_RDONLY|O_TRUNC", "f1", O_RDONLY | O_TRUNC, 0);
	fmode("f1 after O_RDONLY|O_TRUNC", "f1");

	fd = sys_open("f1", O_WRONLY | O_APPEND, 0);
	lseek(fd, 0, SEEK_SET);
	SHOWN("O_APPEND write", write(fd, "XY", 2));
	SHOWN("  offset after", lseek(fd, 0, SEEK_CUR));
	close(fd);
	char buf[32] = {0};
	fd = sys_open("f1", O_RDONLY, 0);
	SHOWN("  read back", read(fd, buf, sizeof buf - 1));
	printf("  content: %s\n", buf);
	SHOWN("write on O_RDONLY fd", write(fd, "x", 1));
	close(fd);
	fd = sys_open("f1", O_WRONLY, 0);
	SHOWN("read on O_WRONLY fd", read(fd, buf, 1));
	close(fd);

	fd = sys_open("f1", O_RDONLY | O_CLOEXEC, 0);
	SHOWN("O_CLOEXEC: F_GETFD", fcntl(fd, F_GETFD));
	close(fd);
	fd = sys_open("f1", O_ACCMODE, 0);
	printf("access mode 3: %s\n", fd >= 0 ? "ok" : errname(errno));
	SHOWN("  read", read(fd, buf, 1));
	SHOWN("  write", write(fd, "x", 1));
	close(fd);
	fd = sys_open("f1", O_RDONLY | 0x40000000, 0);
	printf("unknown flag bit (ignored by open): %s\n", fd >= 0 ? "ok" : errname(errno));
	close(fd);
	printf("-- creat and close\n");
	fd = creat("c1", 0640);
	SHOWN("creat read", read(fd, buf, 1));
	SHOWN("creat write", write(fd, "abc", 3));
	close(fd);
	fmode("c1", "c1");
	fd = creat("c1", 0600);
	close(fd);
	fmode("c1 after creat again (truncated, mode kept)", "c1");
	SHOWN("creat on a directory", creat(".", 0644));
	fd = sys_open("c1", O_RDONLY, 0);
	SHOWN("close", close(fd));
	SHOWN("close again", close(fd));
	SHOWN("close(-1)", close(-1));
	SHOWN("close(100000)", close(100000));
}

static void kinds(void)
{
	printf("-- directories, symlinks, O_PATH\n");
	mkdir("d", 0755);
	try_open("dir O_RDONLY", "d", O_RDONLY, 0);
	try_open("dir O_WRONLY", "d", O_WRONLY, 0);
	try_open("dir O_RDWR", "d", O_RDWR, 0);
	try_open("dir O_CREAT", "d", O_CREAT | O_RDONLY, 0644);
	try_open("dir O_CREAT|O_EXCL", "d", O_CREAT | O_EXCL | O_RDONLY, 0644);
	try_open("dir O_DIRECTORY", "d", O_DIRECTORY | O_RDONLY, 0);
	try_open("file O_DIRECTORY", "f1", O_DIRECTORY | O_RDONLY, 0);
	try_open("file/x (ENOTDIR)", "f1/x", O_RDONLY, 0);
	try_open("file/ trailing slash", "f1/", O_RDONLY, 0);
	try_open("dir/ trailing slash", "d/", O_RDONLY, 0);
	try_open("dir/. ", "d/.", O_RDONLY, 0);
	try_open("dir/.. ", "d/..", O_RDONLY, 0);
	try_open("d/../f1", "d/../f1", O_RDONLY, 0);
	try_open("new/ O_CREAT", "newf/", O_CREAT | O_WRONLY, 0644);
	fmode("newf not created", "newf");
	try_open("dir/ O_CREAT", "d/", O_CREAT | O_RDONLY, 0644);
	try_open("./././f1", "./././f1", O_RDONLY, 0);
	try_open("d//..//f1", "d//..//f1", O_RDONLY, 0);

	symlink("f1", "lf");
	symlink("d", "ld");
	symlink("lself", "lself");
	try_open("symlink to file", "lf", O_RDONLY, 0);
	try_open("symlink O_NOFOLLOW", "lf", O_RDONLY | O_NOFOLLOW, 0);
	try_open("symlink to dir O_NOFOLLOW|O_DIRECTORY", "ld", O_RDONLY | O_NOFOLLOW | O_DIRECTORY, 0);
	try_open("symlink to dir/ O_NOFOLLOW", "ld/", O_RDONLY | O_NOFOLLOW, 0);
	try_open("ld/../f1", "ld/../f1", O_RDONLY, 0);
	try_open("self loop", "lself", O_RDONLY, 0);
	try_open("self loop O_CREAT", "lself", O_CREAT | O_WRONLY, 0644);
	try_open("O_NOFOLLOW in a middle component", "ld/../lf", O_RDONLY | O_NOFOLLOW, 0);

	struct stat st;
	int fd = sys_open("lf", O_PATH | O_NOFOLLOW, 0);
	printf("O_PATH|O_NOFOLLOW symlink: %s\n", fd >= 0 ? "ok" : errname(errno));
	fstat(fd, &st);
	printf("  fstat is symlink: %d\n", S_ISLNK(st.st_mode));
	close(fd);
	fd = sys_open("f1", O_PATH, 0);
	char c;
	SHOWN("O_PATH read", read(fd, &c, 1));
	SHOWN("O_PATH write", write(fd, &c, 1));
	SHOWN("O_PATH fstat", fstat(fd, &st));
	SHOWN("O_PATH fchmod", syscall(SYS_fchmod, fd, 0644));
	SHOWN("O_PATH F_GETFL has O_PATH", (fcntl(fd, F_GETFL) & O_PATH) != 0);
	SHOWN("openat(O_PATH file fd, x)", syscall(SYS_openat, fd, "x", O_RDONLY));
	close(fd);
	fd = sys_open("d", O_PATH | O_DIRECTORY, 0);
	SHOWN("openat(O_PATH dir fd, ../f1)", (close(syscall(SYS_openat, fd, "../f1", O_RDONLY)), 0));
	SHOWN("fchdir(O_PATH dir fd)", fchdir(fd));
	SHOWN("  back", chdir(".."));
	close(fd);

	printf("-- O_TMPFILE (errors only here; tmpfs below)\n");
	try_open("O_TMPFILE without write access", ".", O_TMPFILE | O_RDONLY, 0600);
	try_open("O_TMPFILE on a file", "f1", O_TMPFILE | O_RDWR, 0600);
	try_open("O_TMPFILE on missing", "missing", O_TMPFILE | O_RDWR, 0600);
	char shm[64];
	snprintf(shm, sizeof shm, "/dev/shm");
	fd = sys_open(shm, O_TMPFILE | O_RDWR, 0600);
	printf("O_TMPFILE in /dev/shm: %s\n", fd >= 0 ? "ok" : errname(errno));
	if (fd >= 0) {
		write(fd, "hello", 5);
		fstat(fd, &st);
		printf("  nlink %ld size %lld mode %o\n", (long)st.st_nlink, (long long)st.st_size, (unsigned)st.st_mode);
		close(fd);
	}
}

static void lengths(void)
{
	printf("-- ENAMETOOLONG and ELOOP\n");
	char name[300];
	memset(name, 'n', 255);
	name[255] = 0;
	try_open("255-byte name O_CREAT", name, O_CREAT | O_WRONLY, 0644);
	unlink(name);
	name[255] = 'n';
	name[256] = 0;
	try_open("256-byte name", name, O_RDONLY, 0);
	try_open("256-byte name O_CREAT", name, O_CREAT | O_WRONLY, 0644);
	char *path = malloc(5000);
	strcpy(path, ".");
	while (strlen(path) < 4094)
		strcat(path, "/.");
	printf("path of %zu bytes: ", strlen(path));
	try_open("", path, O_RDONLY, 0);
	strcat(path, "/.");
	printf("path of %zu bytes: ", strlen(path));
	try_open("", path, O_RDONLY, 0);
	free(path);

	/* chain: l1 -> l2 -> ... -> lN -> f1 */
	mkdir("chain", 0755);
	char a[64], b[64];
	for (int i = 1; i <= 41; i++) {
		snprintf(a, sizeof a, "chain/l%d", i);
		snprintf(b, sizeof b, "l%d", i + 1);
		symlink(b, a);
	}
	symlink("../f1", "chain/l42");
	/* chain/l3 is followed by 40 links, chain/l2 by 41 */
	try_open("40 links", "chain/l3", O_RDONLY, 0);
	try_open("41 links", "chain/l2", O_RDONLY, 0);
	try_open("42 links", "chain/l1", O_RDONLY, 0);
}

static long o2(int dirfd, const char *p, struct open_how *h, size_t sz)
{
	return syscall(SYS_openat2, dirfd, p, h, sz);
}

static void show2(const char *name, int dirfd, const char *p, uint64_t flags, uint64_t resolve)
{
	struct open_how h = {.flags = flags, .mode = 0, .resolve = resolve};
	errno = 0;
	long fd = o2(dirfd, p, &h, sizeof h);
	printf("%s: %s\n", name, fd >= 0 ? "ok" : errname(errno));
	if (fd >= 0)
		close(fd);
}

static void openat_2(void)
{
	printf("-- openat\n");
	int d = sys_open("d", O_RDONLY | O_DIRECTORY, 0);
	int f = sys_open("f1", O_RDONLY, 0);
	close(syscall(SYS_openat, d, "in-d", O_CREAT | O_WRONLY, 0644));
	fmode("d/in-d", "d/in-d");
	SHOW("openat(dirfd, ../f1)", close(syscall(SYS_openat, d, "../f1", O_RDONLY)));
	SHOW("openat(file fd, x)", syscall(SYS_openat, f, "x", O_RDONLY));
	SHOW("openat(-1, rel)", syscall(SYS_openat, -1, "f1", O_RDONLY));
	SHOW("openat(-1, absolute)", close(syscall(SYS_openat, -1, "/", O_RDONLY)));
	SHOW("openat(99, rel)", syscall(SYS_openat, 99, "f1", O_RDONLY));
	SHOW("openat(AT_FDCWD, bad ptr)", syscall(SYS_openat, AT_FDCWD, (char *)8, O_RDONLY));

	printf("-- openat2\n");
	struct open_how h = {.flags = O_RDONLY};
	char big[8192];
	memset(big, 0, sizeof big);
	memcpy(big, &h, sizeof h);
	SHOW("openat2 size 0", o2(AT_FDCWD, "f1", &h, 0));
	SHOW("openat2 size 23", o2(AT_FDCWD, "f1", &h, 23));
	SHOW("openat2 size 32 zero tail", close(o2(AT_FDCWD, "f1", (void *)big, 32)));
	big[30] = 1;
	SHOW("openat2 size 32 nonzero tail", o2(AT_FDCWD, "f1", (void *)big, 32));
	big[30] = 0;
	SHOW("openat2 size 4096", close(o2(AT_FDCWD, "f1", (void *)big, 4096)));
	SHOW("openat2 size 4097", o2(AT_FDCWD, "f1", (void *)big, 4097));
	SHOW("openat2 bad ptr", o2(AT_FDCWD, "f1", (void *)8, sizeof h));
	h.flags = 1ULL << 40;
	SHOW("openat2 unknown flags", o2(AT_FDCWD, "f1", &h, sizeof h));
	h.flags = O_RDONLY;
	h.mode = 0644;
	SHOW("openat2 mode without O_CREAT", o2(AT_FDCWD, "f1", &h, sizeof h));
	h.mode = 010000;
	h.flags = O_CREAT | O_WRONLY;
	SHOW("openat2 mode with S_IFMT bits", o2(AT_FDCWD, "f9", &h, sizeof h));
	h.mode = 0;
	h.flags = O_RDONLY;
	h.resolve = 1ULL << 20;
	SHOW("openat2 unknown resolve", o2(AT_FDCWD, "f1", &h, sizeof h));
	h.resolve = RESOLVE_BENEATH | RESOLVE_IN_ROOT;
	SHOW("openat2 BENEATH|IN_ROOT", o2(AT_FDCWD, "f1", &h, sizeof h));
	show2("BENEATH d/in-d", AT_FDCWD, "d/in-d", O_RDONLY, RESOLVE_BENEATH);
	show2("BENEATH from d: ../f1", d, "../f1", O_RDONLY, RESOLVE_BENEATH);
	show2("BENEATH from d: in-d/../in-d? (ENOTDIR)", d, "in-d/../in-d", O_RDONLY, RESOLVE_BENEATH);
	show2("BENEATH from d: ./../d/in-d", d, "./../d/in-d", O_RDONLY, RESOLVE_BENEATH);
	show2("BENEATH absolute", d, "/", O_RDONLY, RESOLVE_BENEATH);
	symlink("../f1", "d/up");
	symlink("/", "d/abs");
	symlink("in-d", "d/down");
	show2("BENEATH symlink ../f1", d, "up", O_RDONLY, RESOLVE_BENEATH);
	show2("BENEATH symlink /", d, "abs", O_RDONLY, RESOLVE_BENEATH);
	show2("BENEATH symlink in-d", d, "down", O_RDONLY, RESOLVE_BENEATH);
	show2("IN_ROOT /in-d", d, "/in-d", O_RDONLY, RESOLVE_IN_ROOT);
	show2("IN_ROOT ../../../in-d", d, "../../../in-d", O_RDONLY, RESOLVE_IN_ROOT);
	show2("IN_ROOT symlink / (the dirfd)", d, "abs", O_RDONLY | O_DIRECTORY, RESOLVE_IN_ROOT);
	show2("IN_ROOT symlink ../f1 (d/f1: missing)", d, "up", O_RDONLY, RESOLVE_IN_ROOT);
	show2("NO_SYMLINKS lf", AT_FDCWD, "lf", O_RDONLY, RESOLVE_NO_SYMLINKS);
	show2("NO_SYMLINKS ld/in-d", AT_FDCWD, "ld/in-d", O_RDONLY, RESOLVE_NO_SYMLINKS);
	show2("NO_SYMLINKS lf O_PATH|O_NOFOLLOW", AT_FDCWD, "lf", O_PATH | O_NOFOLLOW, RESOLVE_NO_SYMLINKS);
	show2("NO_SYMLINKS f1", AT_FDCWD, "f1", O_RDONLY, RESOLVE_NO_SYMLINKS);
	char mag[64];
	snprintf(mag, sizeof mag, "/proc/self/fd/%d", f);
	show2("NO_MAGICLINKS /proc/self/fd/N", AT_FDCWD, mag, O_RDONLY, RESOLVE_NO_MAGICLINKS);
	show2("/proc/self/fd/N plain", AT_FDCWD, mag, O_RDONLY, 0);
	show2("NO_XDEV /proc from /", AT_FDCWD, "/proc/self", O_RDONLY, RESOLVE_NO_XDEV);
	show2("NO_XDEV d/in-d", AT_FDCWD, "d/in-d", O_RDONLY, RESOLVE_NO_XDEV);
	close(d);
	close(f);
}

static void ranges(void)
{
	printf("-- close_range\n");
	int base = 50;
	for (int i = 0; i < 6; i++)
		dup2(0, base + i);
	SHOW("close_range(first > last)", syscall(SYS_close_range, base + 5, base, 0));
	SHOW("close_range(bad flags)", syscall(SYS_close_range, base, base + 5, 1 << 8));
	SHOW("close_range(CLOEXEC) 50..51", syscall(SYS_close_range, base, base + 1, CLOSE_RANGE_CLOEXEC));
	printf("  F_GETFD 50 %d 51 %d 52 %d\n", fcntl(base, F_GETFD), fcntl(base + 1, F_GETFD), fcntl(base + 2, F_GETFD));
	SHOW("close_range 52..53", syscall(SYS_close_range, base + 2, base + 3, 0));
	SHOWN("  F_GETFD 52", fcntl(base + 2, F_GETFD));
	SHOWN("  F_GETFD 54", fcntl(base + 4, F_GETFD));
	SHOW("close_range(UNSHARE) 54..~0", syscall(SYS_close_range, base + 4, ~0U, CLOSE_RANGE_UNSHARE));
	SHOWN("  F_GETFD 55", fcntl(base + 5, F_GETFD));
	SHOWN("  F_GETFD 50", fcntl(base, F_GETFD));
	SHOW("close_range past the table", syscall(SYS_close_range, 5000, 6000, 0));
	SHOW("close_range 50..51", syscall(SYS_close_range, base, base + 1, 0));
	SHOWN("  F_GETFD 50", fcntl(base, F_GETFD));
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	alarm(20); /* a hang under cvisor fails fast */
	work_begin();
	basics();
	kinds();
	lengths();
	openat_2();
	ranges();
	work_end();
	return 0;
}
