/* Run by tests/vfs_escape.t inside `cvisor run --root ROOT`, never
 * natively by guest.t. TEST: own-harness
 *
 * escape_fs escape SECRET_HOST_PATH [DIR...]
 *   tries every way out of the guest root it knows to read (or write) a host
 *   file that lies outside it. The file holds a line starting with
 *   "TOPSECRET"; a read that returns it prints "LEAKED". Each attempt
 *   prints one line "LABEL: blocked (...)" or "LABEL: LEAKED". DIR
 *   arguments are extra guest directories (volumes) to climb out of.
 * escape_fs mutate
 *   creates, edits, renames and deletes files and directories all over the
 *   guest root, then checks the guest sees its own changes. The host tree
 *   must stay byte-for-byte the same (the .t compares). */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int leaks, attempts;

/* Read what path gives (following links) and judge it. */
static void judge(const char *label, int fd)
{
	attempts++;
	if (fd < 0) {
		printf("%s: blocked (%s)\n", label, strerror(errno));
		return;
	}
	char buf[4096];
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	buf[n < 0 ? 0 : n] = 0;
	if (n > 0 && memmem(buf, n, "TOPSECRET", 9)) {
		leaks++;
		printf("%s: LEAKED\n", label);
	} else
		printf("%s: blocked (%s)\n", label, n < 0 ? strerror(errno) : "no secret in what it reads");
}

static void try_path(const char *label, const char *p) { judge(label, open(p, O_RDONLY)); }
static void try_at(const char *label, int dfd, const char *p) { judge(label, openat(dfd, p, O_RDONLY)); }

/* A directory listing that contains the secret's name means we are outside. */
static void try_list(const char *label, const char *dir, const char *name)
{
	attempts++;
	DIR *d = opendir(dir);
	if (!d) {
		printf("%s: blocked (%s)\n", label, strerror(errno));
		return;
	}
	struct dirent *e;
	int seen = 0;
	while ((e = readdir(d)))
		seen |= !strcmp(e->d_name, name);
	closedir(d);
	if (seen) {
		leaks++;
		printf("%s: LEAKED (lists %s)\n", label, name);
	} else
		printf("%s: blocked (no %s there)\n", label, name);
}

/* Writes through the same ways: must never create or change a host file
 * outside (the .t compares the host tree). Only the result is printed. */
static void try_write(const char *label, const char *p, int flags)
{
	attempts++;
	int fd = open(p, O_WRONLY | flags, 0644);
	if (fd >= 0) {
		write(fd, "ESCAPED-WRITE\n", 14);
		close(fd);
	}
	printf("%s: %s\n", label, fd >= 0 ? "wrote inside the sandbox (host checked by the .t)" : strerror(errno));
}

static char secret_rel[4096]; /* the host path without its leading '/' */
static const char *secret_name;

static void climbs(const char *secret)
{
	char p[8192];
	try_path("host absolute path", secret);
	for (int depth = 1; depth <= 30; depth += 29) {
		p[0] = 0;
		for (int i = 0; i < depth; i++)
			strcat(p, "../");
		strcat(p, secret_rel);
		char label[64];
		snprintf(label, sizeof label, "%d x ../ + host path", depth);
		try_path(label, p);
	}
	snprintf(p, sizeof p, "/../%s", secret_name);
	try_path("/../NAME", p);
	snprintf(p, sizeof p, "../%s", secret_name);
	try_path("../NAME from /", p);
	snprintf(p, sizeof p, "/./../.././/../%s", secret_name);
	try_path("/./../.././/../NAME", p);
	try_list("list /..", "/..", secret_name);
	try_list("list ../../..", "../../..", secret_name);
	chdir("/");
	for (int i = 0; i < 10; i++)
		chdir("..");
	try_list("list . after chdir .. x10", ".", secret_name);
	try_path("NAME after chdir .. x10", secret_name);
}

