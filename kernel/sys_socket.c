/* The socket syscalls other than data: socket, socketpair, bind, listen,
 * accept, connect, shutdown, names and options. AF_UNIX only; the
 * networking families say EAFNOSUPPORT. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "guest_mem.h"
#include "process.h"
#include "signal.h"
#include "syscalls.h"
#include "unix_sock.h"

/* include/linux/socket.h, include/linux/net.h */
#define NPROTO_ 46
#define SOCK_MAX_ 11
#define SOCK_TYPE_MASK_ 0xf
/* net.core.somaxconn */
#define SOMAXCONN_ 4096

static long check_family(int family)
{
	if (family < 0 || family >= NPROTO_)
		return -EAFNOSUPPORT;
	if (family == AF_UNIX)
		return 0;
	if (family == AF_INET || family == AF_INET6 || family == AF_NETLINK) {
		static _Atomic int noted;
		if (!noted++)
			fprintf(stderr, "cvisor: networking is not available in this sandbox\n");
	}
	return -EAFNOSUPPORT;
}

/* net/socket.c __sys_socket() and unix_create(): the socket's type. */
static long socket_type(int family, int type, int protocol, int *flags)
{
	*flags = type & ~SOCK_TYPE_MASK_;
	type &= SOCK_TYPE_MASK_;
	if (*flags & ~(SOCK_CLOEXEC | SOCK_NONBLOCK))
		return -EINVAL;
	long rc = check_family(family);
	if (rc < 0)
		return rc;
	if (type >= SOCK_MAX_)
		return -EINVAL;
	if (protocol && protocol != AF_UNIX)
		return -EPROTONOSUPPORT;
	switch (type) {
	case SOCK_STREAM: case SOCK_DGRAM: case SOCK_SEQPACKET:
		return type;
	case SOCK_RAW:
		return SOCK_DGRAM; /* unix_create(): "Believe it or not BSD has AF_UNIX, SOCK_RAW" */
	}
	return -ESOCKTNOSUPPORT;
}

static struct linux_ucred cred_now(struct task *t)
{
	pthread_mutex_lock(&kernel.lock);
	struct linux_ucred c = usock_cred_locked(t);
	pthread_mutex_unlock(&kernel.lock);
	return c;
}

/* socket() and socketpair() alike: a checked type, a host pair, and a
 * guest socket on its first end (the second end is left to the caller). */
static long usock_with_pair(SYSCALL_ARGS, int hfd[2], int *flags, struct file **f)
{
	long type = socket_type((int)a[0], (int)a[1], (int)a[2], flags);
	if (type < 0)
		return type;
	if (socketpair(AF_UNIX, (int)type | SOCK_CLOEXEC, 0, hfd) < 0)
		return -errno;
	long rc = usock_new((int)type, hfd[0], *flags & SOCK_NONBLOCK ? O_NONBLOCK : 0, f);
	if (rc < 0) {
		close(hfd[0]);
		close(hfd[1]);
		return rc;
	}
	return type;
}

long sys_socket(struct task *t, SYSCALL_ARGS)
{
	/* Its host fd is one end of a host pair from the start: a datagram
	 * socket's inbox, or a stream's connection to be (unix_sock.h). */
	int flags, fds[2];
	struct file *f;
	long type = usock_with_pair(a, fds, &flags, &f);
	if (type < 0)
		return type;
	struct usock *u = f->priv;
	if (type == SOCK_DGRAM)
		u->inbox_tx = fds[1];
	else
		u->pair_fd = fds[1];
	u->cred = cred_now(t);
	long rc = fd_install(t, f, 0, flags & SOCK_CLOEXEC);
	file_put(f);
	return rc;
}

