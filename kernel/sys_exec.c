/* execve and execveat: a new image for the calling process. */
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fdtable.h"
#include "guest_mem.h"
#include "loader.h"
#include "mm.h"
#include "process.h"
#include "signal.h"
#include "syscalls.h"

/* include/uapi/linux/binfmts.h */
#define MAX_ARG_STRLEN (32 * 4096)
#define MAX_ARG_STRINGS 0x7fffffff
/* fs/exec.c: argv+envp may use at most 3/4 of _STK_LIM, a quarter of the
 * stack limit, and never less than ARG_MAX. */
#define STK_LIM (8UL << 20)
#define ARG_MAX (32 * 4096UL)
#define GUEST_PATH_MAX 4096

struct strv {
	char **v;
	size_t n, cap;
};

static void strv_free(struct strv *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
}

/* argv and envp, pointers and strings, sit on a page or two of the guest's
 * stack: they are read a whole page at a time, not with a host call (and
 * up to a page copied) for every pointer and every string. A page is
 * readable or not as a whole, so this faults where reading less would. */
struct page_cache {
	uint64_t base;
	bool loaded;
	char data[4096];
};

static const char *cached(struct task *t, struct page_cache *c, uint64_t addr)
{
	uint64_t base = addr & ~4095UL;
	if (!c->loaded || c->base != base) {
		c->loaded = false;
		if (copy_from_guest(t, c->data, base, sizeof c->data) < 0)
			return NULL;
		c->base = base;
		c->loaded = true;
	}
	return c->data + (addr & 4095);
}

static long cached_read(struct task *t, struct page_cache *c, void *dst, uint64_t addr, size_t len)
{
	for (size_t done = 0; done < len;) {
		const char *src = cached(t, c, addr + done);
		if (!src)
			return -EFAULT;
		size_t chunk = 4096 - ((addr + done) & 4095);
		if (chunk > len - done)
			chunk = len - done;
		memcpy((char *)dst + done, src, chunk);
		done += chunk;
	}
	return 0;
}

/* As copy_string_from_guest: the length, or -EFAULT, or -ENAMETOOLONG. */
static long cached_string(struct task *t, struct page_cache *c, char *dst, uint64_t addr, size_t max)
{
	for (size_t done = 0; done < max;) {
		const char *src = cached(t, c, addr + done);
		if (!src)
			return -EFAULT;
		size_t chunk = 4096 - ((addr + done) & 4095);
		if (chunk > max - done)
			chunk = max - done;
		const char *nul = memchr(src, 0, chunk);
		size_t n = nul ? (size_t)(nul - src) : chunk;
		memcpy(dst + done, src, n);
		if (nul) {
			dst[done + n] = '\0';
			return (long)(done + n);
		}
		done += chunk;
	}
	return -ENAMETOOLONG;
}

/* One string read into buf (len: its length, or -errno) onto s, counting
 * its bytes and pointer against *budget. */
static long strv_add(struct strv *s, size_t *budget, const char *buf, long len)
{
	if (len == -ENAMETOOLONG)
		return -E2BIG;
	if (len < 0)
		return len;
	size_t need = (size_t)len + 1 + sizeof(void *);
	if (need > *budget)
		return -E2BIG;
	*budget -= need;
	if (s->n + 1 >= s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		char **v = realloc(s->v, cap * sizeof *v);
		if (!v)
			return -ENOMEM;
		s->v = v;
		s->cap = cap;
	}
	if (!(s->v[s->n] = strdup(buf)))
		return -ENOMEM;
	s->v[++s->n] = NULL;
	return 0;
}

/* A guest string vector (argv or envp) into s, counting its bytes (strings
 * and pointers) against *budget: E2BIG past it, EFAULT on a bad pointer. */
static long copy_strv(struct task *t, uint64_t addr, struct strv *s, size_t *budget, char *buf)
{
	if (!addr)
		return 0;
	struct page_cache *vec = malloc(sizeof *vec), *str = malloc(sizeof *str);
	long rc = vec && str ? 0 : -ENOMEM;
	if (vec)
		vec->loaded = false;
	if (str)
		str->loaded = false;
	for (size_t i = 0; rc == 0; i++) {
		uint64_t p;
		if (i >= MAX_ARG_STRINGS || cached_read(t, vec, &p, addr + i * 8, sizeof p) < 0) {
			rc = i >= MAX_ARG_STRINGS ? -E2BIG : -EFAULT;
			break;
		}
		if (!p)
			break;
		rc = strv_add(s, budget, buf, cached_string(t, str, buf, p, MAX_ARG_STRLEN));
	}
	free(vec);
	free(str);
	return rc;
}

