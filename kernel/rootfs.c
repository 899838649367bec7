#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "fdtable.h"
#include "kernel.h"
#include "rootfs.h"

/* The host's kernel file systems that describe the host itself: with
 * --root / they would show the guest cvisor's /proc/self, host pids and
 * host paths (an O_PATH fd on a /proc magic link reads back its host
 * target). The guest's own procfs and sysfs will replace them. */
static bool host_only_fs(int fd)
{
	static const long magic[] = {
		PROC_SUPER_MAGIC, SYSFS_MAGIC, CGROUP_SUPER_MAGIC, CGROUP2_SUPER_MAGIC,
		DEBUGFS_MAGIC, TRACEFS_MAGIC, SECURITYFS_MAGIC, BPF_FS_MAGIC,
		PSTOREFS_MAGIC, BINFMTFS_MAGIC,
	};
	struct statfs sfs;
	if (fstatfs(fd, &sfs) < 0)
		return true; /* unknown: keep it out */
	for (size_t i = 0; i < sizeof magic / sizeof magic[0]; i++)
		if (sfs.f_type == magic[i])
			return true;
	return false;
}

static int open_in_root(const char *guest_path, int flags, bool follow)
{
	/* RESOLVE_IN_ROOT: "/" and ".." stop at the root, absolute symlinks
	 * resolve inside it; no magic links (/proc/self/...) on the host. */
	struct open_how how = {
		.flags = (uint64_t)(flags | O_CLOEXEC | (follow ? 0 : O_NOFOLLOW)),
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	int fd = (int)syscall(SYS_openat2, kernel.root_fd, guest_path, &how, sizeof how);
	return fd < 0 ? -errno : fd;
}

/* Whether a walk that failed went through a host-only file system first:
 * its errors would tell about the host (EACCES for another user's
 * /proc/PID/exe says that pid exists). Failures are rare enough to pay
 * for opening each leading directory again. */
static bool walked_host_only(const char *guest_path)
{
	char *p = strdup(guest_path);
	bool host_only = false;
	for (char *slash = p ? strchr(p + 1, '/') : NULL; slash && !host_only; slash = strchr(slash + 1, '/')) {
		*slash = 0;
		int fd = open_in_root(p, O_PATH, true);
		*slash = '/';
		if (fd < 0)
			break;
		host_only = host_only_fs(fd);
		close(fd);
	}
	free(p);
	return host_only;
}

int rootfs_open(const char *guest_path, int flags, bool follow)
{
	if (!guest_path[0])
		return -ENOENT;
	int fd = open_in_root(guest_path, flags, follow);
	if (fd < 0)
		return fd != -ENOENT && walked_host_only(guest_path) ? -ENOENT : fd;
	if (host_only_fs(fd)) {
		close(fd);
		return -ENOENT;
	}
	return fd;
}

int rootfs_join(char *out, size_t size, const char *dir, const char *path)
{
	const char *sep = dir[0] && dir[strlen(dir) - 1] == '/' ? "" : "/";
	int n = path[0] == '/' ? snprintf(out, size, "%s", path) : snprintf(out, size, "%s%s%s", dir, sep, path);
	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

long rootfs_path_at(struct task *t, int dirfd, const char *path, char *out, size_t size)
{
	if (path[0] != '/' && dirfd != LINUX_AT_FDCWD)
		return fd_get(t, dirfd) ? -ENOTDIR : -EBADF;
	return rootfs_join(out, size, t->cwd, path);
}

/* Until procfs exists, /proc/self/exe is the one /proc entry (the host's
 * /proc is never shown). Whether the absolute guest path names it, spelt
 * any way that collapses to it ("//", ".", "self/../self"): 1 if so, 0 if
 * not, -ENOTDIR when the path goes on past it (the link is a file's). */
int rootfs_proc_self_exe(const char *path)
{
	static const char exe[] = "/proc/self/exe";
	char norm[2 * ROOTFS_PATH_MAX];
	size_t n = 0;
	for (const char *p = path; *p;) {
		while (*p == '/')
			p++;
		size_t len = strcspn(p, "/");
		if (len == 0)
			break;
		if (n == sizeof exe - 1 && memcmp(norm, exe, n) == 0)
			return -ENOTDIR;
		if (len == 2 && p[0] == '.' && p[1] == '.') {
			while (n > 0 && norm[--n] != '/')
				;
		} else if (!(len == 1 && p[0] == '.')) {
			if (n + 1 + len >= sizeof norm)
				return 0;
			norm[n++] = '/';
			memcpy(norm + n, p, len);
			n += len;
		}
		p += len;
	}
	if (n != sizeof exe - 1 || memcmp(norm, exe, n) != 0)
		return 0;
	/* "exe/" wants a directory. */
	return path[strlen(path) - 1] == '/' ? -ENOTDIR : 1;
}

/* The absolute guest path of the running image (/proc/self/exe's target). */
long rootfs_exe_image(struct task *t, char *out, size_t size)
{
	return rootfs_join(out, size, t->cwd, t->exe_path);
}
