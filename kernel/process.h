/* Guest processes (thread groups), the process tree and guest pids. All of
 * it is guarded by kernel.lock; kernel.wake is broadcast on every change a
 * sleeper may wait for (a child's exit, a vfork release, a posted signal). */
#ifndef CVISOR_PROCESS_H
#define CVISOR_PROCESS_H

#include "task.h"
#include "timer.h"

struct thread_group {
	int pid, pgid, sid;          /* guest ids */
	struct thread_group *parent; /* NULL for init */
	struct thread_group *children, *next_sibling;
	struct task *threads;        /* live tasks, via task->next_in_group */
	int nthreads;
	bool exiting;                /* exit_group or a fatal signal: all go */
	bool zombie;                 /* every thread is gone; waits for wait4 */
	bool did_exec;               /* since fork (setpgid's EACCES) */
	struct thread_group *next_group;
	int exit_status;             /* wait status once exiting or a zombie */
	struct linux_rlimit rlimits[LINUX_RLIM_NLIMITS];
	struct process_attrs attrs;  /* credentials, prctl state (attrs.h) */
	struct sigpending shared_pending; /* sent to the process */
	int exit_signal;             /* sent to the parent at the end (clone) */
	bool stopped;                /* group stop: every thread waits */
	int stop_signal;             /* what stopped it, for wait's WUNTRACED */
	bool stop_reported, continued; /* wait4 WUNTRACED/WCONTINUED state */
	struct ktimer itimer[3];     /* ITIMER_REAL, _VIRTUAL, _PROF */
	struct ktimer cpu_limit;     /* RLIMIT_CPU on the process's CPU clock */
	struct posix_timer *timers;  /* timer_create's */
	int exit_efd;                /* pidfds' host eventfd, readable once a
				      * zombie; -1 until a pidfd asks */
	int next_timer_id;           /* ids count up, as next_posix_timer_id */
};

/* cvisor's exit status when --timeout ended the guest (as timeout(1)). */
#define CVISOR_TIMEOUT_STATUS 124

/* Boot the guest's init and wait for it to end: cvisor's exit status. */
int process_run_init(const struct exec_request *req);

/* clone(2) and its fork/vfork forms: the child's tid or -errno. */
long process_clone(struct task *t, uint64_t flags, uint64_t stack, uint64_t ptid,
		   uint64_t ctid, uint64_t tls, uint64_t pidfd_addr);
/* pidfd.c: a pidfd for g in t's table (close-on-exec): the fd or -errno.
 * kernel.lock not held. */
long pidfd_create(struct task *t, struct thread_group *g, int flags);
/* The process a guest fd names as a pidfd (its pid), or -EBADF. */
int pidfd_pid(struct task *t, int fd);
/* The calling task is done (its loop ended): leave the thread group, and
 * the process if it was the last, waking whoever waits. Frees t. */
void process_task_exit(struct task *t);
/* exit_group: every thread of t's group ends with status. */
void process_group_exit(struct task *t, int status);
/* Release a vfork parent waiting on t (t execs or exits). */
void process_vfork_release(struct task *t);

/* Sleep on kernel.wake (kernel.lock held): -ERESTARTSYS when a signal was
 * posted to t meanwhile, else 0, maybe early (callers check again). */
int kernel_sleep(struct task *t);
/* Wake every kernel_sleep: something they wait for changed. */
void kernel_wake_all(void);
/* The same with a deadline on clock: -ETIMEDOUT once it passed. */
int kernel_sleep_until(struct task *t, clockid_t clock, const struct timespec *deadline);
/* sys_timer.c: arm RLIMIT_CPU's timer for t's process from its limits
 * and its current image's CPU clock (kernel.lock held). */
void process_cpu_limit_arm(struct task *t);
/* Delete g's POSIX timer id, or all of them for -1 (kernel.lock held). */
long process_timers_delete(struct thread_group *g, int id);
/* The signal of g's POSIX timer arming seq leaves its queue (kernel.lock
 * held): its overrun is set in info and a periodic timer re-arms; false
 * when that arming is gone (the timer was set again or deleted): the
 * signal is dropped. */
bool posix_timer_dequeued(struct thread_group *g, uint64_t seq, struct linux_siginfo *info);
/* A periodic POSIX timer's signal, arming seq, was dropped as ignored: the
 * timer waits, parked, for posix_timers_unignore (kernel.lock held). */
void posix_timer_park(struct thread_group *g, uint64_t seq);
/* sig is no longer ignored (sigaction from SIG_IGN): g's timers parked on
 * it queue their signal again (posixtimer_sig_unignore). */
void posix_timers_unignore(struct thread_group *g, int sig);
/* posix-cpu-timers.c lookup_task(): the host CPU clock measuring guest pid
 * (0: the caller). A thread clock names a thread of the caller's process
 * (measured as the process: a stub is one host process); a process clock
 * any task of a live process, or only its leader (for sleeps and timers).
 * false if none. Takes kernel.lock. */
bool cpu_clock_of(struct task *t, int pid, bool thread, bool leader, clockid_t *clock);
/* An optional guest timespec timeout at addr as milliseconds for a host
 * poll: rounded up, capped at INT32_MAX, -1 when addr is NULL (forever).
 * 0, -EFAULT or -EINVAL. */
long guest_timeout_ms(struct task *t, uint64_t addr, int *ms);
/* A guest struct timespec at addr, checked: 0, -EFAULT or -EINVAL. */
long guest_timespec(struct task *t, uint64_t addr, struct timespec *out);
/* A guest struct timespec timeout at addr as a deadline on clock (now plus
 * it, unless absolute): 0, -EFAULT or -EINVAL. */
long guest_deadline(struct task *t, uint64_t addr, clockid_t clock, bool absolute,
		    struct timespec *out);
/* Unlink and free a reaped zombie (kernel.lock held). */
void process_group_free(struct thread_group *g);

#endif
