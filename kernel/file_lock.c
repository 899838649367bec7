/* Advisory file locks: POSIX record locks, OFD locks and flock, with
 * fs/locks.c's semantics (ranges split and merged per owner, EAGAIN on a
 * conflict, F_SETLKW's deadlock detection, interruptible waits). */
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fdtable.h"
#include "file_lock.h"
#include "guest_mem.h"
#include "process.h"
#include "vfs_file.h"

/* include/uapi/asm-generic/fcntl.h (x86-64: F_GETLK64 is F_GETLK) */
#define LINUX_F_GETLK 5
#define LINUX_F_SETLK 6
#define LINUX_F_SETLKW 7
#define LINUX_F_OFD_GETLK 36
#define LINUX_F_OFD_SETLK 37
#define LINUX_F_OFD_SETLKW 38
#define LINUX_F_RDLCK 0
#define LINUX_F_WRLCK 1
#define LINUX_F_UNLCK 2
/* include/uapi/asm-generic/fcntl.h: flock(2) operations */
#define LINUX_LOCK_SH 1
#define LINUX_LOCK_EX 2
#define LINUX_LOCK_NB 4
#define LINUX_LOCK_UN 8
#define LINUX_LOCK_MAND 32
/* fs/locks.c */
#define MAX_DEADLK_ITERATIONS 10
/* Records the whole sandbox may hold: a guest cannot grow cvisor without
 * bound by locking every other byte (Linux's ENOLCK when out of memory). */
#define LOCKS_MAX 65536
#define CTX_BUCKETS 256

/* struct flock as x86-64 lays it out. */
struct linux_flock {
	int16_t l_type, l_whence;
	int32_t pad0;
	int64_t l_start, l_len;
	int32_t l_pid, pad1;
};

struct lock_rec {
	int64_t start, end;   /* inclusive; end INT64_MAX is "to EOF" */
	int type;             /* LINUX_F_RDLCK or LINUX_F_WRLCK */
	bool ofd;             /* an OFD lock (owner is a struct file) */
	void *owner;          /* POSIX: the fd table; OFD and flock: the file */
	int pid;              /* guest pid of the setter, for F_GETLK */
	struct lock_rec *next;
};

/* One inode's locks (Linux's file_lock_context). */
struct lock_ctx {
	struct inode *inode;  /* the key; or, without one, the host object */
	uint64_t dev, ino;
	/* POSIX and OFD locks: grouped by owner, each owner's by start. */
	struct lock_rec *posix;
	struct lock_rec *flocks;
	int nwaiters;
	struct lock_ctx *next;
};

/* A task sleeping in F_SETLKW or flock (on its stack). blocker is the
 * owner of the POSIX lock it waits for (deadlock detection), NULL once
 * woken or when that is an OFD lock. */
struct lock_waiter {
	void *owner, *blocker;
	struct lock_ctx *ctx;
	struct lock_waiter *next;
};

static struct {
	pthread_mutex_t lock;
	struct lock_ctx *ctx[CTX_BUCKETS];
	struct lock_waiter *waiters;
	int nrecs;
	_Atomic int nctx;     /* close paths skip the table while it is empty */
} locks = { .lock = PTHREAD_MUTEX_INITIALIZER };

struct lock_key {
	struct inode *inode;
	uint64_t dev, ino;
};

/* Whose locks f's are: its inode, or the host object behind a file that
 * has none (a pipe, an inherited fd). */
static int file_key(struct file *f, struct lock_key *k)
{
	if (f->inode) {
		*k = (struct lock_key){ .inode = f->inode };
		return 0;
	}
	struct stat st;
	if (f->host_fd < 0 || fstat(f->host_fd, &st) < 0)
		return -EBADF;
	*k = (struct lock_key){ NULL, st.st_dev, st.st_ino };
	return 0;
}

static unsigned key_bucket(const struct lock_key *k)
{
	uint64_t h = k->inode ? (uint64_t)(uintptr_t)k->inode >> 4 : k->ino * 31 + k->dev;
	h ^= h >> 17;
	return (unsigned)(h * 0x9E3779B97F4A7C15ULL >> 56) % CTX_BUCKETS;
}

/* The context for k (locks.lock held); made when create, else NULL if
 * there is none. */
