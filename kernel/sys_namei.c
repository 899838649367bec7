/* The calls that make and remove names: mkdir, rmdir, unlink, rename,
 * link, symlink, mknod and their *at forms. */
#include <errno.h>
#include <sys/sysmacros.h>

#include "fdtable.h"
#include "syscalls.h"
#include "vfs.h"
#include "vfs_file.h"

long sys_mkdirat(struct task *t, SYSCALL_ARGS)
{
	char path[VFS_PATH_MAX];
	long rc = copy_path_from_guest(t, path, a[1]);
	return rc < 0 ? rc : vfs_mkdir(t, (int)a[0], path, (uint32_t)a[2]);
}

long sys_mkdir(struct task *t, SYSCALL_ARGS)
{
	return sys_mkdirat(t, (uint64_t[6]){ (uint64_t)LINUX_AT_FDCWD, a[0], a[1] });
}

long sys_mknodat(struct task *t, SYSCALL_ARGS)
{
	char path[VFS_PATH_MAX];
	long rc = copy_path_from_guest(t, path, a[1]);
	/* The device number is the old 32-bit encoding (new_decode_dev). */
	uint32_t dev = (uint32_t)a[3];
	unsigned maj = (dev & 0xfff00) >> 8, min = (dev & 0xff) | ((dev >> 12) & 0xfff00);
	return rc < 0 ? rc : vfs_mknod(t, (int)a[0], path, (uint32_t)a[2], makedev(maj, min));
}

long sys_mknod(struct task *t, SYSCALL_ARGS)
{
	return sys_mknodat(t, (uint64_t[6]){ (uint64_t)LINUX_AT_FDCWD, a[0], a[1], a[2] });
}

static long do_unlink(struct task *t, int dirfd, uint64_t pathp, int flags)
{
	if (flags & ~LINUX_AT_REMOVEDIR)
		return -EINVAL;
	char path[VFS_PATH_MAX];
	long rc = copy_path_from_guest(t, path, pathp);
	return rc < 0 ? rc : vfs_unlink(t, dirfd, path, flags & LINUX_AT_REMOVEDIR);
}

long sys_unlinkat(struct task *t, SYSCALL_ARGS)
{
	return do_unlink(t, (int)a[0], a[1], (int)a[2]);
}

long sys_unlink(struct task *t, SYSCALL_ARGS)
{
	return do_unlink(t, LINUX_AT_FDCWD, a[0], 0);
}

long sys_rmdir(struct task *t, SYSCALL_ARGS)
{
	return do_unlink(t, LINUX_AT_FDCWD, a[0], LINUX_AT_REMOVEDIR);
}

/* Two path arguments, both copied before anything is looked up. */
static long two_paths(struct task *t, uint64_t p1, uint64_t p2, char *a1, char *a2)
{
	long rc = copy_path_from_guest(t, a1, p1);
	return rc < 0 ? rc : copy_path_from_guest(t, a2, p2);
}

long sys_renameat2(struct task *t, SYSCALL_ARGS)
{
	char from[VFS_PATH_MAX], to[VFS_PATH_MAX];
	long rc = two_paths(t, a[1], a[3], from, to);
	return rc < 0 ? rc : vfs_rename(t, (int)a[0], from, (int)a[2], to, (unsigned)a[4]);
}

long sys_renameat(struct task *t, SYSCALL_ARGS)
{
	return sys_renameat2(t, (uint64_t[6]){ a[0], a[1], a[2], a[3], 0 });
}

long sys_rename(struct task *t, SYSCALL_ARGS)
{
	return sys_renameat2(t, (uint64_t[6]){ (uint64_t)LINUX_AT_FDCWD, a[0], (uint64_t)LINUX_AT_FDCWD, a[1], 0 });
}

long sys_linkat(struct task *t, SYSCALL_ARGS)
{
	char from[VFS_PATH_MAX], to[VFS_PATH_MAX];
	long rc = two_paths(t, a[1], a[3], from, to);
	return rc < 0 ? rc : vfs_link(t, (int)a[0], from, (int)a[2], to, (int)a[4]);
}

long sys_link(struct task *t, SYSCALL_ARGS)
{
	return sys_linkat(t, (uint64_t[6]){ (uint64_t)LINUX_AT_FDCWD, a[0], (uint64_t)LINUX_AT_FDCWD, a[1], 0 });
}

long sys_symlinkat(struct task *t, SYSCALL_ARGS)
{
	char target[VFS_PATH_MAX], path[VFS_PATH_MAX];
	long rc = two_paths(t, a[0], a[2], target, path);
	return rc < 0 ? rc : vfs_symlink(t, target, (int)a[1], path);
}

long sys_symlink(struct task *t, SYSCALL_ARGS)
{
	return sys_symlinkat(t, (uint64_t[6]){ a[0], (uint64_t)LINUX_AT_FDCWD, a[1] });
}