long sys_socketpair(struct task *t, SYSCALL_ARGS)
{
	int flags, hfd[2];
	struct file *f[2] = { NULL, NULL };
	long type = usock_with_pair(a, hfd, &flags, &f[0]);
	if (type < 0)
		return type;
	long rc;
	if ((rc = usock_new((int)type, hfd[1], flags & SOCK_NONBLOCK ? O_NONBLOCK : 0, &f[1])) < 0) {
		close(hfd[1]);
		file_put(f[0]);
		return rc;
	}
	struct linux_ucred c = cred_now(t);
	struct usock *u0 = f[0]->priv, *u1 = f[1]->priv;
	pthread_mutex_lock(&kernel.lock);
	u0->state = u1->state = US_CONNECTED;
	u0->cred = u1->cred = u0->peercred = u1->peercred = c;
	u0->has_peercred = u1->has_peercred = true;
	u0->peer_sock = u1;
	u1->peer_sock = u0;
	u0->refs++;
	u1->refs++;
	pthread_mutex_unlock(&kernel.lock);
	int fds[2] = { fd_install(t, f[0], 0, flags & SOCK_CLOEXEC), -1 };
	if (fds[0] >= 0 && (fds[1] = fd_install(t, f[1], 0, flags & SOCK_CLOEXEC)) < 0) {
		fd_close(t, fds[0]);
		rc = fds[1];
	} else {
		rc = fds[0] < 0 ? fds[0] : copy_to_guest(t, a[3], fds, sizeof fds);
		if (rc < 0 && fds[0] >= 0) {
			fd_close(t, fds[0]);
			fd_close(t, fds[1]);
		}
	}
	file_put(f[0]);
	file_put(f[1]);
	return rc;
}

long sys_bind(struct task *t, SYSCALL_ARGS)
{
	long rc;
	struct usock *u = usock_of(t, (int)a[0], NULL, &rc);
	if (!u)
		return rc;
	struct unix_name n;
	if ((rc = unix_name_from_guest(t, a[1], a[2], &n)) < 0 &&
	    !(rc == -EINVAL && a[2] == sizeof(sa_family_t) && n.addr.sun_family == AF_UNIX))
		return rc;
	if (rc < 0)
		n.len = sizeof(sa_family_t); /* autobind */
	return unix_bind(t, u, &n);
}

long sys_listen(struct task *t, SYSCALL_ARGS)
{
	long rc;
	struct file *f;
	struct usock *u = usock_of(t, (int)a[0], &f, &rc);
	if (!u)
		return rc;
	if (u->type != SOCK_STREAM && u->type != SOCK_SEQPACKET)
		return -EOPNOTSUPP;
	int backlog = (int)a[1];
	if ((unsigned)backlog > SOMAXCONN_)
		backlog = SOMAXCONN_;
	pthread_mutex_lock(&kernel.lock);
	rc = 0;
	if (!u->name.len || u->state == US_CONNECTED)
		rc = -EINVAL;
	else {
		u->backlog = backlog;
		u->state = US_LISTENING;
		/* unix_listen(): connectors see the listener's credentials. */
		u->cred = usock_cred_locked(t);
		kernel_wake_all();
	}
	pthread_mutex_unlock(&kernel.lock);
	if (rc == 0)
		epoll_file_changed(f); /* never writable from now on */
	return rc;
}

/* The listener's pair holds a byte while connections wait (kernel.lock). */
static void listen_mark(struct file *f, struct usock *l, bool on)
{
	if (on == l->marked)
		return;
	if (host_byte(on ? l->pair_fd : f->host_fd, on))
		l->marked = on;
}

/* net/unix/af_unix.c unix_stream_connect(), with the peer a listener:
 * the other end of the socket's pair waits in its queue. */
