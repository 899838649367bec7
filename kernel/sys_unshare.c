/* unshare(2) and syslog(2). unshare gives the caller its own fd table or
 * fs context (CLONE_FILES, CLONE_FS), as kernel/fork.c ksys_unshare does;
 * new namespaces are not offered inside the sandbox (EPERM, as clone).
 * syslog reads a kernel log the sandbox does not have: it is empty. */
#include <errno.h>
#include <stdatomic.h>

#include "fdtable.h"
#include "process.h"
#include "syscalls.h"

/* include/uapi/linux/sched.h */
#define U_CLONE_VM 0x00000100
#define U_CLONE_FS 0x00000200
#define U_CLONE_FILES 0x00000400
#define U_CLONE_SIGHAND 0x00000800
#define U_CLONE_THREAD 0x00010000
#define U_CLONE_NEWNS 0x00020000
#define U_CLONE_SYSVSEM 0x00040000
#define U_CLONE_NEWCGROUP 0x02000000
#define U_CLONE_NEWUTS 0x04000000
#define U_CLONE_NEWIPC 0x08000000
#define U_CLONE_NEWUSER 0x10000000
#define U_CLONE_NEWPID 0x20000000
#define U_CLONE_NEWNET 0x40000000
#define U_CLONE_NEWTIME 0x00000080
#define U_NAMESPACES (U_CLONE_NEWNS | U_CLONE_NEWCGROUP | U_CLONE_NEWUTS | U_CLONE_NEWIPC | U_CLONE_NEWUSER | \
		      U_CLONE_NEWPID | U_CLONE_NEWNET | U_CLONE_NEWTIME)

long sys_unshare(struct task *t, SYSCALL_ARGS)
{
	uint64_t flags = a[0];
	/* check_unshare_flags() */
	if (flags & ~(uint64_t)(U_CLONE_THREAD | U_CLONE_FS | U_CLONE_SIGHAND | U_CLONE_VM | U_CLONE_FILES |
				U_CLONE_SYSVSEM | U_NAMESPACES))
		return -EINVAL;
	pthread_mutex_lock(&kernel.lock);
	int threads = t->tg->nthreads;
	pthread_mutex_unlock(&kernel.lock);
	/* Unsharing the thread group, signal handlers or memory only works
	 * for a single thread (where there is nothing to unshare). */
	if ((flags & (U_CLONE_THREAD | U_CLONE_SIGHAND | U_CLONE_VM)) && threads > 1)
		return -EINVAL;
	if (flags & U_NAMESPACES)
		return -EPERM;
	if ((flags & U_CLONE_FS) && t->fs->refs > 1) {
		struct fs_context *own = fs_context_copy(t->fs);
		if (!own)
			return -ENOMEM;
		fs_context_put(t->fs);
		t->fs = own;
	}
	return flags & U_CLONE_FILES ? fdtable_unshare(t) : 0;
}

/* include/linux/syslog.h SYSLOG_ACTION_* */
long sys_syslog(struct task *t, SYSCALL_ARGS)
{
	(void)t;
	int type = (int)a[0], len = (int)a[2];
	switch (type) {
	case 0: case 1: /* close, open */
		return 0;
	case 2: case 3: case 4: /* read, read all, read and clear */
		if (len < 0)
			return -EINVAL;
		return 0; /* nothing was ever logged */
	case 5: case 6: case 7: case 8: /* clear, console off/on/level */
		return 0;
	case 9: /* unread bytes */
		return 0;
	case 10: /* buffer size */
		return 1 << 17;
	default:
		return -EINVAL;
	}
}
