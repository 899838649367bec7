/* A task's file descriptor table and the open files in it. A file's
 * contents move through a host fd where it has one (pipes, devices, memfds,
 * lower-layer files, the inherited stdin/stdout/stderr); directories and
 * O_PATH files have none. */
#ifndef CVISOR_FDTABLE_H
#define CVISOR_FDTABLE_H

#include "kernel.h"
#include "vfs.h"

#define FDTABLE_MAX 1024
/* include/linux/tty.h: n_tty copies a write in chunks of this size; a
 * pipe takes a page at a time. */
#define TTY_WRITE_CHUNK 2048
#define PIPE_WRITE_CHUNK 4096

struct file;
struct iovec;

/* What a file cvisor emulates does instead of the generic host-fd path
 * (signalfd, sockets): each hook may be NULL for the generic one. Its
 * host_fd stays the readiness poll/epoll sees. */
struct file_ops {
	const char *name;  /* "[signalfd]", "socket": for /proc and checks */
	long (*read)(struct task *t, struct file *f, const struct iovec *iov, int n, size_t total);
	long (*write)(struct task *t, struct file *f, const struct iovec *iov, int n, size_t total);
	/* The last reference is gone (before host_fd closes). */
	void (*release)(struct file *f);
	/* Readiness where the host fd's is not the guest's (listening
	 * sockets, signalfds): the guest's poll mask for t given the host
	 * fd's revents (0: what cvisor knows without the host). */
	unsigned (*poll)(struct task *t, struct file *f, unsigned host_revents);
	/* The host events to wait for on behalf of the guest's events. */
	unsigned (*poll_events)(struct file *f, unsigned events);
	/* Readiness depends on who polls: poll() before every wait. */
	bool poll_per_task;
	/* ioctl past the generic commands (FIOCLEX, FIONBIO). */
	long (*ioctl)(struct task *t, struct file *f, unsigned int cmd, uint64_t arg);
};

struct file {
	_Atomic int refs;
	int host_fd;      /* -1 for none */
	bool own_host_fd; /* closed with the file (else borrowed: cvisor's 0-2) */
	int flags;        /* open(2) flags the guest sees (F_GETFL) */
	struct path path; /* where it was opened; NULL for pipes and the like */
	struct inode *inode; /* with path, or alone for anonymous inodes */
	/* Seekable files keep their offset here and move data with
	 * pread/pwrite: the host fd may be shared by several opens. */
	bool keeps_pos;
	pthread_mutex_t pos_lock;
	int64_t pos;
	/* A second host fd for writing: a FIFO opened O_RDWR has both ends. */
	int write_fd;
	bool fifo_counted; /* in its FIFO's reader/writer counts */
	int pidfd;         /* a pidfd: the guest pid it stands for; else 0 */
	/* Linux's FMODE_READ/FMODE_WRITE: fixed when the file is opened. */
	bool readable, writable;
	/* How a write from a buffer that faults partway ends: 0 writes the
	 * readable prefix (regular files); N > 0 drops the N-byte chunk the
	 * fault falls in, as pipes (a page) and ttys (2 KiB) do. */
	unsigned fault_chunk;
	/* F_SETOWN/F_SETSIG: kept for F_GETOWN/F_GETSIG; nothing sends SIGIO
	 * yet. owner < 0 is a process group. */
	int owner, owner_sig;
	/* Nonzero: the errno every write gets (a procfs file with no write
	 * of its own, opened for writing by root). */
	int write_error;
	/* An emulated file's operations and state, or NULL. */
	const struct file_ops *ops;
	void *priv;
	/* Registrations in guest epolls (sys_epoll.c), ended with the file. */
	_Atomic int epoll_items;
};

struct fdtable {
	_Atomic int refs;     /* tasks sharing it (CLONE_FILES) */
	struct file *fds[FDTABLE_MAX];
	bool cloexec[FDTABLE_MAX];
};

/* A table with the host's fds 0-2 as guest fds 0-2, where the host has them. */
struct fdtable *fdtable_new_std(void);
/* A new file (one reference) on host_fd, which it borrows until
 * own_host_fd is set. */
struct file *file_alloc(int host_fd, int flags);
/* A guest file for an open host fd (a pipe, say), which it owns: NULL
 * with errno set. */
struct file *file_new_host(int host_fd, bool own);
/* A new emulated or host-object file on host_fd (owned, closed on
 * failure) installed at the lowest free fd: the fd, or -errno. */
long file_install_new(struct task *t, int host_fd, const struct file_ops *ops, void *priv, bool cloexec,
		      unsigned fault_chunk);
struct file *file_get(struct file *f);
/* sys_epoll.c: f is going away, or what its host fd reports changed
 * (a socket connected or listens): its epoll registrations follow. */
void epoll_file_release(struct file *f);
void epoll_file_changed(struct file *f);
void file_put(struct file *f);
struct fdtable *fdtable_get(struct fdtable *ft);
void fdtable_put(struct fdtable *ft);
/* A copy for a child without CLONE_FILES: the same files, new slots. */
struct fdtable *fdtable_copy(struct fdtable *ft);
/* Give t a table of its own if it shares one (unshare, exec,
 * close_range's UNSHARE): 0 or -ENOMEM. */
int fdtable_unshare(struct task *t);
/* exec: close the close-on-exec fds. */
void fdtable_close_on_exec(struct fdtable *ft);
/* The file behind guest fd, or NULL (EBADF). */
struct file *fd_get(struct task *t, long fd);
/* Install f (taking a reference) at the lowest free fd >= min: the fd, or
 * -EMFILE (past RLIMIT_NOFILE or the table). */
int fd_install(struct task *t, struct file *f, int min, bool cloexec);
/* Install f at exactly fd, closing what was there. */
void fd_install_at(struct task *t, struct file *f, int fd, bool cloexec);
int fd_close(struct task *t, long fd);
/* The close-on-exec flag of an open guest fd. */
bool fd_cloexec(struct task *t, int fd);
void fd_set_cloexec(struct task *t, int fd, bool on);

#endif
