/* epoll: a host epoll instance per guest epoll file, watching the guest
 * files' host fds, so level and edge triggering, EPOLLONESHOT,
 * EPOLLEXCLUSIVE, nesting and loop detection are the host's. cvisor keeps
 * the registrations too, keyed as Linux keys them (file, fd): each is a
 * host registration whose data names it, so a second fd of one file gets
 * a host fd of its own (the host keys by its open file), files whose
 * readiness is cvisor's (file_ops poll) are translated, and a
 * registration ends with its file (epoll_file_release), as Linux's does
 * with the last reference to the file. */
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fdtable.h"
#include "guest_mem.h"
#include "process.h"
#include "signal.h"
#include "syscalls.h"

/* include/uapi/linux/eventpoll.h: struct epoll_event is packed on x86-64. */
_Static_assert(sizeof(struct epoll_event) == 12, "struct epoll_event is 12 bytes");
/* fs/eventpoll.c */
#define EP_MAX_EVENTS (0x7fffffff / (int)sizeof(struct epoll_event))
#define EP_FLAGS (EPOLLET | EPOLLONESHOT | EPOLLEXCLUSIVE | EPOLLWAKEUP)
#define EPOLLEXCLUSIVE_OK_BITS (EPOLLIN | EPOLLOUT | EPOLLERR | EPOLLHUP | EPOLLWAKEUP | EPOLLET | EPOLLEXCLUSIVE)
/* Events fetched per host call; a guest asking for more gets at most these. */
#define EP_BATCH 1024

struct ep_item {
	struct file *file;        /* watched; not a reference (it ends first) */
	int fd;                   /* the guest fd it was added by */
	int kfd;                  /* the host fd registered: the file's or a dup */
	bool own_kfd;             /* the dup, closed with the item */
	bool disarmed;            /* EPOLLONESHOT reported it */
	uint32_t events;          /* the guest's */
	uint64_t data;
	uint32_t gen;
};

struct eventpoll {
	int host_fd;
	struct ep_item **slot;    /* host data: generation << 32 | slot */
	int nslots;
	uint32_t gen;
	int per_task;             /* items with poll_per_task files */
	struct eventpoll *prev, *next;
};

/* Every eventpoll and its items. Taken before kernel.lock (file poll
 * hooks run under it), never around file_put. */
static pthread_mutex_t ep_lock = PTHREAD_MUTEX_INITIALIZER;
static struct eventpoll *eps;

static void item_drop_locked(struct eventpoll *e, int i, bool host_del)
{
	struct ep_item *it = e->slot[i];
	if (host_del)
		epoll_ctl(e->host_fd, EPOLL_CTL_DEL, it->kfd, NULL);
	if (it->own_kfd)
		close(it->kfd);
	atomic_fetch_sub(&it->file->epoll_items, 1);
	if (it->file->ops && it->file->ops->poll_per_task)
		e->per_task--;
	free(it);
	e->slot[i] = NULL;
}

static void epoll_release(struct file *f)
{
	struct eventpoll *e = f->priv;
	pthread_mutex_lock(&ep_lock);
	for (int i = 0; i < e->nslots; i++)
		if (e->slot[i])
			item_drop_locked(e, i, false); /* the host epoll goes too */
	if (e->prev)
		e->prev->next = e->next;
	else
		eps = e->next;
	if (e->next)
		e->next->prev = e->prev;
	pthread_mutex_unlock(&ep_lock);
	free(e->slot);
	free(e);
}

static const struct file_ops epoll_ops = { .name = "[eventpoll]", .release = epoll_release };

void epoll_file_release(struct file *f)
{
	pthread_mutex_lock(&ep_lock);
	for (struct eventpoll *e = eps; e && f->epoll_items; e = e->next)
		for (int i = 0; i < e->nslots; i++)
			if (e->slot[i] && e->slot[i]->file == f)
				item_drop_locked(e, i, true);
	pthread_mutex_unlock(&ep_lock);
}

/* The host events for an item's guest events. */
static uint32_t host_events(struct file *f, uint32_t events)
{
	uint32_t ev = events & ~EP_FLAGS;
	if (f->ops && f->ops->poll_events)
		ev = f->ops->poll_events(f, ev);
	return ev | (events & EP_FLAGS);
}

