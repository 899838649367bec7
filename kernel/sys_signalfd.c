/* signalfd and signalfd4, emulated: a read dequeues the reader's pending
 * signals in the file's mask as struct signalfd_siginfo. Readiness is the
 * polling task's too (fs/signalfd.c signalfd_poll(): current's pending
 * and its process's), so the file follows whoever last polled or read it:
 * its host fd is an eventfd that cvisor keeps readable (counter 1) while
 * a signal in the mask is pending for that thread, which wakes the host
 * waits of poll, select and epoll (signalfd_update, called wherever
 * pending sets change); the poll hook gives the answer for the poller. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <sys/uio.h>
#include <unistd.h>

#include "fdtable.h"
#include "guest_mem.h"
#include "process.h"
#include "signal.h"
#include "syscalls.h"

struct signalfd {
	uint64_t mask;           /* what it reads; never SIGKILL or SIGSTOP */
	int pid, tid;            /* the thread it follows, and its process */
	int efd;                 /* its file's host fd */
	bool ready;              /* efd's counter is 1 */
	struct signalfd *next;
};

/* Every live signalfd (kernel.lock). */
static struct signalfd *signalfds;

static void set_ready(struct signalfd *s, bool ready)
{
	if (ready == s->ready)
		return;
	uint64_t v = 1;
	/* The counter is 0 or 1, so neither call can block. */
	if ((ready ? write(s->efd, &v, 8) : read(s->efd, &v, 8)) == 8)
		s->ready = ready;
}

/* What thread tid of g may read: its pending and g's (all of g's
 * threads' once it is gone). */
static uint64_t pending_of(struct thread_group *g, int tid)
{
	uint64_t threads = 0;
	for (struct task *o = g->threads; o; o = o->next_in_group) {
		if (o->tid == tid)
			return g->shared_pending.set | o->sig.pending.set;
		threads |= o->sig.pending.set;
	}
	return g->shared_pending.set | threads;
}

void signalfd_update(struct thread_group *g)
{
	if (!signalfds)
		return;
	bool any = false;
	for (struct signalfd *s = signalfds; s; s = s->next)
		if (s->pid == g->pid) {
			set_ready(s, pending_of(g, s->tid) & s->mask);
			any = true;
		}
	/* A blocked signal kicks nobody: wake blocking reads here. */
	if (any)
		kernel_wake_all();
}

/* kernel/signal.c siginfo_layout() and fs/signalfd.c signalfd_copyinfo():
 * which siginfo fields a signal carries depends on its code. */
static void to_ssi(struct linux_signalfd_siginfo *o, const struct linux_siginfo *i)
{
	*o = (struct linux_signalfd_siginfo){ .ssi_signo = (uint32_t)i->si_signo, .ssi_errno = i->si_errno,
					      .ssi_code = i->si_code };
	int sig = i->si_signo, code = i->si_code;
	if (code > LINUX_SI_USER && code < LINUX_SI_KERNEL && sig < LINUX_SIGRTMIN) {
		if (sig == LINUX_SIGCHLD) {
			o->ssi_pid = (uint32_t)i->u.chld.pid;
			o->ssi_uid = i->u.chld.uid;
			o->ssi_status = i->u.chld.status;
			o->ssi_utime = (uint64_t)i->u.chld.utime;
			o->ssi_stime = (uint64_t)i->u.chld.stime;
		} else if (sig == LINUX_SIGSEGV || sig == LINUX_SIGBUS || sig == LINUX_SIGILL ||
			   sig == LINUX_SIGFPE || sig == LINUX_SIGTRAP) {
			o->ssi_addr = i->u.fault.addr;
		}
	} else if (code == LINUX_SI_TIMER) {
		o->ssi_tid = (uint32_t)i->u.timer.tid;
		o->ssi_overrun = (uint32_t)i->u.timer.overrun;
		o->ssi_ptr = i->u.timer.value;
		o->ssi_int = (int32_t)i->u.timer.value;
	} else {
		o->ssi_pid = (uint32_t)i->u.kill.pid;
		o->ssi_uid = i->u.kill.uid;
		if (code < 0) { /* SIL_RT: sigqueue and tkill carry a value */
			o->ssi_ptr = i->u.kill.value;
			o->ssi_int = (int32_t)i->u.kill.value;
		}
	}
}

/* Scatter len bytes of buf over the guest's iovecs. */
static long put_iov(struct task *t, const struct iovec *iov, int n, const void *buf, size_t len)
{
	size_t done = 0;
	for (int i = 0; i < n && done < len; i++) {
		size_t c = iov[i].iov_len < len - done ? iov[i].iov_len : len - done;
		if (c && copy_to_guest(t, (uint64_t)(uintptr_t)iov[i].iov_base, (const char *)buf + done, c) < 0)
			return -EFAULT;
		done += c;
	}
	return (long)done;
}

/* s follows t from now on (kernel.lock): whether t may read it. */
static bool follow(struct signalfd *s, struct task *t)
{
	s->pid = t->tg->pid;
	s->tid = t->tid;
	bool ready = (t->sig.pending.set | t->tg->shared_pending.set) & s->mask;
	set_ready(s, ready);
	return ready;
}

