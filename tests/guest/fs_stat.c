/* The stat family (stat, fstat, lstat, newfstatat, statx), statfs and
 * fstatfs (only facts that do not depend on the file system type),
 * access/faccessat/faccessat2, link counts, sizes and timestamps,
 * utimensat/futimesat/utimes, chmod and chown families. */
#include "fs_util.h"
#include <stdint.h>
#include <sys/statfs.h>
#include <sys/time.h>

#ifndef AT_STATX_FORCE_SYNC
#define AT_STATX_FORCE_SYNC 0x2000
#define AT_STATX_DONT_SYNC 0x4000
#endif
#ifndef AT_EACCESS
#define AT_EACCESS 0x200
#endif

/* Our own statx layout (musl's headers may lack it). */
struct sx_ts { int64_t tv_sec; uint32_t tv_nsec; int32_t pad; };
struct sx {
	uint32_t mask, blksize;
	uint64_t attributes;
	uint32_t nlink, uid, gid;
	uint16_t mode, pad1;
	uint64_t ino, size, blocks, attributes_mask;
	struct sx_ts atime, btime, ctime, mtime;
	uint32_t rdev_major, rdev_minor, dev_major, dev_minor;
	uint64_t spare[14];
};
#define SX_TYPE 0x1U
#define SX_MODE 0x2U
#define SX_NLINK 0x4U
#define SX_SIZE 0x200U
#define SX_BASIC 0x7ffU
#define SX_RESERVED 0x80000000U

static int kind_only;
static char dm[32];
static void st(const char *name, long r, struct stat *s)
{
	if (r < 0)
		printf("%s: %s\n", name, errname(errno));
	else if (S_ISDIR(s->st_mode)) /* a directory's size and link count depend on the fs */
		printf("%s: dir%s\n", name, kind_only ? "" : (snprintf(dm, sizeof dm, " mode %o", (unsigned)(s->st_mode & 07777)), dm));
	else
		printf("%s: %s mode %o nlink %ld size %lld uid %d gid %d\n", name, kind(s->st_mode),
		       (unsigned)(s->st_mode & 07777), (long)s->st_nlink, (long long)s->st_size,
		       (int)s->st_uid, (int)s->st_gid);
}
#define ST(name, ...) do { struct stat s_; memset(&s_, 0, sizeof s_); errno = 0; \
	long r_ = syscall(__VA_ARGS__); st(name, r_, &s_); } while (0)

static void sx(const char *name, int dfd, const char *p, int flags, unsigned mask)
{
	struct sx x;
	memset(&x, 0, sizeof x);
	errno = 0;
	long r = syscall(SYS_statx, dfd, p, flags, mask, &x);
	if (r < 0) {
		printf("%s: %s\n", name, errname(errno));
		return;
	}
	/* Which basic bits come back for a smaller request depends on the fs
	 * (multigrain timestamps): only type, mode, nlink, size are checked. */
	unsigned core = SX_TYPE | SX_MODE | SX_NLINK | SX_SIZE;
	printf("%s: %s %s mode %o", name,
	       (mask & SX_BASIC) == SX_BASIC ? ((x.mask & SX_BASIC) == SX_BASIC ? "basic mask all" : "basic mask partial")
					     : ((x.mask & core) == core ? "core mask bits" : "core mask bits missing"),
	       kind(x.mode), x.mode & 07777u);
	if (S_ISDIR(x.mode))
		printf("\n");
	else
		printf(" nlink %u size %llu\n", x.nlink, (unsigned long long)x.size);
}

