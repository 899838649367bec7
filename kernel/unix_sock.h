/* AF_UNIX sockets, kept by cvisor. A stream or seqpacket socket is one
 * end of a host socketpair (its file's host fd) from the start, so data,
 * buffer sizes, options, pending errors, urgent data, shutdown and
 * readiness are the host's, and the host fd never changes: connect()
 * hands the pair's other end to the listener, whose accept() makes it the
 * server side. What the host cannot know is cvisor's: names (bound paths
 * are socket inodes of the guest's VFS, abstract names a table here; no
 * host path is ever bound), listening (a listener's pair holds a byte
 * while connections wait, which makes it readable), credentials (guest
 * pids and ids) and the files that SCM_RIGHTS carries. A datagram socket
 * made by socket() owns an inbox: a host DGRAM socketpair whose one end
 * is its host fd and whose other end cvisor sends into for whoever
 * addresses it, each datagram after its sender's name (struct unix_name),
 * which recvfrom reports. Readiness the host pair cannot give (a listener
 * is never writable, an unconnected stream is hung up) is usock_poll's.
 *
 * All of it is guarded by kernel.lock (connect waits on kernel.wake);
 * bound paths are looked up under vfs.lock first. */
#ifndef CVISOR_UNIX_SOCK_H
#define CVISOR_UNIX_SOCK_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "fdtable.h"

/* include/uapi/linux/un.h: struct sockaddr_un, 110 bytes. */
struct unix_name {
	uint32_t len;             /* 0: unnamed; else bytes of addr in use */
	struct sockaddr_un addr;
};

struct linux_ucred {
	int32_t pid;
	uint32_t uid, gid;
};

/* A connection waiting for accept. */
struct unix_pending {
	int host_fd;              /* the server end of the socketpair */
	struct unix_name peer;    /* the connector's name */
	struct linux_ucred cred;  /* the connector's, for SO_PEERCRED */
	struct usock *peer_sock;  /* the connector, for SO_PASSCRED (a ref) */
	struct unix_pending *next;
};

enum usock_state { US_UNCONNECTED, US_LISTENING, US_CONNECTED };

struct usock {
	int refs;                 /* its file, peers, the name table */
	int type;                 /* SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET */
	enum usock_state state;
	struct file *file;        /* while open (not a reference) */
	struct unix_name name, peer;
	struct linux_ucred cred;  /* its creator's, then its listener's */
	struct linux_ucred peercred;
	bool has_peercred;
	bool passcred;
	int backlog;
	struct unix_pending *queue, *queue_tail;
	int queued;
	int inbox_tx;             /* DGRAM from socket(): cvisor's end, or -1 */
	/* STREAM/SEQPACKET from socket(): its pair's other end until connect
	 * queues it at the listener; a listener's, holding a byte (marked)
	 * while connections wait. Else -1. */
	int pair_fd;
	bool marked;
	struct usock *peer_sock;  /* connected to (a reference), or NULL */
	/* Bound to a path: the socket inode's identity. */
	const void *bound_sb;
	uint64_t bound_ino;
	bool bound;
	bool shut_rd, shut_wr;    /* before it has one */
};

extern const struct file_ops unix_sock_ops;

/* The socket behind guest fd: NULL with *err EBADF or ENOTSOCK. */
struct usock *usock_of(struct task *t, int fd, struct file **fp, long *err);
/* The calling process's credentials as SO_PEERCRED shows them (kernel.lock). */
struct linux_ucred usock_cred_locked(struct task *t);
/* A new socket and its file (one reference each): 0 or -errno. */
long usock_new(int type, int host_fd, int flags, struct file **out);
void usock_put_locked(struct usock *u);
/* One byte sent into or taken out of host socket fd, never blocking
 * (sendmsg/recvmsg: the host calls cvisor allows): whether it moved. */
bool host_byte(int fd, bool out);
/* A guest sockaddr_un, as unix_validate_addr() checks it. */
long unix_name_from_guest(struct task *t, uint64_t addr, uint64_t len, struct unix_name *n);
/* Write name to a guest sockaddr/len pair (move_addr_to_user()). An
 * unnamed socket is its family alone to getsockname and the like, nothing
 * (empty) to recvfrom. */
long unix_name_to_guest(struct task *t, const struct unix_name *n, uint64_t addr, uint64_t lenp, bool empty);
/* Bind u to n: a socket inode in the VFS or an abstract name. */
long unix_bind(struct task *t, struct usock *u, struct unix_name *n);
/* The socket bound at n, with a reference (kernel.lock NOT held): 0, or
 * -ECONNREFUSED/-ENOENT/-EACCES/...*/
long unix_find(struct task *t, const struct unix_name *n, struct usock **out);

/* unix_scm.c: control messages. Turn the guest's cmsgs into host ones (files
 * become tokens); tokens received back into guest fds and credentials. */
struct scm_out {
	char *buf;                /* host control data */
	size_t len;
	bool has_creds;
};
long scm_from_guest(struct task *t, uint64_t control, uint64_t controllen, struct usock *peer,
		    struct scm_out *out);
void scm_out_free(struct scm_out *o);
/* Rewrite host control data into the guest's buffer (recv_flags: the
 * guest's MSG_PEEK, MSG_CMSG_CLOEXEC): the length used, and *flags |=
 * MSG_CTRUNC when it did not all fit. */
long scm_to_guest(struct task *t, struct usock *u, const char *host, size_t hostlen, uint64_t control,
		  size_t controllen, int recv_flags, int *flags);

#endif
