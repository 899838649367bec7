/* Data on AF_UNIX sockets: send, sendto, sendmsg, recv, recvfrom,
 * recvmsg, and read/write on a socket. Data goes through a bounce buffer
 * to the host socket (unix_sock.h); control messages through unix_scm.c. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "guest_mem.h"
#include "host_wait.h"
#include "process.h"
#include "signal.h"
#include "syscalls.h"
#include "unix_sock.h"

/* The largest datagram cvisor moves (net.core.wmem_max's order). */
#define DGRAM_MAX (256 * 1024)

struct guest_msg {
	uint64_t name;
	int namelen;
	const struct iovec *iov;
	int iovlen;
	size_t total;
	uint64_t control, controllen;
};

/* A guest iovec array (net/socket.c: more than UIO_MAXIOV is EMSGSIZE). */
static long import_iov(struct task *t, uint64_t addr, uint64_t n, struct guest_msg *m, struct iovec *iov)
{
	if (n > GUEST_UIO_MAXIOV)
		return -EMSGSIZE;
	long total = import_iovec_from_guest(t, iov, addr, n);
	if (total < 0)
		return total;
	m->iov = iov;
	m->iovlen = (int)n;
	m->total = (size_t)total;
	return 0;
}

/* Gather len bytes at offset off of the guest's iovecs into buf. */
static long gather(struct task *t, const struct iovec *iov, int n, size_t off, char *buf, size_t len)
{
	size_t done = 0;
	for (int i = 0; i < n && done < len; i++) {
		if (off >= iov[i].iov_len) {
			off -= iov[i].iov_len;
			continue;
		}
		size_t c = iov[i].iov_len - off;
		if (c > len - done)
			c = len - done;
		if (copy_from_guest(t, buf + done, (uint64_t)(uintptr_t)iov[i].iov_base + off, c) < 0)
			return -EFAULT;
		done += c;
		off = 0;
	}
	return (long)done;
}

static long scatter(struct task *t, const struct iovec *iov, int n, size_t off, const char *buf, size_t len)
{
	size_t done = 0;
	for (int i = 0; i < n && done < len; i++) {
		if (off >= iov[i].iov_len) {
			off -= iov[i].iov_len;
			continue;
		}
		size_t c = iov[i].iov_len - off;
		if (c > len - done)
			c = len - done;
		if (copy_to_guest(t, (uint64_t)(uintptr_t)iov[i].iov_base + off, buf + done, c) < 0)
			return -EFAULT;
		done += c;
		off = 0;
	}
	return (long)done;
}

static void sigpipe(struct task *t)
{
	pthread_mutex_lock(&kernel.lock);
	struct linux_siginfo info = signal_info_user(LINUX_SIGPIPE, LINUX_SI_USER, t);
	signal_send_task(t, &info);
	pthread_mutex_unlock(&kernel.lock);
}

/* Where a send goes: the host fd (a dup the caller closes when dup is
 * set) and the peer whose SO_PASSCRED counts. */
static long send_target(struct task *t, struct usock *u, struct file *f, const struct guest_msg *m, int *fd,
			bool *dup, struct usock **peer)
{
	*dup = false;
	*peer = NULL;
	struct usock *to = NULL;
	if (u->type == SOCK_STREAM) {
		if (m->namelen)
			return u->state == US_CONNECTED ? -EISCONN : -EOPNOTSUPP;
		if (u->state != US_CONNECTED)
			return -ENOTCONN;
	} else if (u->type == SOCK_SEQPACKET) {
		if (u->state != US_CONNECTED)
			return -ENOTCONN;
	} else if (m->namelen) {
		struct unix_name n;
		long rc = unix_name_from_guest(t, m->name, (uint64_t)m->namelen, &n);
		if (rc < 0)
			return rc;
		if ((rc = unix_find(t, &n, &to)) < 0)
			return rc;
	} else if (u->state != US_CONNECTED) {
		/* connect()ed to a bound datagram socket: into its inbox. */
		pthread_mutex_lock(&kernel.lock);
		if ((to = u->peer_sock))
			to->refs++;
		pthread_mutex_unlock(&kernel.lock);
		if (!to)
			return -ENOTCONN;
	}
	long rc = 0;
	pthread_mutex_lock(&kernel.lock);
	if (to) {
		if (to->type != u->type)
			rc = -EPROTOTYPE;
		else if (to->peer_sock && to->peer_sock != u)
			rc = -EPERM; /* unix_may_send(): it is connected elsewhere */
		else if (!to->file || to->inbox_tx < 0)
			rc = -ECONNREFUSED;
		else if ((*fd = fcntl(to->inbox_tx, F_DUPFD_CLOEXEC, 0)) < 0)
			rc = -errno;
		else {
			*dup = true;
			*peer = to;
			to = NULL;
		}
		usock_put_locked(to);
	} else {
		*fd = f->host_fd;
		if (u->peer_sock) {
			*peer = u->peer_sock;
			(*peer)->refs++;
		}
	}
	if (rc == 0 && u->shut_wr)
		rc = -EPIPE;
	pthread_mutex_unlock(&kernel.lock);
	return rc;
}

