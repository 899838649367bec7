/* Reaping children: wait4 and waitid. */
#include <errno.h>
#include <string.h>
#include <sys/wait.h>

#include "guest_mem.h"
#include "process.h"
#include "syscalls.h"

/* include/uapi/linux/wait.h */
#define L_WNOHANG 0x1
#define L_WSTOPPED 0x2
#define L_WUNTRACED 0x2
#define L_WEXITED 0x4
#define L_WCONTINUED 0x8
#define L_WNOWAIT 0x01000000
#define L_WNOTHREAD 0x20000000
#define L_WALL 0x40000000
#define L_WCLONE 0x80000000U
#define P_ALL 0
#define P_PID 1
#define P_PGID 2
#define P_PIDFD 3
/* include/uapi/asm-generic/siginfo.h: CLD_* codes */
#define L_CLD_EXITED 1
#define L_CLD_KILLED 2
#define L_CLD_DUMPED 3
#define LINUX_SIGCHLD 17

enum wait_which { CHILD_ANY, CHILD_PID, CHILD_PGID };

/* Signals whose default action dumps core (WCOREDUMP in the status). */
static bool dumps_core(int sig)
{
	switch (sig) {
	case SIGQUIT: case SIGILL: case SIGTRAP: case SIGABRT: case SIGBUS:
	case SIGFPE: case SIGSEGV: case SIGXCPU: case SIGXFSZ: case SIGSYS:
		return true;
	}
	return false;
}

/* The status wait4 reports: exit code << 8, or the signal, | 0x80 when
 * Linux would have dumped core (RLIMIT_CORE allows it). */
static int wait_status(const struct thread_group *g)
{
	int st = g->exit_status;
	if ((st & 0x7f) && dumps_core(st & 0x7f) && g->rlimits[LINUX_RLIMIT_CORE].rlim_cur)
		st |= 0x80;
	return st;
}

/* What to wait for. */
struct wait_spec {
	enum wait_which which;
	int id;
	bool exited, stopped, continued; /* WEXITED, WUNTRACED/WSTOPPED, WCONTINUED */
	bool nohang, nowait;
};

/* A child's reportable change, if any (kernel.lock held): its status. */
static bool reportable(struct thread_group *c, const struct wait_spec *w, int *status, int *code)
{
	if (c->zombie && w->exited) {
		*status = wait_status(c);
		*code = WIFEXITED(*status) ? L_CLD_EXITED : WCOREDUMP(*status) ? L_CLD_DUMPED : L_CLD_KILLED;
		return true;
	}
	if (c->stopped && !c->stop_reported && w->stopped) {
		*status = (c->stop_signal << 8) | 0x7f;
		*code = 5; /* CLD_STOPPED */
		return true;
	}
	if (c->continued && w->continued) {
		*status = 0xffff;
		*code = 6; /* CLD_CONTINUED */
		return true;
	}
	return false;
}

/* Find (and unless nowait consume) a child's change: its pid, 0 if there
 * are matching children but nothing to report, -ECHILD if none match, or
 * -ERESTARTSYS when a signal came while blocking. */
static long do_wait(struct task *t, const struct wait_spec *w, int *status, int *code)
{
	pthread_mutex_lock(&kernel.lock);
	long r;
	for (;;) {
		bool any = false;
		struct thread_group *found = NULL;
		for (struct thread_group *c = t->tg->children; c; c = c->next_sibling) {
			if ((w->which == CHILD_PID && c->pid != w->id) ||
			    (w->which == CHILD_PGID && c->pgid != w->id))
				continue;
			any = true;
			if (reportable(c, w, status, code)) {
				found = c;
				break;
			}
		}
		if (found) {
			r = found->pid;
			if (!w->nowait) {
				if (found->zombie)
					process_group_free(found);
				else if (*code == 5)
					found->stop_reported = true;
				else
					found->continued = false;
			}
			break;
		}
		if (!any) {
			r = -ECHILD;
			break;
		}
		if (w->nohang) {
			r = 0;
			break;
		}
		if (kernel_sleep(t) < 0) {
			r = -ERESTARTSYS;
			break;
		}
	}
	pthread_mutex_unlock(&kernel.lock);
	return r;
}

