/* SCM_RIGHTS and SCM_CREDENTIALS across cvisor's AF_UNIX sockets. A guest
 * file is more than a host fd (cvisor keeps offsets, names, state), so what
 * travels in the host message is a token: the read end of a fresh host
 * pipe, one per file or credential, its inode the key of an in-flight
 * entry holding the file (a reference) or the guest credentials. Tokens
 * keep the host's own semantics: message boundaries, ordering, and
 * truncation. An entry whose token the host dropped (unread messages of a
 * closed socket) is found by its pipe's write end reporting POLLERR. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmsg.h"
#include "guest_mem.h"
#include "process.h"
#include "unix_sock.h"

/* include/net/scm.h */
#define SCM_MAX_FD_ 253
/* Control data cvisor takes from a guest per message (optmem_max's order). */
#define CONTROL_MAX (64 * 1024)

struct inflight {
	uint64_t ino;             /* the token pipe's */
	int wfd;                  /* its write end */
	struct file *file;        /* a reference; NULL for credentials */
	struct linux_ucred cred;
	struct inflight *next;
};

static pthread_mutex_t inflight_lock = PTHREAD_MUTEX_INITIALIZER;
static struct inflight *inflight;
/* Each entry holds a host fd of cvisor's: past this many in flight a
 * send fails ETOOMANYREFS, as Linux's too_many_unix_fds() does. */
#define INFLIGHT_MAX 4096
static int ninflight;

/* Drop the entries whose tokens the host discarded. */
static void sweep(void)
{
	struct inflight *dead = NULL;
	pthread_mutex_lock(&inflight_lock);
	for (struct inflight **p = &inflight; *p;) {
		struct pollfd pfd = { (*p)->wfd, 0, 0 };
		if (poll(&pfd, 1, 0) == 1 && (pfd.revents & POLLERR)) {
			struct inflight *e = *p;
			*p = e->next;
			e->next = dead;
			dead = e;
			ninflight--;
		} else {
			p = &(*p)->next;
		}
	}
	pthread_mutex_unlock(&inflight_lock);
	while (dead) {
		struct inflight *e = dead;
		dead = e->next;
		close(e->wfd);
		file_put(e->file);
		free(e);
	}
}

/* A token for f (a reference taken) or for cred: its read end, or -errno. */
static int make_token(struct file *f, const struct linux_ucred *cred)
{
	int p[2];
	struct stat st;
	pthread_mutex_lock(&inflight_lock);
	bool full = ninflight >= INFLIGHT_MAX;
	pthread_mutex_unlock(&inflight_lock);
	if (full)
		return -ETOOMANYREFS;
	struct inflight *e = malloc(sizeof *e);
	if (!e)
		return -ENOMEM;
	if (pipe2(p, O_CLOEXEC) < 0) {
		free(e);
		return errno == EMFILE ? -ETOOMANYREFS : -errno;
	}
	fstat(p[0], &st);
	*e = (struct inflight){ .ino = st.st_ino, .wfd = p[1], .file = f ? file_get(f) : NULL };
	if (cred)
		e->cred = *cred;
	pthread_mutex_lock(&inflight_lock);
	e->next = inflight;
	inflight = e;
	ninflight++;
	pthread_mutex_unlock(&inflight_lock);
	return p[0];
}

/* The entry a received token stands for, taken off the list (the token is
 * closed), or NULL. */
static struct inflight *redeem(int token, bool peek)
{
	struct stat st;
	struct inflight *found = NULL;
	if (fstat(token, &st) == 0) {
		pthread_mutex_lock(&inflight_lock);
		for (struct inflight **p = &inflight; *p; p = &(*p)->next)
			if ((*p)->ino == st.st_ino) {
				found = *p;
				if (peek) {
					/* MSG_PEEK: the message stays, and so does its
					 * entry; the peeker gets the files too. */
					struct inflight *copy = malloc(sizeof *copy);
					if (copy) {
						*copy = *found;
						copy->wfd = -1;
						if (copy->file)
							file_get(copy->file);
					}
					found = copy;
				} else {
					*p = found->next;
					ninflight--;
				}
				break;
			}
		pthread_mutex_unlock(&inflight_lock);
	}
	close(token);
	if (found && found->wfd >= 0)
		close(found->wfd);
	return found;
}

void scm_out_free(struct scm_out *o)
{
	if (!o->buf)
		return;
	struct cmsghdr *c = (struct cmsghdr *)o->buf;
	int n = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
	for (int i = 0; i < n; i++)
		close(((int *)CMSG_DATA(c))[i]);
	free(o->buf);
	o->buf = NULL;
	/* Tokens of a message that was never sent are dead now. */
	sweep();
}

