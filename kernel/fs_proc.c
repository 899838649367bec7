/* procfs: the guest's /proc, made from cvisor's own state (never the
 * host's). Directories are tables of entries plus the dynamic ones (pids,
 * fds); a file's text is made when it is opened, into a memfd the reads
 * then come from (a snapshot, as seq_file's first read is). */
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "fdtable.h"
#include "fs.h"
#include "fs_proc.h"
#include "process.h"

int sbuf_printf(struct sbuf *b, const char *fmt, ...)
{
	for (;;) {
		va_list ap;
		va_start(ap, fmt);
		size_t room = b->cap - b->len;
		int n = vsnprintf(b->data ? b->data + b->len : NULL, room, fmt, ap);
		va_end(ap);
		if (n < 0)
			return -EINVAL;
		if ((size_t)n < room) {
			b->len += (size_t)n;
			return 0;
		}
		size_t cap = (b->cap ? b->cap * 2 : 4096) + (size_t)n;
		char *d = realloc(b->data, cap);
		if (!d)
			return -ENOMEM;
		b->data = d;
		b->cap = cap;
	}
}

int sbuf_put(struct sbuf *b, const void *p, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap * 2 + n + 4096;
		char *d = realloc(b->data, cap);
		if (!d)
			return -ENOMEM;
		b->data = d;
		b->cap = cap;
	}
	memcpy(b->data + b->len, p, n);
	b->len += n;
	return 0;
}

struct thread_group *proc_group(int pid)
{
	for (struct thread_group *g = kernel.groups; g; g = g->next_group)
		if (g->pid == pid && !g->zombie && g->threads)
			return g;
	return NULL;
}

/* Lookups and listings of the dynamic parts. */
static const struct proc_entry *find_entry(const struct proc_entry *table, const char *name)
{
	for (const struct proc_entry *e = table; e && e->name; e++)
		if (strcmp(e->name, name) == 0)
			return e;
	return NULL;
}

/* Stable inode numbers: the pid, the fd and the name, as Linux's are
 * per pid directory. */
static uint64_t entry_ino(int pid, int fd, const char *name)
{
	unsigned h = 0;
	for (const char *p = name; *p; p++)
		h = h * 31 + (unsigned char)*p;
	return ((uint64_t)pid << 32) + ((uint64_t)(fd + 1) << 12) + (h & 0xfff) + 2;
}

static struct inode *proc_inode(struct super *sb, const struct proc_entry *e, int pid, int fd)
{
	struct inode *i = inode_new(sb, e->mode);
	if (!i)
		return NULL;
	sb->next_ino--;
	i->proc = e;
	i->proc_pid = pid;
	i->proc_fd = fd;
	i->ino = entry_ino(pid, fd, e->name);
	i->nlink = S_ISDIR(e->mode) ? 2 : 1;
	if (pid > 0) {
		struct thread_group *g = proc_group(pid);
		if (g) {
			i->uid = g->attrs.cred.euid;
			i->gid = g->attrs.cred.egid;
		}
	}
	return i;
}

static bool parse_num(const char *s, int *out)
{
	if (!*s || (s[0] == '0' && s[1]))
		return false;
	long v = 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > 1 << 30)
			return false;
		v = v * 10 + (*s - '0');
	}
	*out = (int)v;
	return true;
}

