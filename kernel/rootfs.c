#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "kernel.h"
#include "rootfs.h"

int rootfs_open(const char *guest_path, int flags, bool follow)
{
	/* RESOLVE_IN_ROOT: "/" and ".." stop at the root, absolute symlinks
	 * resolve inside it; no magic links (/proc/self/...) on the host. */
	struct open_how how = {
		.flags = (uint64_t)(flags | O_CLOEXEC | (follow ? 0 : O_NOFOLLOW)),
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	if (!guest_path[0])
		return -ENOENT;
	int fd = (int)syscall(SYS_openat2, kernel.root_fd, guest_path, &how, sizeof how);
	return fd < 0 ? -errno : fd;
}