static long do_send(struct task *t, struct file *f, struct usock *u, const struct guest_msg *m, int flags)
{
	/* Urgent data is a stream's last byte (unix_stream_sendmsg() with
	 * CONFIG_AF_UNIX_OOB), the host pair's to keep. */
	if (flags & MSG_OOB) {
		if (u->type == SOCK_SEQPACKET && u->state != US_CONNECTED)
			return -ENOTCONN;
		if (u->type != SOCK_STREAM || m->total == 0)
			return -EOPNOTSUPP;
	}
	int fd;
	bool dup;
	struct usock *peer;
	struct scm_out scm = { 0 };
	long rc;
	if ((rc = send_target(t, u, f, m, &fd, &dup, &peer)) < 0) {
		if (rc == -EPIPE && !(flags & MSG_NOSIGNAL))
			sigpipe(t);
		return rc;
	}
	if ((rc = scm_from_guest(t, m->control, m->controllen, peer, &scm)) < 0)
		goto out;
	bool stream = u->type == SOCK_STREAM;
	size_t chunk = stream ? TASK_SCRATCH_SIZE : m->total;
	if (!stream && m->total > DGRAM_MAX) {
		rc = -EMSGSIZE;
		goto out;
	}
	char *buf = stream ? t->scratch : malloc(chunk ? chunk : 1);
	if (!buf) {
		rc = -ENOMEM;
		goto out;
	}
	int hflags = MSG_NOSIGNAL | (flags & (MSG_DONTWAIT | MSG_EOR | MSG_MORE));
	if ((f->flags & O_NONBLOCK) && dup)
		hflags |= MSG_DONTWAIT;
	/* Into an inbox, a datagram carries its sender's name first. */
	struct unix_name from;
	pthread_mutex_lock(&kernel.lock);
	from = u->name;
	pthread_mutex_unlock(&kernel.lock);
	size_t done = 0;
	do {
		size_t want = m->total - done < chunk ? m->total - done : chunk;
		long g = gather(t, m->iov, m->iovlen, done, buf, want);
		if (g < 0) {
			rc = done ? (long)done : g;
			break;
		}
		struct iovec hv[2] = { { &from, sizeof from }, { buf, want } };
		struct msghdr hm = { .msg_iov = dup ? hv : hv + 1, .msg_iovlen = dup ? 2 : 1 };
		if (done == 0 && scm.buf) {
			hm.msg_control = scm.buf;
			hm.msg_controllen = scm.len;
		}
		bool last = done + want == m->total;
		ssize_t w = sendmsg(fd, &hm, hflags | (last ? flags & MSG_OOB : 0));
		if (w > 0 && dup)
			w = w < (ssize_t)sizeof from ? 0 : w - (ssize_t)sizeof from;
		if (w < 0) {
			int e = errno;
			if (e == EPIPE && !(flags & MSG_NOSIGNAL))
				sigpipe(t);
			rc = done ? (long)done : e == EINTR ? -ERESTARTSYS : -e;
			break;
		}
		done += (size_t)w;
		rc = (long)done;
		if ((size_t)w < want)
			break;
	} while (done < m->total);
	if (!stream)
		free(buf);
out:
	scm_out_free(&scm);
	if (dup)
		close(fd);
	if (peer) {
		pthread_mutex_lock(&kernel.lock);
		usock_put_locked(peer);
		pthread_mutex_unlock(&kernel.lock);
	}
	return rc;
}

/* The received message's name and control go to the guest through these. */
struct recv_out {
	int flags;                /* msg_flags */
	size_t controllen;        /* used */
	struct unix_name from;
};