static int proc_lookup(struct inode *dir, struct dentry *d)
{
	const struct proc_entry *de = dir->proc;
	if (!de)
		return -ENOENT;
	const struct proc_entry *e = find_entry(de->children, d->name);
	int pid = dir->proc_pid, fd = -1, n;
	pthread_mutex_lock(&kernel.lock);
	if (!e && de->dynamic == PROC_DYN_PIDS && parse_num(d->name, &n) && proc_group(n)) {
		e = &proc_pid_dir;
		pid = n;
	} else if (!e && (de->dynamic == PROC_DYN_FDS || de->dynamic == PROC_DYN_FDINFO) &&
		   parse_num(d->name, &n)) {
		struct thread_group *g = proc_group(pid);
		struct task *t = g ? g->threads : NULL;
		if (t && t->files && fd_get(t, n)) {
			e = de->dynamic == PROC_DYN_FDS ? &proc_fd_link : &proc_fdinfo_file;
			fd = n;
		}
	}
	if (e && pid > 0 && !proc_group(pid))
		e = NULL; /* the process is gone */
	struct inode *i = e ? proc_inode(dir->sb, e, pid, fd) : NULL;
	pthread_mutex_unlock(&kernel.lock);
	if (e && !i)
		return -ENOMEM;
	if (!i)
		return -ENOENT; /* procfs lookups fail rather than go negative:
				 * creating anything here is ENOENT, as on Linux */
	d->inode = i;
	i->refs++;
	return 0;
}

/* The directory's entries from index pos on: the table first, then the
 * dynamic ones. The next index rides in each entry's offset. */
static int proc_iterate(struct task *t, struct inode *dir, uint64_t pos,
			int (*emit)(void *ctx, const char *name, uint64_t ino, unsigned type, uint64_t next),
			void *ctx)
{
	(void)t;
	const struct proc_entry *de = dir->proc;
	if (!de)
		return 0;
	uint64_t k = 0;
	for (const struct proc_entry *e = de->children; e && e->name; e++, k++) {
		if (k < pos)
			continue;
		uint64_t ino = entry_ino(dir->proc_pid, -1, e->name);
		if (emit(ctx, e->name, ino, (e->mode & S_IFMT) >> 12, k + 1))
			return 0;
	}
	if (!de->dynamic)
		return 0;
	/* Dynamic entries are numbered: index k + number keeps the order. */
	int nums[4096], count = 0;
	pthread_mutex_lock(&kernel.lock);
	if (de->dynamic == PROC_DYN_PIDS) {
		for (struct thread_group *g = kernel.groups; g && count < 4096; g = g->next_group)
			if (!g->zombie && g->threads)
				nums[count++] = g->pid;
	} else {
		struct thread_group *g = proc_group(dir->proc_pid);
		struct task *owner = g ? g->threads : NULL;
		for (int fd = 0; owner && owner->files && fd < FDTABLE_MAX && count < 4096; fd++)
			if (fd_get(owner, fd))
				nums[count++] = fd;
	}
	pthread_mutex_unlock(&kernel.lock);
	/* kernel.groups is newest first: pids go out in increasing order. */
	for (int a = 0; a < count; a++)
		for (int b = a + 1; b < count; b++)
			if (nums[b] < nums[a]) {
				int x = nums[a];
				nums[a] = nums[b];
				nums[b] = x;
			}
	for (int c = 0; c < count; c++) {
		uint64_t idx = k + 1 + (uint64_t)nums[c];
		if (idx <= pos)
			continue;
		char name[16];
		snprintf(name, sizeof name, "%d", nums[c]);
		bool link = de->dynamic == PROC_DYN_FDS;
		unsigned type = de->dynamic == PROC_DYN_PIDS ? 4 : link ? 10 : 8;
		if (emit(ctx, name, (uint64_t)nums[c] << 24 | 1, type, idx))
			return 0;
	}
	return 0;
}