static struct lock_ctx *ctx_find(const struct lock_key *k, bool create)
{
	unsigned b = key_bucket(k);
	for (struct lock_ctx *c = locks.ctx[b]; c; c = c->next)
		if (c->inode == k->inode && c->dev == k->dev && c->ino == k->ino)
			return c;
	if (!create)
		return NULL;
	struct lock_ctx *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	c->inode = k->inode;
	c->dev = k->dev;
	c->ino = k->ino;
	c->next = locks.ctx[b];
	locks.ctx[b] = c;
	atomic_fetch_add(&locks.nctx, 1);
	return c;
}

/* Free c once nothing is in it (locks.lock held). */
static void ctx_maybe_free(struct lock_ctx *c)
{
	if (c->posix || c->flocks || c->nwaiters)
		return;
	struct lock_key k = { c->inode, c->dev, c->ino };
	for (struct lock_ctx **p = &locks.ctx[key_bucket(&k)]; *p; p = &(*p)->next)
		if (*p == c) {
			*p = c->next;
			break;
		}
	free(c);
	atomic_fetch_sub(&locks.nctx, 1);
}

/* Waiters on c retry (locks.lock held; kernel.lock comes after it). */
static void ctx_wake(struct lock_ctx *c)
{
	if (!c->nwaiters)
		return;
	for (struct lock_waiter *w = locks.waiters; w; w = w->next)
		if (w->ctx == c)
			w->blocker = NULL;
	pthread_mutex_lock(&kernel.lock);
	kernel_wake_all();
	pthread_mutex_unlock(&kernel.lock);
}

static void rec_free(struct lock_rec *r)
{
	free(r);
	locks.nrecs--;
}

/* Sleep until the table changes or a signal comes (locks.lock held, and
 * held again on return): 0 or -ERESTARTSYS. kernel.lock is taken before
 * locks.lock is let go, so a change made meanwhile wakes us. */
static int lock_wait(struct task *t, struct lock_ctx *c, void *owner, void *blocker)
{
	struct lock_waiter w = { owner, blocker, c, locks.waiters };
	locks.waiters = &w;
	c->nwaiters++;
	pthread_mutex_lock(&kernel.lock);
	pthread_mutex_unlock(&locks.lock);
	int rc = kernel_sleep(t);
	pthread_mutex_unlock(&kernel.lock);
	pthread_mutex_lock(&locks.lock);
	for (struct lock_waiter **p = &locks.waiters; *p; p = &(*p)->next)
		if (*p == &w) {
			*p = w.next;
			break;
		}
	c->nwaiters--;
	return rc;
}

/* POSIX and OFD locks */

static bool overlap(const struct lock_rec *a, int64_t start, int64_t end)
{
	return a->start <= end && start <= a->end;
}

/* fs/locks.c posix_locks_conflict(). */
static bool posix_conflict(const struct lock_rec *l, void *owner, int type, int64_t start, int64_t end)
{
	return l->owner != owner && overlap(l, start, end) &&
	       (l->type == LINUX_F_WRLCK || type == LINUX_F_WRLCK);
}

static struct lock_rec *posix_find_conflict(struct lock_ctx *c, void *owner, int type, int64_t start,
					    int64_t end)
{
	for (struct lock_rec *l = c->posix; l; l = l->next)
		if (posix_conflict(l, owner, type, start, end))
			return l;
	return NULL;
}

/* fs/locks.c posix_locks_deadlock(): follow "the owner of the lock that
 * blocker's owner waits for" and see whether it comes back to owner. */
static bool posix_deadlock(void *owner, void *blocker)
{
	for (int i = 0;;) {
		struct lock_waiter *w = locks.waiters;
		while (w && !(w->owner == blocker && w->blocker))
			w = w->next;
		if (!w)
			return false;
		blocker = w->blocker;
		if (i++ > MAX_DEADLK_ITERATIONS)
			return false;
		if (blocker == owner)
			return true;
	}
}

/* Link r among its owner's locks, by start; a new owner goes last. */
static void posix_insert(struct lock_ctx *c, struct lock_rec *r)
{
	struct lock_rec **p = &c->posix, **first = NULL, **after = NULL;
	for (; *p; p = &(*p)->next)
		if ((*p)->owner == r->owner) {
			if (!first)
				first = p;
			if ((*p)->start < r->start)
				after = &(*p)->next;
		}
	p = after ? after : first ? first : p;
	r->next = *p;
	*p = r;
}

/* Apply owner's request on [start, end] (no conflict left): take the
 * range out of owner's locks, splitting one that straddles it, then add
 * the new lock merged with the same-type locks it touches. spare holds
 * two preallocated records; used ones are set to NULL. */