static uint64_t key_of(const struct ep_item *it, int i)
{
	return (uint64_t)it->gen << 32 | (uint32_t)i;
}

void epoll_file_changed(struct file *f)
{
	if (!f->epoll_items)
		return;
	pthread_mutex_lock(&ep_lock);
	for (struct eventpoll *e = eps; e; e = e->next)
		for (int i = 0; i < e->nslots; i++) {
			struct ep_item *it = e->slot[i];
			if (!it || it->file != f || it->disarmed)
				continue;
			struct epoll_event hev = { host_events(f, it->events), { .u64 = key_of(it, i) } };
			/* An EPOLLEXCLUSIVE registration cannot be modified: anew. */
			if (epoll_ctl(e->host_fd, EPOLL_CTL_MOD, it->kfd, &hev) < 0) {
				epoll_ctl(e->host_fd, EPOLL_CTL_DEL, it->kfd, NULL);
				epoll_ctl(e->host_fd, EPOLL_CTL_ADD, it->kfd, &hev);
			}
		}
	pthread_mutex_unlock(&ep_lock);
}

long sys_epoll_create1(struct task *t, SYSCALL_ARGS)
{
	int flags = (int)a[0];
	if (flags & ~EPOLL_CLOEXEC)
		return -EINVAL;
	struct eventpoll *e = calloc(1, sizeof *e);
	if (!e)
		return -ENOMEM;
	int fd = epoll_create1(EPOLL_CLOEXEC);
	if (fd < 0) {
		free(e);
		return -errno;
	}
	e->host_fd = fd;
	struct file *f = file_new_host(fd, true);
	if (!f) {
		close(fd);
		free(e);
		return -ENFILE;
	}
	f->ops = &epoll_ops;
	f->priv = e;
	pthread_mutex_lock(&ep_lock);
	e->next = eps;
	if (eps)
		eps->prev = e;
	eps = e;
	pthread_mutex_unlock(&ep_lock);
	long rc = fd_install(t, f, 0, flags & EPOLL_CLOEXEC);
	file_put(f);
	return rc;
}

long sys_epoll_create(struct task *t, SYSCALL_ARGS)
{
	if ((int)a[0] <= 0)
		return -EINVAL;
	return sys_epoll_create1(t, (uint64_t[6]){ 0 });
}

static int find_locked(struct eventpoll *e, struct file *f, int fd)
{
	for (int i = 0; i < e->nslots; i++)
		if (e->slot[i] && e->slot[i]->file == f && e->slot[i]->fd == fd)
			return i;
	return -1;
}

/* fs/eventpoll.c ep_insert(), on the host. */
static long insert_locked(struct eventpoll *e, struct file *tf, int fd, const struct epoll_event *ev)
{
	int i = 0;
	while (i < e->nslots && e->slot[i])
		i++;
	if (i == e->nslots) {
		int n = e->nslots ? e->nslots * 2 : 16;
		struct ep_item **s = realloc(e->slot, (size_t)n * sizeof *s);
		if (!s)
			return -ENOMEM;
		for (int k = e->nslots; k < n; k++)
			s[k] = NULL;
		e->slot = s;
		e->nslots = n;
	}
	struct ep_item *it = calloc(1, sizeof *it);
	if (!it)
		return -ENOMEM;
	*it = (struct ep_item){ .file = tf, .fd = fd, .kfd = tf->host_fd, .events = ev->events,
				.data = ev->data.u64, .gen = ++e->gen };
	struct epoll_event hev = { host_events(tf, ev->events), { .u64 = key_of(it, i) } };
	int r = epoll_ctl(e->host_fd, EPOLL_CTL_ADD, it->kfd, &hev);
	if (r < 0 && errno == EEXIST) {
		/* Another fd of the same open file: the host needs its own. */
		it->kfd = fcntl(tf->host_fd, F_DUPFD_CLOEXEC, 0);
		it->own_kfd = it->kfd >= 0;
		r = it->kfd < 0 ? -1 : epoll_ctl(e->host_fd, EPOLL_CTL_ADD, it->kfd, &hev);
	}
	if (r < 0) {
		long rc = -errno;
		if (it->own_kfd)
			close(it->kfd);
		free(it);
		return rc;
	}
	e->slot[i] = it;
	atomic_fetch_add(&tf->epoll_items, 1);
	if (tf->ops && tf->ops->poll_per_task)
		e->per_task++;
	return 0;
}

