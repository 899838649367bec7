/* Shared steps of the calls that create or remove names (vfs.lock held). */
#ifndef CVISOR_VFS_NAMEI_H
#define CVISOR_VFS_NAMEI_H

#include "vfs.h"

/* fs/namei.c may_create(): write and search on dir, a live directory on
 * a writable mount. */
int may_create(struct task *t, struct path dir);
/* A new inode for a child of dir: owned by t's fs ids, the group of a
 * set-group-ID directory. */
struct inode *new_inode_in(struct task *t, struct dentry *dir, uint32_t mode);
/* Make the negative d dir's child i (a reference on i taken). */
void link_child(struct dentry *dir, struct dentry *d, struct inode *i);
/* The walk to a parent from a path rather than a dirfd. */
int vfs_walk_parent_from(struct task *t, struct path start, const char *path, unsigned flags,
			 struct path *parent, char last[VFS_NAME_MAX + 1], bool *trailing);

#endif
