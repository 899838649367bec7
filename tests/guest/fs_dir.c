/* Directories and names: mkdir/mkdirat/rmdir, getdents64/getdents,
 * unlink/unlinkat, rename/renameat/renameat2, link/linkat,
 * symlink/symlinkat/readlink/readlinkat, chdir/fchdir/getcwd, chroot (in a
 * child), mknod/mknodat (FIFO and regular). The 10,000-file directory is
 * fs_bigdir.c. */
#include "fs_util.h"
#include <stdint.h>

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE 1
#define RENAME_EXCHANGE 2
#define RENAME_WHITEOUT 4
#endif

struct d64 { uint64_t ino; int64_t off; unsigned short reclen; unsigned char type; char name[]; };
struct dold { unsigned long ino, off; unsigned short reclen; char name[]; };

static const char *dtype(int t)
{
	switch (t) {
	case DT_REG: return "reg";
	case DT_DIR: return "dir";
	case DT_LNK: return "lnk";
	case DT_FIFO: return "fifo";
	case DT_UNKNOWN: return "unknown";
	}
	return "other";
}

static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* List a directory with getdents64 (or getdents): sorted "name:type". */
static void list(const char *name, const char *p, int old)
{
	int fd = open(p, O_RDONLY | O_DIRECTORY);
	char buf[512];
	char *names[64];
	int n = 0;
	long r;
	while ((r = syscall(old ? SYS_getdents : SYS_getdents64, fd, buf, sizeof buf)) > 0) {
		for (long o = 0; o < r;) {
			char line[300];
			if (old) {
				struct dold *e = (void *)(buf + o);
				snprintf(line, sizeof line, "%s:%s", e->name, dtype(buf[o + e->reclen - 1]));
				o += e->reclen;
			} else {
				struct d64 *e = (void *)(buf + o);
				snprintf(line, sizeof line, "%s:%s", e->name, dtype(e->type));
				o += e->reclen;
			}
			if (n < 64)
				names[n++] = strdup(line);
		}
	}
	if (r < 0)
		printf("%s: %s\n", name, errname(errno));
	qsort(names, n, sizeof *names, cmp);
	printf("%s:", name);
	for (int i = 0; i < n; i++) {
		printf(" %s", names[i]);
		free(names[i]);
	}
	printf("\n");
	close(fd);
}

static void dirs(void)
{
	printf("-- mkdir, rmdir\n");
	umask(022);
	struct stat s;
	SHOWN("mkdir d 0777", mkdir("d", 0777));
	stat("d", &s);
	printf("  mode %o\n", (unsigned)(s.st_mode & 07777));
	SHOWN("mkdir d again", mkdir("d", 0777));
	SHOWN("mkdir e/ (trailing slash)", mkdir("e/", 0700));
	SHOWN("mkdir d/sub 01777", mkdir("d/sub", 01777));
	stat("d/sub", &s);
	printf("  mode %o\n", (unsigned)(s.st_mode & 07777));
	SHOWN("mkdir missing/x", mkdir("missing/x", 0755));
	put("f", "file");
	SHOWN("mkdir f/x", mkdir("f/x", 0755));
	SHOWN("mkdir f", mkdir("f", 0755));
	SHOWN("mkdir .", mkdir(".", 0755));
	SHOWN("mkdir ..", mkdir("..", 0755));
	symlink("nowhere", "dangling");
	SHOWN("mkdir dangling symlink", mkdir("dangling", 0755));
	int dfd = open("d", O_RDONLY | O_DIRECTORY);
	SHOWN("mkdirat(dfd, sub2)", mkdirat(dfd, "sub2", 0755));
	SHOWN("mkdirat(file fd, x)", mkdirat(open("f", O_RDONLY), "x", 0755));
	SHOWN("mkdirat(99, x)", mkdirat(99, "x", 0755));
	SHOWN("rmdir d (not empty)", rmdir("d"));
	SHOWN("rmdir .", rmdir("."));
	SHOWN("rmdir d/.", rmdir("d/."));
	SHOWN("rmdir d/..", rmdir("d/.."));
	SHOWN("rmdir f", rmdir("f"));
	SHOWN("rmdir missing", rmdir("missing"));
	symlink("e", "le");
	SHOWN("rmdir symlink to dir", rmdir("le"));
	SHOWN("rmdir le/", rmdir("le/"));
	SHOWN("rmdir /", rmdir("/"));
	SHOWN("rmdir /proc (a mount point)", rmdir("/proc"));
	SHOWN("rmdir d/sub2", rmdir("d/sub2"));
	SHOWN("rmdir e/", rmdir("e/"));
	SHOWN("rmdir e again", rmdir("e"));
	unlink("le");
	close(dfd);

	printf("-- getdents64, getdents\n");
	mkdir("g", 0755);
	put("g/b", "");
	put("g/a", "");
	mkdir("g/sub", 0755);
	symlink("a", "g/link");
	mkfifo("g/fifo", 0644);
	list("getdents64 g", "g", 0);
	list("getdents g", "g", 1);
	unlink("g/b");
	list("after unlink b", "g", 0);
	int g = open("g", O_RDONLY | O_DIRECTORY);
	char buf[512];
	SHOWN("getdents64 buffer 1 byte", syscall(SYS_getdents64, g, buf, 1));
	long r = syscall(SYS_getdents64, g, buf, sizeof buf);
	printf("getdents64 first read > 0: %d\n", r > 0);
	SHOWN("getdents64 at end", syscall(SYS_getdents64, g, buf, sizeof buf));
	SHOWN("lseek(dir, 0, SEEK_SET)", lseek(g, 0, SEEK_SET));
	printf("getdents64 again > 0: %d\n", syscall(SYS_getdents64, g, buf, sizeof buf) > 0);
	SHOWN("getdents64 bad buffer", (lseek(g, 0, SEEK_SET), syscall(SYS_getdents64, g, (void *)8, sizeof buf)));
	close(g);
	int f = open("f", O_RDONLY);
	SHOWN("getdents64 on a file", syscall(SYS_getdents64, f, buf, sizeof buf));
	SHOWN("getdents on a file", syscall(SYS_getdents, f, buf, sizeof buf));
	close(f);
	SHOWN("getdents64 bad fd", syscall(SYS_getdents64, 99, buf, sizeof buf));
	g = open("g", O_RDONLY | O_DIRECTORY);
	rmdir("g/sub");
	unlink("g/a");
	unlink("g/link");
	unlink("g/fifo");
	rmdir("g");
	SHOWN("getdents64 of a removed dir", syscall(SYS_getdents64, g, buf, sizeof buf));
	close(g);
}