static int posix_apply(struct lock_ctx *c, void *owner, bool ofd, int pid, int type, int64_t start,
		       int64_t end, struct lock_rec *spare[2])
{
	int need = type != LINUX_F_UNLCK;
	for (struct lock_rec *l = c->posix; l; l = l->next)
		if (l->owner == owner && l->start < start && l->end > end)
			need++;
	if (need && locks.nrecs + need > LOCKS_MAX)
		return -ENOLCK;
	for (struct lock_rec **p = &c->posix; *p;) {
		struct lock_rec *l = *p;
		if (l->owner != owner || !overlap(l, start, end)) {
			p = &l->next;
			continue;
		}
		if (l->start < start && l->end > end) {
			/* The request falls inside: l keeps the left part, a
			 * new record the right one. */
			struct lock_rec *r = spare[1];
			spare[1] = NULL;
			*r = *l;
			r->start = end + 1;
			l->end = start - 1;
			l->next = r;
			locks.nrecs++;
			p = &r->next;
		} else if (l->start < start) {
			l->end = start - 1;
			p = &l->next;
		} else if (l->end > end) {
			l->start = end + 1;
			p = &l->next;
		} else {
			*p = l->next;
			rec_free(l);
		}
	}
	if (type == LINUX_F_UNLCK)
		return 0;
	/* Same-type neighbours that touch the range merge into it. */
	for (struct lock_rec **p = &c->posix; *p;) {
		struct lock_rec *l = *p;
		bool touches = l->owner == owner && l->type == type &&
			       (l->end == start - 1 || (end < INT64_MAX && l->start == end + 1));
		if (!touches) {
			p = &l->next;
			continue;
		}
		if (l->start < start)
			start = l->start;
		if (l->end > end)
			end = l->end;
		*p = l->next;
		rec_free(l);
	}
	struct lock_rec *r = spare[0];
	spare[0] = NULL;
	*r = (struct lock_rec){ .start = start, .end = end, .type = type, .ofd = ofd, .owner = owner, .pid = pid };
	locks.nrecs++;
	posix_insert(c, r);
	return 0;
}

/* Where the file's offset is now, for SEEK_CUR (Linux's f_pos). */
static int64_t file_offset(struct file *f)
{
	if (f->keeps_pos || f->host_fd < 0) {
		pthread_mutex_lock(&f->pos_lock);
		int64_t pos = f->pos;
		pthread_mutex_unlock(&f->pos_lock);
		return pos;
	}
	off_t r = lseek(f->host_fd, 0, SEEK_CUR);
	return r < 0 ? 0 : r;
}

/* fs/locks.c flock64_to_posix_lock(): the byte range a struct flock
 * names, then its type. */
static int flock_range(struct file *f, const struct linux_flock *l, int64_t *start, int64_t *end)
{
	int64_t base;
	switch (l->l_whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = file_offset(f);
		break;
	case SEEK_END: {
		struct kstat st;
		base = file_getattr(f, &st) == 0 ? (int64_t)st.size : 0;
		break;
	}
	default:
		return -EINVAL;
	}
	if (l->l_start > INT64_MAX - base)
		return -EOVERFLOW;
	int64_t s = base + l->l_start, e;
	if (s < 0)
		return -EINVAL;
	if (l->l_len > 0) {
		if (l->l_len - 1 > INT64_MAX - s)
			return -EOVERFLOW;
		e = s + (l->l_len - 1);
	} else if (l->l_len < 0) {
		/* POSIX-2001: the l_len bytes before l_start. */
		if (s + l->l_len < 0)
			return -EINVAL;
		e = s - 1;
		s += l->l_len;
	} else {
		e = INT64_MAX;
	}
	if (l->l_type != LINUX_F_RDLCK && l->l_type != LINUX_F_WRLCK && l->l_type != LINUX_F_UNLCK)
		return -EINVAL;
	*start = s;
	*end = e;
	return 0;
}