/* fs/eventpoll.c do_epoll_ctl(), errno for errno in its order. */
long sys_epoll_ctl(struct task *t, SYSCALL_ARGS)
{
	int op = (int)a[1], fd = (int)a[2];
	struct epoll_event ev = { 0 };
	if (op != EPOLL_CTL_DEL && copy_from_guest(t, &ev, a[3], sizeof ev) < 0)
		return -EFAULT;
	struct file *ep = fd_get(t, (int)a[0]), *tf = fd_get(t, fd);
	if (!ep || (ep->flags & O_PATH) || !tf || (tf->flags & O_PATH))
		return -EBADF;
	/* file_can_poll(): regular files and directories have no poll. */
	if (tf->host_fd < 0 || (tf->inode && (S_ISREG(tf->inode->mode) || S_ISDIR(tf->inode->mode))))
		return -EPERM;
	if (ep == tf || ep->ops != &epoll_ops)
		return -EINVAL;
	if (op != EPOLL_CTL_DEL && (ev.events & EPOLLEXCLUSIVE)) {
		if (op == EPOLL_CTL_MOD)
			return -EINVAL;
		if (op == EPOLL_CTL_ADD && (tf->ops == &epoll_ops || (ev.events & ~EPOLLEXCLUSIVE_OK_BITS)))
			return -EINVAL;
	}
	struct eventpoll *e = ep->priv;
	long rc = 0;
	pthread_mutex_lock(&ep_lock);
	int i = find_locked(e, tf, fd);
	struct ep_item *it = i >= 0 ? e->slot[i] : NULL;
	switch (op) {
	case EPOLL_CTL_ADD:
		rc = it ? -EEXIST : insert_locked(e, tf, fd, &ev);
		break;
	case EPOLL_CTL_DEL:
		if (it)
			item_drop_locked(e, i, true);
		else
			rc = -ENOENT;
		break;
	case EPOLL_CTL_MOD:
		if (!it)
			rc = -ENOENT;
		else if (it->events & EPOLLEXCLUSIVE)
			rc = -EINVAL;
		else {
			struct epoll_event hev = { host_events(tf, ev.events), { .u64 = key_of(it, i) } };
			if (epoll_ctl(e->host_fd, EPOLL_CTL_MOD, it->kfd, &hev) < 0) {
				rc = -errno;
			} else {
				it->events = ev.events;
				it->data = ev.data.u64;
				it->disarmed = false;
			}
		}
		break;
	default:
		rc = -EINVAL;
	}
	pthread_mutex_unlock(&ep_lock);
	return rc;
}

/* The host's events as the guest's: its data, readiness cvisor's where
 * the file's is (0: none after all). */
