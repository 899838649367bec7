/* AF_UNIX socket objects: lifetime, names, the table bound names are
 * found in (see unix_sock.h for the design). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "guest_mem.h"
#include "process.h"
#include "unix_sock.h"
#include "vfs.h"

/* Every bound socket (kernel.lock). At most a guest's open files' worth. */
#define BOUND_MAX 4096
static struct usock *bound[BOUND_MAX];
static int nbound;
static unsigned autobind_next;

#define SUN_PATH_OFF offsetof(struct sockaddr_un, sun_path)

struct usock *usock_of(struct task *t, int fd, struct file **fp, long *err)
{
	struct file *f = fd_get(t, fd);
	if (!f || (f->flags & O_PATH)) {
		*err = -EBADF;
		return NULL;
	}
	if (f->ops != &unix_sock_ops) {
		*err = -ENOTSOCK;
		return NULL;
	}
	if (fp)
		*fp = f;
	return f->priv;
}

struct linux_ucred usock_cred_locked(struct task *t)
{
	const struct cred *c = &t->tg->attrs.cred;
	return (struct linux_ucred){ t->tg->pid, c->euid, c->egid };
}

long usock_new(int type, int host_fd, int flags, struct file **out)
{
	struct usock *u = calloc(1, sizeof *u);
	struct file *f = u ? file_new_host(host_fd, true) : NULL;
	if (!f) {
		free(u);
		return -ENFILE;
	}
	*u = (struct usock){ .refs = 1, .type = type, .file = f, .inbox_tx = -1, .pair_fd = -1 };
	f->ops = &unix_sock_ops;
	f->priv = u;
	f->flags = O_RDWR | (flags & O_NONBLOCK);
	if (flags & O_NONBLOCK)
		fcntl(host_fd, F_SETFL, O_NONBLOCK);
	*out = f;
	return 0;
}

bool host_byte(int fd, bool out)
{
	char c = 0;
	struct iovec v = { &c, 1 };
	struct msghdr m = { .msg_iov = &v, .msg_iovlen = 1 };
	return (out ? sendmsg(fd, &m, MSG_DONTWAIT | MSG_NOSIGNAL) : recvmsg(fd, &m, MSG_DONTWAIT)) == 1;
}

static void unbind_locked(struct usock *u)
{
	for (int i = 0; i < nbound; i++)
		if (bound[i] == u) {
			bound[i] = bound[--nbound];
			u->refs--;
			break;
		}
}

void usock_put_locked(struct usock *u)
{
	if (u && --u->refs == 0)
		free(u);
}

/* The file is gone: so is everything waiting on the socket. */
static void usock_release(struct file *f)
{
	struct usock *u = f->priv;
	pthread_mutex_lock(&kernel.lock);
	unbind_locked(u);
	while (u->queue) {
		struct unix_pending *p = u->queue;
		u->queue = p->next;
		/* unix_release_sock(): an unaccepted connection's end goes with
		 * ECONNRESET for its connector, which the host gives when an end
		 * closes with data unread: a byte in it first. */
		struct usock *c = p->peer_sock;
		if (c && c->file)
			host_byte(c->file->host_fd, true);
		close(p->host_fd);
		usock_put_locked(p->peer_sock);
		free(p);
	}
	if (u->inbox_tx >= 0)
		close(u->inbox_tx);
	if (u->pair_fd >= 0)
		close(u->pair_fd);
	u->inbox_tx = u->pair_fd = -1;
	usock_put_locked(u->peer_sock);
	u->peer_sock = NULL;
	u->file = NULL;
	kernel_wake_all(); /* connectors waiting for room */
	usock_put_locked(u);
	pthread_mutex_unlock(&kernel.lock);
}

/* net/unix/af_unix.c unix_poll() and unix_dgram_poll(), where the host
 * pair's readiness is not the socket's: a listener is never writable, an
 * unconnected stream or seqpacket socket is hung up, and a shutdown with
 * no peer is cvisor's. */
static unsigned usock_poll(struct task *t, struct file *f, unsigned h)
{
	(void)t;
	struct usock *u = f->priv;
	pthread_mutex_lock(&kernel.lock);
	unsigned m = h;
	if (u->state != US_CONNECTED || u->inbox_tx >= 0) {
		m = 0;
		if (u->shut_rd)
			m |= POLLRDHUP | POLLIN | POLLRDNORM;
		if (u->shut_rd && u->shut_wr)
			m |= POLLHUP;
		if (u->state == US_LISTENING)
			m |= h & (POLLIN | POLLRDNORM);
		else if (u->type != SOCK_DGRAM)
			m |= POLLHUP | (h & (POLLOUT | POLLWRNORM | POLLWRBAND));
		else
			m |= h;
	}
	pthread_mutex_unlock(&kernel.lock);
	return m;
}