static long do_recv(struct task *t, struct file *f, struct usock *u, const struct guest_msg *m, int flags,
		    struct recv_out *out)
{
	/* ____sys_recvmsg(): msg_flags starts with the guest's MSG_CMSG_CLOEXEC. */
	*out = (struct recv_out){ .flags = flags & MSG_CMSG_CLOEXEC };
	/* Urgent data: a connected stream's, the host pair's. */
	if ((flags & MSG_OOB) && u->type == SOCK_DGRAM)
		return -EOPNOTSUPP;
	if (u->type == SOCK_STREAM && u->state != US_CONNECTED)
		return -EINVAL;
	if (u->type == SOCK_SEQPACKET && u->state != US_CONNECTED)
		return -ENOTCONN;
	if (flags & MSG_OOB && u->type == SOCK_SEQPACKET)
		return -EOPNOTSUPP;
	bool stream = u->type == SOCK_STREAM;
	long fault = stream ? stream_read_fault(t, f->host_fd, m->iov, m->iovlen, m->total) : 0;
	if (fault < 0)
		return fault;
	long waited = 0;
	if (!(flags & (MSG_DONTWAIT | MSG_OOB)) && !(f->flags & O_NONBLOCK) &&
	    (waited = host_fd_wait(t, f->host_fd, POLLIN)) < 0)
		return waited;
	size_t cap = stream ? TASK_SCRATCH_SIZE : DGRAM_MAX;
	char *buf = stream ? t->scratch : malloc(cap);
	if (!buf)
		return -ENOMEM;
	char control[CMSG_SPACE(256 * sizeof(int))];
	int hflags = MSG_CMSG_CLOEXEC | (flags & (MSG_PEEK | MSG_DONTWAIT | MSG_TRUNC | MSG_OOB));
	/* A stream's bytes leave it only once they reached the guest: a bad
	 * buffer fails EFAULT and leaves them (unix_stream_read_generic()),
	 * so they are peeked first, then taken. */
	bool bounce = stream && !(flags & (MSG_PEEK | MSG_OOB));
	size_t done = 0;
	long rc = 0;
	/* An inbox's datagrams start with their sender's name. */
	bool inbox = u->inbox_tx >= 0;
	struct unix_name from = { 0 };
	for (;;) {
		size_t want = m->total - done < cap ? m->total - done : cap;
		struct iovec hv[2] = { { &from, sizeof from }, { buf, want } };
		struct msghdr hm = { .msg_iov = inbox ? hv : hv + 1, .msg_iovlen = inbox ? 2 : 1,
				     .msg_control = bounce ? NULL : control,
				     .msg_controllen = bounce ? 0 : sizeof control };
		ssize_t r = recvmsg(f->host_fd, &hm, hflags | (bounce ? MSG_PEEK : 0));
		if (r >= 0 && inbox)
			r = r < (ssize_t)sizeof from ? 0 : r - (ssize_t)sizeof from;
		if (r < 0) {
			int e = errno;
			rc = done ? (long)done : e == EINTR ? -ERESTARTSYS : -e;
			break;
		}
		long c = scatter(t, m->iov, m->iovlen, done, buf, (size_t)r < want ? (size_t)r : want);
		if (bounce && c > 0) {
			/* Take what the guest has, with its control data. */
			struct iovec take = { buf, (size_t)c };
			hm = (struct msghdr){ .msg_iov = &take, .msg_iovlen = 1, .msg_control = control,
					      .msg_controllen = sizeof control };
			if (recvmsg(f->host_fd, &hm, (hflags | MSG_DONTWAIT) & ~MSG_PEEK) < 0)
				hm.msg_controllen = 0;
		}
		out->flags = (flags & MSG_CMSG_CLOEXEC) | (hm.msg_flags & (MSG_TRUNC | MSG_EOR | MSG_CTRUNC));
		if (hm.msg_controllen || (u->passcred && !done)) {
			long s = scm_to_guest(t, u, control, hm.msg_controllen, m->control, m->controllen, flags,
					      &out->flags);
			if (s >= 0)
				out->controllen = (size_t)s;
		}
		if (c < 0) {
			rc = done ? (long)done : c;
			break;
		}
		done += (size_t)c;
		rc = (long)done;
		/* A datagram is one read; MSG_TRUNC asks for its real length. */
		if (!stream) {
			if (flags & MSG_TRUNC)
				rc = r;
			break;
		}
		if (!(flags & MSG_WAITALL) || r == 0 || done >= m->total || (flags & MSG_PEEK))
			break;
		hflags &= ~MSG_CMSG_CLOEXEC;
	}
	if (!stream)
		free(buf);
	pthread_mutex_lock(&kernel.lock);
	out->from = u->peer;
	pthread_mutex_unlock(&kernel.lock);
	if (inbox)
		out->from = from.len <= sizeof from.addr ? from : (struct unix_name){ 0 };
	return rc;
}

long usock_read(struct task *t, struct file *f, const struct iovec *iov, int n, size_t total)
{
	struct guest_msg m = { .iov = iov, .iovlen = n, .total = total };
	struct recv_out out;
	return do_recv(t, f, f->priv, &m, 0, &out);
}

