/* Opening guest paths in the guest root, which is a host directory. Until
 * the VFS lands, the host resolves paths, confined to the root. */
#ifndef CVISOR_ROOTFS_H
#define CVISOR_ROOTFS_H

#include <stdbool.h>
#include <stddef.h>

/* A host fd for the guest path (absolute, or relative to the guest's
 * root directory), or -errno. No path or symlink can leave the root, and
 * the host's /proc and /sys (they describe the host, cvisor included) are
 * not there: ENOENT. */
int rootfs_open(const char *guest_path, int flags, bool follow);

/* The guest path path taken from directory dir (an absolute guest path):
 * path itself when absolute, else dir/path, into out; -ENAMETOOLONG when
 * it does not fit. Nothing is resolved: "..", "." and symlinks stay for
 * the walk. */
int rootfs_join(char *out, size_t size, const char *dir, const char *path);

struct task;
/* The absolute guest path a non-empty path argument names from dirfd:
 * relative ones start at t's working directory (AT_FDCWD). Guest fds are
 * never directories yet: any other dirfd is ENOTDIR, or EBADF unopened. */
long rootfs_path_at(struct task *t, int dirfd, const char *path, char *out, size_t size);

/* Guest paths are at most this long (PATH_MAX). */
#define ROOTFS_PATH_MAX 4096
/* Until procfs exists, /proc/self/exe is the one /proc entry: whether an
 * absolute guest path names it however spelt (1), goes on past it
 * (-ENOTDIR), or not (0); and the running image's absolute path. */
int rootfs_proc_self_exe(const char *path);
long rootfs_exe_image(struct task *t, char *out, size_t size);

#endif
