#include <errno.h>
#include <stdatomic.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "process.h"
#include "fdtable.h"

/* include/linux/tty.h: n_tty copies a write in chunks of this size. */
#define TTY_WRITE_CHUNK 2048
#define PIPE_WRITE_CHUNK 4096

/* A guest file for an open host fd, or NULL with errno set. Its access
 * mode and kind never change, so they are read once. */
static struct file *file_new_host(int host_fd)
{
	int fl = fcntl(host_fd, F_GETFL);
	struct stat st;
	if (fl < 0 || fstat(host_fd, &st) < 0)
		return NULL;
	struct file *f = calloc(1, sizeof *f);
	if (!f)
		return NULL;
	int acc = fl & O_ACCMODE;
	*f = (struct file){
		.refs = 1, .host_fd = host_fd,
		/* O_PATH files and access mode 3 (ioctl only) do neither. */
		.readable = !(fl & O_PATH) && (acc == O_RDONLY || acc == O_RDWR),
		.writable = !(fl & O_PATH) && (acc == O_WRONLY || acc == O_RDWR),
		.fault_chunk = S_ISFIFO(st.st_mode) ? PIPE_WRITE_CHUNK :
			       isatty(host_fd) ? TTY_WRITE_CHUNK : 0,
	};
	return f;
}

struct fdtable *fdtable_new_std(void)
{
	struct fdtable *ft = calloc(1, sizeof *ft);
	if (!ft)
		return NULL;
	ft->refs = 1;
	for (int fd = 0; fd < 3; fd++) {
		if (fcntl(fd, F_GETFD) < 0)
			continue;
		if (!(ft->fds[fd] = file_new_host(fd))) {
			fdtable_put(ft);
			return NULL;
		}
	}
	return ft;
}

static void file_put(struct file *f)
{
	if (f && --f->refs == 0)
		free(f);
}

struct fdtable *fdtable_get(struct fdtable *ft)
{
	atomic_fetch_add(&ft->refs, 1);
	return ft;
}

void fdtable_put(struct fdtable *ft)
{
	if (!ft || atomic_fetch_sub(&ft->refs, 1) != 1)
		return;
	for (int fd = 0; fd < FDTABLE_MAX; fd++)
		file_put(ft->fds[fd]);
	free(ft);
}

struct fdtable *fdtable_copy(struct fdtable *ft)
{
	struct fdtable *n = calloc(1, sizeof *n);
	if (!n)
		return NULL;
	n->refs = 1;
	for (int fd = 0; fd < FDTABLE_MAX; fd++) {
		if (!ft->fds[fd])
			continue;
		n->fds[fd] = ft->fds[fd];
		n->fds[fd]->refs++;
		n->cloexec[fd] = ft->cloexec[fd];
	}
	return n;
}

void fdtable_close_on_exec(struct fdtable *ft)
{
	for (int fd = 0; fd < FDTABLE_MAX; fd++)
		if (ft->fds[fd] && ft->cloexec[fd]) {
			file_put(ft->fds[fd]);
			ft->fds[fd] = NULL;
			ft->cloexec[fd] = false;
		}
}

struct file *fd_get(struct task *t, long fd)
{
	if (fd < 0 || fd >= FDTABLE_MAX)
		return NULL;
	return t->files->fds[fd];
}

static int fd_limit(struct task *t)
{
	uint64_t lim = t->tg->rlimits[LINUX_RLIMIT_NOFILE].rlim_cur;
	return lim < FDTABLE_MAX ? (int)lim : FDTABLE_MAX;
}

int fd_install(struct task *t, struct file *f, int min, bool cloexec)
{
	int limit = fd_limit(t);
	for (int fd = min < 0 ? 0 : min; fd < limit; fd++)
		if (!t->files->fds[fd]) {
			fd_install_at(t, f, fd, cloexec);
			return fd;
		}
	return -EMFILE;
}

void fd_install_at(struct task *t, struct file *f, int fd, bool cloexec)
{
	f->refs++;
	file_put(t->files->fds[fd]);
	t->files->fds[fd] = f;
	t->files->cloexec[fd] = cloexec;
}

int fd_close(struct task *t, long fd)
{
	struct file *f = fd_get(t, fd);
	if (!f)
		return -EBADF;
	t->files->fds[fd] = NULL;
	file_put(f);
	return 0;
}

bool fd_cloexec(struct task *t, int fd)
{
	return t->files->cloexec[fd];
}

void fd_set_cloexec(struct task *t, int fd, bool on)
{
	t->files->cloexec[fd] = on;
}