long usock_write(struct task *t, struct file *f, const struct iovec *iov, int n, size_t total)
{
	struct guest_msg m = { .iov = iov, .iovlen = n, .total = total };
	return do_send(t, f, f->priv, &m, 0);
}

/* include/uapi/linux/socket.h: struct user_msghdr. */
struct linux_msghdr {
	uint64_t name;
	int32_t namelen, __pad;
	uint64_t iov, iovlen, control, controllen;
	int32_t flags, __pad2;
};
_Static_assert(sizeof(struct linux_msghdr) == 56, "msghdr is 56 bytes");

long sys_sendto(struct task *t, SYSCALL_ARGS)
{
	struct file *f;
	long rc;
	struct usock *u = usock_of(t, (int)a[0], &f, &rc);
	if (!u)
		return rc;
	size_t len = a[2] < (size_t)(INT_MAX & ~4095L) ? a[2] : (size_t)(INT_MAX & ~4095L);
	struct iovec iov = { (void *)(uintptr_t)a[1], len };
	struct guest_msg m = { .iov = &iov, .iovlen = 1, .total = len, .name = a[4],
			       .namelen = a[4] ? (int)a[5] : 0 };
	if (m.namelen < 0 || (uint64_t)m.namelen > sizeof(struct sockaddr_storage))
		return -EINVAL;
	return do_send(t, f, u, &m, (int)a[3]);
}

long sys_sendmsg(struct task *t, SYSCALL_ARGS)
{
	struct file *f;
	long rc;
	struct usock *u = usock_of(t, (int)a[0], &f, &rc);
	if (!u)
		return rc;
	struct linux_msghdr h;
	if (copy_from_guest(t, &h, a[1], sizeof h) < 0)
		return -EFAULT;
	struct guest_msg m = { .name = h.name, .namelen = h.name ? h.namelen : 0, .control = h.control,
			       .controllen = h.controllen };
	if (m.namelen > (int)sizeof(struct sockaddr_storage))
		m.namelen = sizeof(struct sockaddr_storage);
	struct iovec *iov = malloc(GUEST_UIO_MAXIOV * sizeof *iov);
	if (!iov)
		return -ENOMEM;
	rc = m.namelen < 0 ? -EINVAL : import_iov(t, h.iov, h.iovlen, &m, iov);
	if (rc == 0)
		rc = do_send(t, f, u, &m, (int)a[2]);
	free(iov);
	return rc;
}

long sys_recvfrom(struct task *t, SYSCALL_ARGS)
{
	struct file *f;
	long rc;
	struct usock *u = usock_of(t, (int)a[0], &f, &rc);
	if (!u)
		return rc;
	size_t len = a[2] < (size_t)(INT_MAX & ~4095L) ? a[2] : (size_t)(INT_MAX & ~4095L);
	struct iovec iov = { (void *)(uintptr_t)a[1], len };
	struct guest_msg m = { .iov = &iov, .iovlen = 1, .total = len };
	struct recv_out out;
	rc = do_recv(t, f, u, &m, (int)a[3], &out);
	if (rc >= 0 && a[4]) {
		long r2 = unix_name_to_guest(t, &out.from, a[4], a[5], true);
		if (r2 < 0)
			rc = r2;
	}
	return rc;
}

long sys_recvmsg(struct task *t, SYSCALL_ARGS)
{
	struct file *f;
	long rc;
	struct usock *u = usock_of(t, (int)a[0], &f, &rc);
	if (!u)
		return rc;
	struct linux_msghdr h;
	if (copy_from_guest(t, &h, a[1], sizeof h) < 0)
		return -EFAULT;
	struct guest_msg m = { .control = h.control, .controllen = h.controllen };
	struct iovec *iov = malloc(GUEST_UIO_MAXIOV * sizeof *iov);
	if (!iov)
		return -ENOMEM;
	rc = h.namelen < 0 ? -EINVAL : import_iov(t, h.iov, h.iovlen, &m, iov);
	struct recv_out out;
	if (rc == 0)
		rc = do_recv(t, f, u, &m, (int)a[2], &out);
	if (rc >= 0) {
		/* The name (as much as fits), its length, the control used, the flags. */
		uint32_t nlen = out.from.len;
		if (h.name && nlen) {
			uint32_t c = nlen < (uint32_t)h.namelen ? nlen : (uint32_t)h.namelen;
			if (copy_to_guest(t, h.name, &out.from.addr, c) < 0)
				rc = -EFAULT;
		}
		h.namelen = h.name ? (int32_t)nlen : 0;
		h.controllen = out.controllen;
		h.flags = out.flags;
		if (rc >= 0 && copy_to_guest(t, a[1], &h, sizeof h) < 0)
			rc = -EFAULT;
	}
	free(iov);
	return rc;
}
