/* What /proc shows: the entry tables and their text, in Linux's formats. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fdtable.h"
#include "fs_proc.h"

struct task *proc_task(struct thread_group *g)
{
	for (struct task *t = g ? g->threads : NULL; t; t = t->next_in_group)
		if (t->files && t->fs)
			return t;
	return NULL;
}

/* Plain links */

static long link_text(char *buf, size_t size, const char *text)
{
	int n = snprintf(buf, size, "%s", text);
	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : n;
}

static long self_target(struct proc_ctx *c, char *buf, size_t size)
{
	char s[16];
	snprintf(s, sizeof s, "%d", c->reader->tg->pid);
	return link_text(buf, size, s);
}

static long thread_self_target(struct proc_ctx *c, char *buf, size_t size)
{
	char s[32];
	snprintf(s, sizeof s, "%d/task/%d", c->reader->tg->pid, c->reader->tid);
	return link_text(buf, size, s);
}

static long mounts_target(struct proc_ctx *c, char *buf, size_t size)
{
	(void)c;
	return link_text(buf, size, "self/mounts");
}

/* Magic links */

static int exe_link(struct proc_ctx *c, struct path *out, char *name, size_t size)
{
	(void)name, (void)size;
	struct task *t = proc_task(c->g);
	if (!t || !t->exe.dentry)
		return -ENOENT;
	*out = path_get(t->exe);
	return 0;
}

static int cwd_link(struct proc_ctx *c, struct path *out, char *name, size_t size)
{
	(void)name, (void)size;
	struct task *t = proc_task(c->g);
	if (!t)
		return -ENOENT;
	*out = path_get(t->fs->cwd);
	return 0;
}

static int root_link(struct proc_ctx *c, struct path *out, char *name, size_t size)
{
	(void)name, (void)size;
	struct task *t = proc_task(c->g);
	if (!t)
		return -ENOENT;
	*out = path_get(t->fs->root);
	return 0;
}

static int fd_link(struct proc_ctx *c, struct path *out, char *name, size_t size)
{
	struct task *t = proc_task(c->g);
	struct file *f = t ? fd_get(t, c->fd) : NULL;
	if (!f)
		return -ENOENT;
	if (f->path.dentry) {
		*out = path_get(f->path);
		return 0;
	}
	if (f->host_fd < 0)
		return -ENOENT;
	anon_name(f->host_fd, name, size);
	c->anon_fd = f->host_fd;
	return 1;
}

/* Files */

static int show_fdinfo(struct proc_ctx *c, struct sbuf *b)
{
	struct task *t = proc_task(c->g);
	struct file *f = t ? fd_get(t, c->fd) : NULL;
	if (!f)
		return -ENOENT;
	int64_t pos = f->keeps_pos ? f->pos : f->host_fd >= 0 ? lseek(f->host_fd, 0, SEEK_CUR) : 0;
	int flags = f->flags | (fd_cloexec(t, c->fd) ? O_CLOEXEC : 0);
	return sbuf_printf(b, "pos:\t%lld\nflags:\t0%o\nmnt_id:\t%d\nino:\t%llu\n", (long long)(pos < 0 ? 0 : pos),
			   flags, f->path.mnt ? f->path.mnt->id : 0,
			   (unsigned long long)(f->inode ? f->inode->ino : 0));
}

static int show_comm(struct proc_ctx *c, struct sbuf *b)
{
	struct task *t = proc_task(c->g);
	return sbuf_printf(b, "%s\n", t ? task_attrs(t)->comm : "");
}

static const char *state_name(struct thread_group *g)
{
	return g->stopped ? "T (stopped)" : "S (sleeping)";
}

static int show_status(struct proc_ctx *c, struct sbuf *b)
{
	struct thread_group *g = c->g;
	struct task *t = proc_task(g);
	const struct cred *cr = &g->attrs.cred;
	return sbuf_printf(b,
			   "Name:\t%s\nUmask:\t%04o\nState:\t%s\nTgid:\t%d\nNgid:\t0\nPid:\t%d\nPPid:\t%d\n"
			   "TracerPid:\t0\nUid:\t%u\t%u\t%u\t%u\nGid:\t%u\t%u\t%u\t%u\nThreads:\t%d\n",
			   t ? task_attrs(t)->comm : "", t ? t->fs->umask : 0, state_name(g), g->pid, g->pid,
			   g->parent ? g->parent->pid : 0, cr->uid, cr->euid, cr->suid, cr->fsuid, cr->gid,
			   cr->egid, cr->sgid, cr->fsgid, g->nthreads);
}