static void unlinks(void)
{
	printf("-- unlink, unlinkat\n");
	mkdir("u", 0755);
	put("u/f", "");
	SHOWN("unlink a dir", unlink("u"));
	SHOWN("unlink u/f/", unlink("u/f/"));
	SHOWN("unlink missing", unlink("missing"));
	SHOWN("unlink u/f/x", unlink("u/f/x"));
	SHOWN("unlinkat AT_REMOVEDIR on a file", unlinkat(AT_FDCWD, "u/f", AT_REMOVEDIR));
	SHOWN("unlinkat bad flag", unlinkat(AT_FDCWD, "u/f", 0x1));
	int dfd = open("u", O_RDONLY | O_DIRECTORY);
	SHOWN("unlinkat(dfd, f)", unlinkat(dfd, "f", 0));
	mkdir("u/s", 0755);
	SHOWN("unlinkat(dfd, s, AT_REMOVEDIR)", unlinkat(dfd, "s", AT_REMOVEDIR));
	SHOWN("unlinkat(dfd, ., AT_REMOVEDIR)", unlinkat(dfd, ".", AT_REMOVEDIR));
	close(dfd);
	symlink("u", "lu");
	SHOWN("unlink a symlink to a dir", unlink("lu"));
	SHOWN("  u still there", access("u", F_OK));
	SHOWN("unlink dangling", unlink("dangling"));
	rmdir("u");
}