long sys_wait4(struct task *t, SYSCALL_ARGS)
{
	int pid = (int)a[0];
	unsigned int options = (unsigned int)a[2];
	if (options & ~(L_WNOHANG | L_WUNTRACED | L_WCONTINUED | L_WNOTHREAD | L_WCLONE | L_WALL))
		return -EINVAL;
	/* INT_MIN has no process group to name (kernel/exit.c). */
	if (pid == INT32_MIN)
		return -ESRCH;
	enum wait_which which = pid > 0 ? CHILD_PID : pid == -1 ? CHILD_ANY : CHILD_PGID;
	int id = pid > 0 ? pid : pid < -1 ? -pid : 0;
	if (pid == 0) {
		pthread_mutex_lock(&kernel.lock);
		id = t->tg->pgid;
		pthread_mutex_unlock(&kernel.lock);
	}
	struct wait_spec w = { .which = which, .id = id, .exited = true,
			       .stopped = options & L_WUNTRACED, .continued = options & L_WCONTINUED,
			       .nohang = options & L_WNOHANG };
	int status = 0, code;
	long r = do_wait(t, &w, &status, &code);
	if (r > 0 && a[1] && copy_to_guest(t, a[1], &status, sizeof status) < 0)
		return -EFAULT;
	if (r >= 0 && a[3]) {
		/* struct rusage: 144 bytes; child usage is not tracked yet. */
		static const char zero[144];
		if (copy_to_guest(t, a[3], zero, sizeof zero) < 0)
			return -EFAULT;
	}
	return r;
}

/* struct siginfo for SIGCHLD, as waitid fills it (128 bytes). */
struct linux_siginfo_chld {
	int32_t signo, errno_, code, pad;
	int32_t pid, uid, status, pad2;
	int64_t utime, stime;
	char rest[128 - 48];
};

long sys_waitid(struct task *t, SYSCALL_ARGS)
{
	int idtype = (int)a[0], id = (int)a[1];
	unsigned int options = (unsigned int)a[3];
	if (options & ~(L_WNOHANG | L_WNOWAIT | L_WEXITED | L_WSTOPPED | L_WCONTINUED |
			L_WNOTHREAD | L_WCLONE | L_WALL))
		return -EINVAL;
	if (!(options & (L_WEXITED | L_WSTOPPED | L_WCONTINUED)))
		return -EINVAL;
	enum wait_which which;
	switch (idtype) {
	case P_ALL: which = CHILD_ANY; break;
	case P_PID:
		if (id <= 0)
			return -EINVAL;
		which = CHILD_PID;
		break;
	case P_PGID:
		if (id < 0)
			return -EINVAL;
		which = CHILD_PGID;
		if (id == 0) {
			pthread_mutex_lock(&kernel.lock);
			id = t->tg->pgid;
			pthread_mutex_unlock(&kernel.lock);
		}
		break;
	case P_PIDFD:
		/* The process the pidfd stands for, which must be our child. */
		if ((id = pidfd_pid(t, id)) < 0)
			return id;
		which = CHILD_PID;
		break;
	default:
		return -EINVAL;
	}
	struct wait_spec w = { .which = which, .id = id, .exited = options & L_WEXITED,
			       .stopped = options & L_WSTOPPED, .continued = options & L_WCONTINUED,
			       .nohang = options & L_WNOHANG, .nowait = options & L_WNOWAIT };
	int status = 0, code = 0;
	long r = do_wait(t, &w, &status, &code);
	if (r < 0)
		return r;
	struct linux_siginfo_chld si = { 0 };
	if (r > 0) {
		si.signo = LINUX_SIGCHLD;
		si.pid = (int32_t)r;
		si.code = code;
		si.status = code == L_CLD_EXITED ? WEXITSTATUS(status)
			  : code == 5 ? WSTOPSIG(status) : code == 6 ? LINUX_SIGCONT : WTERMSIG(status);
	}
	if (a[2] && copy_to_guest(t, a[2], &si, sizeof si) < 0)
		return -EFAULT;
	if (a[4]) {
		static const char zero[144];
		if (copy_to_guest(t, a[4], zero, sizeof zero) < 0)
			return -EFAULT;
	}
	return 0;
}