static void links(const char *secret)
{
	char p[8192];
	/* guest-made links, in the writable layer */
	symlink(secret, "/g_abs");
	try_path("guest symlink -> host absolute path", "/g_abs");
	snprintf(p, sizeof p, "../../../../../../../../%s", secret_rel);
	symlink(p, "/g_rel");
	try_path("guest symlink -> ../../.. + host path", "/g_rel");
	snprintf(p, sizeof p, "../%s", secret_name);
	symlink(p, "/g_up");
	try_path("guest symlink -> ../NAME", "/g_up");
	symlink("/", "/g_root");
	symlink("..", "/g_dotdot");
	snprintf(p, sizeof p, "/g_root/../%s", secret_name);
	try_path("guest symlink -> / then ../NAME", p);
	snprintf(p, sizeof p, "/g_dotdot/%s", secret_name);
	try_path("guest symlink -> .. then NAME", p);
	snprintf(p, sizeof p, "/g_dotdot/g_dotdot/g_dotdot/%s", secret_name);
	try_path("guest symlink -> .. chained", p);
	mkdir("/g_deep", 0755);
	mkdir("/g_deep/a", 0755);
	snprintf(p, sizeof p, "../../../%s", secret_name);
	symlink(p, "/g_deep/a/up");
	try_path("guest symlink deep -> ../../../NAME", "/g_deep/a/up");

	/* links planted by the host in the read-only layer (see the .t) */
	try_path("planted symlink -> host absolute path", "/planted_abs");
	try_path("planted symlink -> ../NAME", "/planted_rel");
	try_path("planted sub/symlink -> ../../NAME", "/sub/planted_rel2");
	snprintf(p, sizeof p, "/planted_dir/%s", secret_name);
	try_path("planted symlink -> .. then NAME", p);
	snprintf(p, sizeof p, "/sub/planted_dir2/%s", secret_name);
	try_path("planted sub/symlink -> ../.. then NAME", p);
	try_list("list planted symlink -> ..", "/planted_dir/", secret_name);
	snprintf(p, sizeof p, "/planted_hostdir/%s", secret_name);
	try_path("planted symlink -> host dir (absolute), then NAME", p);

	/* hard links to an outside path */
	attempts++;
	int r = link(secret, "/g_hard");
	printf("link(host path): %s\n", r ? strerror(errno) : "made");
	try_path("read the hard link", "/g_hard");
	snprintf(p, sizeof p, "/../%s", secret_name);
	link(p, "/g_hard2");
	try_path("hard link of /../NAME", "/g_hard2");
	linkat(AT_FDCWD, "/planted_rel", AT_FDCWD, "/g_hard3", AT_SYMLINK_FOLLOW);
	try_path("hard link following a planted symlink", "/g_hard3");
	linkat(AT_FDCWD, "/g_up", AT_FDCWD, "/g_hard4", AT_SYMLINK_FOLLOW);
	try_path("hard link following a guest symlink", "/g_hard4");
	rename("/planted_rel", "/g_renamed");
	try_path("renamed planted symlink", "/g_renamed");
}

static void procs(void)
{
	char p[8192], buf[4096];
	snprintf(p, sizeof p, "/proc/self/root/../%s", secret_name);
	try_path("/proc/self/root/../NAME", p);
	snprintf(p, sizeof p, "/proc/self/root/%s", secret_rel);
	try_path("/proc/self/root + host path", p);
	snprintf(p, sizeof p, "/proc/1/root/../%s", secret_name);
	try_path("/proc/1/root/../NAME", p);
	snprintf(p, sizeof p, "/proc/1/cwd/../../../../%s", secret_name);
	try_path("/proc/1/cwd/../../../../NAME", p);
	snprintf(p, sizeof p, "/proc/self/cwd/../%s", secret_name);
	try_path("/proc/self/cwd/../NAME", p);
	snprintf(p, sizeof p, "/proc/self/fd/0/../%s", secret_name);
	try_path("/proc/self/fd/0/../NAME", p);
	snprintf(p, sizeof p, "/proc/self/fd/1/../%s", secret_name);
	try_path("/proc/self/fd/1/../NAME", p);
	try_list("list /proc/self/root/..", "/proc/self/root/..", secret_name);
	try_list("list /proc/1/root/..", "/proc/1/root/..", secret_name);
	long n = readlink("/proc/self/root", buf, sizeof buf - 1);
	buf[n < 0 ? 0 : n] = 0;
	printf("readlink /proc/self/root: %s\n", n < 0 ? strerror(errno) : buf);
	/* every pid directory's root and cwd */
	DIR *d = opendir("/proc");
	struct dirent *e;
	int pids = 0;
	while (d && (e = readdir(d))) {
		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		pids++;
		snprintf(p, sizeof p, "/proc/%s/root/../%s", e->d_name, secret_name);
		attempts++;
		int fd = open(p, O_RDONLY);
		if (fd >= 0) {
			attempts--;
			judge("a /proc/PID/root/../NAME", fd);
		}
		snprintf(p, sizeof p, "/proc/%s/cwd/../../../../../../../../%s", e->d_name, secret_rel);
		attempts++;
		fd = open(p, O_RDONLY);
		if (fd >= 0) {
			attempts--;
			judge("a /proc/PID/cwd/../.. + host path", fd);
		}
	}
	if (d)
		closedir(d);
	printf("/proc/PID dirs tried: %s\n", pids > 0 ? "some" : "none");
}

