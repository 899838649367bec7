/* A directory of 10,000 files: created, listed with getdents64 (every name
 * once), stat'ed, renamed in part, deleted; then the directory is empty
 * and removable. */
#include "fs_util.h"
#include <stdint.h>

#define N 10000

struct d64 { uint64_t ino; int64_t off; unsigned short reclen; unsigned char type; char name[]; };

/* Every entry of dir: how many, and whether each expected name i was seen
 * exactly once (seen[i] counts). */
static long scan(const char *dir, unsigned char *seen, const char *prefix, long *others)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY);
	static char buf[32768];
	long r, total = 0;
	size_t pl = strlen(prefix);
	memset(seen, 0, N);
	*others = 0;
	while ((r = syscall(SYS_getdents64, fd, buf, sizeof buf)) > 0)
		for (long o = 0; o < r;) {
			struct d64 *e = (void *)(buf + o);
			o += e->reclen;
			if (!strcmp(e->name, ".") || !strcmp(e->name, ".."))
				continue;
			total++;
			char *end;
			long i = strncmp(e->name, prefix, pl) ? -1 : strtol(e->name + pl, &end, 10);
			if (i >= 0 && i < N && !*end && e->type == DT_REG)
				seen[i]++;
			else
				(*others)++;
		}
	if (r < 0)
		printf("getdents64: %s\n", errname(errno));
	close(fd);
	return total;
}

static void report(const char *what, const unsigned char *seen, long lo, long hi)
{
	long once = 0, bad = 0;
	for (long i = lo; i < hi; i++)
		seen[i] == 1 ? once++ : bad++;
	printf("%s: %ld once, %ld missing or repeated\n", what, once, bad);
}

int main(void)
{
	static unsigned char seen[N];
	alarm(30); /* a hang under cvisor fails fast */
	work_begin();
	char p[64];
	long others, fails = 0;
	SHOWN("mkdir big", mkdir("big", 0755));
	for (int i = 0; i < N; i++) {
		snprintf(p, sizeof p, "big/file%d", i);
		int fd = open(p, O_WRONLY | O_CREAT | O_EXCL, 0644);
		if (fd < 0 || write(fd, p, strlen(p)) != (ssize_t)strlen(p))
			fails++;
		close(fd);
	}
	printf("created with failures: %ld\n", fails);
	long total = scan("big", seen, "file", &others);
	printf("listed %ld entries, %ld unexpected\n", total, others);
	report("names", seen, 0, N);

	fails = 0;
	for (int i = 0; i < N; i++) {
		struct stat s;
		snprintf(p, sizeof p, "big/file%d", i);
		if (stat(p, &s) || !S_ISREG(s.st_mode) || s.st_size != (off_t)strlen(p) || s.st_nlink != 1)
			fails++;
	}
	printf("stat mismatches: %ld\n", fails);

	/* rename the odd ones, then list again */
	fails = 0;
	for (int i = 1; i < N; i += 2) {
		char q[64];
		snprintf(p, sizeof p, "big/file%d", i);
		snprintf(q, sizeof q, "big/moved%d", i);
		fails += rename(p, q) != 0;
	}
	printf("rename failures: %ld\n", fails);
	total = scan("big", seen, "file", &others);
	printf("listed %ld entries, %ld not file*\n", total, others);
	long even = 0;
	for (int i = 0; i < N; i++)
		even += (i % 2 == 0) == (seen[i] == 1);
	printf("file* are exactly the even ones: %s\n", even == N ? "yes" : "no");
	SHOWN("rmdir big (not empty)", rmdir("big"));

	fails = 0;
	for (int i = 0; i < N; i++) {
		snprintf(p, sizeof p, i % 2 ? "big/moved%d" : "big/file%d", i);
		fails += unlink(p) != 0;
	}
	printf("unlink failures: %ld\n", fails);
	total = scan("big", seen, "file", &others);
	printf("listed after delete: %ld\n", total);
	SHOWN("rmdir big", rmdir("big"));

	/* rm -rf's way: unlink each entry as soon as getdents64 returns it,
	 * with a small buffer: every entry still comes exactly once. */
	mkdir("rm", 0755);
	for (int i = 0; i < 3000; i++) {
		snprintf(p, sizeof p, "rm/entry%d", i);
		close(open(p, O_WRONLY | O_CREAT, 0644));
	}
	int fd = open("rm", O_RDONLY | O_DIRECTORY);
	char buf[1024];
	long r, count = 0;
	memset(seen, 0, N);
	while ((r = syscall(SYS_getdents64, fd, buf, sizeof buf)) > 0)
		for (long o = 0; o < r;) {
			struct d64 *e = (void *)(buf + o);
			o += e->reclen;
			if (!strcmp(e->name, ".") || !strcmp(e->name, ".."))
				continue;
			count++;
			long i = atol(e->name + 5);
			if (i >= 0 && i < N)
				seen[i]++;
			unlinkat(fd, e->name, 0);
		}
	close(fd);
	report("unlinked while listing", seen, 0, 3000);
	printf("entries returned: %ld\n", count);
	SHOWN("rmdir rm", rmdir("rm"));
	work_end();
	return 0;
}
