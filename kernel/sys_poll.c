/* poll and ppoll. Every guest fd is a host fd for now, so the host polls
 * them (a blocking host call a posted signal interrupts); when guest files
 * of cvisor's own come, they join through one readiness mechanism. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/select.h>

#include "fdtable.h"
#include "guest_mem.h"
#include "process.h"
#include "signal.h"
#include "syscalls.h"

/* include/uapi/asm-generic/poll.h: struct pollfd, as the host's. */
_Static_assert(sizeof(struct pollfd) == 8, "struct pollfd is 8 bytes");

/* ppoll's and pselect6's sigmask argument, put in place for the wait. */
static long wait_mask_begin(struct task *t, uint64_t addr, uint64_t size)
{
	uint64_t mask;
	if (size != 8)
		return -EINVAL;
	if (copy_from_guest(t, &mask, addr, sizeof mask) < 0)
		return -EFAULT;
	signal_wait_mask_begin(t, mask);
	return 0;
}

/* poll over nfds guest pollfds at addr, waiting timeout_ms (-1: forever). */
static long do_poll(struct task *t, uint64_t addr, uint64_t nfds, int timeout_ms)
{
	if (nfds > t->tg->rlimits[LINUX_RLIMIT_NOFILE].rlim_cur && nfds > FDTABLE_MAX)
		return -EINVAL;
	struct pollfd *fds = nfds ? calloc(nfds, sizeof *fds) : NULL;
	struct pollfd *host = nfds ? calloc(nfds, sizeof *host) : NULL;
	long rc = 0;
	if (nfds && (!fds || !host))
		rc = -ENOMEM;
	else if (nfds && copy_from_guest(t, fds, addr, nfds * sizeof *fds) < 0)
		rc = -EFAULT;
	int ready_now = 0;
	for (uint64_t i = 0; rc == 0 && i < nfds; i++) {
		struct file *f = fds[i].fd >= 0 ? fd_get(t, fds[i].fd) : NULL;
		/* A negative fd is skipped; a closed one is POLLNVAL at once. */
		host[i] = (struct pollfd){ .fd = f ? f->host_fd : -1, .events = fds[i].events };
		if (fds[i].fd >= 0 && !f)
			ready_now++;
	}
	if (rc == 0) {
		int n = poll(host, nfds, ready_now ? 0 : timeout_ms);
		if (n < 0)
			rc = errno == EINTR ? -ERESTARTNOHAND : -errno;
		else {
			rc = 0;
			for (uint64_t i = 0; i < nfds; i++) {
				fds[i].revents = fds[i].fd >= 0 && host[i].fd < 0 ? POLLNVAL : host[i].revents;
				rc += fds[i].revents != 0;
			}
			if (nfds && copy_to_guest(t, addr, fds, nfds * sizeof *fds) < 0)
				rc = -EFAULT;
		}
	}
	free(fds);
	free(host);
	return rc;
}

long sys_poll(struct task *t, SYSCALL_ARGS)
{
	return do_poll(t, a[0], a[1], (int)a[2] < 0 ? -1 : (int)a[2]);
}

long sys_ppoll(struct task *t, SYSCALL_ARGS)
{
	int timeout_ms;
	long rc = guest_timeout_ms(t, a[2], &timeout_ms);
	if (rc < 0)
		return rc;
	rc = a[3] ? wait_mask_begin(t, a[3], a[4]) : 0;
	if (rc < 0)
		return rc;
	rc = do_poll(t, a[0], a[1], timeout_ms);
	if (a[3])
		signal_wait_mask_end(t, rc);
	return rc;
}

/* select's fd_set: a bitmap of n bits in unsigned longs (linux/posix_types.h). */
#define FDSET_WORDS(n) (((n) + 63) / 64)

/* select/pselect6 over guest fd sets, translated to the host's fds. */
static long do_select(struct task *t, int n, uint64_t in_p, uint64_t out_p, uint64_t ex_p,
		      struct timespec *timeout)
{
	if (n < 0)
		return -EINVAL;
	if (n > FDTABLE_MAX)
		n = FDTABLE_MAX;
	uint64_t sets[3][FDSET_WORDS(FDTABLE_MAX)] = { { 0 } };
	const uint64_t addr[3] = { in_p, out_p, ex_p };
	size_t bytes = FDSET_WORDS(n) * 8;
	for (int k = 0; k < 3; k++)
		if (addr[k] && copy_from_guest(t, sets[k], addr[k], bytes) < 0)
			return -EFAULT;
	fd_set host[3];
	int host_max = -1;
	for (int k = 0; k < 3; k++)
		FD_ZERO(&host[k]);
	for (int fd = 0; fd < n; fd++) {
		bool want = false;
		for (int k = 0; k < 3; k++)
			want |= (sets[k][fd / 64] >> (fd % 64)) & 1;
		if (!want)
			continue;
		struct file *f = fd_get(t, fd);
		if (!f)
			return -EBADF;
		if (f->host_fd >= FD_SETSIZE)
			return -EINVAL;
		for (int k = 0; k < 3; k++)
			if ((sets[k][fd / 64] >> (fd % 64)) & 1)
				FD_SET(f->host_fd, &host[k]);
		host_max = f->host_fd > host_max ? f->host_fd : host_max;
	}
	int r = pselect(host_max + 1, &host[0], &host[1], &host[2], timeout, NULL);
	if (r < 0)
		return errno == EINTR ? -ERESTARTNOHAND : -errno;
	long ready = 0;
	for (int fd = 0; fd < n; fd++)
		for (int k = 0; k < 3; k++) {
			uint64_t bit = 1ULL << (fd % 64);
			if (!(sets[k][fd / 64] & bit))
				continue;
			if (FD_ISSET(fd_get(t, fd)->host_fd, &host[k]))
				ready++;
			else
				sets[k][fd / 64] &= ~bit;
		}
	for (int k = 0; k < 3; k++)
		if (addr[k] && copy_to_guest(t, addr[k], sets[k], bytes) < 0)
			return -EFAULT;
	return ready;
}

long sys_select(struct task *t, SYSCALL_ARGS)
{
	struct timespec ts, *tp = NULL;
	if (a[4]) {
		struct linux_timeval tv;
		if (copy_from_guest(t, &tv, a[4], sizeof tv) < 0)
			return -EFAULT;
		if (tv.tv_sec < 0 || tv.tv_usec < 0 || tv.tv_usec >= 1000000)
			return -EINVAL;
		ts = (struct timespec){ tv.tv_sec, tv.tv_usec * 1000 };
		tp = &ts;
	}
	return do_select(t, (int)a[0], a[1], a[2], a[3], tp);
}

long sys_pselect6(struct task *t, SYSCALL_ARGS)
{
	struct timespec ts, *tp = NULL;
	if (a[4]) {
		long rc = guest_timespec(t, a[4], &ts);
		if (rc < 0)
			return rc;
		tp = &ts;
	}
	/* a[5]: { const sigset_t *ss; size_t ss_len; } */
	uint64_t sigdata[2] = { 0, 0 };
	if (a[5] && copy_from_guest(t, sigdata, a[5], sizeof sigdata) < 0)
		return -EFAULT;
	bool masked = sigdata[0] != 0;
	long rc = masked ? wait_mask_begin(t, sigdata[0], sigdata[1]) : 0;
	if (rc < 0)
		return rc;
	rc = do_select(t, (int)a[0], a[1], a[2], a[3], tp);
	if (masked)
		signal_wait_mask_end(t, rc);
	return rc;
}
