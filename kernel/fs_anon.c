/* Host objects outside any tree: pipes and the fds cvisor was started
 * with. /proc/PID/fd/N names them "pipe:[N]"; opening that link reopens
 * the host object through an O_PATH fd (Linux reopens the same pipe). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fdtable.h"
#include "fs_proc.h"

static int anon_open(struct task *t, struct file *f, struct inode *i)
{
	(void)t;
	if (f->flags & O_PATH)
		return 0;
	char name[64];
	snprintf(name, sizeof name, "/proc/self/fd/%d", i->reopen_fd);
	int fd = open(name, (f->flags & (O_ACCMODE | O_NONBLOCK | O_APPEND)) | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	f->host_fd = fd;
	f->own_host_fd = true;
	struct stat st;
	if (fstat(fd, &st) == 0)
		f->fault_chunk = S_ISFIFO(st.st_mode) ? PIPE_WRITE_CHUNK : isatty(fd) ? TTY_WRITE_CHUNK : 0;
	return 0;
}

static const struct fs_ops anon_ops = { .open = anon_open, .uncached = true };
static struct super anon_sb = { .ops = &anon_ops, .type = "anon_inodefs", .lower_fd = -1, .next_ino = 1 };

void anon_name(int host_fd, char *buf, size_t size)
{
	struct stat st;
	if (fstat(host_fd, &st) < 0)
		snprintf(buf, size, "anon_inode:[unknown]");
	else if (S_ISFIFO(st.st_mode))
		snprintf(buf, size, "pipe:[%lu]", (unsigned long)st.st_ino);
	else if (S_ISSOCK(st.st_mode))
		snprintf(buf, size, "socket:[%lu]", (unsigned long)st.st_ino);
	else if (S_ISCHR(st.st_mode) && isatty(host_fd))
		snprintf(buf, size, "/dev/tty");
	else if (S_ISCHR(st.st_mode))
		snprintf(buf, size, "/dev/null");
	else
		/* A host file cvisor's caller redirected: its host path is
		 * none of the guest's business. */
		snprintf(buf, size, "anon_inode:[host]");
}

int anon_path(int host_fd, struct path *out)
{
	struct stat st;
	if (fstat(host_fd, &st) < 0)
		return -errno;
	char name[64];
	anon_name(host_fd, name, sizeof name);
	struct inode *i = inode_new(&anon_sb, st.st_mode);
	struct dentry *d = i ? d_alloc(NULL, name) : NULL;
	if (!d) {
		iput(i);
		return -ENOMEM;
	}
	snprintf(name, sizeof name, "/proc/self/fd/%d", host_fd);
	i->reopen_fd = open(name, O_PATH | O_CLOEXEC);
	if (i->reopen_fd < 0) {
		int err = errno;
		dput(d);
		iput(i);
		return -err;
	}
	i->ino = st.st_ino;
	i->size = (uint64_t)st.st_size;
	i->uid = st.st_uid;
	i->gid = st.st_gid;
	d->inode = i;
	i->refs++;
	*out = (struct path){ vfs.root.mnt, d };
	return 0;
}