static unsigned signalfd_poll(struct task *t, struct file *f, unsigned host_revents)
{
	(void)host_revents;
	pthread_mutex_lock(&kernel.lock);
	bool ready = follow(f->priv, t);
	pthread_mutex_unlock(&kernel.lock);
	return ready ? POLLIN : 0;
}

/* Only ever readable (the eventfd is writable too). */
static unsigned signalfd_poll_events(struct file *f, unsigned events)
{
	(void)f;
	return events & POLLIN;
}

#define SIGNALFD_BATCH 32

static long signalfd_read(struct task *t, struct file *f, const struct iovec *iov, int n, size_t total)
{
	struct signalfd *s = f->priv;
	size_t max = total / sizeof(struct linux_signalfd_siginfo);
	if (max == 0)
		return -EINVAL;
	if (max > SIGNALFD_BATCH)
		max = SIGNALFD_BATCH;
	struct linux_signalfd_siginfo out[SIGNALFD_BATCH];
	size_t got = 0;
	long rc = 0;
	pthread_mutex_lock(&kernel.lock);
	follow(s, t);
	for (;;) {
		struct linux_siginfo info;
		/* fs/signalfd.c: the first waits (unless O_NONBLOCK), the rest
		 * are taken only if already there. */
		while (got < max && signal_dequeue_mask(t, s->mask, &info))
			to_ssi(&out[got++], &info);
		if (got)
			break;
		if (f->flags & O_NONBLOCK) {
			rc = -EAGAIN;
			break;
		}
		if ((rc = kernel_sleep(t)) < 0)
			break;
	}
	pthread_mutex_unlock(&kernel.lock);
	return got ? put_iov(t, iov, n, out, got * sizeof out[0]) : rc;
}

static long signalfd_write(struct task *t, struct file *f, const struct iovec *iov, int n, size_t total)
{
	(void)t, (void)f, (void)iov, (void)n, (void)total;
	return -EINVAL;
}

static void signalfd_release(struct file *f)
{
	struct signalfd *s = f->priv;
	pthread_mutex_lock(&kernel.lock);
	for (struct signalfd **p = &signalfds; *p; p = &(*p)->next)
		if (*p == s) {
			*p = s->next;
			break;
		}
	pthread_mutex_unlock(&kernel.lock);
	free(s);
}

static const struct file_ops signalfd_ops = {
	.name = "[signalfd]", .read = signalfd_read, .write = signalfd_write, .release = signalfd_release,
	.poll = signalfd_poll, .poll_events = signalfd_poll_events, .poll_per_task = true,
};

/* fs/signalfd.c do_signalfd4() */
static long do_signalfd4(struct task *t, int fd, uint64_t mask, int flags)
{
	if (flags & ~(O_CLOEXEC | O_NONBLOCK))
		return -EINVAL;
	mask &= ~SIG_UNBLOCKABLE;
	if (fd != -1) {
		struct file *f = fd_get(t, fd);
		if (!f || (f->flags & O_PATH))
			return -EBADF;
		if (f->ops != &signalfd_ops)
			return -EINVAL;
		pthread_mutex_lock(&kernel.lock);
		((struct signalfd *)f->priv)->mask = mask;
		follow(f->priv, t);
		kernel_wake_all(); /* readers wait on the old mask */
		pthread_mutex_unlock(&kernel.lock);
		return fd;
	}
	struct signalfd *s = calloc(1, sizeof *s);
	if (!s)
		return -ENOMEM;
	int efd = eventfd(0, EFD_CLOEXEC | (flags & O_NONBLOCK));
	if (efd < 0) {
		free(s);
		return -errno;
	}
	struct file *f = file_new_host(efd, true);
	if (!f) {
		close(efd);
		free(s);
		return -ENFILE;
	}
	*s = (struct signalfd){ .mask = mask, .pid = t->tg->pid, .tid = t->tid, .efd = efd };
	f->ops = &signalfd_ops;
	f->priv = s;
	f->flags = O_RDWR | (flags & O_NONBLOCK);
	pthread_mutex_lock(&kernel.lock);
	s->next = signalfds;
	signalfds = s;
	signalfd_update(t->tg);
	pthread_mutex_unlock(&kernel.lock);
	long rc = fd_install(t, f, 0, flags & O_CLOEXEC);
	file_put(f);
	return rc;
}

long sys_signalfd4(struct task *t, SYSCALL_ARGS)
{
	uint64_t mask;
	if (a[2] != sizeof mask)
		return -EINVAL;
	if (copy_from_guest(t, &mask, a[1], sizeof mask) < 0)
		return -EFAULT;
	return do_signalfd4(t, (int)a[0], mask, (int)a[3]);
}

long sys_signalfd(struct task *t, SYSCALL_ARGS)
{
	return sys_signalfd4(t, (uint64_t[6]){ a[0], a[1], a[2], 0 });
}