static unsigned usock_poll_events(struct file *f, unsigned events)
{
	struct usock *u = f->priv;
	pthread_mutex_lock(&kernel.lock);
	if (u->state == US_LISTENING)
		events &= ~(unsigned)(POLLOUT | POLLWRNORM | POLLWRBAND);
	else if (u->state == US_UNCONNECTED && u->type != SOCK_DGRAM)
		events |= POLLOUT; /* its pair end is: its HUP wakes a wait */
	pthread_mutex_unlock(&kernel.lock);
	return events;
}

/* include/uapi/linux/sockios.h */
#define SIOCINQ_ 0x541B  /* FIONREAD */
#define SIOCOUTQ_ 0x5411 /* TIOCOUTQ */
#define SIOCATMARK_ 0x8905

/* net/unix/af_unix.c unix_ioctl(): the host pair's counts, but a
 * listener's (EINVAL) and an inbox's (its datagrams carry a name). */
static long usock_ioctl(struct task *t, struct file *f, unsigned int cmd, uint64_t arg)
{
	struct usock *u = f->priv;
	if (cmd != SIOCINQ_ && cmd != SIOCOUTQ_ && cmd != SIOCATMARK_)
		return -ENOTTY;
	pthread_mutex_lock(&kernel.lock);
	bool listening = u->state == US_LISTENING, inbox = u->inbox_tx >= 0;
	pthread_mutex_unlock(&kernel.lock);
	if (listening && cmd != SIOCATMARK_)
		return -EINVAL;
	int v;
	if (ioctl(f->host_fd, cmd == SIOCINQ_ ? FIONREAD : cmd == SIOCOUTQ_ ? TIOCOUTQ : SIOCATMARK_, &v) < 0)
		return -errno;
	if (inbox && cmd == SIOCINQ_ && v > 0)
		v -= (int)sizeof(struct unix_name);
	if (listening)
		v = 0;
	return copy_to_guest(t, arg, &v, sizeof v);
}

/* read/write: sys_sockmsg.c */
long usock_read(struct task *t, struct file *f, const struct iovec *iov, int n, size_t total);
long usock_write(struct task *t, struct file *f, const struct iovec *iov, int n, size_t total);

const struct file_ops unix_sock_ops = {
	.name = "socket", .read = usock_read, .write = usock_write, .release = usock_release,
	.poll = usock_poll, .poll_events = usock_poll_events, .ioctl = usock_ioctl,
};

long unix_name_from_guest(struct task *t, uint64_t addr, uint64_t len, struct unix_name *n)
{
	/* net/socket.c move_addr_to_kernel(), then unix_validate_addr(). */
	if ((int)len < 0 || len > sizeof(struct sockaddr_storage))
		return -EINVAL;
	memset(n, 0, sizeof *n);
	if (len > sizeof n->addr)
		return -EINVAL;
	if (len && copy_from_guest(t, &n->addr, addr, len) < 0)
		return -EFAULT;
	if (len < SUN_PATH_OFF || n->addr.sun_family != AF_UNIX)
		return -EINVAL;
	n->len = (uint32_t)len;
	if (len > SUN_PATH_OFF && n->addr.sun_path[0]) {
		/* unix_mkname_bsd(): a path ends at its NUL. */
		size_t plen = strnlen(n->addr.sun_path, len - SUN_PATH_OFF);
		if (plen == sizeof n->addr.sun_path)
			plen--; /* Linux terminates it in its 128-byte copy */
		n->addr.sun_path[plen] = 0;
		n->len = (uint32_t)(SUN_PATH_OFF + plen + 1);
	}
	return 0;
}

long unix_name_to_guest(struct task *t, const struct unix_name *n, uint64_t addr, uint64_t lenp, bool empty)
{
	int len;
	if (copy_from_guest(t, &len, lenp, sizeof len) < 0)
		return -EFAULT;
	struct unix_name unnamed = { .len = sizeof(sa_family_t), .addr.sun_family = AF_UNIX };
	if (!n->len && !empty)
		n = &unnamed;
	int klen = (int)n->len;
	if (len > klen)
		len = klen;
	if (len < 0)
		return -EINVAL;
	if (len && copy_to_guest(t, addr, &n->addr, (size_t)len) < 0)
		return -EFAULT;
	return copy_to_guest(t, lenp, &klen, sizeof klen) < 0 ? -EFAULT : 0;
}

static bool is_path(const struct unix_name *n)
{
	return n->len > SUN_PATH_OFF && n->addr.sun_path[0];
}

