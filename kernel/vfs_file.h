/* Helpers the file syscalls share. */
#ifndef CVISOR_VFS_FILE_H
#define CVISOR_VFS_FILE_H

#include "fdtable.h"
#include "vfs.h"

/* A guest path argument, copied in with Linux's limits (ENAMETOOLONG past
 * PATH_MAX, EFAULT). path holds VFS_PATH_MAX bytes. */
long copy_path_from_guest(struct task *t, char *path, uint64_t addr);
/* The attributes of an open file, or of what path names from dirfd (with
 * AT_SYMLINK_NOFOLLOW and AT_EMPTY_PATH). */
int file_getattr(struct file *f, struct kstat *st);
long path_getattr(struct task *t, int dirfd, const char *path, int flags, struct kstat *st);

/* RLIMIT_FSIZE for a write of *n bytes at pos into a regular file: *n
 * cut to the limit, or -EFBIG with SIGXFSZ sent when pos is at or past it. */
long rlimit_fsize_check(struct task *t, int64_t pos, size_t *n);

#endif
