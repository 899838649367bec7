#include <errno.h>
#include <stdatomic.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "process.h"
#include "fdtable.h"
#include "file_lock.h"
#include "fs.h"


struct file *file_alloc(int host_fd, int flags)
{
	struct file *f = calloc(1, sizeof *f);
	if (!f)
		return NULL;
	int acc = flags & O_ACCMODE;
	*f = (struct file){
		.refs = 1, .host_fd = host_fd, .flags = flags, .write_fd = -1,
		/* O_PATH files and access mode 3 (ioctl only) do neither. */
		.readable = !(flags & O_PATH) && (acc == O_RDONLY || acc == O_RDWR),
		.writable = !(flags & O_PATH) && (acc == O_WRONLY || acc == O_RDWR),
	};
	pthread_mutex_init(&f->pos_lock, NULL);
	return f;
}

struct file *file_new_host(int host_fd, bool own)
{
	int fl = fcntl(host_fd, F_GETFL);
	struct stat st;
	if (fl < 0 || fstat(host_fd, &st) < 0)
		return NULL;
	struct file *f = file_alloc(host_fd, fl & ~O_CLOEXEC);
	if (!f)
		return NULL;
	f->own_host_fd = own;
	f->fault_chunk = S_ISFIFO(st.st_mode) ? PIPE_WRITE_CHUNK : isatty(host_fd) ? TTY_WRITE_CHUNK : 0;
	return f;
}

long file_install_new(struct task *t, int host_fd, const struct file_ops *ops, void *priv, bool cloexec,
		      unsigned fault_chunk)
{
	struct file *f = file_new_host(host_fd, true);
	if (!f) {
		close(host_fd);
		return -ENFILE;
	}
	f->ops = ops;
	f->priv = priv;
	f->fault_chunk = fault_chunk;
	long fd = fd_install(t, f, 0, cloexec);
	file_put(f);
	return fd;
}

struct file *file_get(struct file *f)
{
	atomic_fetch_add(&f->refs, 1);
	return f;
}

/* The last reference is gone (vfs.lock held). */
static void file_release_locked(struct file *f)
{
	struct inode *i = f->inode;
	if (i) {
		if (S_ISFIFO(i->mode) && !(f->flags & O_PATH))
			fifo_release(f);
		/* An empty file needs no memfd while nobody has it open. */
		if (--i->nopen == 0 && S_ISREG(i->mode) && i->data_fd >= 0 && !i->lower) {
			struct stat st;
			if (fstat(i->data_fd, &st) == 0 && st.st_size == 0) {
				close(i->data_fd);
				i->data_fd = -1;
				i->mtime = st.st_mtim;
				i->atime = st.st_atim;
				i->ctime = st.st_ctim;
				i->size = 0;
			}
		}
		iput(i);
	}
	path_put(f->path);
}

void file_put(struct file *f)
{
	if (!f || atomic_fetch_sub(&f->refs, 1) != 1)
		return;
	file_lock_release(f); /* its OFD and flock locks */
	if (f->epoll_items)
		epoll_file_release(f); /* fs/eventpoll.c eventpoll_release() */
	if (f->ops && f->ops->release)
		f->ops->release(f);
	if (f->inode || f->path.dentry) {
		pthread_mutex_lock(&vfs.lock);
		file_release_locked(f);
		pthread_mutex_unlock(&vfs.lock);
	}
	if (f->own_host_fd && f->host_fd >= 0)
		close(f->host_fd);
	if (f->write_fd >= 0)
		close(f->write_fd);
	pthread_mutex_destroy(&f->pos_lock);
	free(f);
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
		if (!(ft->fds[fd] = file_new_host(fd, false))) {
			fdtable_put(ft);
			return NULL;
		}
	}
	return ft;
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
	for (int fd = 0; fd < FDTABLE_MAX; fd++) {
		if (!ft->fds[fd])
			continue; /* most are: every exit walks them all */
		file_lock_close(ft->fds[fd], ft);
		file_put(ft->fds[fd]);
	}
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

int fdtable_unshare(struct task *t)
{
	if (atomic_load(&t->files->refs) <= 1)
		return 0;
	struct fdtable *own = fdtable_copy(t->files);
	if (!own)
		return -ENOMEM;
	fdtable_put(t->files);
	t->files = own;
	return 0;
}

void fdtable_close_on_exec(struct fdtable *ft)
{
	for (int fd = 0; fd < FDTABLE_MAX; fd++)
		if (ft->fds[fd] && ft->cloexec[fd]) {
			file_lock_close(ft->fds[fd], ft);
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
	/* Replacing an fd closes it: POSIX locks go even if f is the same file. */
	file_lock_close(t->files->fds[fd], t->files);
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
	file_lock_close(f, t->files); /* closing any fd drops the POSIX locks */
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
