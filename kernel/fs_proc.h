/* procfs internals: the entry tables (fs_proc_entries.c) the file system
 * (fs_proc.c) serves. Entry hooks run with vfs.lock and kernel.lock held;
 * they must not call what takes either (task_cred, file_put). */
#ifndef CVISOR_FS_PROC_H
#define CVISOR_FS_PROC_H

#include "process.h"
#include "vfs.h"

/* A growing text buffer. */
struct sbuf {
	char *data;
	size_t len, cap;
};
int sbuf_printf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int sbuf_put(struct sbuf *b, const void *p, size_t n);

struct proc_ctx {
	struct task *reader;      /* who opens or walks */
	struct thread_group *g;   /* the process a pid entry is about, or NULL */
	int fd;                   /* fd/N and fdinfo/N: N */
	int anon_fd;              /* set by link for an anonymous object */
};

enum proc_dynamic { PROC_DYN_NONE, PROC_DYN_PIDS, PROC_DYN_FDS, PROC_DYN_FDINFO };

struct proc_entry {
	const char *name;
	uint32_t mode;
	const struct proc_entry *children; /* a directory's fixed entries */
	enum proc_dynamic dynamic;         /* and its numbered ones */
	/* A file's text. */
	int (*show)(struct proc_ctx *c, struct sbuf *out);
	/* Whether it may be opened for writing (none yet: EACCES). */
	bool write;
	/* A plain symlink's body (self, thread-self, mounts). */
	long (*target)(struct proc_ctx *c, char *buf, size_t size);
	/* A magic link: 0 with out set (a reference), or 1 for an anonymous
	 * object: its name ("pipe:[N]") in name, its host fd in c->anon_fd. */
	int (*link)(struct proc_ctx *c, struct path *out, char *name, size_t size);
};

extern const struct proc_entry proc_root_dir, proc_pid_dir, proc_fd_link, proc_fdinfo_file;

/* A live process by guest pid (kernel.lock held). */
struct thread_group *proc_group(int pid);
/* A task of g whose files, fs and mm may be read (kernel.lock held). */
struct task *proc_task(struct thread_group *g);

/* fs_proc_pid.c: a process's memory, signals and state. */
int proc_show_cmdline(struct proc_ctx *c, struct sbuf *b);
int proc_show_environ(struct proc_ctx *c, struct sbuf *b);
int proc_show_stat(struct proc_ctx *c, struct sbuf *b);
int proc_show_statm(struct proc_ctx *c, struct sbuf *b);
int proc_show_status(struct proc_ctx *c, struct sbuf *b);
int proc_show_maps(struct proc_ctx *c, struct sbuf *b);

/* fs_anon.c: a path on a host object with no tree (a pipe, an inherited
 * fd), which an open reopens; its name as /proc/PID/fd shows it. */
int anon_path(int host_fd, struct path *out);
void anon_name(int host_fd, char *buf, size_t size);

#endif