static bool same_abstract(const struct unix_name *a, const struct unix_name *b)
{
	return !is_path(a) && !is_path(b) && a->len == b->len && !memcmp(&a->addr, &b->addr, a->len);
}

static struct usock *find_abstract_locked(const struct unix_name *n)
{
	for (int i = 0; i < nbound; i++)
		if (!bound[i]->bound_sb && same_abstract(&bound[i]->name, n))
			return bound[i];
	return NULL;
}

/* The inode at path (following symlinks unless nofollow): its identity. */
static long path_identity(struct task *t, const char *path, bool nofollow, bool want_sock,
			  const void **sb, uint64_t *ino)
{
	pthread_mutex_lock(&vfs.lock);
	struct path p;
	long rc = vfs_walk(t, AT_FDCWD, path, nofollow ? 0 : LOOKUP_FOLLOW, &p);
	if (rc == 0) {
		struct inode *i = p.dentry->inode;
		if (want_sock && (rc = vfs_permission(t, i, MAY_WRITE)) == 0 && !S_ISSOCK(i->mode))
			rc = -ECONNREFUSED;
		*sb = i->sb;
		*ino = i->ino;
		path_put(p);
	}
	pthread_mutex_unlock(&vfs.lock);
	return rc;
}

static long add_bound_locked(struct usock *u)
{
	if (nbound == BOUND_MAX)
		return -ENOMEM;
	bound[nbound++] = u;
	u->refs++;
	return 0;
}

long unix_bind(struct task *t, struct usock *u, struct unix_name *n)
{
	if (n->len == sizeof(sa_family_t)) {
		/* net/unix/af_unix.c unix_autobind(): "\0" and five hex digits. */
		pthread_mutex_lock(&kernel.lock);
		long rc = 0;
		if (!u->name.len) {
			struct unix_name a = { .len = SUN_PATH_OFF + 6, .addr.sun_family = AF_UNIX };
			do {
				char buf[8];
				snprintf(buf, sizeof buf, "%05x", autobind_next++ & 0xfffff);
				memcpy(a.addr.sun_path + 1, buf, 5);
			} while (find_abstract_locked(&a));
			if ((rc = add_bound_locked(u)) == 0) {
				u->name = a;
				u->bound = true;
			}
		}
		pthread_mutex_unlock(&kernel.lock);
		return rc;
	}
	if (n->len <= SUN_PATH_OFF)
		return -EINVAL;
	if (is_path(n)) {
		/* unix_bind_bsd(): the node first (EADDRINUSE if the name is
		 * taken), then the socket's own state. */
		long rc = vfs_mknod(t, AT_FDCWD, n->addr.sun_path, S_IFSOCK | 0777, 0);
		if (rc < 0)
			return rc == -EEXIST ? -EADDRINUSE : rc;
		const void *sb;
		uint64_t ino;
		if ((rc = path_identity(t, n->addr.sun_path, true, false, &sb, &ino)) < 0)
			return rc;
		pthread_mutex_lock(&kernel.lock);
		if (u->name.len)
			rc = -EINVAL;
		else if ((rc = add_bound_locked(u)) == 0) {
			u->name = *n;
			u->bound_sb = sb;
			u->bound_ino = ino;
			u->bound = true;
		}
		pthread_mutex_unlock(&kernel.lock);
		if (rc == -EINVAL)
			vfs_unlink(t, AT_FDCWD, n->addr.sun_path, false);
		return rc;
	}
	pthread_mutex_lock(&kernel.lock);
	long rc = u->name.len ? -EINVAL : find_abstract_locked(n) ? -EADDRINUSE : add_bound_locked(u);
	if (rc == 0) {
		u->name = *n;
		u->bound = true;
	}
	pthread_mutex_unlock(&kernel.lock);
	return rc;
}

long unix_find(struct task *t, const struct unix_name *n, struct usock **out)
{
	const void *sb = NULL;
	uint64_t ino = 0;
	if (is_path(n)) {
		long rc = path_identity(t, n->addr.sun_path, false, true, &sb, &ino);
		if (rc < 0)
			return rc;
	}
	pthread_mutex_lock(&kernel.lock);
	struct usock *u = NULL;
	if (sb) {
		for (int i = 0; i < nbound && !u; i++)
			if (bound[i]->bound_sb == sb && bound[i]->bound_ino == ino)
				u = bound[i];
	} else {
		u = find_abstract_locked(n);
	}
	if (u)
		u->refs++;
	pthread_mutex_unlock(&kernel.lock);
	*out = u;
	return u ? 0 : -ECONNREFUSED;
}