static uint32_t translate_locked(struct task *t, struct eventpoll *e, struct epoll_event *ev)
{
	uint32_t i = (uint32_t)ev->data.u64;
	struct ep_item *it = i < (uint32_t)e->nslots ? e->slot[i] : NULL;
	if (!it || it->gen != ev->data.u64 >> 32)
		return 0; /* removed since */
	uint32_t rev = ev->events;
	struct file *f = it->file;
	if (f->ops && f->ops->poll)
		rev = f->ops->poll(t, f, rev) & (it->events | EPOLLERR | EPOLLHUP) & ~EP_FLAGS;
	if (it->events & EPOLLONESHOT) {
		if (rev) {
			it->disarmed = true;
		} else {
			/* Not ready after all: armed again, as it was. */
			struct epoll_event hev = { host_events(f, it->events), { .u64 = ev->data.u64 } };
			epoll_ctl(e->host_fd, EPOLL_CTL_MOD, it->kfd, &hev);
		}
	}
	ev->data.u64 = it->data;
	return rev;
}

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Wait on epfd's host epoll for up to timeout_ms (-1: forever). */
static long do_epoll_wait(struct task *t, uint64_t epfd, uint64_t events, int maxevents, int timeout_ms)
{
	if (maxevents <= 0 || maxevents > EP_MAX_EVENTS)
		return -EINVAL;
	if (!guest_range_ok(events, (size_t)maxevents * sizeof(struct epoll_event)))
		return -EFAULT;
	struct file *ep = fd_get(t, (int)epfd);
	if (!ep || (ep->flags & O_PATH))
		return -EBADF;
	if (ep->ops != &epoll_ops)
		return -EINVAL;
	int n = maxevents < EP_BATCH ? maxevents : EP_BATCH;
	struct epoll_event *buf = malloc((size_t)n * sizeof *buf);
	if (!buf)
		return -ENOMEM;
	file_get(ep);
	struct eventpoll *e = ep->priv;
	int64_t deadline = timeout_ms > 0 ? now_ms() + timeout_ms : 0;
	long rc;
	for (;;) {
		pthread_mutex_lock(&ep_lock);
		/* A signalfd's readiness is the waiter's. */
		for (int i = 0; e->per_task && i < e->nslots; i++) {
			struct file *f = e->slot[i] ? e->slot[i]->file : NULL;
			if (f && f->ops && f->ops->poll_per_task)
				f->ops->poll(t, f, 0);
		}
		pthread_mutex_unlock(&ep_lock);
		/* A signal already posted would not kick the call below. */
		pthread_mutex_lock(&kernel.lock);
		bool pending = signal_pending_locked(t);
		pthread_mutex_unlock(&kernel.lock);
		int left = timeout_ms;
		if (timeout_ms > 0 && (left = (int)(deadline - now_ms())) < 0)
			left = 0;
		int got = epoll_wait(e->host_fd, buf, n, pending ? 0 : left);
		if (got < 0) {
			/* fs/eventpoll.c ep_poll(): EINTR, never restarted. */
			rc = errno == EINTR ? -EINTR : -errno;
			break;
		}
		int kept = 0;
		pthread_mutex_lock(&ep_lock);
		for (int k = 0; k < got; k++) {
			uint32_t rev = translate_locked(t, e, &buf[k]);
			if (rev)
				buf[kept++] = (struct epoll_event){ rev, buf[k].data };
		}
		pthread_mutex_unlock(&ep_lock);
		rc = kept;
		if (kept == 0 && pending && timeout_ms != 0) {
			rc = -EINTR;
			break;
		}
		/* Events cvisor took back: wait on for the rest of the time. */
		if (kept || got == 0 || left == 0)
			break;
	}
	if (rc > 0 && copy_to_guest(t, events, buf, (size_t)rc * sizeof *buf) < 0)
		rc = -EFAULT;
	file_put(ep);
	free(buf);
	return rc;
}
long sys_epoll_wait(struct task *t, SYSCALL_ARGS)
{
	return do_epoll_wait(t, a[0], a[1], (int)a[2], (int)a[3] < 0 ? -1 : (int)a[3]);
}

/* epoll_pwait and pwait2: the mask is in place for the wait, and stays
 * until the handler's frame when the wait was interrupted. */
static long pwait(struct task *t, SYSCALL_ARGS, int timeout_ms)
{
	if (a[4]) {
		uint64_t mask;
		if (a[5] != sizeof mask)
			return -EINVAL;
		if (copy_from_guest(t, &mask, a[4], sizeof mask) < 0)
			return -EFAULT;
		signal_wait_mask_begin(t, mask);
	}
	long rc = do_epoll_wait(t, a[0], a[1], (int)a[2], timeout_ms);
	if (a[4])
		signal_wait_mask_end(t, rc == -EINTR ? -ERESTARTNOHAND : rc);
	return rc;
}

long sys_epoll_pwait(struct task *t, SYSCALL_ARGS)
{
	return pwait(t, a, (int)a[3] < 0 ? -1 : (int)a[3]);
}

long sys_epoll_pwait2(struct task *t, SYSCALL_ARGS)
{
	int timeout_ms;
	long rc = guest_timeout_ms(t, a[3], &timeout_ms);
	return rc < 0 ? rc : pwait(t, a, timeout_ms);
}