static void renames(void)
{
	printf("-- rename, renameat, renameat2\n");
	put("r1", "one");
	put("r2", "two");
	SHOWN("rename r1 r2 (replace)", rename("r1", "r2"));
	printf("  r2 %s\n", get("r2"));
	printf("  r1 %s\n", get("r1"));
	SHOWN("rename r2 r2 (same)", rename("r2", "r2"));
	link("r2", "r2h");
	SHOWN("rename hard links of one file", rename("r2", "r2h"));
	printf("  r2 %s\n", get("r2"));
	printf("  r2h %s\n", get("r2h"));
	unlink("r2h");
	SHOWN("rename missing", rename("missing", "x"));
	SHOWN("rename to missing dir", rename("r2", "nodir/x"));
	mkdir("D1", 0755);
	mkdir("D2", 0755);
	put("D2/in", "x");
	mkdir("E", 0755);
	SHOWN("rename dir over non-empty dir", rename("D1", "D2"));
	SHOWN("rename dir over empty dir", rename("D1", "E"));
	printf("  D1 %s\n", access("D1", F_OK) ? errname(errno) : "exists");
	printf("  E %s\n", access("E", F_OK) ? errname(errno) : "exists");
	SHOWN("rename dir over file", rename("E", "r2"));
	SHOWN("rename file over dir", rename("r2", "E"));
	SHOWN("rename dir into its own subdir", rename("D2", "D2/in2"));
	mkdir("D2/sub", 0755);
	SHOWN("rename dir into its own sub-subdir", rename("D2", "D2/sub/x"));
	SHOWN("rename D2/sub ..", rename("D2/sub", "D2/sub/.."));
	SHOWN("rename . x", rename(".", "x"));
	SHOWN("rename x .", rename("r2", "."));
	SHOWN("rename D2/sub/.. x", rename("D2/sub/..", "x"));
	SHOWN("rename file/ (trailing slash)", rename("r2/", "r3"));
	SHOWN("rename dir/ to new/", rename("E/", "E2/"));
	SHOWN("rename file to new/", rename("r2", "r3/"));
	symlink("r2", "ls");
	SHOWN("rename symlink (moves the link)", rename("ls", "ls2"));
	struct stat s;
	lstat("ls2", &s);
	printf("  ls2 %s -> %s\n", kind(s.st_mode), get("ls2"));
	int d2 = open("D2", O_RDONLY | O_DIRECTORY);
	SHOWN("renameat(AT_FDCWD, r2, dfd, r2)", renameat(AT_FDCWD, "r2", d2, "r2"));
	printf("  D2/r2 %s\n", get("D2/r2"));
	SHOWN("renameat(dfd, r2, AT_FDCWD, r2)", renameat(d2, "r2", AT_FDCWD, "r2"));
	SHOWN("renameat(99, x, ...)", renameat(99, "x", AT_FDCWD, "y"));
	put("n1", "N1");
	put("n2", "N2");
	SHOWN("RENAME_NOREPLACE existing", syscall(SYS_renameat2, AT_FDCWD, "n1", AT_FDCWD, "n2", RENAME_NOREPLACE));
	SHOWN("RENAME_NOREPLACE new", syscall(SYS_renameat2, AT_FDCWD, "n1", AT_FDCWD, "n3", RENAME_NOREPLACE));
	SHOWN("RENAME_EXCHANGE", syscall(SYS_renameat2, AT_FDCWD, "n2", AT_FDCWD, "n3", RENAME_EXCHANGE));
	printf("  n2 %s\n", get("n2"));
	printf("  n3 %s\n", get("n3"));
	SHOWN("RENAME_EXCHANGE file and dir", syscall(SYS_renameat2, AT_FDCWD, "n2", AT_FDCWD, "D2", RENAME_EXCHANGE));
	lstat("n2", &s);
	printf("  n2 is %s, D2 is %s\n", kind(s.st_mode), get("D2"));
	SHOWN("  D2/../n2/in", access("n2/in", F_OK));
	syscall(SYS_renameat2, AT_FDCWD, "n2", AT_FDCWD, "D2", RENAME_EXCHANGE);
	SHOWN("RENAME_EXCHANGE with missing target", syscall(SYS_renameat2, AT_FDCWD, "n3", AT_FDCWD, "nx", RENAME_EXCHANGE));
	SHOWN("NOREPLACE|EXCHANGE", syscall(SYS_renameat2, AT_FDCWD, "n2", AT_FDCWD, "n3", RENAME_NOREPLACE | RENAME_EXCHANGE));
	SHOWN("renameat2 unknown flag", syscall(SYS_renameat2, AT_FDCWD, "n2", AT_FDCWD, "n3", 0x100));
	SHOWN("RENAME_EXCHANGE dir into its subdir", syscall(SYS_renameat2, AT_FDCWD, "D2", AT_FDCWD, "D2/sub", RENAME_EXCHANGE));
	close(d2);
	list("cwd now", ".", 0);
}

