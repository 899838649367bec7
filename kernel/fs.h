/* The file systems: constructors and the open hooks they share. */
#ifndef CVISOR_FS_H
#define CVISOR_FS_H

#include "vfs.h"

/* fs_memfs.c: tmpfs, devfs and the layered root (lower_fd >= 0). */
extern const struct fs_ops memfs_ops;
struct super *memfs_new(const char *type, uint32_t magic, int lower_fd);
/* The host path of name in the lower directory dir ("." for the top). */
char *child_rel(const char *dir, const char *name);
/* Merge a directory's lower entries into the tree (readdir, rmdir). */
int memfs_populate(struct dentry *dir);

/* fs_hostdir.c: a read-write volume's changes made on the host first
 * (each 0 on any other file system), vfs.lock held. */
bool host_writes(const struct inode *i);
int host_create(struct inode *dir, const char *name, struct inode *i);
int host_unlink(struct dentry *d, bool is_dir);
int host_rename(struct dentry *od, struct dentry *nd, unsigned flags);
int host_link(struct inode *i, struct inode *dir, const char *name);
int host_setattr(struct inode *i, const uint32_t *mode, const uint32_t *uid, const uint32_t *gid,
		 const struct timespec *times);

/* fs_dev.c: character devices by number, FIFOs, and /dev's contents. */
int dev_open(struct file *f, struct inode *i);
int fifo_open(struct task *t, struct file *f, struct inode *i);
/* A FIFO open ends (vfs.lock held). */
void fifo_release(struct file *f);
int devfs_fill(struct dentry *root);

/* fs_proc.c */
struct super *procfs_new(void);
struct dentry *procfs_root(struct super *sb);

/* Host inodes that are not in any tree (pipes, the inherited fds): an
 * inode for /proc/PID/fd/N to jump to. */
struct super *anon_super(void);

#endif
