#include <fcntl.h>
#include <stdlib.h>

#include "fdtable.h"

struct fdtable *fdtable_new_std(void)
{
	struct fdtable *ft = calloc(1, sizeof *ft);
	if (!ft)
		return NULL;
	for (int fd = 0; fd < 3; fd++) {
		if (fcntl(fd, F_GETFD) < 0)
			continue;
		struct file *f = malloc(sizeof *f);
		if (!f) {
			fdtable_release(ft);
			return NULL;
		}
		*f = (struct file){ .refs = 1, .host_fd = fd };
		ft->fds[fd] = f;
	}
	return ft;
}

void fdtable_release(struct fdtable *ft)
{
	if (!ft)
		return;
	for (int fd = 0; fd < FDTABLE_MAX; fd++)
		if (ft->fds[fd] && --ft->fds[fd]->refs == 0)
			free(ft->fds[fd]);
	free(ft);
}

struct file *fd_get(struct task *t, long fd)
{
	if (fd < 0 || fd >= FDTABLE_MAX)
		return NULL;
	return t->files->fds[fd];
}