static void stats(void)
{
	printf("-- stat, lstat, fstat, newfstatat\n");
	umask(022);
	put("f", "hello");
	symlink("f", "l");
	symlink("nowhere", "dangling");
	mkdir("d", 0750);
	ST("stat f", SYS_stat, "f", &s_);
	ST("stat l", SYS_stat, "l", &s_);
	ST("lstat l", SYS_lstat, "l", &s_);
	ST("stat dangling", SYS_stat, "dangling", &s_);
	ST("lstat dangling", SYS_lstat, "dangling", &s_);
	ST("stat missing", SYS_stat, "missing", &s_);
	ST("stat f/", SYS_stat, "f/", &s_);
	ST("lstat l/ (follows)", SYS_lstat, "l/", &s_);
	ST("stat empty", SYS_stat, "", &s_);
	ST("stat bad buffer", SYS_stat, "f", (void *)8);
	int fd = open("f", O_RDONLY);
	ST("fstat f", SYS_fstat, fd, &s_);
	ST("fstat bad fd", SYS_fstat, 99, &s_);
	int p[2];
	pipe(p);
	struct stat ps;
	fstat(p[0], &ps);
	printf("fstat pipe: %s size %lld\n", kind(ps.st_mode), (long long)ps.st_size);
	close(p[0]);
	close(p[1]);
	int dfd = open("d", O_RDONLY | O_DIRECTORY);
	ST("newfstatat(dfd, ../f)", SYS_newfstatat, dfd, "../f", &s_, 0);
	ST("newfstatat(fd, \"\", AT_EMPTY_PATH)", SYS_newfstatat, fd, "", &s_, AT_EMPTY_PATH);
	ST("newfstatat(fd, \"\", 0)", SYS_newfstatat, fd, "", &s_, 0);
	kind_only = 1;
	ST("newfstatat(AT_FDCWD, \"\", AT_EMPTY_PATH)", SYS_newfstatat, AT_FDCWD, "", &s_, AT_EMPTY_PATH);
	ST("newfstatat l NOFOLLOW", SYS_newfstatat, AT_FDCWD, "l", &s_, AT_SYMLINK_NOFOLLOW);
	ST("newfstatat bad flag", SYS_newfstatat, AT_FDCWD, "f", &s_, 0x1);
	ST("newfstatat(file fd, x)", SYS_newfstatat, fd, "x", &s_, 0);
	ST("newfstatat(99, f)", SYS_newfstatat, 99, "f", &s_, 0);
	ST("newfstatat(99, /)", SYS_newfstatat, 99, "/", &s_, 0);
	kind_only = 0;
	ST("newfstatat(dfd, \"\", AT_EMPTY_PATH)", SYS_newfstatat, dfd, "", &s_, AT_EMPTY_PATH);
	struct stat a, b;
	stat("f", &a);
	fstat(fd, &b);
	printf("stat and fstat ino/dev: %s\n", a.st_ino == b.st_ino && a.st_dev == b.st_dev ? "same" : "differ");
	stat("l", &b);
	printf("stat through symlink ino: %s\n", a.st_ino == b.st_ino ? "same" : "differ");
	lstat("l", &b);
	printf("lstat of symlink ino: %s\n", a.st_ino == b.st_ino ? "same" : "differ");
	stat(".", &a);
	stat("d/..", &b);
	printf("d/.. is .: %s\n", a.st_ino == b.st_ino && a.st_dev == b.st_dev ? "same" : "differ");

	printf("-- statx\n");
	sx("statx f", AT_FDCWD, "f", 0, SX_BASIC);
	sx("statx l", AT_FDCWD, "l", 0, SX_BASIC);
	sx("statx l NOFOLLOW", AT_FDCWD, "l", AT_SYMLINK_NOFOLLOW, SX_BASIC);
	sx("statx fd EMPTY_PATH", fd, "", AT_EMPTY_PATH, SX_BASIC);
	sx("statx mask 0", AT_FDCWD, "f", 0, 0);
	sx("statx DONT_SYNC", AT_FDCWD, "f", AT_STATX_DONT_SYNC, SX_BASIC);
	sx("statx FORCE_SYNC", AT_FDCWD, "f", AT_STATX_FORCE_SYNC, SX_BASIC);
	sx("statx FORCE|DONT_SYNC", AT_FDCWD, "f", AT_STATX_FORCE_SYNC | AT_STATX_DONT_SYNC, SX_BASIC);
	sx("statx reserved mask bit", AT_FDCWD, "f", 0, SX_RESERVED);
	sx("statx bad flag", AT_FDCWD, "f", 0x1, SX_BASIC);
	sx("statx missing", AT_FDCWD, "missing", 0, SX_BASIC);
	sx("statx d", dfd, ".", 0, SX_BASIC);
	SHOWN("statx bad buffer", syscall(SYS_statx, AT_FDCWD, "f", 0, SX_BASIC, (void *)8));
	close(dfd);
	close(fd);

	printf("-- statfs, fstatfs\n");
	struct statfs s1, s2;
	SHOWN("statfs .", statfs(".", &s1));
	fd = open("f", O_RDONLY);
	SHOWN("fstatfs f", fstatfs(fd, &s2));
	printf("f_type: %s, f_bsize > 0: %d, f_namelen %ld\n", s1.f_type == s2.f_type ? "same" : "differ",
	       s1.f_bsize > 0, (long)s1.f_namelen);
	SHOWN("statfs missing", statfs("missing", &s1));
	SHOWN("statfs f/x", statfs("f/x", &s1));
	SHOWN("fstatfs bad fd", fstatfs(99, &s1));
	SHOWN("statfs bad buffer", syscall(SYS_statfs, ".", (void *)8));
	close(fd);
}

