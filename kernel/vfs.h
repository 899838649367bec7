/* The VFS: a mount tree of dentries and inodes that cvisor owns, walked by
 * cvisor. Guest paths never reach the host: a host file is opened only
 * once its every component was found by the walk, and then beneath its
 * layer's directory with symlinks refused (fs_overlay.c).
 *
 * One lock (vfs.lock) guards the whole tree and every inode's metadata;
 * file contents move outside it, through host fds. Lock order: vfs.lock,
 * then kernel.lock. */
#ifndef CVISOR_VFS_H
#define CVISOR_VFS_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

struct task;
struct file;
struct inode;
struct dentry;
struct mount;
struct super;

/* include/linux/limits.h */
#define VFS_PATH_MAX 4096
#define VFS_NAME_MAX 255
/* include/linux/namei.h: MAXSYMLINKS */
#define VFS_MAX_SYMLINKS 40
/* mm/shmem.c: the size an in-memory directory entry counts for */
#define BOGO_DIRENT_SIZE 20

struct path {
	struct mount *mnt;
	struct dentry *dentry;
};

/* What a file system does that the tree alone cannot. Every hook runs
 * with vfs.lock held. */
struct fs_ops {
	/* Fill d (a new child of dir, negative) from the backing store:
	 * d->inode set, or left NULL when there is no such name. */
	int (*lookup)(struct inode *dir, struct dentry *d);
	/* List dir's entries that are not dentries yet (readdir): emit
	 * returns nonzero to stop. pos is the entry index to start at. */
	int (*iterate)(struct task *t, struct inode *dir, uint64_t pos,
		       int (*emit)(void *ctx, const char *name, uint64_t ino, unsigned type, uint64_t next),
		       void *ctx);
	/* Open f on inode (f->flags set): f->host_fd and friends. */
	int (*open)(struct task *t, struct file *f, struct inode *inode);
	/* A symlink's body into buf (NUL-terminated): its length, or -errno. */
	long (*readlink)(struct task *t, struct inode *inode, char *buf, size_t size);
	/* A magic link (procfs fd/N, exe, cwd, root): what it points at, with
	 * a reference, or -errno; the walk jumps there. */
	int (*get_link)(struct task *t, struct inode *inode, struct path *out);
	/* Dentries of this file system are not kept after use. */
	bool uncached;
};

struct super {
	const struct fs_ops *ops;
	const char *type;        /* as /proc/mounts shows it */
	uint64_t dev;            /* st_dev of its files */
	int lower_fd;            /* host directory beneath (O_PATH), or -1 */
	uint64_t next_ino;
	uint32_t magic;          /* statfs f_type */
	bool host_writes;        /* a read-write volume: changes go to the host */
};

struct inode {
	struct super *sb;
	int refs;                /* dentries and open files */
	uint64_t ino;
	uint32_t mode, uid, gid, nlink;
	uint64_t rdev;
	uint64_t size;           /* unless data_fd holds the contents */
	uint64_t blocks;         /* a lower file's st_blocks, as the host has it */
	struct timespec atime, mtime, ctime;
	/* A regular file's contents: a host memfd once written (upper), or -1
	 * while it is empty or still the lower layer's. */
	int data_fd;
	/* The host file beneath, relative to sb->lower_fd; NULL for files the
	 * guest made. A directory with one merges its host entries lazily. */
	char *lower;
	bool populated;          /* directory: lower entries are dentries */
	bool attrs_pending;      /* lower: only the type is known yet */
	int nopen;               /* open files on it */
	bool linkable;           /* O_TMPFILE: linkat may give it a name */
	char *target;            /* symlink body, when not the lower one */
	/* An O_PATH fd on a host object that each open reopens through the
	 * host's /proc/self/fd: a FIFO's pipe, a procfs fd link's pipe. */
	int reopen_fd;
	/* FIFO: its open ends, and how many ever opened each way (an open
	 * waits for the other side's count to move, as fs/pipe.c's). */
	int fifo_readers, fifo_writers;
	_Atomic unsigned fifo_r_counter, fifo_w_counter;
	/* procfs: what the node shows and whose it is. */
	const void *proc;
	int proc_pid, proc_fd;
};

struct dentry {
	char *name;
	struct dentry *parent;   /* NULL at a file system's root */
	struct inode *inode;     /* NULL: negative (absent, or a whiteout) */
	int refs;                /* holders outside the tree, children included */
	bool hashed;             /* in parent's children */
	int mounted;             /* mounts sitting on it */
	/* Children: a hash for lookup, a list in creation order for readdir
	 * (seq is a child's directory offset, stable while it exists). */
	struct dentry **hash;
	unsigned hash_size, nchildren;
	struct dentry *hash_next;
	struct dentry *first, *last, *prev_sib, *next_sib;
	uint64_t seq, next_seq;
};

struct mount {
	struct mount *parent;    /* NULL for the root mount */
	struct dentry *mountpoint; /* in parent */
	struct dentry *root;
	struct super *sb;
	bool readonly;
	char *source;
	int id;
	struct mount *next;      /* every mount, in mount order */
};

/* A task's fs_struct: root, working directory and umask (CLONE_FS). */
struct fs_context {
	int refs;
	struct path root, cwd;
	uint32_t umask;
};

struct vfs {
	pthread_mutex_t lock;
	struct mount *mounts;
	struct path root;
	uint64_t next_dev;
	int next_mount_id;
	/* --tmpfs-size: bytes all in-memory file data may take (tmpfs and the
	 * root's upper layer together); 0 for no limit. */
	uint64_t mem_limit;
	_Atomic uint64_t mem_used;
};
extern struct vfs vfs;

/* Mount flags for vfs_boot. */
struct vfs_volume {
	const char *host, *guest;
	bool readonly;   /* :ro, else writes go through to the host */
};

