/* A task's file descriptor table. For now every guest file is a host fd
 * (the inherited stdin/stdout/stderr); the VFS will bring guest files. */
#ifndef CVISOR_FDTABLE_H
#define CVISOR_FDTABLE_H

#include "kernel.h"

#define FDTABLE_MAX 1024

struct file {
	int refs;
	int host_fd;
};

struct fdtable {
	struct file *fds[FDTABLE_MAX];
};

/* A table with the host's fds 0-2 as guest fds 0-2, where the host has them. */
struct fdtable *fdtable_new_std(void);
void fdtable_release(struct fdtable *ft);
/* The file behind guest fd, or NULL (EBADF). */
struct file *fd_get(struct task *t, long fd);

#endif