/* fs/locks.c fcntl_getlk(). */
static long posix_getlk(struct task *t, struct file *f, bool ofd, uint64_t arg)
{
	struct linux_flock fl;
	if (copy_from_guest(t, &fl, arg, sizeof fl) < 0)
		return -EFAULT;
	/* F_OFD_GETLK takes F_UNLCK too: "any lock of this description". */
	if (!ofd && fl.l_type != LINUX_F_RDLCK && fl.l_type != LINUX_F_WRLCK)
		return -EINVAL;
	int64_t start, end;
	long rc = flock_range(f, &fl, &start, &end);
	if (rc < 0)
		return rc;
	if (ofd && fl.l_pid != 0)
		return -EINVAL;
	void *owner = ofd ? (void *)f : (void *)t->files;
	struct lock_key k;
	if ((rc = file_key(f, &k)) < 0)
		return rc;
	pthread_mutex_lock(&locks.lock);
	struct lock_ctx *c = ctx_find(&k, false);
	struct lock_rec *hit = NULL;
	for (struct lock_rec *l = c ? c->posix : NULL; l && !hit; l = l->next)
		if (fl.l_type == LINUX_F_UNLCK ? l->owner == owner && overlap(l, start, end)
					       : posix_conflict(l, owner, fl.l_type, start, end))
			hit = l;
	if (hit) {
		fl.l_type = (int16_t)hit->type;
		fl.l_whence = SEEK_SET;
		fl.l_start = hit->start;
		fl.l_len = hit->end == INT64_MAX ? 0 : hit->end - hit->start + 1;
		fl.l_pid = hit->ofd ? -1 : hit->pid;
	} else {
		fl.l_type = LINUX_F_UNLCK;
	}
	pthread_mutex_unlock(&locks.lock);
	return copy_to_guest(t, arg, &fl, sizeof fl) < 0 ? -EFAULT : 0;
}

/* fs/locks.c fcntl_setlk() and posix_lock_inode(). */
static long posix_setlk(struct task *t, struct file *f, bool ofd, bool wait, uint64_t arg)
{
	struct linux_flock fl;
	if (copy_from_guest(t, &fl, arg, sizeof fl) < 0)
		return -EFAULT;
	int64_t start, end;
	long rc = flock_range(f, &fl, &start, &end);
	if (rc < 0)
		return rc;
	/* check_fmode_for_setlk(): each type needs its access. */
	if ((fl.l_type == LINUX_F_RDLCK && !f->readable) || (fl.l_type == LINUX_F_WRLCK && !f->writable))
		return -EBADF;
	if (ofd && fl.l_pid != 0)
		return -EINVAL;
	void *owner = ofd ? (void *)f : (void *)t->files;
	struct lock_key k;
	if ((rc = file_key(f, &k)) < 0)
		return rc;
	struct lock_rec *spare[2] = { malloc(sizeof(struct lock_rec)), malloc(sizeof(struct lock_rec)) };
	if (!spare[0] || !spare[1]) {
		free(spare[0]);
		free(spare[1]);
		return -ENOLCK;
	}
	pthread_mutex_lock(&locks.lock);
	struct lock_ctx *c = ctx_find(&k, fl.l_type != LINUX_F_UNLCK);
	if (!c) {
		rc = fl.l_type == LINUX_F_UNLCK ? 0 : -ENOLCK;
		goto out;
	}
	for (;;) {
		struct lock_rec *l = fl.l_type == LINUX_F_UNLCK ? NULL
			: posix_find_conflict(c, owner, fl.l_type, start, end);
		if (!l) {
			rc = posix_apply(c, owner, ofd, t->tg->pid, fl.l_type, start, end, spare);
			if (rc == 0)
				ctx_wake(c);
			break;
		}
		if (!wait) {
			rc = -EAGAIN;
			break;
		}
		/* OFD locks have no owning process to follow. */
		if (!ofd && !l->ofd && posix_deadlock(owner, l->owner)) {
			rc = -EDEADLK;
			break;
		}
		if ((rc = lock_wait(t, c, owner, l->ofd ? NULL : l->owner)) < 0)
			break;
	}
	ctx_maybe_free(c);
out:
	pthread_mutex_unlock(&locks.lock);
	free(spare[0]);
	free(spare[1]);
	return rc;
}

long file_lock_fcntl(struct task *t, struct file *f, int cmd, uint64_t arg)
{
	/* fs/fcntl.c check_fcntl_cmd(): an O_PATH fd takes no locks. */
	if (f->flags & O_PATH)
		return -EBADF;
	switch (cmd) {
	case LINUX_F_GETLK:
		return posix_getlk(t, f, false, arg);
	case LINUX_F_OFD_GETLK:
		return posix_getlk(t, f, true, arg);
	case LINUX_F_SETLK:
	case LINUX_F_SETLKW:
		return posix_setlk(t, f, false, cmd == LINUX_F_SETLKW, arg);
	case LINUX_F_OFD_SETLK:
	case LINUX_F_OFD_SETLKW:
		return posix_setlk(t, f, true, cmd == LINUX_F_OFD_SETLKW, arg);
	}
	return -EINVAL;
}

