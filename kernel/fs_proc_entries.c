/* What /proc shows: the entry tables and their text, in Linux's formats. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
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
	/* An emulated file names itself: a socket (whatever host object
	 * stands for it yet), anon_inode:[eventpoll]... */
	struct stat st;
	if (f->ops && !strcmp(f->ops->name, "socket") && fstat(f->host_fd, &st) == 0)
		snprintf(name, size, "socket:[%lu]", (unsigned long)st.st_ino);
	else if (f->ops && f->ops->name[0] == '[')
		snprintf(name, size, "anon_inode:%s", f->ops->name);
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

/* loginuid and sessionid: no audit login ever set them ((u32)-1, with no
 * newline, as Linux prints it). */
static int show_unset_id(struct proc_ctx *c, struct sbuf *b)
{
	(void)c;
	return sbuf_printf(b, "4294967295");
}

static int show_comm(struct proc_ctx *c, struct sbuf *b)
{
	struct task *t = proc_task(c->g);
	return sbuf_printf(b, "%s\n", t ? task_attrs(t)->comm : "");
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

/* Machine-wide facts the host kernel keeps (as sysinfo(2) passes them
 * on): its file, as it is. */
static int show_host_file(const char *path, struct sbuf *b)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -EIO;
	char buf[4096];
	ssize_t n;
	int rc = 0;
	while (rc == 0 && (n = read(fd, buf, sizeof buf)) > 0)
		rc = sbuf_put(b, buf, (size_t)n);
	close(fd);
	return rc;
}

static int show_cpuinfo(struct proc_ctx *c, struct sbuf *b)
{
	(void)c;
	return show_host_file("/proc/cpuinfo", b);
}

static int show_meminfo(struct proc_ctx *c, struct sbuf *b)
{
	(void)c;
	return show_host_file("/proc/meminfo", b);
}

static int show_uptime(struct proc_ctx *c, struct sbuf *b)
{
	(void)c;
	return show_host_file("/proc/uptime", b);
}

/* The host's loads; the guest's task counts and newest pid. */
static int show_loadavg(struct proc_ctx *c, struct sbuf *b)
{
	(void)c;
	struct sbuf h = { 0 };
	int rc = show_host_file("/proc/loadavg", &h);
	double l[3] = { 0, 0, 0 };
	if (rc == 0 && h.len && sbuf_put(&h, "", 1) == 0)
		sscanf(h.data, "%lf %lf %lf", &l[0], &l[1], &l[2]);
	free(h.data);
	int running = 0, last = 0;
	for (struct task *t = kernel.tasks; t; t = t->next_task)
		running += t->tg && !t->tg->stopped;
	for (struct thread_group *g = kernel.groups; g; g = g->next_group)
		last = g->pid > last ? g->pid : last;
	return sbuf_printf(b, "%.2f %.2f %.2f %d/%d %d\n", l[0], l[1], l[2], running ? 1 : 0, kernel.ntasks,
			   last);
}

/* fs/proc/stat.c: the host's CPU times, interrupts and boot time; the
 * guest's process counts. */
static int show_stat(struct proc_ctx *c, struct sbuf *b)
{
	(void)c;
	struct sbuf h = { 0 };
	int rc = show_host_file("/proc/stat", &h);
	if (rc == 0)
		rc = sbuf_put(&h, "", 1);
	int running = 0;
	for (struct task *t = kernel.tasks; t; t = t->next_task)
		running += t->tg && !t->tg->stopped;
	for (char *l = h.data; rc == 0 && l && *l;) {
		char *e = strchr(l, '\n');
		size_t len = e ? (size_t)(e - l) + 1 : strlen(l);
		if (!strncmp(l, "processes ", 10))
			rc = sbuf_printf(b, "processes %d\n", kernel.next_pid > 0 ? kernel.next_pid - 1 : 0);
		else if (!strncmp(l, "procs_running ", 14))
			rc = sbuf_printf(b, "procs_running %d\n", running ? 1 : 0);
		else if (!strncmp(l, "procs_blocked ", 14))
			rc = sbuf_printf(b, "procs_blocked 0\n");
		else
			rc = sbuf_put(b, l, len);
		l += len;
	}
	free(h.data);
	return rc;
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
	FILE_("loginuid", show_unset_id),
	FILE_("sessionid", show_unset_id),
	FILE_("status", proc_show_status),
	FILE_("stat", proc_show_stat),
	FILE_("statm", proc_show_statm),
	FILE_("maps", proc_show_maps),
	FILE_("cmdline", proc_show_cmdline),
	{ .name = "environ", .mode = S_IFREG | 0400, .show = proc_show_environ },
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
	FILE_("cpuinfo", show_cpuinfo),
	FILE_("meminfo", show_meminfo),
	FILE_("uptime", show_uptime),
	FILE_("loadavg", show_loadavg),
	FILE_("stat", show_stat),
	DIR_("sys", sys_entries, PROC_DYN_NONE),
	{ 0 },
};

const struct proc_entry proc_root_dir = DIR_("/", root_entries, PROC_DYN_PIDS);