static void links(void)
{
	printf("-- link, linkat, symlink, symlinkat, readlink, readlinkat\n");
	struct stat s;
	put("t", "target");
	SHOWN("link t t2", link("t", "t2"));
	SHOWN("link t t2 (exists)", link("t", "t2"));
	SHOWN("link dir", link("D2", "D3"));
	SHOWN("link missing", link("missing", "x"));
	SHOWN("link t nodir/x", link("t", "nodir/x"));
	SHOWN("link t t3/", link("t", "t3/"));
	symlink("t", "st");
	SHOWN("linkat symlink (no follow)", linkat(AT_FDCWD, "st", AT_FDCWD, "hl1", 0));
	lstat("hl1", &s);
	printf("  hl1 is %s\n", kind(s.st_mode));
	SHOWN("linkat AT_SYMLINK_FOLLOW", linkat(AT_FDCWD, "st", AT_FDCWD, "hl2", AT_SYMLINK_FOLLOW));
	lstat("hl2", &s);
	printf("  hl2 is %s nlink %ld\n", kind(s.st_mode), (long)s.st_nlink);
	SHOWN("linkat dangling AT_SYMLINK_FOLLOW", linkat(AT_FDCWD, "dangling", AT_FDCWD, "hl3", AT_SYMLINK_FOLLOW));
	SHOWN("linkat bad flag", linkat(AT_FDCWD, "t", AT_FDCWD, "hl4", 0x1));
	int fd = open("t", O_RDONLY);
	SHOWN("linkat AT_EMPTY_PATH", syscall(SYS_linkat, fd, "", AT_FDCWD, "hl5", AT_EMPTY_PATH));
	printf("  hl5 %s\n", get("hl5"));
	close(fd);
	fd = open("tmpgone", O_RDWR | O_CREAT, 0644);
	unlink("tmpgone");
	SHOWN("linkat AT_EMPTY_PATH of an unlinked file", syscall(SYS_linkat, fd, "", AT_FDCWD, "back", AT_EMPTY_PATH));
	close(fd);

	SHOWN("symlink existing", symlink("t", "st"));
	SHOWN("symlink empty target", symlink("", "se"));
	SHOWN("symlink in missing dir", symlink("t", "nodir/s"));
	SHOWN("symlink name/ (trailing slash)", symlink("t", "sn/"));
	char lng[5000];
	memset(lng, 'x', 4095);
	lng[4095] = 0;
	SHOWN("symlink 4095-byte target", symlink(lng, "slong"));
	lng[4095] = 'x';
	lng[4096] = 0;
	SHOWN("symlink 4096-byte target", symlink(lng, "slong2"));
	char buf[64];
	memset(buf, 0, sizeof buf);
	SHOWN("readlink st", readlink("st", buf, sizeof buf));
	printf("  %s\n", buf);
	SHOWN("readlink slong (4096 buf)", readlink("slong", lng, 4096));
	symlink("abcdef", "sm");
	SHOWN("readlink small buffer", readlink("sm", buf, 3));
	printf("  %.3s\n", buf);
	SHOWN("readlink bufsiz 0", syscall(SYS_readlink, "st", buf, 0));
	SHOWN("readlink a file", readlink("t", buf, sizeof buf));
	SHOWN("readlink missing", readlink("missing", buf, sizeof buf));
	SHOWN("readlink st/", readlink("st/", buf, sizeof buf));
	int dfd = open("D2", O_RDONLY | O_DIRECTORY);
	SHOWN("symlinkat(dfd, ...)", symlinkat("../t", dfd, "up"));
	printf("  D2/up %s\n", get("D2/up"));
	memset(buf, 0, sizeof buf);
	SHOWN("readlinkat(dfd, up)", readlinkat(dfd, "up", buf, sizeof buf));
	printf("  %s\n", buf);
	int lfd = open("st", O_PATH | O_NOFOLLOW);
	memset(buf, 0, sizeof buf);
	SHOWN("readlinkat(O_PATH symlink fd, \"\")", syscall(SYS_readlinkat, lfd, "", buf, sizeof buf));
	printf("  %s\n", buf);
	SHOWN("readlinkat(dir fd, \"\")", syscall(SYS_readlinkat, dfd, "", buf, sizeof buf));
	SHOWN("readlinkat(99, up)", readlinkat(99, "up", buf, sizeof buf));
	close(lfd);
	close(dfd);
}

static void child_chroot(void)
{
	mkdir("jail", 0755);
	mkdir("jail/sub", 0755);
	put("jail/inside", "in the jail");
	SHOWN("chroot missing", chroot("missing"));
	SHOWN("chroot a file", chroot("t"));
	SHOWN("chroot jail", chroot("jail"));
	SHOWN("chdir /", chdir("/"));
	char buf[256];
	printf("  getcwd %s\n", getcwd(buf, sizeof buf) ? buf : errname(errno));
	printf("  /inside %s\n", get("/inside"));
	struct stat a, b;
	stat("/", &a);
	stat("/..", &b);
	printf("  /.. is /: %s\n", a.st_ino == b.st_ino ? "same" : "differ");
	chdir("/sub/../../..");
	printf("  after chdir ../../..: %s\n", getcwd(buf, sizeof buf) ? buf : errname(errno));
	printf("  ../../t %s\n", get("../../t"));
	symlink("/..", "/sub/up");
	SHOWN("  chdir via symlink /..", chdir("/sub/up"));
	printf("  getcwd %s\n", getcwd(buf, sizeof buf) ? buf : errname(errno));
}

