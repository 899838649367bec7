/* Opening guest paths in the guest root, which is a host directory. Until
 * the VFS lands, the host resolves paths, confined to the root. */
#ifndef CVISOR_ROOTFS_H
#define CVISOR_ROOTFS_H

#include <stdbool.h>

/* A host fd for the guest path (absolute, or relative to the guest's
 * root directory), or -errno. No path or symlink can leave the root. */
int rootfs_open(const char *guest_path, int flags, bool follow);

#endif