static int proc_open(struct task *t, struct file *f, struct inode *i)
{
	const struct proc_entry *e = i->proc;
	if (!e) /* not procfs's own node */
		return -ENOENT;
	if ((f->flags & O_PATH) || S_ISDIR(i->mode))
		return 0;
	if (!e->show)
		return -EINVAL;
	/* Only root gets here (the modes say read-only): the open works
	 * and writes fail, EIO from proc_reg_write for the top-level files,
	 * EINVAL from vfs_write for a pid's (no write op at all). */
	if (f->writable && !e->write)
		f->write_error = i->proc_pid > 0 ? EINVAL : EIO;
	struct sbuf b = { 0 };
	pthread_mutex_lock(&kernel.lock);
	struct thread_group *g = i->proc_pid > 0 ? proc_group(i->proc_pid) : NULL;
	int rc = i->proc_pid > 0 && !g ? -ESRCH
		: e->show(&(struct proc_ctx){ .reader = t, .g = g, .fd = i->proc_fd }, &b);
	pthread_mutex_unlock(&kernel.lock);
	int fd = rc < 0 ? -1 : (int)syscall(SYS_memfd_create, "cvisor-proc", MFD_CLOEXEC);
	if (rc == 0 && fd < 0)
		rc = -errno;
	if (rc == 0 && b.len && pwrite(fd, b.data, b.len, 0) != (ssize_t)b.len)
		rc = -EIO;
	free(b.data);
	if (rc < 0) {
		if (fd >= 0)
			close(fd);
		return rc;
	}
	f->host_fd = fd;
	f->own_host_fd = true;
	f->keeps_pos = true;
	return 0;
}

static long proc_readlink(struct task *t, struct inode *i, char *buf, size_t size)
{
	const struct proc_entry *e = i->proc;
	struct path p;
	long n;
	if (e->target) {
		pthread_mutex_lock(&kernel.lock);
		n = e->target(&(struct proc_ctx){ .reader = t, .fd = i->proc_fd }, buf, size);
		pthread_mutex_unlock(&kernel.lock);
		return n;
	}
	if (!e->link)
		return -EINVAL;
	pthread_mutex_lock(&kernel.lock);
	struct thread_group *g = proc_group(i->proc_pid);
	struct proc_ctx c = { .reader = t, .g = g, .fd = i->proc_fd, .anon_fd = -1 };
	int rc = g ? e->link(&c, &p, buf, size) : -ENOENT;
	pthread_mutex_unlock(&kernel.lock);
	if (rc < 0)
		return rc;
	if (rc > 0)
		return (long)strlen(buf);
	n = vfs_d_path(t, p, buf, size);
	path_put(p);
	return n;
}

/* A magic link: the walk jumps to the object itself. */
static int proc_get_link(struct task *t, struct inode *i, struct path *out)
{
	const struct proc_entry *e = i->proc;
	if (!e->link)
		return 1; /* a plain symlink: the walk reads its body */
	char name[128];
	pthread_mutex_lock(&kernel.lock);
	struct thread_group *g = proc_group(i->proc_pid);
	struct proc_ctx c = { .reader = t, .g = g, .fd = i->proc_fd, .anon_fd = -1 };
	int rc = g ? e->link(&c, out, name, sizeof name) : -ENOENT;
	/* Hold the host object while the locks are dropped. */
	int host = rc > 0 ? fcntl(c.anon_fd, F_DUPFD_CLOEXEC, 0) : -1;
	pthread_mutex_unlock(&kernel.lock);
	if (rc <= 0)
		return rc;
	if (host < 0)
		return -errno;
	rc = anon_path(host, out);
	close(host);
	return rc;
}

static const struct fs_ops procfs_ops = {
	.lookup = proc_lookup,
	.iterate = proc_iterate,
	.open = proc_open,
	.readlink = proc_readlink,
	.get_link = proc_get_link,
	.uncached = true,
};

struct super *procfs_new(void)
{
	struct super *sb = calloc(1, sizeof *sb);
	if (!sb)
		return NULL;
	*sb = (struct super){ .ops = &procfs_ops, .type = "proc", .dev = vfs.next_dev++, .lower_fd = -1,
			      .next_ino = 2, .magic = PROC_SUPER_MAGIC };
	return sb;
}

struct dentry *procfs_root(struct super *sb)
{
	struct inode *i = inode_new(sb, S_IFDIR | 0555);
	if (!i)
		return NULL;
	i->proc = &proc_root_dir;
	i->ino = 1;
	return d_make_root(i);
}