static size_t arg_budget(struct task *t)
{
	uint64_t stack = t->tg->rlimits[LINUX_RLIMIT_STACK].rlim_cur;
	size_t limit = STK_LIM / 4 * 3;
	if (stack / 4 < limit)
		limit = stack / 4;
	return limit < ARG_MAX ? ARG_MAX : limit;
}

/* The other threads of the group die before the new image runs. */
static void kill_other_threads(struct task *t)
{
	pthread_mutex_lock(&kernel.lock);
	/* Not a SIGKILL: that would take the whole process, this thread too. */
	for (struct task *o = t->tg->threads; o; o = o->next_in_group)
		if (o != t) {
			o->exit_status = SIGKILL;
			o->exiting = true;
			signal_kick(o);
		}
	while (t->tg->nthreads > 1)
		pthread_cond_wait(&kernel.wake, &kernel.lock);
	t->tid = t->tg->pid;
	t->tg->did_exec = true;
	pthread_mutex_unlock(&kernel.lock);
}

static long do_execve(struct task *t, int dirfd, uint64_t pathp, uint64_t argvp, uint64_t envpp, int flags)
{
	if (flags & ~(LINUX_AT_EMPTY_PATH | LINUX_AT_SYMLINK_NOFOLLOW))
		return -EINVAL;
	char path[GUEST_PATH_MAX];
	long r = copy_string_from_guest(t, path, pathp, sizeof path);
	if (r < 0)
		return r;
	if (!path[0] && !(flags & LINUX_AT_EMPTY_PATH))
		return -ENOENT;
	/* execveat: a relative path from dirfd, as /proc/self/fd/N names it
	 * (the loader walks from the working directory). */
	char abs[GUEST_PATH_MAX + 32];
	if (dirfd != LINUX_AT_FDCWD && path[0] != '/') {
		if (!fd_get(t, dirfd))
			return -EBADF;
		snprintf(abs, sizeof abs, path[0] ? "/proc/self/fd/%d/%s" : "/proc/self/fd/%d", dirfd, path);
	} else {
		snprintf(abs, sizeof abs, "%s", path);
	}

	struct strv argv = { 0 }, envp = { 0 };
	size_t budget = arg_budget(t);
	char *buf = malloc(MAX_ARG_STRLEN);
	r = buf ? copy_strv(t, argvp, &argv, &budget, buf) : -ENOMEM;
	if (r == 0)
		r = copy_strv(t, envpp, &envp, &budget, buf);
	free(buf);
	struct exec_image img;
	if (r == 0) {
		struct exec_request req = { .path = abs, .argv = argv.v, .envp = envp.v };
		static char *const empty[] = { NULL };
		if (!req.argv)
			req.argv = empty;
		if (!req.envp)
			req.envp = empty;
		r = loader_exec(t, &req, &img);
	}
	strv_free(&argv);
	strv_free(&envp);
	if (r < 0)
		return r;

	/* The point of no return: the new image replaces the old. */
	kill_other_threads(t);
	struct mm *old = t->mm;
	pthread_mutex_lock(&kernel.lock); /* /proc readers look at t->mm under it */
	t->mm = img.mm;
	pthread_mutex_unlock(&kernel.lock);
	kernel.platform->leave(t->ctx, old->as);
	mm_put(old);
	t->regs = img.regs;
	free(t->exe_path);
	t->exe_path = img.exe_path;
	pthread_mutex_lock(&vfs.lock);
	path_put(t->exe);
	pthread_mutex_unlock(&vfs.lock);
	t->exe = img.exe;
	process_attrs_exec(t, path);
	fdtable_unshare(t); /* no memory: the shared table it is */
	fdtable_close_on_exec(t->files);
	signal_exec_reset(t);
	/* POSIX timers end with the image; ITIMER_REAL lives on, the CPU-time
	 * itimers measured the old image's stub. */
	pthread_mutex_lock(&kernel.lock);
	process_timers_delete(t->tg, -1);
	timer_disarm(&t->tg->itimer[1]);
	timer_disarm(&t->tg->itimer[2]);
	process_cpu_limit_arm(t); /* on the new image's clock, from zero */
	pthread_mutex_unlock(&kernel.lock);
	t->clear_child_tid = 0;
	t->robust_list = 0;
	process_vfork_release(t);
	return 0;
}

long sys_execve(struct task *t, SYSCALL_ARGS)
{
	return do_execve(t, LINUX_AT_FDCWD, a[0], a[1], a[2], 0);
}

long sys_execveat(struct task *t, SYSCALL_ARGS)
{
	return do_execve(t, (int)a[0], a[1], a[2], a[3], (int)a[4]);
}
