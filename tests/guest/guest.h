/* Shared bits of guest test programs: they print deterministic facts only
 * (errno names, sizes, flags; never pids, addresses or times) so the output
 * natively and under cvisor can be compared. */
#ifndef GUEST_H
#define GUEST_H
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>

/* errno's name, as both libcs spell it. */
static inline const char *errname(int e)
{
	switch (e) {
#define E(x) case x: return #x;
	E(EPERM) E(ENOENT) E(ESRCH) E(EINTR) E(EIO) E(ENXIO) E(E2BIG) E(ENOEXEC)
	E(EBADF) E(ECHILD) E(EAGAIN) E(ENOMEM) E(EACCES) E(EFAULT) E(EBUSY) E(EEXIST)
	E(EXDEV) E(ENODEV) E(ENOTDIR) E(EISDIR) E(EINVAL) E(ENFILE) E(EMFILE) E(ENOTTY)
	E(EFBIG) E(ENOSPC) E(ESPIPE) E(EROFS) E(EMLINK) E(EPIPE) E(ERANGE) E(ENAMETOOLONG)
	E(ENOSYS) E(ENOTEMPTY) E(ELOOP) E(EOVERFLOW) E(EOPNOTSUPP)
#undef E
	case 0: return "0";
	}
	static char buf[32];
	snprintf(buf, sizeof buf, "E%d", e);
	return buf;
}

/* "name: ok" or "name: -1 ENOENT" for a call returning -1/errno. */
#define SHOW(name, expr) do { \
	errno = 0; \
	long r_ = (long)(expr); \
	if (r_ < 0) printf("%s: %ld %s\n", name, r_, errname(errno)); \
	else printf("%s: ok\n", name); \
} while (0)

/* "name: VALUE" or "name: ENOENT" for a call returning -1/errno. */
#define SHOWN(name, expr) do { \
	errno = 0; \
	long r_ = (long)(expr); \
	if (r_ == -1 && errno) printf("%s: %s\n", name, errname(errno)); \
	else printf("%s: %ld\n", name, r_); \
} while (0)

/* Run fn in a forked child and wait for it: for what must not change the
 * test itself (dropped privileges, a process's own signals). Its status. */
#include <sys/wait.h>
#include <unistd.h>
static inline int in_child(void (*fn)(void))
{
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		fn();
		fflush(stdout);
		_exit(0);
	}
	int st;
	waitpid(c, &st, 0);
	return st;
}

#endif
