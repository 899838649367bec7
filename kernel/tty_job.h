/* Job control on the terminal (drivers/tty/tty_jobctrl.c): a process of
 * the terminal's session outside its foreground process group that reads
 * it, writes it under TOSTOP, or changes its modes gets SIGTTIN/SIGTTOU. */
#ifndef CVISOR_TTY_JOB_H
#define CVISOR_TTY_JOB_H

#include "kernel.h"

enum tty_job_op {
	TTY_JOB_READ,   /* n_tty_read's job_control() */
	TTY_JOB_WRITE,  /* n_tty_write: checked only under TOSTOP */
};

/* Before t reads or writes host_fd: 0 to go on (not the terminal, or in
 * its foreground), -EIO, or -ERESTARTSYS once the job-control signal was
 * sent to t's process group. Cheap when t is in the foreground. */
long tty_job_check(struct task *t, int host_fd, enum tty_job_op op);
/* will_become_orphaned_pgrp(): no member of process group pgid has a
 * parent in another group of the same session, the one link that could
 * continue it after a stop (kernel.lock held). */
bool tty_pgrp_orphaned(int pgid);
/* The same for ioctl cmd (guest number) on host_fd: the ones that change
 * the terminal (tty_check_change) get SIGTTOU; 0 for every other cmd. */
long tty_job_ioctl_check(struct task *t, int host_fd, unsigned int cmd);

#endif