static long stream_connect(struct task *t, struct file *f, struct usock *u, struct usock *l)
{
	struct unix_pending *p = calloc(1, sizeof *p);
	if (!p)
		return -ENOMEM;
	long rc = 0;
	pthread_mutex_lock(&kernel.lock);
	for (;;) {
		if (u->state == US_CONNECTED)
			rc = -EISCONN;
		else if (u->state != US_UNCONNECTED || u->pair_fd < 0)
			rc = -EINVAL;
		else if (!l->file || l->state != US_LISTENING)
			rc = -ECONNREFUSED;
		else if (l->queued > l->backlog) {
			/* unix_recvq_full(): wait for room, unless nonblocking. */
			if (f->flags & O_NONBLOCK)
				rc = -EAGAIN;
			else if ((rc = kernel_sleep(t)) == 0)
				continue;
		}
		break;
	}
	if (rc == 0) {
		p->host_fd = u->pair_fd;
		u->pair_fd = -1;
		p->peer = u->name;
		p->cred = usock_cred_locked(t);
		p->peer_sock = u;
		u->refs++;
		if (l->queue_tail)
			l->queue_tail->next = p;
		else
			l->queue = p;
		l->queue_tail = p;
		l->queued++;
		listen_mark(l->file, l, true);
		u->state = US_CONNECTED;
		u->peer = l->name;
		u->peercred = l->cred;
		u->has_peercred = true;
		u->peer_sock = l;
		l->refs++;
	} else {
		free(p);
	}
	pthread_mutex_unlock(&kernel.lock);
	if (rc == 0)
		epoll_file_changed(f); /* the host pair's readiness from now on */
	return rc;
}

long sys_connect(struct task *t, SYSCALL_ARGS)
{
	struct file *f;
	long rc;
	struct usock *u = usock_of(t, (int)a[0], &f, &rc);
	if (!u)
		return rc;
	struct unix_name n;
	if (u->type == SOCK_DGRAM && a[2] >= sizeof(sa_family_t)) {
		/* unix_dgram_connect(): AF_UNSPEC dissolves the association. */
		uint16_t fam;
		if (copy_from_guest(t, &fam, a[1], sizeof fam) < 0)
			return -EFAULT;
		if (fam == AF_UNSPEC) {
			pthread_mutex_lock(&kernel.lock);
			usock_put_locked(u->peer_sock);
			u->peer_sock = NULL;
			u->peer.len = 0;
			pthread_mutex_unlock(&kernel.lock);
			return 0;
		}
	}
	if ((rc = unix_name_from_guest(t, a[1], a[2], &n)) < 0)
		return rc;
	struct usock *l;
	if ((rc = unix_find(t, &n, &l)) < 0)
		return rc;
	if (l->type != u->type)
		rc = -EPROTOTYPE;
	else if (u->type == SOCK_DGRAM) {
		pthread_mutex_lock(&kernel.lock);
		/* unix_may_send(): not to a socket connected elsewhere. */
		if (l->peer_sock && l->peer_sock != u) {
			rc = -EPERM;
		} else {
			usock_put_locked(u->peer_sock);
			u->peer_sock = l;
			l->refs++;
			u->peer = l->name;
		}
		pthread_mutex_unlock(&kernel.lock);
	} else {
		rc = stream_connect(t, f, u, l);
	}
	pthread_mutex_lock(&kernel.lock);
	usock_put_locked(l);
	pthread_mutex_unlock(&kernel.lock);
	return rc;
}