/* Build the guest's mount tree over the host directory root_fd: the
 * overlay root, /proc, /dev, /dev/shm, /tmp, and the volumes. 0 or
 * -errno with a message in *why. */
int vfs_boot(int root_fd, const struct vfs_volume *vols, int nvols, const char **why);

/* fs contexts */
struct fs_context *fs_context_new_root(void);
struct fs_context *fs_context_get(struct fs_context *fs);
struct fs_context *fs_context_copy(struct fs_context *fs);
void fs_context_put(struct fs_context *fs);

/* References (vfs.lock held). */
struct path path_get(struct path p);
void path_put(struct path p);
void dget(struct dentry *d);
void dput(struct dentry *d);
void iget(struct inode *i);
void iput(struct inode *i);

/* Lookup flags. */
#define LOOKUP_FOLLOW     0x1   /* follow a final symlink */
#define LOOKUP_DIRECTORY  0x2   /* the result must be a directory */
#define LOOKUP_EMPTY      0x4   /* an empty path names dirfd (AT_EMPTY_PATH) */
#define LOOKUP_BENEATH    0x10  /* openat2 RESOLVE_BENEATH */
#define LOOKUP_IN_ROOT    0x20  /* RESOLVE_IN_ROOT */
#define LOOKUP_NO_SYMLINKS 0x40 /* RESOLVE_NO_SYMLINKS */
#define LOOKUP_NO_MAGICLINKS 0x80 /* RESOLVE_NO_MAGICLINKS */
#define LOOKUP_NO_XDEV    0x100 /* RESOLVE_NO_XDEV */

/* Walk path from dirfd (vfs.lock held): what it names, with a reference. */
int vfs_walk(struct task *t, int dirfd, const char *path, unsigned flags, struct path *out);
/* The walk up to the last component: its directory (a reference) and the
 * name, which may be "", "." or ".." (callers refuse those as Linux does);
 * *trailing says whether slashes followed it. */
int vfs_walk_parent(struct task *t, int dirfd, const char *path, unsigned flags,
		    struct path *parent, char last[VFS_NAME_MAX + 1], bool *trailing);
/* dir's child name (vfs.lock held), with a reference; negative if absent. */
int vfs_lookup_child(struct dentry *dir, const char *name, struct dentry **out);
/* The directory a relative walk from dirfd starts at. */
int vfs_start_dir(struct task *t, int dirfd, struct path *out);
/* Follow mounts sitting on p. */
void vfs_follow_mounts(struct path *p);

/* The absolute guest path of p as t sees it (from its root) into buf:
 * its length, or -ENAMETOOLONG. An unlinked file's gets " (deleted)"; a
 * path outside t's root is shown from the mount root, as Linux does. */
long vfs_d_path(struct task *t, struct path p, char *buf, size_t size);

/* Permission mask bits (include/linux/fs.h MAY_*). */
#define MAY_EXEC  1
#define MAY_WRITE 2
#define MAY_READ  4
int vfs_permission(struct task *t, struct inode *inode, int mask);

/* Inodes */
struct inode *inode_new(struct super *sb, uint32_t mode);
/* Load a lower inode's attributes if not yet (vfs.lock held). */
int inode_attrs(struct inode *i);
/* A dentry for name in dir (unhashed, negative, a reference held). */
struct dentry *d_alloc(struct dentry *dir, const char *name);
void d_add(struct dentry *dir, struct dentry *d);  /* hash it in dir */
void d_drop(struct dentry *d);                     /* unhash it */
struct dentry *d_find(struct dentry *dir, const char *name);
/* A file system's root dentry. */
struct dentry *d_make_root(struct inode *i);

/* The stat of a path or an open file's inode. */
struct kstat {
	uint64_t dev, ino, rdev, size, blocks;
	uint32_t mode, uid, gid, nlink, blksize;
	struct timespec atime, mtime, ctime;
};
int vfs_getattr(struct inode *i, struct kstat *st);
/* Now, for timestamps. */
struct timespec vfs_now(void);

/* Open flags beyond what the host's header has (include/uapi/asm-generic/fcntl.h). */
#define VFS_O_ACCMODE 3

/* Open path (open/openat/openat2 semantics), the file with a reference. */
int vfs_open(struct task *t, int dirfd, const char *path, int flags, uint32_t mode,
	     unsigned lookup, struct file **out);
/* A file on an already-resolved path (vfs.lock held). */
int vfs_open_path(struct task *t, struct path p, int flags, struct file **out);

/* Namespace changes: each as its *at syscall, errno for errno. */
int vfs_mknod(struct task *t, int dirfd, const char *path, uint32_t mode, uint64_t dev);
int vfs_mkdir(struct task *t, int dirfd, const char *path, uint32_t mode);
int vfs_symlink(struct task *t, const char *target, int dirfd, const char *path);
int vfs_link(struct task *t, int olddirfd, const char *oldpath, int newdirfd, const char *newpath, int flags);
int vfs_unlink(struct task *t, int dirfd, const char *path, bool rmdir);
int vfs_rename(struct task *t, int olddirfd, const char *oldpath, int newdirfd, const char *newpath,
	       unsigned flags);

/* Regular file contents (vfs.lock held): make i's data a writable memfd
 * (copy-up from the lower file); its fd, or -errno. */
int inode_data_fd(struct inode *i);
/* Truncate i to size (vfs.lock held). */
int inode_truncate(struct inode *i, uint64_t size);
/* How much of an n-byte write at pos into f fits in --tmpfs-size (all of
 * it for files not in memory); what fits is charged. */
size_t vfs_mem_reserve(struct file *f, int64_t pos, size_t n);

/* mode bits */
#define S_IFMT_ 0170000

#endif
