/* memfd_create(2) and the seals (mm/memfd.c): a guest file on an
 * anonymous inode whose contents are a host memfd made with the guest's
 * flags, so the host enforces the seals on every write, truncate and
 * mapping, even through the stub's mappings. */
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "fdtable.h"
#include "fs_proc.h"
#include "guest_mem.h"
#include "syscalls.h"

/* include/uapi/linux/memfd.h */
#define LINUX_MFD_CLOEXEC 0x1U
#define LINUX_MFD_ALLOW_SEALING 0x2U
#define LINUX_MFD_HUGETLB 0x4U
#define LINUX_MFD_NOEXEC_SEAL 0x8U
#define LINUX_MFD_EXEC 0x10U
#define LINUX_MFD_HUGE_MASK (0x3fU << 26)
#define MFD_ALL_FLAGS (LINUX_MFD_CLOEXEC | LINUX_MFD_ALLOW_SEALING | LINUX_MFD_HUGETLB | \
		       LINUX_MFD_NOEXEC_SEAL | LINUX_MFD_EXEC)
/* NAME_MAX - strlen("memfd:") */
#define MFD_NAME_MAX_LEN (255 - 6)
/* include/uapi/linux/fcntl.h */
#define LINUX_F_ADD_SEALS 1033
#define LINUX_F_GET_SEALS 1034
#define LINUX_F_SEAL_SEAL 0x1

/* Another open of the memfd (through /proc/PID/fd/N): a new open file
 * description of the same host memfd, with its own offset and access mode. */
static int memfd_open(struct task *t, struct file *f, struct inode *i)
{
	(void)t;
	if (f->flags & O_PATH)
		return 0;
	char name[64];
	snprintf(name, sizeof name, "/proc/self/fd/%d", i->data_fd);
	int fd = open(name, (f->flags & (O_ACCMODE | O_NONBLOCK | O_APPEND)) | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	f->host_fd = fd;
	f->own_host_fd = true;
	return 0;
}

static const struct fs_ops memfd_ops = { .open = memfd_open, .uncached = true };
/* Linux's memfds live on the internal shmem mount: tmpfs to statfs. */
static struct super memfd_sb = { .ops = &memfd_ops, .type = "tmpfs", .lower_fd = -1, .next_ino = 1,
				 .magic = TMPFS_MAGIC };

long sys_memfd_create(struct task *t, SYSCALL_ARGS)
{
	unsigned flags = (unsigned)a[1];
	if (flags & ~(MFD_ALL_FLAGS | (flags & LINUX_MFD_HUGETLB ? LINUX_MFD_HUGE_MASK : 0)))
		return -EINVAL;
	char name[MFD_NAME_MAX_LEN + 1];
	long n = copy_string_from_guest(t, name, a[0], sizeof name);
	if (n < 0)
		return n == -ENAMETOOLONG ? -EINVAL : n;
	/* The host checks the rest of the flags as Linux does. */
	int host = (int)syscall(SYS_memfd_create, name, (flags & ~LINUX_MFD_CLOEXEC) | MFD_CLOEXEC);
	if (host < 0)
		return -errno;
	int data = fcntl(host, F_DUPFD_CLOEXEC, 0);
	struct cred cred = task_cred(t);
	char dname[MFD_NAME_MAX_LEN + 32];
	snprintf(dname, sizeof dname, "/memfd:%s (deleted)", name);
	struct file *f = data < 0 ? NULL : file_alloc(host, O_RDWR | LINUX_O_LARGEFILE);
	pthread_mutex_lock(&vfs.lock);
	struct inode *i = f ? inode_new(&memfd_sb, S_IFREG | 0777) : NULL;
	struct dentry *d = i ? d_alloc(NULL, dname) : NULL;
	if (!d) {
		iput(i);
		pthread_mutex_unlock(&vfs.lock);
		file_put(f);
		if (data >= 0)
			close(data);
		close(host);
		return -ENOMEM;
	}
	i->data_fd = data;
	i->nlink = 0;
	i->uid = cred.euid;
	i->gid = cred.egid;
	d->inode = i;
	iget(i);
	f->own_host_fd = true;
	f->path = (struct path){ vfs.root.mnt, d };
	path_get(f->path);
	f->inode = i;
	iget(i);
	i->nopen++;
	dput(d); /* the file's reference holds it */
	pthread_mutex_unlock(&vfs.lock);
	int fd = fd_install(t, f, 0, flags & LINUX_MFD_CLOEXEC);
	file_put(f);
	return fd;
}

/* fcntl F_ADD_SEALS and F_GET_SEALS (mm/memfd.c memfd_fcntl). */
long memfd_fcntl(struct file *f, int cmd, unsigned arg)
{
	if (f->inode && f->inode->sb == &memfd_sb && f->host_fd >= 0) {
		int r = fcntl(f->host_fd, cmd == LINUX_F_ADD_SEALS ? F_ADD_SEALS : F_GET_SEALS, arg);
		return r < 0 ? -errno : r;
	}
	/* Other files: tmpfs ones are sealed shmem, the rest cannot be. */
	bool shmem = f->inode && f->inode->sb->magic == TMPFS_MAGIC && S_ISREG(f->inode->mode);
	if (cmd == LINUX_F_GET_SEALS)
		return shmem ? LINUX_F_SEAL_SEAL : -EINVAL;
	if (!f->writable)
		return -EPERM;
	if (arg & ~0x1fU)
		return -EINVAL;
	return shmem ? -EPERM : -EINVAL;
}