static long do_accept(struct task *t, SYSCALL_ARGS, int flags)
{
	struct file *f;
	long rc;
	struct usock *u = usock_of(t, (int)a[0], &f, &rc);
	if (!u)
		return rc;
	if (flags & ~(SOCK_CLOEXEC | SOCK_NONBLOCK))
		return -EINVAL;
	if (u->type != SOCK_STREAM && u->type != SOCK_SEQPACKET)
		return -EOPNOTSUPP;
	if (u->state != US_LISTENING)
		return -EINVAL;
	/* A connection, or a wait for the listener's pair to be readable
	 * (a blocking host call a signal interrupts). */
	file_get(f);
	struct unix_pending *p = NULL;
	for (;;) {
		pthread_mutex_lock(&kernel.lock);
		if ((p = u->queue)) {
			u->queue = p->next;
			if (!u->queue) {
				u->queue_tail = NULL;
				listen_mark(f, u, false);
			}
			u->queued--;
			kernel_wake_all();
		}
		bool pending = signal_pending_locked(t);
		pthread_mutex_unlock(&kernel.lock);
		if (p)
			break;
		rc = f->flags & O_NONBLOCK ? -EAGAIN : pending ? -ERESTARTSYS : 0;
		struct pollfd pfd = { f->host_fd, POLLIN, 0 };
		if (rc == 0 && poll(&pfd, 1, -1) < 0)
			rc = errno == EINTR ? -ERESTARTSYS : -errno;
		if (rc < 0)
			break;
	}
	file_put(f);
	if (!p)
		return rc;
	struct file *nf;
	if ((rc = usock_new(u->type, p->host_fd, flags & SOCK_NONBLOCK ? O_NONBLOCK : 0, &nf)) < 0) {
		close(p->host_fd);
	} else {
		struct usock *n = nf->priv;
		pthread_mutex_lock(&kernel.lock);
		n->state = US_CONNECTED;
		n->name = u->name;
		n->peer = p->peer;
		n->cred = u->cred;
		n->peercred = p->cred;
		n->has_peercred = true;
		n->passcred = u->passcred;
		n->peer_sock = p->peer_sock;
		p->peer_sock = NULL;
		pthread_mutex_unlock(&kernel.lock);
		rc = fd_install(t, nf, 0, flags & SOCK_CLOEXEC);
		if (rc >= 0 && a[1]) {
			long r2 = unix_name_to_guest(t, &n->peer, a[1], a[2], false);
			if (r2 < 0) {
				fd_close(t, rc);
				rc = r2;
			}
		}
		file_put(nf);
	}
	pthread_mutex_lock(&kernel.lock);
	usock_put_locked(p->peer_sock);
	pthread_mutex_unlock(&kernel.lock);
	free(p);
	return rc;
}

long sys_accept(struct task *t, SYSCALL_ARGS)
{
	return do_accept(t, a, 0);
}

long sys_accept4(struct task *t, SYSCALL_ARGS)
{
	return do_accept(t, a, (int)a[3]);
}

long sys_shutdown(struct task *t, SYSCALL_ARGS)
{
	struct file *f;
	long rc;
	struct usock *u = usock_of(t, (int)a[0], &f, &rc);
	if (!u)
		return rc;
	int how = (int)a[1];
	if (how < SHUT_RD || how > SHUT_RDWR)
		return -EINVAL;
	if (u->state == US_CONNECTED && !(u->type == SOCK_DGRAM && u->inbox_tx >= 0))
		return shutdown(f->host_fd, how) < 0 ? -errno : 0;
	/* unix_shutdown() on a socket with no peer: only its own state. */
	pthread_mutex_lock(&kernel.lock);
	if (how != SHUT_WR)
		u->shut_rd = true;
	if (how != SHUT_RD)
		u->shut_wr = true;
	pthread_mutex_unlock(&kernel.lock);
	return 0;
}

long sys_getsockname(struct task *t, SYSCALL_ARGS)
{
	long rc;
	struct usock *u = usock_of(t, (int)a[0], NULL, &rc);
	if (!u)
		return rc;
	pthread_mutex_lock(&kernel.lock);
	struct unix_name n = u->name;
	pthread_mutex_unlock(&kernel.lock);
	return unix_name_to_guest(t, &n, a[1], a[2], false);
}

long sys_getpeername(struct task *t, SYSCALL_ARGS)
{
	long rc;
	struct usock *u = usock_of(t, (int)a[0], NULL, &rc);
	if (!u)
		return rc;
	pthread_mutex_lock(&kernel.lock);
	struct unix_name n = u->peer;
	bool connected = u->state == US_CONNECTED || u->peer_sock;
	pthread_mutex_unlock(&kernel.lock);
	if (!connected)
		return -ENOTCONN;
	return unix_name_to_guest(t, &n, a[1], a[2], false);
}

/* net/core/sock.c cred_to_ucred() without a cred: uid and gid -1. */
#define OVERFLOW_ID 0xffffffffu


/* Options the host socket keeps itself (timeouts, low water marks,
 * linger, urgent data inline, pending errors, buffer sizes). */
static bool host_option(int opt)
{
	switch (opt) {
	case SO_RCVTIMEO_OLD: case SO_SNDTIMEO_OLD: case SO_RCVTIMEO_NEW: case SO_SNDTIMEO_NEW:
	case SO_RCVLOWAT: case SO_LINGER: case SO_OOBINLINE: case SO_ERROR: case SO_SNDBUF: case SO_RCVBUF:
		return true;
	}
	return false;
}

