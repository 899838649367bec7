/* prctl: the options kept in cvisor's process and task attributes. */
#include <errno.h>
#include <string.h>

#include "attrs.h"
#include "guest_mem.h"
#include "process.h"
#include "syscalls.h"

/* kernel/sys.c prctl(), with security/commoncap.c cap_task_prctl()'s
 * PR_CAPBSET_READ; any other option is EINVAL, as Linux's unknown ones. */
long sys_prctl(struct task *t, SYSCALL_ARGS)
{
	int option = (int)a[0];
	uint64_t arg2 = a[1];
	long rc = 0;
	switch (option) {
	case LINUX_PR_CAPBSET_READ: {
		if (arg2 > LINUX_CAP_LAST_CAP)
			return -EINVAL;
		pthread_mutex_lock(&kernel.lock);
		rc = (t->tg->attrs.cap_bset >> arg2) & 1;
		pthread_mutex_unlock(&kernel.lock);
		return rc;
	}
	case LINUX_PR_SET_PDEATHSIG:
		if (arg2 > LINUX_NSIG) /* valid_signal() */
			return -EINVAL;
		pthread_mutex_lock(&kernel.lock);
		t->pdeathsig = (int)arg2;
		pthread_mutex_unlock(&kernel.lock);
		return 0;
	case LINUX_PR_GET_PDEATHSIG: {
		pthread_mutex_lock(&kernel.lock);
		int sig = t->pdeathsig;
		pthread_mutex_unlock(&kernel.lock);
		return copy_to_guest(t, arg2, &sig, sizeof sig);
	}
	case LINUX_PR_GET_DUMPABLE:
		pthread_mutex_lock(&kernel.lock);
		rc = t->tg->attrs.dumpable;
		pthread_mutex_unlock(&kernel.lock);
		return rc;
	case LINUX_PR_SET_DUMPABLE:
		if (arg2 != 0 && arg2 != LINUX_SUID_DUMP_USER)
			return -EINVAL;
		pthread_mutex_lock(&kernel.lock);
		t->tg->attrs.dumpable = (int)arg2;
		pthread_mutex_unlock(&kernel.lock);
		return 0;
	case LINUX_PR_SET_NAME: {
		/* strncpy_from_user() of at most 15 bytes: a fault before the
		 * NUL (or the 15th byte) is EFAULT. */
		char name[LINUX_TASK_COMM_LEN] = { 0 };
		long n = copy_from_guest_partial(t, name, arg2, sizeof name - 1);
		if (n < 0 || (n < (long)sizeof name - 1 && !memchr(name, 0, (size_t)n)))
			return -EFAULT;
		pthread_mutex_lock(&kernel.lock);
		attrs_set_comm(task_attrs_mut(t), name);
		pthread_mutex_unlock(&kernel.lock);
		return 0;
	}
	case LINUX_PR_GET_NAME: {
		char name[LINUX_TASK_COMM_LEN];
		pthread_mutex_lock(&kernel.lock);
		memcpy(name, task_attrs(t)->comm, sizeof name);
		pthread_mutex_unlock(&kernel.lock);
		return copy_to_guest(t, arg2, name, sizeof name);
	}
	case LINUX_PR_GET_SECCOMP:
		return 0; /* the guest has no seccomp filter (SECCOMP_MODE_DISABLED) */
	case LINUX_PR_SET_CHILD_SUBREAPER:
		pthread_mutex_lock(&kernel.lock);
		t->tg->attrs.child_subreaper = arg2 != 0;
		pthread_mutex_unlock(&kernel.lock);
		return 0;
	case LINUX_PR_GET_CHILD_SUBREAPER: {
		pthread_mutex_lock(&kernel.lock);
		int on = t->tg->attrs.child_subreaper;
		pthread_mutex_unlock(&kernel.lock);
		return copy_to_guest(t, arg2, &on, sizeof on);
	}
	case LINUX_PR_SET_NO_NEW_PRIVS:
		if (arg2 != 1 || a[2] || a[3] || a[4])
			return -EINVAL;
		pthread_mutex_lock(&kernel.lock);
		t->tg->attrs.no_new_privs = true;
		pthread_mutex_unlock(&kernel.lock);
		return 0;
	case LINUX_PR_GET_NO_NEW_PRIVS:
		if (arg2 || a[2] || a[3] || a[4])
			return -EINVAL;
		pthread_mutex_lock(&kernel.lock);
		rc = t->tg->attrs.no_new_privs;
		pthread_mutex_unlock(&kernel.lock);
		return rc;
	}
	return -EINVAL;
}