/* flock */

/* fs/locks.c sys_flock() and flock_lock_inode(). */
long file_lock_flock(struct task *t, struct file *f, unsigned int cmd)
{
	/* LOCK_MAND is ignored these days, whatever else is asked. */
	if (cmd & LINUX_LOCK_MAND)
		return 0;
	int type;
	switch (cmd & ~LINUX_LOCK_NB) {
	case LINUX_LOCK_SH: type = LINUX_F_RDLCK; break;
	case LINUX_LOCK_EX: type = LINUX_F_WRLCK; break;
	case LINUX_LOCK_UN: type = LINUX_F_UNLCK; break;
	default: return -EINVAL;
	}
	if (!f || (f->flags & O_PATH))
		return -EBADF;
	if (type != LINUX_F_UNLCK && !f->readable && !f->writable)
		return -EBADF;
	struct lock_key k;
	long rc = file_key(f, &k);
	if (rc < 0)
		return rc;
	struct lock_rec *n = malloc(sizeof *n);
	if (!n)
		return -ENOLCK;
	pthread_mutex_lock(&locks.lock);
	struct lock_ctx *c = ctx_find(&k, type != LINUX_F_UNLCK);
	if (!c) {
		rc = type == LINUX_F_UNLCK ? 0 : -ENOLCK;
		goto out;
	}
	for (;;) {
		/* A conversion drops the old lock first: it is not atomic. */
		struct lock_rec **p = &c->flocks;
		while (*p && (*p)->owner != f)
			p = &(*p)->next;
		if (*p) {
			if ((*p)->type == type) {
				rc = 0;
				break;
			}
			struct lock_rec *old = *p;
			*p = old->next;
			rec_free(old);
			ctx_wake(c);
		}
		if (type == LINUX_F_UNLCK) {
			rc = 0;
			break;
		}
		struct lock_rec *l = c->flocks;
		while (l && !(type == LINUX_F_WRLCK || l->type == LINUX_F_WRLCK))
			l = l->next;
		if (!l) {
			if (locks.nrecs >= LOCKS_MAX) {
				rc = -ENOLCK;
				break;
			}
			*n = (struct lock_rec){ .start = 0, .end = INT64_MAX, .type = type, .owner = f,
						.pid = t->tg->pid };
			/* Last, as Linux lists them. */
			for (p = &c->flocks; *p; p = &(*p)->next)
				;
			*p = n;
			n = NULL;
			locks.nrecs++;
			rc = 0;
			break;
		}
		if (cmd & LINUX_LOCK_NB) {
			rc = -EWOULDBLOCK;
			break;
		}
		if ((rc = lock_wait(t, c, f, NULL)) < 0)
			break;
	}
	ctx_maybe_free(c);
out:
	pthread_mutex_unlock(&locks.lock);
	free(n);
	return rc;
}

/* Remove every record of owner from the list: whether any went. */
static bool drop_owner(struct lock_rec **list, const void *owner)
{
	bool changed = false;
	for (struct lock_rec **p = list; *p;) {
		struct lock_rec *l = *p;
		if (l->owner == owner) {
			*p = l->next;
			rec_free(l);
			changed = true;
		} else {
			p = &l->next;
		}
	}
	return changed;
}

/* Release */

void file_lock_close(struct file *f, struct fdtable *owner)
{
	if (!atomic_load(&locks.nctx) || !f)
		return;
	struct lock_key k;
	if (file_key(f, &k) < 0)
		return;
	pthread_mutex_lock(&locks.lock);
	struct lock_ctx *c = ctx_find(&k, false);
	if (c && c->posix) {
		if (drop_owner(&c->posix, owner))
			ctx_wake(c);
		ctx_maybe_free(c);
	}
	pthread_mutex_unlock(&locks.lock);
}

void file_lock_release(struct file *f)
{
	if (!atomic_load(&locks.nctx))
		return;
	struct lock_key k;
	if (file_key(f, &k) < 0)
		return;
	pthread_mutex_lock(&locks.lock);
	struct lock_ctx *c = ctx_find(&k, false);
	if (c) {
		/* Both sides run: | not ||. */
		if (drop_owner(&c->posix, f) | drop_owner(&c->flocks, f))
			ctx_wake(c);
		ctx_maybe_free(c);
	}
	pthread_mutex_unlock(&locks.lock);
}