static void dirfds(void)
{
	char p[8192];
	int root = open("/", O_RDONLY | O_DIRECTORY);
	snprintf(p, sizeof p, "../%s", secret_name);
	try_at("openat(/, ../NAME)", root, p);
	snprintf(p, sizeof p, "../../../../../../%s", secret_rel);
	try_at("openat(/, ../../.. + host path)", root, p);
	int up = openat(root, "..", O_RDONLY | O_DIRECTORY);
	try_at("openat(openat(/, ..), NAME)", up, secret_name);
	struct stat a, b;
	fstat(root, &a);
	fstat(up, &b);
	printf("openat(/, ..) is /: %s\n", a.st_ino == b.st_ino && a.st_dev == b.st_dev ? "yes" : "NO");
	close(up);
	int pdir = open("/planted_dir", O_RDONLY | O_DIRECTORY);
	try_at("openat(planted symlink -> .., NAME)", pdir, secret_name);
	close(pdir);
	fchdir(root);
	for (int i = 0; i < 10; i++) {
		int u = openat(AT_FDCWD, "..", O_RDONLY | O_DIRECTORY);
		fchdir(u);
		close(u);
	}
	try_path("NAME after fchdir(..) x10", secret_name);
	close(root);
}

/* The classic chroot break-out: chroot into a subdirectory without
 * chdir, climb, chroot("."). In a child, so the parent keeps its root. */
static void chroot_escape(void)
{
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		char p[8192];
		mkdir("/g_jail", 0755);
		int r1 = chroot("/g_jail");
		for (int i = 0; i < 20; i++)
			chdir("..");
		int r2 = chroot(".");
		printf("chroot break-out steps: %s %s\n", r1 ? strerror(errno) : "ok", r2 ? strerror(errno) : "ok");
		try_path("chroot break-out: NAME", secret_name);
		snprintf(p, sizeof p, "../%s", secret_name);
		try_path("chroot break-out: ../NAME", p);
		snprintf(p, sizeof p, "/%s", secret_rel);
		try_path("chroot break-out: host path", p);
		try_list("chroot break-out: list .", ".", secret_name);
		/* with an fd of the old root kept open */
		int keep = open("/", O_RDONLY | O_DIRECTORY);
		mkdir("/g_jail2", 0755);
		chroot("/g_jail2");
		fchdir(keep);
		for (int i = 0; i < 20; i++)
			chdir("..");
		try_path("chroot + fchdir(old root) + ..: NAME", secret_name);
		snprintf(p, sizeof p, "../%s", secret_name);
		try_at("chroot + openat(old root, ../NAME)", keep, p);
		fflush(stdout);
		_exit(leaks ? 3 : 0);
	}
	int st;
	waitpid(c, &st, 0);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		leaks++;
		printf("chroot child: LEAKED or died (status %d)\n", st);
	}
}

/* Flip a symlink between an inside directory and "..", "/.." while another
 * process walks through it. */
