/* poll, ppoll, select and pselect6: the host polls the guest files' host
 * fds (a blocking host call a posted signal interrupts); a file whose
 * readiness is cvisor's (file_ops poll) is translated. */
#include <errno.h>
#include <limits.h>
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

/* include/uapi/asm-generic/poll.h, fs/select.c: what select's sets mean. */
#define POLLIN_SET (POLLRDNORM | POLLRDBAND | POLLIN | POLLHUP | POLLERR)
#define POLLOUT_SET (POLLWRBAND | POLLWRNORM | POLLOUT | POLLERR)
#define POLLEX_SET POLLPRI

/* Poll nfds (guest fd, events) pairs into their revents, waiting up to
 * timeout (NULL: forever): the host polls the host fds; files whose
 * readiness is cvisor's (file_ops poll) are translated. The ready count. */
static long poll_files(struct task *t, struct pollfd *fds, uint64_t nfds, const struct timespec *timeout)
{
	struct pollfd *host = nfds ? calloc(nfds, sizeof *host) : NULL;
	struct file **hooked = nfds ? calloc(nfds, sizeof *hooked) : NULL;
	if (nfds && (!host || !hooked)) {
		free(host);
		free(hooked);
		return -ENOMEM;
	}
	int ready_now = 0;
	for (uint64_t i = 0; i < nfds; i++) {
		struct file *f = fds[i].fd >= 0 ? fd_get(t, fds[i].fd) : NULL;
		/* A negative fd is skipped; a closed one is POLLNVAL at once. */
		host[i] = (struct pollfd){ .fd = f ? f->host_fd : -1, .events = fds[i].events };
		if (fds[i].fd >= 0 && !f)
			ready_now++;
		if (f && f->ops && f->ops->poll) {
			hooked[i] = file_get(f);
			unsigned want = (unsigned)(uint16_t)fds[i].events | POLLERR | POLLHUP;
			if (f->ops->poll(t, f, 0) & want)
				ready_now++;
			if (f->ops->poll_events)
				host[i].events = (short)f->ops->poll_events(f, (uint16_t)fds[i].events);
		}
	}
	/* Whole milliseconds, rounded up: poll is the host call cvisor allows. */
	long ms = -1;
	if (timeout) {
		ms = timeout->tv_sec > INT_MAX / 1000 - 1 ? INT_MAX
			: (long)timeout->tv_sec * 1000 + (timeout->tv_nsec + 999999) / 1000000;
	}
	long rc = poll(host, nfds, ready_now ? 0 : (int)ms);
	if (rc < 0) {
		rc = errno == EINTR ? -ERESTARTNOHAND : -errno;
	} else {
		rc = 0;
		for (uint64_t i = 0; i < nfds; i++) {
			unsigned rev = fds[i].fd >= 0 && host[i].fd < 0 ? POLLNVAL : (uint16_t)host[i].revents;
			if (hooked[i])
				rev = hooked[i]->ops->poll(t, hooked[i], rev) &
				      ((uint16_t)fds[i].events | POLLERR | POLLHUP);
			fds[i].revents = (short)rev;
			rc += rev != 0;
		}
	}
	for (uint64_t i = 0; i < nfds; i++)
		file_put(hooked[i]);
	free(host);
	free(hooked);
	return rc;
}

/* poll over nfds guest pollfds at addr, waiting timeout_ms (-1: forever). */
static long do_poll(struct task *t, uint64_t addr, uint64_t nfds, int timeout_ms)
{
	if (nfds > t->tg->rlimits[LINUX_RLIMIT_NOFILE].rlim_cur && nfds > FDTABLE_MAX)
		return -EINVAL;
	struct pollfd *fds = nfds ? calloc(nfds, sizeof *fds) : NULL;
	long rc = 0;
	if (nfds && !fds)
		rc = -ENOMEM;
	else if (nfds && copy_from_guest(t, fds, addr, nfds * sizeof *fds) < 0)
		rc = -EFAULT;
	struct timespec ts = { timeout_ms / 1000, (long)(timeout_ms % 1000) * 1000000 };
	if (rc == 0)
		rc = poll_files(t, fds, nfds, timeout_ms < 0 ? NULL : &ts);
	if (rc >= 0 && nfds && copy_to_guest(t, addr, fds, nfds * sizeof *fds) < 0)
		rc = -EFAULT;
	free(fds);
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

/* select/pselect6 over guest fd sets: a poll of the fds in them
 * (fs/select.c do_select(): each set's bits from the poll mask). */
static long do_select(struct task *t, int n, uint64_t in_p, uint64_t out_p, uint64_t ex_p,
		      struct timespec *timeout)
{
	if (n < 0)
		return -EINVAL;
	if (n > FDTABLE_MAX)
		n = FDTABLE_MAX;
	uint64_t sets[3][FDSET_WORDS(FDTABLE_MAX)] = { { 0 } };
	const uint64_t addr[3] = { in_p, out_p, ex_p };
	static const short want[3] = { POLLIN_SET & ~(POLLHUP | POLLERR), POLLOUT_SET & ~POLLERR, POLLEX_SET };
	static const short ready[3] = { POLLIN_SET, POLLOUT_SET, POLLEX_SET };
	size_t bytes = FDSET_WORDS(n) * 8;
	for (int k = 0; k < 3; k++)
		if (addr[k] && copy_from_guest(t, sets[k], addr[k], bytes) < 0)
			return -EFAULT;
	struct pollfd *fds = calloc(n ? (size_t)n : 1, sizeof *fds);
	if (!fds)
		return -ENOMEM;
	uint64_t nfds = 0;
	for (int fd = 0; fd < n; fd++) {
		short events = 0;
		for (int k = 0; k < 3; k++)
			if ((sets[k][fd / 64] >> (fd % 64)) & 1)
				events |= want[k];
		if (!events)
			continue;
		if (!fd_get(t, fd)) {
			free(fds);
			return -EBADF;
		}
		fds[nfds++] = (struct pollfd){ .fd = fd, .events = events };
	}
	long rc = poll_files(t, fds, nfds, timeout);
	if (rc < 0) {
		free(fds);
		return rc;
	}
	long nready = 0;
	for (uint64_t i = 0; i < nfds; i++) {
		int fd = fds[i].fd;
		uint64_t bit = 1ULL << (fd % 64);
		for (int k = 0; k < 3; k++) {
			if (!(sets[k][fd / 64] & bit))
				continue;
			if (fds[i].revents & ready[k])
				nready++;
			else
				sets[k][fd / 64] &= ~bit;
		}
	}
	free(fds);
	for (int k = 0; k < 3; k++)
		if (addr[k] && copy_to_guest(t, addr[k], sets[k], bytes) < 0)
			return -EFAULT;
	return nready;
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
