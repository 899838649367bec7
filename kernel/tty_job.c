/* Terminal job control, after drivers/tty/tty_jobctrl.c. The guest's
 * terminal is the host's (every host fd that is a tty); its session is
 * init's and its foreground process group kernel.tty_fg_pgrp. */
#include <errno.h>
#include <sys/ioctl.h>
#include <termios.h>

#include "process.h"
#include "signal.h"
#include "tty_job.h"

/* include/uapi/asm-generic/termbits.h */
#define LINUX_TOSTOP 0x100

/* is_ignored(): blocked by the caller or ignored by its process. */
static bool job_signal_ignored(struct task *t, int sig)
{
	return (t->sig.blocked & sigbit(sig)) || t->sig.hand->action[sig - 1].handler == LINUX_SIG_IGN;
}

bool tty_pgrp_orphaned(int pgid)
{
	for (struct thread_group *o = kernel.groups; o; o = o->next_group) {
		if (o->pgid != pgid || o->zombie)
			continue;
		/* init's parent is whoever ran cvisor, a shell in the host
		 * session (cvisor has the guest's session follow it). */
		if (!o->parent || (o->parent->pgid != pgid && o->parent->sid == o->sid))
			return false;
	}
	return true;
}

/* Whether t is in the terminal's session but not its foreground group,
 * read without kernel.lock: the fast path of every terminal read. */
static bool maybe_background(struct task *t)
{
	int fg = __atomic_load_n(&kernel.tty_fg_pgrp, __ATOMIC_RELAXED);
	int pgid = __atomic_load_n(&t->tg->pgid, __ATOMIC_RELAXED);
	return fg && pgid != fg;
}

/* __tty_check_change(tty, sig), t known to use the terminal. */
static long check_change(struct task *t, int sig)
{
	pthread_mutex_lock(&kernel.lock);
	struct thread_group *g = t->tg;
	long rc = 0;
	/* Only for the session the terminal controls, outside its
	 * foreground group (none: no check, as a tty without a pgrp). */
	if (g->sid == kernel.init->sid && kernel.tty_fg_pgrp && g->pgid != kernel.tty_fg_pgrp) {
		if (job_signal_ignored(t, sig)) {
			/* A reader gets EIO; a writer goes on. */
			rc = sig == LINUX_SIGTTIN ? -EIO : 0;
		} else if (tty_pgrp_orphaned(g->pgid)) {
			rc = -EIO; /* nobody would continue a stopped orphan */
		} else {
			/* kill_pgrp(pgrp, sig, 1): the kernel's own signal. */
			struct linux_siginfo info = { .si_signo = sig, .si_code = LINUX_SI_KERNEL };
			for (struct thread_group *o = kernel.groups; o; o = o->next_group)
				if (o->pgid == g->pgid && !o->zombie)
					signal_send_group(o, &info, false);
			rc = -ERESTARTSYS;
		}
	}
	pthread_mutex_unlock(&kernel.lock);
	return rc;
}

long tty_job_check(struct task *t, int host_fd, enum tty_job_op op)
{
	if (!maybe_background(t))
		return 0;
	struct termios tio;
	if (ioctl(host_fd, TCGETS, &tio) < 0)
		return 0; /* not a terminal */
	if (op == TTY_JOB_WRITE && !(tio.c_lflag & LINUX_TOSTOP))
		return 0;
	return check_change(t, op == TTY_JOB_READ ? LINUX_SIGTTIN : LINUX_SIGTTOU);
}

long tty_job_ioctl_check(struct task *t, int host_fd, unsigned int cmd)
{
	switch (cmd) {
	case LINUX_TCSETS: case LINUX_TCSETSW: case LINUX_TCSETSF: case LINUX_TIOCSPGRP:
		break;
	default:
		return 0;
	}
	if (!maybe_background(t))
		return 0;
	struct termios tio;
	if (ioctl(host_fd, TCGETS, &tio) < 0)
		return 0; /* not a terminal: the ioctl itself says ENOTTY */
	long rc = check_change(t, LINUX_SIGTTOU);
	/* tiocspgrp(): an orphan's EIO reads ENOTTY there. */
	return cmd == LINUX_TIOCSPGRP && rc == -EIO ? -ENOTTY : rc;
}