static void swap_race(void)
{
	char p[8192];
	mkdir("/g_race", 0755);
	mkdir("/g_race/in", 0755);
	mkdir("/g_race/in/in", 0755);
	symlink("in", "/g_race/flip");
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		const char *t[] = {"in", "..", "/..", "../..", "in/in"};
		struct timespec s, now;
		clock_gettime(CLOCK_MONOTONIC, &s);
		for (int i = 0;; i++) {
			symlink(t[i % 5], "/g_race/tmp");
			rename("/g_race/tmp", "/g_race/flip");
			rename("/g_race/in/in", "/g_race/in/in2");
			rename("/g_race/in/in2", "/g_race/in/in");
			clock_gettime(CLOCK_MONOTONIC, &now);
			if (now.tv_sec - s.tv_sec > 1)
				_exit(0);
		}
	}
	int hits = 0, tries = 0;
	snprintf(p, sizeof p, "/g_race/flip/../../%s", secret_name);
	char q[8192];
	snprintf(q, sizeof q, "/g_race/flip/%s", secret_name);
	char r[8192];
	snprintf(r, sizeof r, "/g_race/flip/in/../../../../%s", secret_name);
	for (int i = 0; i < 3000; i++) {
		const char *paths[] = {p, q, r};
		for (int k = 0; k < 3; k++) {
			int fd = open(paths[k], O_RDONLY);
			tries++;
			if (fd >= 0) {
				char buf[256];
				ssize_t n = read(fd, buf, sizeof buf);
				close(fd);
				if (n > 0 && memmem(buf, n, "TOPSECRET", 9))
					hits++;
			}
		}
	}
	kill(c, SIGKILL);
	waitpid(c, NULL, 0);
	attempts++;
	if (hits) {
		leaks++;
		printf("symlink swapped during the walk: LEAKED %d times\n", hits);
	} else
		printf("symlink swapped during the walk: blocked (%s)\n", tries == 9000 ? "9000 opens" : "?");
}

static void writes(const char *secret)
{
	char p[8192];
	try_write("write host absolute path (O_TRUNC)", secret, O_TRUNC);
	try_write("write planted symlink -> host path (O_TRUNC)", "/planted_abs", O_TRUNC);
	try_write("write planted symlink -> ../NAME (O_APPEND)", "/sub/planted_rel2", O_APPEND);
	snprintf(p, sizeof p, "/planted_dir/%s", secret_name);
	try_write("write through planted symlink -> .. (O_TRUNC)", p, O_TRUNC);
	try_write("create through planted symlink -> ..", "/planted_dir/escaped_create", O_CREAT);
	try_write("create /../escaped_create2", "/../escaped_create2", O_CREAT);
	try_write("create via planted dangling -> ../newfile", "/planted_dangling", O_CREAT);
	try_write("create via planted dangling absolute", "/planted_dangling_abs", O_CREAT);
	mkdir("/planted_dir/escaped_dir", 0755);
	symlink("x", "/planted_dir/escaped_symlink");
	snprintf(p, sizeof p, "/planted_dir/%s", secret_name);
	unlink(p);
	truncate(p, 0);
	chmod(p, 0777);
	rename(p, "/g_stolen");
	try_path("renamed from /planted_dir/NAME", "/g_stolen");
}

static int mutate(void);

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc >= 2 && !strcmp(argv[1], "mutate"))
		return mutate();
	if (argc < 3 || strcmp(argv[1], "escape")) {
		fprintf(stderr, "usage: escape_fs escape SECRET_HOST_PATH [DIR...] | mutate\n");
		return 2;
	}
	const char *secret = argv[2];
	snprintf(secret_rel, sizeof secret_rel, "%s", secret + (secret[0] == '/'));
	secret_name = strrchr(secret, '/') ? strrchr(secret, '/') + 1 : secret;
	climbs(secret);
	links(secret);
	procs();
	dirfds();
	chroot_escape();
	swap_race();
	for (int i = 3; i < argc; i++) {
		char p[8192], label[300];
		snprintf(p, sizeof p, "%s/../%s", argv[i], secret_name);
		snprintf(label, sizeof label, "volume %s/../NAME", argv[i]);
		try_path(label, p);
		snprintf(p, sizeof p, "%s/../../%s", argv[i], secret_name);
		snprintf(label, sizeof label, "volume %s/../../NAME", argv[i]);
		try_path(label, p);
		snprintf(p, sizeof p, "%s/up", argv[i]);
		snprintf(label, sizeof label, "volume %s/up (planted ../../NAME)", argv[i]);
		try_path(label, p);
		snprintf(p, sizeof p, "%s/abs", argv[i]);
		snprintf(label, sizeof label, "volume %s/abs (planted host path)", argv[i]);
		try_path(label, p);
		int v = open(argv[i], O_RDONLY | O_DIRECTORY);
		snprintf(p, sizeof p, "../../%s", secret_name);
		snprintf(label, sizeof label, "openat(volume %s, ../../NAME)", argv[i]);
		try_at(label, v, p);
		close(v);
	}
	writes(secret);
	printf("escape_fs: done, %d attempts, %d leaks\n", attempts, leaks);
	return leaks ? 1 : 0;
}