static void accesses(void)
{
	printf("-- access, faccessat, faccessat2\n");
	put("ro", "x");
	chmod("ro", 0444);
	put("ex", "x");
	chmod("ex", 0100);
	SHOWN("access f F_OK", access("f", F_OK));
	SHOWN("access f R_OK|W_OK", access("f", R_OK | W_OK));
	SHOWN("access f X_OK (no x bit, root)", access("f", X_OK));
	SHOWN("access ro W_OK (root)", access("ro", W_OK));
	SHOWN("access ex X_OK", access("ex", X_OK));
	SHOWN("access d X_OK", access("d", X_OK));
	SHOWN("access missing", access("missing", F_OK));
	SHOWN("access f/x", access("f/x", F_OK));
	SHOWN("access dangling", access("dangling", F_OK));
	SHOWN("access bad mode", syscall(SYS_access, "f", 8));
	SHOWN("faccessat(dfd, ../f)", syscall(SYS_faccessat, open("d", O_RDONLY), "../f", R_OK));
	SHOWN("faccessat2 AT_EACCESS", syscall(SYS_faccessat2, AT_FDCWD, "f", R_OK, AT_EACCESS));
	SHOWN("faccessat2 NOFOLLOW dangling", syscall(SYS_faccessat2, AT_FDCWD, "dangling", F_OK, AT_SYMLINK_NOFOLLOW));
	SHOWN("faccessat2 dangling", syscall(SYS_faccessat2, AT_FDCWD, "dangling", F_OK, 0));
	SHOWN("faccessat2 bad flag", syscall(SYS_faccessat2, AT_FDCWD, "f", F_OK, 0x1));
	SHOWN("faccessat2 bad mode", syscall(SYS_faccessat2, AT_FDCWD, "f", 8, 0));
}

