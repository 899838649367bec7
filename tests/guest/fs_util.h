/* Helpers shared by the fs_*.c guest tests (VFS, issue #4). */
#ifndef FS_UTIL_H
#define FS_UTIL_H
#include "guest.h"
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Remove everything below the directory fd dfd (and what it holds). */
static inline void rm_below(int dfd)
{
	DIR *d = fdopendir(dfd);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (unlinkat(dirfd(d), e->d_name, 0) == 0)
			continue;
		int sub = openat(dirfd(d), e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
		if (sub >= 0) {
			fchmod(sub, 0755);
			rm_below(sub);
		}
		unlinkat(dirfd(d), e->d_name, AT_REMOVEDIR);
	}
	closedir(d);
}

/* Each test works in a private directory it makes in its cwd (the
 * harness's scratch directory may hold other files, its own output
 * included) and removes it at the end. */
static char work_dir[64];
static inline void work_begin(void)
{
	snprintf(work_dir, sizeof work_dir, "fs-test-work.%d", (int)getpid());
	if (mkdir(work_dir, 0755) != 0 || chdir(work_dir) != 0) {
		printf("cannot make the work directory: %s\n", errname(errno));
		exit(1);
	}
}
static inline void work_end(void)
{
	if (chdir("..") != 0)
		return;
	int fd = open(work_dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
	if (fd >= 0)
		rm_below(fd);
	rmdir(work_dir);
}

/* Write a whole small file. */
static inline void put(const char *p, const char *s)
{
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd >= 0) {
		if (write(fd, s, strlen(s)) < 0)
			perror("write");
		close(fd);
	}
}

/* Read a small file into a static buffer ("<ERRNO>" on failure). */
static inline const char *get(const char *p)
{
	static char buf[256];
	int fd = open(p, O_RDONLY);
	if (fd < 0) {
		snprintf(buf, sizeof buf, "<%s>", errname(errno));
		return buf;
	}
	ssize_t n = read(fd, buf, sizeof buf - 1);
	buf[n < 0 ? 0 : n] = 0;
	close(fd);
	return buf;
}

static inline const char *kind(mode_t m)
{
	return S_ISREG(m) ? "reg" : S_ISDIR(m) ? "dir" : S_ISCHR(m) ? "chr" : S_ISBLK(m) ? "blk" :
	       S_ISFIFO(m) ? "fifo" : S_ISLNK(m) ? "lnk" : S_ISSOCK(m) ? "sock" : "?";
}
#endif