/* ---- mutate ---- */

static long changes;

static void walk_mutate(const char *dir, int depth)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	char *names[512];
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)) && n < 512)
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") && strcmp(e->d_name, "proc") &&
		    strcmp(e->d_name, "dev") && strcmp(e->d_name, "tmp") && strncmp(e->d_name, "escape_fs", 9))
			names[n++] = strdup(e->d_name);
	closedir(d);
	for (int i = 0; i < n; i++) {
		char p[4096], q[4200];
		snprintf(p, sizeof p, "%s/%s", strcmp(dir, "/") ? dir : "", names[i]);
		struct stat s;
		if (lstat(p, &s))
			continue;
		if (S_ISDIR(s.st_mode)) {
			walk_mutate(p, depth + 1);
			chmod(p, 0700);
			snprintf(q, sizeof q, "%s/new_in_dir", p);
			int fd = open(q, O_WRONLY | O_CREAT, 0600);
			write(fd, "new", 3);
			close(fd);
			snprintf(q, sizeof q, "%s.renamed", p);
			if (i % 2 == 0 && rename(p, q) == 0)
				changes++;
			continue;
		}
		switch (i % 5) {
		case 0: /* edit in place */
		{
			int fd = open(p, O_WRONLY | O_APPEND | O_NONBLOCK); /* a FIFO: no waiting */
			if (fd >= 0 && write(fd, "APPENDED\n", 9) == 9)
				changes++;
			close(fd);
			fd = open(p, O_RDWR);
			pwrite(fd, "X", 1, 0);
			close(fd);
			break;
		}
		case 1:
			if (unlink(p) == 0)
				changes++;
			break;
		case 2:
			snprintf(q, sizeof q, "%s.moved", p);
			if (rename(p, q) == 0)
				changes++;
			chmod(q, 0777);
			break;
		case 3:
			if (truncate(p, 0) == 0)
				changes++;
			{
				struct timespec ts[2] = {{1, 0}, {2, 0}};
				utimensat(AT_FDCWD, p, ts, AT_SYMLINK_NOFOLLOW);
			}
			lchown(p, 12345, 12345);
			break;
		case 4:
			snprintf(q, sizeof q, "%s.hardlink", p);
			if (link(p, q) == 0)
				changes++;
			chmod(p, 04755);
			break;
		}
	}
	for (int i = 0; i < n; i++)
		free(names[i]);
}

/* Delete a whole tree (lower-layer files included: whiteouts). */
static int rm_tree(const char *p)
{
	struct stat s;
	if (lstat(p, &s))
		return -1;
	if (!S_ISDIR(s.st_mode))
		return unlink(p);
	DIR *d = opendir(p);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		char q[4096];
		snprintf(q, sizeof q, "%s/%s", p, e->d_name);
		rm_tree(q);
	}
	if (d)
		closedir(d);
	return rmdir(p);
}

static int mutate(void)
{
	struct stat s;
	int home = lstat("/home", &s) == 0;
	int removed = rm_tree("/home") == 0 && lstat("/home", &s) != 0 && errno == ENOENT;
	printf("a whole tree removed: %s\n", !home ? "no tree" : removed ? "yes" : "no");
	walk_mutate("/", 0);
	/* new things at the top and a deep new tree */
	mkdir("/brand_new", 0755);
	mkdir("/brand_new/a", 0755);
	int fd = open("/brand_new/a/file", O_WRONLY | O_CREAT, 0644);
	write(fd, "x", 1);
	close(fd);
	symlink("/brand_new/a/file", "/brand_new/link");
	mkfifo("/brand_new/fifo", 0644);
	/* a dir removed with all its contents, if there is one */
	printf("changes made: %s\n", changes >= 5 ? "several" : "too few");
	/* the guest sees its own changes */
	int ok = stat("/brand_new/link", &s) == 0 && s.st_size == 1;
	DIR *d = opendir("/");
	struct dirent *e;
	int renamed = 0;
	while (d && (e = readdir(d)))
		renamed += strstr(e->d_name, ".renamed") || strstr(e->d_name, ".moved") != NULL;
	if (d)
		closedir(d);
	printf("mutations visible: %s\n", ok && renamed ? "yes" : "no");
	return 0;
}
