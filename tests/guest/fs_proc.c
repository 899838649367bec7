/* procfs: /proc/self and its files (exe, cmdline, environ, fd, fdinfo, cwd,
 * root, stat, status, maps, statm) and the system files (cpuinfo, meminfo,
 * uptime, loadavg, stat, filesystems, mounts, mountinfo, sys/kernel/...).
 * Only shapes and equalities are printed, never values.
 * TEST-ARGS: alpha beta gamma
 */
#include "fs_util.h"
#include <ctype.h>
#include <dirent.h>
#include <sys/utsname.h>

static char file[1 << 16];

/* Read a whole (proc) file; its length or -1. */
static long slurp(const char *p)
{
	int fd = open(p, O_RDONLY);
	if (fd < 0)
		return -1;
	long n = 0, r;
	while (n < (long)sizeof file - 1 && (r = read(fd, file + n, sizeof file - 1 - n)) > 0)
		n += r;
	file[n] = 0;
	close(fd);
	return n;
}

static int digits(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return 0;
	return 1;
}

static const char *yes(int c) { return c ? "yes" : "no"; }

static const char *base(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

static int ends_with(const char *s, const char *suf)
{
	size_t a = strlen(s), b = strlen(suf);
	return a >= b && !strcmp(s + a - b, suf);
}

/* A line of file starting with prefix, or NULL. */
static char *line_with(const char *prefix)
{
	size_t l = strlen(prefix);
	for (char *p = file; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (!strncmp(p, prefix, l))
			return p;
	return NULL;
}

static long lnk(const char *p, char *buf, size_t n)
{
	long r = readlink(p, buf, n - 1);
	buf[r < 0 ? 0 : r] = 0;
	return r;
}

static void self(char **argv)
{
	printf("-- /proc/self\n");
	char buf[4096], p[128];
	lnk("/proc/self", buf, sizeof buf);
	printf("/proc/self -> digits: %s, getpid: %s\n", yes(digits(buf)), yes(atol(buf) == getpid()));
	snprintf(p, sizeof p, "/proc/%d", getpid());
	struct stat a, b;
	stat(p, &a);
	stat("/proc/self/", &b);
	printf("/proc/PID is /proc/self: %s\n", yes(a.st_ino == b.st_ino));
	printf("/proc/self kind %s, /proc/PID/ kind %s\n", (lstat("/proc/self", &a), kind(a.st_mode)), kind(b.st_mode));

	lnk("/proc/self/exe", buf, sizeof buf);
	char want[300];
	snprintf(want, sizeof want, "/%s", base(argv[0]));
	printf("exe ends with the binary name: %s, absolute: %s\n", yes(ends_with(buf, want)), yes(buf[0] == '/'));
	int fd = open("/proc/self/exe", O_RDONLY);
	char magic[4] = {0};
	read(fd, magic, 4);
	close(fd);
	printf("exe opens to an ELF file: %s\n", yes(!memcmp(magic, "\177ELF", 4)));

	long n = slurp("/proc/self/cmdline");
	int count = 0;
	printf("cmdline:");
	for (long o = 0; o < n; o += strlen(file + o) + 1, count++)
		if (count)
			printf(" [%s]", file + o);
	printf(" (%d strings, arg0 %s, ends with NUL %s)\n", count, !strcmp(file, argv[0]) ? "same" : "differs",
	       yes(n > 0 && file[n - 1] == 0));
	n = slurp("/proc/self/environ");
	int found = 0;
	for (long o = 0; o < n; o += strlen(file + o) + 1)
		found |= !strcmp(file + o, "CVISOR_TEST_VAR=set");
	printf("environ has CVISOR_TEST_VAR=set: %s\n", yes(found));

	char cwd[4096];
	getcwd(cwd, sizeof cwd);
	lnk("/proc/self/cwd", buf, sizeof buf);
	printf("cwd link is getcwd: %s\n", yes(!strcmp(buf, cwd)));
	lnk("/proc/self/root", buf, sizeof buf);
	printf("root link: %s\n", buf);
	put("procfile", "12345");
	SHOWN("open /proc/self/cwd/procfile", (fd = open("/proc/self/cwd/procfile", O_RDONLY)) >= 0);
	close(fd);
}

static void fds(void)
{
	printf("-- /proc/self/fd, fdinfo\n");
	int f = open("procfile", O_RDWR | O_APPEND);
	int c = open("procfile", O_RDONLY | O_CLOEXEC);
	write(f, "67", 2);
	int pp[2];
	pipe(pp);
	DIR *d = opendir("/proc/self/fd");
	int has[4] = {0}, fhas = 0, dhas = 0, nondigit = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (!digits(e->d_name)) {
			nondigit++;
			continue;
		}
		int n = atoi(e->d_name);
		if (n < 3)
			has[n] = 1;
		fhas |= n == f;
		dhas |= n == dirfd(d);
		if (n == f && e->d_type != DT_LNK)
			printf("fd entry type is not DT_LNK\n");
	}
	closedir(d);
	printf("fd lists 0 1 2: %s, the opened file: %s, the listing's own fd: %s, non-numbers: %d\n",
	       yes(has[0] && has[1] && has[2]), yes(fhas), yes(dhas), nondigit);
	char p[64], buf[4096], cwd[4096];
	getcwd(cwd, sizeof cwd);
	strcat(cwd, "/procfile");
	snprintf(p, sizeof p, "/proc/self/fd/%d", f);
	lnk(p, buf, sizeof buf);
	printf("fd link is the file's path: %s\n", yes(!strcmp(buf, cwd)));
	struct stat s;
	lstat(p, &s);
	printf("fd entry lstat: %s %o\n", kind(s.st_mode), (unsigned)(s.st_mode & 0777));
	snprintf(p, sizeof p, "/proc/self/fd/%d", pp[0]);
	lnk(p, buf, sizeof buf);
	int shape = !strncmp(buf, "pipe:[", 6) && ends_with(buf, "]");
	printf("pipe fd link has the pipe:[N] shape: %s\n", yes(shape));
	lnk("/proc/self/fd/0", buf, sizeof buf);
	printf("fd 0 link: %s\n", buf);
	SHOWN("readlink /proc/self/fd/999", readlink("/proc/self/fd/999", buf, sizeof buf));

	for (int i = 0; i < 2; i++) {
		snprintf(p, sizeof p, "/proc/self/fdinfo/%d", i ? c : f);
		slurp(p);
		char *pos = line_with("pos:"), *fl = line_with("flags:");
		printf("fdinfo of %s:", i ? "O_RDONLY|O_CLOEXEC" : "O_RDWR|O_APPEND after writing 2");
		if (pos)
			printf(" %.*s", (int)strcspn(pos, "\n"), pos);
		if (fl)
			printf(" | %.*s", (int)strcspn(fl, "\n"), fl);
		printf(" | mnt_id line: %s\n", yes(line_with("mnt_id:") != NULL));
	}
	SHOWN("open /proc/self/fdinfo/999", open("/proc/self/fdinfo/999", O_RDONLY));
	close(f);
	close(c);
	close(pp[0]);
	close(pp[1]);
}

static int count_fields(const char *s)
{
	int n = 0;
	while (*s) {
		while (*s == ' ' || *s == '\n')
			s++;
		if (!*s)
			break;
		n++;
		while (*s && *s != ' ' && *s != '\n')
			s++;
	}
	return n;
}

static void stats(char **argv)
{
	printf("-- stat, status, statm, maps\n");
	slurp("/proc/self/stat");
	char *open_p = strchr(file, '('), *close_p = strrchr(file, ')');
	char comm[64] = {0};
	if (open_p && close_p)
		snprintf(comm, sizeof comm, "%.*s", (int)(close_p - open_p - 1), open_p + 1);
	char want[16];
	snprintf(want, sizeof want, "%.15s", base(argv[0]));
	printf("stat: pid %s, comm %s, ", yes(atol(file) == getpid()), !strcmp(comm, want) ? "the binary name" : comm);
	char state = 0;
	long ppid = 0;
	sscanf(close_p + 2, "%c %ld", &state, &ppid);
	printf("state %c, ppid %s, fields %d\n", state, yes(ppid == getppid()), 2 + count_fields(close_p + 2));

	slurp("/proc/self/status");
	char *l = line_with("Name:");
	printf("status Name is the binary name: %s\n", yes(l && !strncmp(l + 6, want, strlen(want)) && l[6 + strlen(want)] == '\n'));
	l = line_with("State:");
	printf("status %.*s\n", l ? (int)strcspn(l, "\n") : 0, l ? l : "");
	l = line_with("Pid:");
	printf("status Pid: %s\n", l && atol(l + 4) == getpid() ? "same" : "differs");
	l = line_with("Tgid:");
	printf("status Tgid: %s\n", l && atol(l + 5) == getpid() ? "same" : "differs");
	l = line_with("PPid:");
	printf("status PPid: %s\n", l && atol(l + 5) == getppid() ? "same" : "differs");
	printf("status has Uid:, Gid:, VmRSS:, Threads:, SigBlk: %s %s %s %s %s\n", yes(line_with("Uid:") != NULL),
	       yes(line_with("Gid:") != NULL), yes(line_with("VmRSS:") != NULL), yes(line_with("Threads:") != NULL),
	       yes(line_with("SigBlk:") != NULL));
	l = line_with("Threads:");
	printf("status Threads: %ld\n", l ? atol(l + 8) : -1);

	slurp("/proc/self/statm");
	printf("statm fields: %d\n", count_fields(file));

	long cur = syscall(SYS_brk, 0);
	syscall(SYS_brk, cur + 65536);
	*(volatile char *)(cur + 100) = 1;
	slurp("/proc/self/maps");
	char want2[300];
	snprintf(want2, sizeof want2, "/%s\n", base(argv[0]));
	int exe = 0;
	for (char *p = file; (p = strstr(p, want2)); p++)
		exe++;
	int stack = strstr(file, "[stack]\n") != NULL, heap = strstr(file, "[heap]\n") != NULL;
	file[strcspn(file, "\n")] = 0;
	printf("maps: [stack] %s, [heap] %s, the binary mapped: %s, first line fields %d\n", yes(stack), yes(heap),
	       yes(exe > 0), count_fields(file));
}

static void system_files(void)
{
	printf("-- system files\n");
	slurp("/proc/cpuinfo");
	printf("cpuinfo has processor: %s\n", yes(line_with("processor") != NULL));
	slurp("/proc/meminfo");
	char *l = line_with("MemTotal:");
	printf("meminfo MemTotal in kB: %s, has MemFree: %s\n", yes(l && !strncmp(l + strcspn(l, "\n") - 3, " kB", 3)),
	       yes(line_with("MemFree:") != NULL));
	slurp("/proc/uptime");
	double u1, u2;
	char end;
	printf("uptime two numbers: %s\n", yes(sscanf(file, "%lf %lf%c", &u1, &u2, &end) == 3 && end == '\n' && u1 > 0));
	slurp("/proc/loadavg");
	double a1, a2, a3;
	int run, tot, last;
	printf("loadavg shape: %s\n", yes(sscanf(file, "%lf %lf %lf %d/%d %d%c", &a1, &a2, &a3, &run, &tot, &last, &end) == 7 &&
					  end == '\n' && run >= 1 && tot >= run));
	slurp("/proc/stat");
	printf("stat starts with \"cpu \": %s, has btime: %s\n", yes(!strncmp(file, "cpu ", 4)), yes(line_with("btime ") != NULL));
	slurp("/proc/filesystems");
	printf("filesystems: tmpfs %s, proc %s\n", yes(strstr(file, "\ttmpfs\n") != NULL), yes(strstr(file, "\tproc\n") != NULL));
	slurp("/proc/mounts");
	int root = 0, proc = 0;
	for (char *p = file; *p; p += strcspn(p, "\n") + (p[strcspn(p, "\n")] != 0)) {
		char dev[256], dir[256], type[64];
		if (sscanf(p, "%255s %255s %63s", dev, dir, type) == 3) {
			root |= !strcmp(dir, "/");
			proc |= !strcmp(dir, "/proc") && !strcmp(type, "proc");
		}
	}
	printf("mounts: / %s, /proc proc %s\n", yes(root), yes(proc));
	slurp("/proc/self/mountinfo");
	root = 0;
	for (char *p = file; *p; p += strcspn(p, "\n") + (p[strcspn(p, "\n")] != 0)) {
		char f[5][256];
		if (sscanf(p, "%255s %255s %255s %255s %255s", f[0], f[1], f[2], f[3], f[4]) == 5)
			root |= !strcmp(f[4], "/");
	}
	printf("mountinfo: / %s\n", yes(root));
	struct utsname un;
	uname(&un);
	slurp("/proc/sys/kernel/hostname");
	file[strcspn(file, "\n")] = 0;
	printf("hostname is uname's: %s\n", yes(!strcmp(file, un.nodename)));
	slurp("/proc/sys/kernel/osrelease");
	file[strcspn(file, "\n")] = 0;
	printf("osrelease is uname's: %s\n", yes(!strcmp(file, un.release)));
	slurp("/proc/sys/kernel/pid_max");
	file[strcspn(file, "\n")] = 0;
	printf("pid_max digits: %s\n", yes(digits(file)));
	int fd = open("/proc/uptime", O_WRONLY);
	SHOWN("open /proc/uptime O_WRONLY (root)", fd < 0 ? -1 : 0);
	SHOWN("  write", write(fd, "1", 1));
	close(fd);
	SHOWN("open /proc/uptime O_WRONLY|O_TRUNC", (fd = open("/proc/uptime", O_WRONLY | O_TRUNC)) < 0 ? -1 : 0);
	close(fd);
	SHOWN("open /proc/nonexistent", open("/proc/nonexistent", O_RDONLY));
	SHOWN("create in /proc", open("/proc/newfile", O_WRONLY | O_CREAT, 0644));
	SHOWN("mkdir in /proc", mkdir("/proc/newdir", 0755));
}

int main(int argc, char **argv)
{
	(void)argc;
	setvbuf(stdout, NULL, _IOLBF, 0);
	alarm(20); /* a hang under cvisor fails fast */
	work_begin();
	self(argv);
	fds();
	stats(argv);
	system_files();
	work_end();
	return 0;
}