static long host_sockopt(struct task *t, struct file *f, SYSCALL_ARGS, bool set)
{
	char buf[32] = { 0 };
	int len;
	if (set)
		len = (int)a[4];
	else if (copy_from_guest(t, &len, a[4], sizeof len) < 0)
		return -EFAULT;
	if (len < 0)
		return -EINVAL;
	socklen_t l = len < (int)sizeof buf ? (socklen_t)len : sizeof buf;
	if (set) {
		if (copy_from_guest(t, buf, a[3], l) < 0)
			return -EFAULT;
		return setsockopt(f->host_fd, SOL_SOCKET, (int)a[2], buf, l) < 0 ? -errno : 0;
	}
	if (getsockopt(f->host_fd, SOL_SOCKET, (int)a[2], buf, &l) < 0)
		return -errno;
	len = (int)l;
	if (copy_to_guest(t, a[3], buf, l) < 0 || copy_to_guest(t, a[4], &len, sizeof len) < 0)
		return -EFAULT;
	return 0;
}

long sys_getsockopt(struct task *t, SYSCALL_ARGS)
{
	struct file *f;
	long rc;
	struct usock *u = usock_of(t, (int)a[0], &f, &rc);
	if (!u)
		return rc;
	int level = (int)a[1], opt = (int)a[2];
	int len;
	if (copy_from_guest(t, &len, a[4], sizeof len) < 0)
		return -EFAULT;
	if (len < 0)
		return -EINVAL;
	if (level != SOL_SOCKET)
		return -EOPNOTSUPP;
	if (host_option(opt))
		return host_sockopt(t, f, a, false);
	union {
		int i;
		struct linux_ucred cred;
	} v = { 0 };
	int size = sizeof(int);
	pthread_mutex_lock(&kernel.lock);
	switch (opt) {
	case SO_TYPE: v.i = u->type; break;
	case SO_DOMAIN: v.i = AF_UNIX; break;
	case SO_PROTOCOL: v.i = 0; break;
	case SO_ACCEPTCONN: v.i = u->state == US_LISTENING; break;
	case SO_PASSCRED: v.i = u->passcred; break;
	case SO_PEERCRED:
		v.cred = u->has_peercred ? u->peercred : (struct linux_ucred){ 0, OVERFLOW_ID, OVERFLOW_ID };
		size = sizeof v.cred;
		break;
	case SO_REUSEADDR: case SO_KEEPALIVE: case SO_BROADCAST: case SO_DONTROUTE:
		v.i = 0;
		break;
	default:
		rc = -ENOPROTOOPT;
	}
	pthread_mutex_unlock(&kernel.lock);
	if (rc < 0)
		return rc;
	if (len > size)
		len = size;
	if (copy_to_guest(t, a[3], &v, (size_t)len) < 0 || copy_to_guest(t, a[4], &len, sizeof len) < 0)
		return -EFAULT;
	return 0;
}

long sys_setsockopt(struct task *t, SYSCALL_ARGS)
{
	struct file *f;
	long rc;
	struct usock *u = usock_of(t, (int)a[0], &f, &rc);
	if (!u)
		return rc;
	int level = (int)a[1], opt = (int)a[2];
	int len = (int)a[4];
	if (level != SOL_SOCKET)
		return -EOPNOTSUPP;
	if (host_option(opt))
		return host_sockopt(t, f, a, true);
	int v;
	if (len < (int)sizeof v)
		return -EINVAL;
	if (copy_from_guest(t, &v, a[3], sizeof v) < 0)
		return -EFAULT;
	switch (opt) {
	case SO_PASSCRED:
		pthread_mutex_lock(&kernel.lock);
		u->passcred = v != 0;
		pthread_mutex_unlock(&kernel.lock);
		return 0;
	case SO_REUSEADDR: case SO_KEEPALIVE: case SO_BROADCAST: case SO_DONTROUTE:
		return 0; /* accepted; nothing an AF_UNIX socket does with them */
	}
	return -ENOPROTOOPT;
}
