/* /proc/self/maps with many VMAs (issue #3): 10,000 regions mapped inside
 * a PROT_NONE reservation (so none can merge with another), every other
 * one unmapped, the lines counted and each checked against Linux's
 * format; also file mappings, [heap], [stack], shared anonymous memory,
 * and a split by mprotect. Only counts and shapes are printed. */
#include "guest.h"
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#define REGIONS 10000
#define PAGE 4096UL

/* Static, so that reading it maps nothing new (malloc would). */
static char maps[4 << 20];
static size_t maps_len;

static void read_maps(void)
{
	int fd = open("/proc/self/maps", O_RDONLY);
	if (fd < 0) {
		printf("open /proc/self/maps: %s\n", errname(errno));
		exit(1);
	}
	maps_len = 0;
	ssize_t n;
	while (maps_len < sizeof maps - 1 && (n = read(fd, maps + maps_len, sizeof maps - 1 - maps_len)) > 0)
		maps_len += (size_t)n;
	maps[maps_len] = 0;
	close(fd);
}

/* Lines, and how many are not in Linux's shape: "start-end perms offset
 * maj:min inode", then the name (if any) starting at column 73, or a
 * trailing space. */
static long lines(long *bad)
{
	long n = 0;
	*bad = 0;
	for (char *l = maps; *l;) {
		char *e = strchr(l, '\n');
		if (!e)
			break;
		*e = 0;
		unsigned long s, t, off, ino;
		unsigned maj, min;
		char perms[5];
		int pos = 0;
		int ok = sscanf(l, "%lx-%lx %4s %lx %x:%x %lu %n", &s, &t, perms, &off, &maj, &min, &ino, &pos) == 7;
		ok = ok && s < t && strlen(perms) == 4 && (perms[3] == 'p' || perms[3] == 's');
		ok = ok && (l[pos] == 0 ? l[pos - 1] == ' ' : pos == 73 || (pos > 73 && l[pos - 1] == ' '));
		*bad += !ok;
		*e = '\n';
		n++;
		l = e + 1;
	}
	return n;
}

static long count(const char *needle)
{
	long n = 0;
	for (char *p = maps; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	alarm(60);
	printf("-- /proc/self/maps\n"); /* stdout's buffer is allocated now */
	long bad;
	read_maps();
	long base = lines(&bad);
	printf("maps at start: well-formed %s, [stack] %ld, [vsyscall] %ld\n", bad ? "no" : "yes",
	       count(" [stack]\n"), count(" [vsyscall]\n"));

	/* The regions, inside a reservation a page apart. */
	size_t span = (2 * REGIONS + 1) * PAGE;
	char *res = mmap(NULL, span, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (res == MAP_FAILED) {
		printf("reserve: %s\n", errname(errno));
		return 1;
	}
	read_maps();
	printf("reservation adds %ld line(s)\n", lines(&bad) - base);
	int failed = 0;
	for (int i = 0; i < REGIONS; i++) {
		char *p = mmap(res + (2 * i + 1) * PAGE, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
			       -1, 0);
		if (p == MAP_FAILED)
			failed++;
		else
			p[0] = (char)i;
	}
	read_maps();
	long n = lines(&bad);
	printf("%d regions mapped (%d failed): %ld more lines, malformed %ld\n", REGIONS, failed, n - base, bad);
	for (int i = 1; i < REGIONS; i += 2)
		if (munmap(res + (2 * i + 1) * PAGE, PAGE) != 0)
			failed++;
	read_maps();
	n = lines(&bad);
	printf("every other one unmapped (%d failed): %ld more lines than at start, malformed %ld\n", failed, n - base, bad);
	int same = 1;
	for (int i = 0; i < REGIONS; i += 2)
		same &= res[(2 * i + 1) * PAGE] == (char)i;
	printf("the rest keep their contents: %s\n", same ? "yes" : "no");
	munmap(res, span);
	read_maps();
	printf("after unmapping it all: %ld more lines\n", lines(&bad) - base);

	/* A split by mprotect, shared anonymous memory, a file mapping. */
	char *m = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	mprotect(m + PAGE, PAGE, PROT_READ);
	read_maps();
	printf("mprotect of the middle page: %ld more lines\n", lines(&bad) - base);
	munmap(m, 3 * PAGE);
	char *sh = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	read_maps();
	printf("shared anonymous: /dev/zero (deleted) %ld, rw-s %ld\n", count(" /dev/zero (deleted)\n"), count(" rw-s "));
	munmap(sh, PAGE);
	int fd = open("mm_maps.tmp", O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (ftruncate(fd, 2 * PAGE) < 0)
		printf("ftruncate: %s\n", errname(errno));
	char *f = mmap(NULL, 2 * PAGE, PROT_READ, MAP_SHARED, fd, 0);
	char *f2 = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, PAGE);
	read_maps();
	char cwd[4096], want[4200];
	if (!getcwd(cwd, sizeof cwd))
		cwd[0] = 0;
	snprintf(want, sizeof want, " %s/mm_maps.tmp\n", cwd);
	printf("file mappings named by path: %ld, r--s %ld, one at offset 1000: %s\n", count(want), count(" r--s "),
	       strstr(maps, " r--p 00001000 ") ? "yes" : "no");
	munmap(f, 2 * PAGE);
	munmap(f2, PAGE);
	close(fd);
	unlink("mm_maps.tmp");
	return 0;
}