/* net/core/scm.c __scm_send(), scm_fp_copy(), scm_check_creds(). */
long scm_from_guest(struct task *t, uint64_t control, uint64_t controllen, struct usock *peer,
		    struct scm_out *out)
{
	*out = (struct scm_out){ 0 };
	if (controllen > INT32_MAX || controllen > CONTROL_MAX)
		return -ENOBUFS;
	struct file *files[SCM_MAX_FD_];
	int nfiles = 0;
	struct linux_ucred cred;
	bool has_cred = false;
	char *buf = NULL;
	long rc = 0;
	if (controllen >= sizeof(struct cmsghdr)) {
		if (!(buf = malloc(controllen)))
			return -ENOMEM;
		if (copy_from_guest(t, buf, control, controllen) < 0) {
			free(buf);
			return -EFAULT;
		}
	}
	size_t off = 0;
	bool bad = false;
	for (const struct cmsghdr *c; buf && (c = cmsg_next(buf, controllen, &off, &bad));) {
		if (c->cmsg_level == SOL_SOCKET) {
			if (c->cmsg_type == SCM_RIGHTS) {
				int n = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
				if (nfiles + n > SCM_MAX_FD_) {
					rc = -EINVAL;
					break;
				}
				for (int i = 0; i < n; i++) {
					struct file *f = fd_get(t, ((const int *)CMSG_DATA(c))[i]);
					if (!f) {
						rc = -EBADF;
						break;
					}
					files[nfiles++] = f;
				}
			} else if (c->cmsg_type == SCM_CREDENTIALS) {
				if (c->cmsg_len != CMSG_LEN(sizeof cred)) {
					rc = -EINVAL;
					break;
				}
				memcpy(&cred, CMSG_DATA(c), sizeof cred);
				pthread_mutex_lock(&kernel.lock);
				const struct cred *me = &t->tg->attrs.cred;
				bool ok = me->euid == 0 ||
					  (cred.pid == t->tg->pid &&
					   (cred.uid == me->uid || cred.uid == me->euid || cred.uid == me->suid) &&
					   (cred.gid == me->gid || cred.gid == me->egid || cred.gid == me->sgid));
				/* find_get_pid(): the pid must name someone. */
				bool exists = false;
				for (struct thread_group *g = kernel.groups; g && !exists; g = g->next_group)
					exists = g->pid == cred.pid;
				pthread_mutex_unlock(&kernel.lock);
				if (!ok || !exists) {
					rc = ok ? -ESRCH : -EPERM;
					break;
				}
				has_cred = true;
			} else {
				rc = -EINVAL;
				break;
			}
		}
		if (rc < 0)
			break;
	}
	if (bad && rc == 0)
		rc = -EINVAL;
	free(buf);
	if (rc < 0)
		return rc;
	pthread_mutex_lock(&kernel.lock);
	if (!has_cred && peer && peer->passcred) {
		/* net/unix: the sender's credentials go with every message. */
		cred = (struct linux_ucred){ t->tg->pid, t->tg->attrs.cred.uid, t->tg->attrs.cred.gid };
		has_cred = true;
	}
	pthread_mutex_unlock(&kernel.lock);
	int ntok = nfiles + has_cred;
	if (!ntok)
		return 0;
	sweep();
	out->len = CMSG_SPACE((size_t)ntok * sizeof(int));
	if (!(out->buf = calloc(1, out->len)))
		return -ENOMEM;
	struct cmsghdr *c = (struct cmsghdr *)out->buf;
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(0);
	int *tok = (int *)CMSG_DATA(c);
	for (int i = 0; i < ntok; i++) {
		int fd = i == 0 && has_cred ? make_token(NULL, &cred) : make_token(files[i - has_cred], NULL);
		if (fd < 0) {
			scm_out_free(out);
			return fd;
		}
		tok[i] = fd;
		c->cmsg_len = CMSG_LEN((size_t)(i + 1) * sizeof(int));
	}
	out->has_creds = has_cred;
	return 0;
}

long scm_to_guest(struct task *t, struct usock *u, const char *host, size_t hostlen, uint64_t control,
		  size_t controllen, int recv_flags, int *flags)
{
	struct file *files[SCM_MAX_FD_ + 1];
	int nfiles = 0;
	struct linux_ucred cred;
	bool has_cred = false;
	size_t off = 0;
	bool bad;
	for (const struct cmsghdr *c; (c = cmsg_next(host, hostlen, &off, &bad));) {
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
			int n = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
			for (int i = 0; i < n; i++) {
				struct inflight *e = redeem(((const int *)CMSG_DATA(c))[i], recv_flags & MSG_PEEK);
				if (!e)
					continue;
				if (e->file && nfiles <= SCM_MAX_FD_)
					files[nfiles++] = e->file;
				else if (e->file)
					file_put(e->file);
				else {
					cred = e->cred;
					has_cred = true;
				}
				free(e);
			}
		}
	}
	size_t cap = control ? (controllen < CONTROL_MAX ? controllen : CONTROL_MAX) : 0;
	char *gbuf = cap ? calloc(1, cap) : NULL;
	size_t used = 0;
	if (cap && !gbuf)
		cap = 0;
	bool passcred = u->passcred;
	if (passcred && has_cred)
		cmsg_put(gbuf, cap, &used, flags, SCM_CREDENTIALS, &cred, sizeof cred);
	if (nfiles) {
		/* scm_detach_fds(): as many as fit, the rest dropped. */
		size_t room = cap - used;
		int fdmax = room > sizeof(struct cmsghdr) ? (int)((room - sizeof(struct cmsghdr)) / sizeof(int)) : 0;
		int fds[SCM_MAX_FD_ + 1];
		int i = 0;
		for (; i < nfiles && i < fdmax; i++) {
			int fd = fd_install(t, files[i], 0, recv_flags & MSG_CMSG_CLOEXEC);
			if (fd < 0)
				break;
			fds[i] = fd;
		}
		if (i > 0) {
			struct cmsghdr h = { .cmsg_len = CMSG_LEN((size_t)i * sizeof(int)), .cmsg_level = SOL_SOCKET,
					     .cmsg_type = SCM_RIGHTS };
			memcpy(gbuf + used, &h, sizeof h);
			memcpy(gbuf + used + sizeof h, fds, (size_t)i * sizeof(int));
			size_t cmlen = CMSG_SPACE((size_t)i * sizeof(int));
			used += cmlen < room ? cmlen : room;
		}
		if (i < nfiles)
			*flags |= MSG_CTRUNC;
		for (int k = 0; k < nfiles; k++)
			file_put(files[k]);
	}
	long rc = (long)used;
	if (used && copy_to_guest(t, control, gbuf, used) < 0)
		rc = -EFAULT;
	free(gbuf);
	return rc;
}