static void counts(void)
{
	printf("-- identity: st_ino per file, st_dev per mount\n");
	struct stat s, t;
	stat("f", &s);
	stat("f", &t);
	printf("stat twice: %s\n", s.st_ino == t.st_ino && s.st_dev == t.st_dev ? "same" : "differ");
	link("f", "f2");
	stat("f2", &t);
	printf("hard link ino: %s\n", s.st_ino == t.st_ino ? "same" : "differ");
	unlink("f2");
	rename("f", "f.moved");
	stat("f.moved", &t);
	printf("after rename ino: %s\n", s.st_ino == t.st_ino ? "same" : "differ");
	int wfd = open("f.moved", O_WRONLY | O_APPEND);
	write(wfd, "x", 1);
	close(wfd);
	stat("f.moved", &t);
	printf("after write ino: %s\n", s.st_ino == t.st_ino ? "same" : "differ");
	rename("f.moved", "f");
	ftruncate(open("f", O_WRONLY), 5);
	put("g", "other");
	stat("g", &t);
	printf("another file ino: %s, dev: %s\n", s.st_ino == t.st_ino ? "same" : "differ", s.st_dev == t.st_dev ? "same" : "differ");
	unlink("g");
	struct stat pr, sh, dv;
	stat("/proc", &pr);
	stat("/dev/shm", &sh);
	stat("/dev/null", &dv);
	printf("st_dev: . vs /proc %s, . vs /dev/shm %s, /proc vs /dev/shm %s\n", s.st_dev == pr.st_dev ? "same" : "differ",
	       s.st_dev == sh.st_dev ? "same" : "differ", pr.st_dev == sh.st_dev ? "same" : "differ");
	stat("/proc/self", &t);
	printf("st_dev: /proc vs /proc/self %s\n", pr.st_dev == t.st_dev ? "same" : "differ");

	printf("-- link counts, sizes, times\n");
	SHOWN("link f f2", link("f", "f2"));
	stat("f", &s);
	printf("nlink after link: %ld\n", (long)s.st_nlink);
	link("f", "f3");
	stat("f2", &s);
	printf("nlink after 2nd link: %ld\n", (long)s.st_nlink);
	unlink("f2");
	unlink("f3");
	stat("f", &s);
	printf("nlink after unlinks: %ld\n", (long)s.st_nlink);
	int fd = open("f", O_RDWR);
	struct stat o;
	fstat(fd, &o);
	unlink("f");
	fstat(fd, &s);
	printf("open, unlinked: nlink %ld size %lld ino %s\n", (long)s.st_nlink, (long long)s.st_size,
	       s.st_ino == o.st_ino ? "same" : "differ");
	write(fd, "more", 4);
	fstat(fd, &s);
	printf("  write still works: size %lld\n", (long long)s.st_size);
	close(fd);
	put("f", "hello");

	/* timestamps: set fixed times, change the file, compare */
	struct timespec ts[2] = {{1000000000, 123456789}, {1200000000, 500}};
	SHOWN("utimensat fixed", utimensat(AT_FDCWD, "f", ts, 0));
	stat("f", &s);
	printf("  atime %ld.%09ld mtime %ld.%09ld\n", (long)s.st_atim.tv_sec, s.st_atim.tv_nsec,
	       (long)s.st_mtim.tv_sec, s.st_mtim.tv_nsec);
	fd = open("f", O_WRONLY | O_APPEND);
	write(fd, "!", 1);
	struct stat s2;
	fstat(fd, &s2);
	printf("after write: size %lld mtime %s ctime %s\n", (long long)s2.st_size,
	       s2.st_mtim.tv_sec != s.st_mtim.tv_sec ? "changed" : "same",
	       s2.st_ctim.tv_sec >= s2.st_mtim.tv_sec ? ">= mtime" : "< mtime");
	utimensat(AT_FDCWD, "f", ts, 0);
	ftruncate(fd, 2);
	fstat(fd, &s2);
	printf("after ftruncate: mtime %s\n", s2.st_mtim.tv_sec != 1200000000 ? "changed" : "same");
	close(fd);
	struct timespec omit[2] = {{5, UTIME_OMIT}, {7, 0}};
	SHOWN("utimensat UTIME_OMIT atime", utimensat(AT_FDCWD, "f", omit, 0));
	stat("f", &s);
	printf("  atime %ld.%09ld mtime %ld.%09ld\n", (long)s.st_atim.tv_sec, s.st_atim.tv_nsec,
	       (long)s.st_mtim.tv_sec, s.st_mtim.tv_nsec);
	struct timespec now[2] = {{0, UTIME_NOW}, {0, UTIME_OMIT}};
	SHOWN("utimensat UTIME_NOW atime", utimensat(AT_FDCWD, "f", now, 0));
	stat("f", &s);
	printf("  atime recent %d mtime %ld\n", s.st_atim.tv_sec > 1600000000, (long)s.st_mtim.tv_sec);
	struct timespec bad[2] = {{0, 1000000000}, {0, 0}};
	SHOWN("utimensat nsec 1e9", utimensat(AT_FDCWD, "f", bad, 0));
	SHOWN("utimensat bad flag", syscall(SYS_utimensat, AT_FDCWD, "f", ts, 0x1));
	SHOWN("utimensat missing", utimensat(AT_FDCWD, "missing", ts, 0));
	SHOWN("utimensat symlink NOFOLLOW", utimensat(AT_FDCWD, "l", ts, AT_SYMLINK_NOFOLLOW));
	lstat("l", &s);
	printf("  symlink mtime %ld\n", (long)s.st_mtim.tv_sec);
	fd = open("f", O_RDONLY);
	SHOWN("utimensat(fd, NULL)", syscall(SYS_utimensat, fd, NULL, ts, 0));
	fstat(fd, &s);
	printf("  mtime %ld.%09ld\n", (long)s.st_mtim.tv_sec, s.st_mtim.tv_nsec);
	SHOWN("utimensat(AT_FDCWD, NULL)", syscall(SYS_utimensat, AT_FDCWD, NULL, ts, 0));
	close(fd);
	struct timeval tv[2] = {{1300000000, 250000}, {1400000000, 999999}};
	SHOWN("utimes", utimes("f", tv));
	stat("f", &s);
	printf("  atime %ld.%09ld mtime %ld.%09ld\n", (long)s.st_atim.tv_sec, s.st_atim.tv_nsec,
	       (long)s.st_mtim.tv_sec, s.st_mtim.tv_nsec);
	struct timeval badtv[2] = {{0, 1000000}, {0, 0}};
	SHOWN("utimes usec 1e6", syscall(SYS_utimes, "f", badtv));
	int dfd = open("d", O_RDONLY | O_DIRECTORY);
	struct timeval tv2[2] = {{1500000000, 1}, {1500000001, 2}};
	SHOWN("futimesat(dfd, ../f)", syscall(SYS_futimesat, dfd, "../f", tv2));
	stat("f", &s);
	printf("  atime %ld.%09ld mtime %ld.%09ld\n", (long)s.st_atim.tv_sec, s.st_atim.tv_nsec,
	       (long)s.st_mtim.tv_sec, s.st_mtim.tv_nsec);
	SHOWN("futimesat(99, f)", syscall(SYS_futimesat, 99, "f", tv2));
	close(dfd);
}