static void cwds(void)
{
	printf("-- chdir, fchdir, getcwd\n");
	char start[4096], buf[4096];
	getcwd(start, sizeof start);
	size_t sl = strlen(start);
#define CWD(label) do { if (getcwd(buf, sizeof buf)) \
		printf("%s: +%s\n", label, strncmp(buf, start, sl) ? "<outside>" : buf + sl); \
	else printf("%s: %s\n", label, errname(errno)); } while (0)
	mkdir("c", 0755);
	mkdir("c/d", 0755);
	SHOWN("chdir c/d", chdir("c/d"));
	CWD("getcwd");
	SHOWN("chdir ..", chdir(".."));
	CWD("getcwd");
	SHOWN("chdir missing", chdir("missing"));
	SHOWN("chdir a file", chdir("../t"));
	SHOWN("chdir empty", chdir(""));
	symlink("c/d", "../lcd");
	SHOWN("chdir ../lcd (symlink)", chdir("../lcd"));
	CWD("getcwd");
	SHOWN("chdir ../..", chdir("../.."));
	int fd = open("c", O_RDONLY | O_DIRECTORY);
	SHOWN("fchdir c", fchdir(fd));
	CWD("getcwd");
	close(fd);
	fd = open("../t", O_RDONLY);
	SHOWN("fchdir a file", fchdir(fd));
	close(fd);
	SHOWN("fchdir bad fd", fchdir(99));
	SHOWN("getcwd size 1", syscall(SYS_getcwd, buf, 1));
	SHOWN("getcwd size 0", syscall(SYS_getcwd, buf, 0));
	SHOW("getcwd exact size", syscall(SYS_getcwd, buf, sl + 3));
	SHOWN("getcwd one short", syscall(SYS_getcwd, buf, sl + 2));
	SHOWN("getcwd bad buffer", syscall(SYS_getcwd, (void *)8, sizeof buf));
	chdir("d");
	rmdir("../d");
	SHOWN("getcwd of a removed dir", syscall(SYS_getcwd, buf, sizeof buf));
	SHOWN("chdir .. from a removed dir", chdir(".."));
	CWD("getcwd");
	SHOWN("chdir ..", chdir(".."));
	CWD("getcwd");
	unlink("lcd");
	rmdir("c");
	printf("-- chroot (in a child)\n");
	in_child(child_chroot);
	printf("  parent still sees t: %s\n", get("t"));
}

static void nodes(void)
{
	printf("-- mknod, mknodat\n");
	struct stat s;
	umask(022);
	SHOWN("mknod FIFO", mknod("fifo", S_IFIFO | 0666, 0));
	stat("fifo", &s);
	printf("  %s %o\n", kind(s.st_mode), (unsigned)(s.st_mode & 07777));
	SHOWN("mknod regular", mknod("reg", S_IFREG | 0640, 0));
	stat("reg", &s);
	printf("  %s %o size %lld\n", kind(s.st_mode), (unsigned)(s.st_mode & 07777), (long long)s.st_size);
	SHOWN("mknod type 0 (regular)", mknod("reg0", 0644, 0));
	stat("reg0", &s);
	printf("  %s\n", kind(s.st_mode));
	SHOWN("mknod existing", mknod("fifo", S_IFIFO | 0666, 0));
	SHOWN("mknod S_IFDIR", mknod("dd", S_IFDIR | 0755, 0));
	SHOWN("mknod bad type", mknod("bad", 0170000 | 0644, 0));
	SHOWN("mknod in missing dir", mknod("nodir/x", S_IFIFO | 0644, 0));
	int dfd = open("D2", O_RDONLY | O_DIRECTORY);
	SHOWN("mknodat(dfd, fifo)", mknodat(dfd, "fifo", S_IFIFO | 0600, 0));
	lstat("D2/fifo", &s);
	printf("  %s %o\n", kind(s.st_mode), (unsigned)(s.st_mode & 07777));
	SHOWN("mknodat(99, x)", mknodat(99, "x", S_IFIFO | 0600, 0));
	SHOWN("mkfifo existing", mkfifo("fifo", 0600));
	close(dfd);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	alarm(20); /* a hang under cvisor fails fast */
	work_begin();
	dirs();
	unlinks();
	renames();
	links();
	cwds();
	nodes();
	work_end();
	return 0;
}
