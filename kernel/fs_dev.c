/* Devices and FIFOs: what opening a character device or a FIFO gives,
 * and the contents of /dev. */
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "fdtable.h"
#include "fs.h"
#include "process.h"

/* Documentation/admin-guide/devices.txt: the devices a guest may open,
 * each the host's own (they hold no host state worth hiding). */
static const struct {
	unsigned major, minor;
	const char *name, *host;
	uint32_t perm;
} devices[] = {
	{ 1, 3, "null", "/dev/null", 0666 },
	{ 1, 5, "zero", "/dev/zero", 0666 },
	{ 1, 7, "full", "/dev/full", 0666 },
	{ 1, 8, "random", "/dev/random", 0666 },
	{ 1, 9, "urandom", "/dev/urandom", 0666 },
	{ 5, 0, "tty", "/dev/tty", 0666 },
	/* The guest's console is the terminal cvisor runs on. */
	{ 5, 1, "console", "/dev/tty", 0600 },
};

int dev_open(struct file *f, struct inode *i)
{
	for (size_t k = 0; k < sizeof devices / sizeof devices[0]; k++) {
		if (major(i->rdev) != devices[k].major || minor(i->rdev) != devices[k].minor)
			continue;
		int fd = open(devices[k].host, (f->flags & (O_ACCMODE | O_NONBLOCK)) | O_CLOEXEC | O_NOCTTY);
		if (fd < 0)
			return -errno;
		f->host_fd = fd;
		f->own_host_fd = true;
		if (isatty(fd))
			f->fault_chunk = TTY_WRITE_CHUNK;
		return 0;
	}
	return -ENXIO;
}

static void fifo_wake(void)
{
	pthread_mutex_lock(&kernel.lock);
	kernel_wake_all();
	pthread_mutex_unlock(&kernel.lock);
}

/* Wait (vfs.lock dropped) until *counter moves off seen. */
static int fifo_wait(struct task *t, _Atomic unsigned *counter, unsigned seen)
{
	pthread_mutex_unlock(&vfs.lock);
	pthread_mutex_lock(&kernel.lock);
	int rc = 0;
	while (atomic_load(counter) == seen && rc == 0)
		rc = kernel_sleep(t);
	pthread_mutex_unlock(&kernel.lock);
	pthread_mutex_lock(&vfs.lock);
	return rc;
}

/* fs/pipe.c fifo_open(): a reader waits for a writer and a writer for a
 * reader, unless O_NONBLOCK (a writer then fails with ENXIO) or O_RDWR.
 * The pipe itself is the host's, reopened through an O_PATH fd, so its
 * buffer, PIPE_BUF atomicity and EPIPE are Linux's own. */
int fifo_open(struct task *t, struct file *f, struct inode *i)
{
	int acc = f->flags & O_ACCMODE;
	bool nonblock = f->flags & O_NONBLOCK;
	if (acc == O_WRONLY && nonblock && i->fifo_readers == 0)
		return -ENXIO;
	if (i->reopen_fd < 0) {
		int p[2];
		if (pipe2(p, O_CLOEXEC) < 0)
			return -errno;
		char name[64];
		snprintf(name, sizeof name, "/proc/self/fd/%d", p[0]);
		i->reopen_fd = open(name, O_PATH | O_CLOEXEC);
		int err = errno;
		close(p[0]);
		close(p[1]);
		if (i->reopen_fd < 0)
			return -err;
	}
	char name[64];
	snprintf(name, sizeof name, "/proc/self/fd/%d", i->reopen_fd);
	int fd = open(name, acc | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (!nonblock)
		fcntl(fd, F_SETFL, 0);
	f->host_fd = fd;
	f->own_host_fd = true;
	f->fault_chunk = PIPE_WRITE_CHUNK;
	unsigned seen_r = atomic_load(&i->fifo_r_counter), seen_w = atomic_load(&i->fifo_w_counter);
	if (acc != O_WRONLY) {
		i->fifo_readers++;
		atomic_fetch_add(&i->fifo_r_counter, 1);
	}
	if (acc != O_RDONLY) {
		i->fifo_writers++;
		atomic_fetch_add(&i->fifo_w_counter, 1);
	}
	f->fifo_counted = true;
	fifo_wake();
	int rc = 0;
	if (acc == O_RDONLY && !nonblock && i->fifo_writers == 0)
		rc = fifo_wait(t, &i->fifo_w_counter, seen_w);
	else if (acc == O_WRONLY && i->fifo_readers == 0)
		rc = fifo_wait(t, &i->fifo_r_counter, seen_r);
	if (rc < 0) {
		fifo_release(f);
		close(fd);
		f->host_fd = -1;
	}
	return rc;
}

void fifo_release(struct file *f)
{
	if (!f->fifo_counted)
		return; /* its open failed before it counted */
	f->fifo_counted = false;
	int acc = f->flags & O_ACCMODE;
	if (acc != O_WRONLY)
		f->inode->fifo_readers--;
	if (acc != O_RDONLY)
		f->inode->fifo_writers--;
}

/* A node of /dev, owned by root. */
static int dev_add(struct dentry *dir, const char *name, uint32_t mode, uint64_t rdev, const char *target)
{
	struct inode *i = inode_new(dir->inode->sb, mode);
	struct dentry *d = i ? d_alloc(dir, name) : NULL;
	if (!d) {
		iput(i);
		return -ENOMEM;
	}
	i->rdev = rdev;
	if (target && !(i->target = strdup(target))) {
		dput(d);
		iput(i);
		return -ENOMEM;
	}
	i->size = target ? strlen(target) : 0;
	d->inode = i;
	i->refs++;
	if (S_ISDIR(mode)) {
		dir->inode->nlink++;
		i->populated = true;
	}
	d_add(dir, d);
	dput(d);
	return 0;
}

int devfs_fill(struct dentry *root)
{
	int rc = 0;
	for (size_t k = 0; k < sizeof devices / sizeof devices[0] && rc == 0; k++)
		rc = dev_add(root, devices[k].name, S_IFCHR | devices[k].perm,
			     makedev(devices[k].major, devices[k].minor), NULL);
	static const char *const links[][2] = {
		{ "fd", "/proc/self/fd" }, { "stdin", "/proc/self/fd/0" },
		{ "stdout", "/proc/self/fd/1" }, { "stderr", "/proc/self/fd/2" },
	};
	for (size_t k = 0; k < sizeof links / sizeof links[0] && rc == 0; k++)
		rc = dev_add(root, links[k][0], S_IFLNK | 0777, 0, links[k][1]);
	if (rc == 0)
		rc = dev_add(root, "shm", S_IFDIR | 01777, 0, NULL);
	if (rc == 0)
		rc = dev_add(root, "pts", S_IFDIR | 0755, 0, NULL);
	return rc;
}