static void modes(void)
{
	printf("-- chmod, fchmod, fchmodat\n");
	struct stat s;
#define MODE(p) (lstat(p, &s) ? printf("  %s: %s\n", p, errname(errno)) : \
		 printf("  %s: %s %o\n", p, kind(s.st_mode), (unsigned)(s.st_mode & 07777)))
	SHOWN("chmod f 0600", chmod("f", 0600));
	MODE("f");
	SHOWN("chmod f 07777", chmod("f", 07777));
	MODE("f");
	SHOWN("chmod f 0170644 (type bits ignored)", chmod("f", 0170644));
	MODE("f");
	SHOWN("chmod l 0640 (follows)", chmod("l", 0640));
	MODE("f");
	MODE("l");
	SHOWN("chmod missing", chmod("missing", 0644));
	SHOWN("chmod dangling", chmod("dangling", 0644));
	int fd = open("f", O_RDONLY);
	SHOWN("fchmod 0400 on O_RDONLY fd", fchmod(fd, 0400));
	MODE("f");
	SHOWN("fchmod bad fd", fchmod(99, 0644));
	SHOWN("fchmodat(dfd, ../f)", syscall(SYS_fchmodat, open("d", O_RDONLY), "../f", 0644));
	MODE("f");
	SHOWN("fchmodat d 01777", syscall(SYS_fchmodat, AT_FDCWD, "d", 01777));
	MODE("d");

	printf("-- chown, fchown, lchown, fchownat (to our own ids)\n");
	uid_t u = getuid();
	gid_t g = getgid();
	chmod("f", 06755);
	SHOWN("chown f -1 -1", chown("f", -1, -1));
	MODE("f");
	SHOWN("chown f uid gid", chown("f", u, g));
	MODE("f");
	chmod("f", 06755);
	SHOWN("fchown f uid -1", fchown(fd, u, -1));
	MODE("f");
	chmod("d", 06755);
	SHOWN("chown d uid gid", chown("d", u, g));
	MODE("d");
	SHOWN("lchown l", lchown("l", u, g));
	SHOWN("lchown dangling", lchown("dangling", u, g));
	SHOWN("chown dangling", chown("dangling", u, g));
	SHOWN("fchownat AT_EMPTY_PATH", syscall(SYS_fchownat, fd, "", u, g, AT_EMPTY_PATH));
	SHOWN("fchownat NOFOLLOW", syscall(SYS_fchownat, AT_FDCWD, "dangling", u, g, AT_SYMLINK_NOFOLLOW));
	SHOWN("fchownat bad flag", syscall(SYS_fchownat, AT_FDCWD, "f", u, g, 0x1));
	SHOWN("fchown bad fd", fchown(99, u, g));
	SHOWN("chown missing", chown("missing", u, g));
	struct stat o;
	stat("f", &o);
	printf("owner is us: %s\n", o.st_uid == u && o.st_gid == g ? "yes" : "no");
	close(fd);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	alarm(20); /* a hang under cvisor fails fast */
	work_begin();
	stats();
	accesses();
	counts();
	modes();
	work_end();
	return 0;
}