/* One mount as /proc/PID/mounts shows it, relative to the reader's root. */
static int show_mounts(struct proc_ctx *c, struct sbuf *b)
{
	char path[VFS_PATH_MAX];
	for (struct mount *m = vfs.mounts; m; m = m->next) {
		long n = vfs_d_path(c->reader, (struct path){ m, m->root }, path, sizeof path);
		if (n < 0)
			continue;
		int rc = sbuf_printf(b, "%s %s %s %s 0 0\n", m->source, path, m->sb->type,
				     m->readonly ? "ro,relatime" : "rw,relatime");
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int show_mountinfo(struct proc_ctx *c, struct sbuf *b)
{
	char path[VFS_PATH_MAX];
	for (struct mount *m = vfs.mounts; m; m = m->next) {
		long n = vfs_d_path(c->reader, (struct path){ m, m->root }, path, sizeof path);
		if (n < 0)
			continue;
		int rc = sbuf_printf(b, "%d %d 0:%llu / %s %s - %s %s %s\n", m->id, m->parent ? m->parent->id : 1,
				     (unsigned long long)m->sb->dev, path, m->readonly ? "ro,relatime" : "rw,relatime",
				     m->sb->type, m->source, m->readonly ? "ro" : "rw");
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int show_filesystems(struct proc_ctx *c, struct sbuf *b)
{
	(void)c;
	return sbuf_printf(b, "nodev\tsysfs\nnodev\ttmpfs\nnodev\tproc\nnodev\tdevtmpfs\nnodev\tpipefs\n"
			      "nodev\toverlay\n");
}

static int show_hostname(struct proc_ctx *c, struct sbuf *b)
{
	(void)c;
	return sbuf_printf(b, "%s\n", kernel.uts.nodename);
}

static int show_osrelease(struct proc_ctx *c, struct sbuf *b)
{
	(void)c;
	return sbuf_printf(b, "%s\n", kernel.uts.release);
}

static int show_ostype(struct proc_ctx *c, struct sbuf *b)
{
	(void)c;
	return sbuf_printf(b, "%s\n", kernel.uts.sysname);
}

static int show_pid_max(struct proc_ctx *c, struct sbuf *b)
{
	(void)c;
	return sbuf_printf(b, "4194304\n");
}

static int show_version(struct proc_ctx *c, struct sbuf *b)
{
	(void)c;
	return sbuf_printf(b, "%s version %s (cvisor) %s\n", kernel.uts.sysname, kernel.uts.release,
			   kernel.uts.version);
}

#define DIR_(n, kids, dyn) { .name = n, .mode = S_IFDIR | 0555, .children = kids, .dynamic = dyn }
#define FILE_(n, fn) { .name = n, .mode = S_IFREG | 0444, .show = fn }
#define LINK_(n, fn) { .name = n, .mode = S_IFLNK | 0777, .target = fn }
#define MAGIC_(n, fn) { .name = n, .mode = S_IFLNK | 0777, .link = fn }

static const struct proc_entry empty_dir[] = { { 0 } };

const struct proc_entry proc_fd_link = { .name = "fd", .mode = S_IFLNK | 0700, .link = fd_link };
const struct proc_entry proc_fdinfo_file = { .name = "fdinfo", .mode = S_IFREG | 0444, .show = show_fdinfo };

static const struct proc_entry pid_entries[] = {
	DIR_("fd", empty_dir, PROC_DYN_FDS),
	DIR_("fdinfo", empty_dir, PROC_DYN_FDINFO),
	MAGIC_("exe", exe_link),
	MAGIC_("cwd", cwd_link),
	MAGIC_("root", root_link),
	FILE_("comm", show_comm),
	FILE_("status", show_status),
	FILE_("mounts", show_mounts),
	FILE_("mountinfo", show_mountinfo),
	{ 0 },
};

const struct proc_entry proc_pid_dir = DIR_("pid", pid_entries, PROC_DYN_NONE);

static const struct proc_entry sys_kernel_entries[] = {
	FILE_("hostname", show_hostname),
	FILE_("osrelease", show_osrelease),
	FILE_("ostype", show_ostype),
	FILE_("pid_max", show_pid_max),
	{ 0 },
};

static const struct proc_entry sys_entries[] = {
	DIR_("kernel", sys_kernel_entries, PROC_DYN_NONE),
	{ 0 },
};

static const struct proc_entry root_entries[] = {
	LINK_("self", self_target),
	LINK_("thread-self", thread_self_target),
	LINK_("mounts", mounts_target),
	FILE_("filesystems", show_filesystems),
	FILE_("version", show_version),
	DIR_("sys", sys_entries, PROC_DYN_NONE),
	{ 0 },
};

const struct proc_entry proc_root_dir = DIR_("/", root_entries, PROC_DYN_PIDS);
