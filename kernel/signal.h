/* Signals: dispositions, masks, pending queues, delivery with Linux's
 * rt_sigframe, default actions. All state is guarded by kernel.lock. */
#ifndef CVISOR_SIGNAL_H
#define CVISOR_SIGNAL_H

#include <signal.h>
#include <stdatomic.h>

#include "kernel.h"
#include "signal_state.h"

static inline uint64_t sigbit(int sig)
{
	return 1ULL << (sig - 1);
}

#define SIG_UNBLOCKABLE (sigbit(LINUX_SIGKILL) | sigbit(LINUX_SIGSTOP))

struct thread_group;

struct sighand *sighand_new(void);
struct sighand *sighand_copy(const struct sighand *h);
struct sighand *sighand_get(struct sighand *h);
void sighand_put(struct sighand *h);
void sigpending_clear(struct sigpending *p);

/* Whether t has a signal to act on (kernel.lock held): sleeps end then. */
bool signal_pending_locked(struct task *t);

/* Send info to a process or to one task (kernel.lock held). outside marks
 * signals from beyond the guest's pid namespace (the host), which reach a
 * handler-less init too. */
void signal_send_group(struct thread_group *g, const struct linux_siginfo *info, bool outside);
void signal_send_task(struct task *t, const struct linux_siginfo *info);
/* A POSIX timer's signal from its arming seq, to t or else to g: whether
 * it was queued (not dropped as ignored). kernel.lock held. */
bool signal_send_timer(struct thread_group *g, struct task *t, const struct linux_siginfo *info,
		       uint64_t seq);
/* sigaction made sig ignored: g's pending instances of it go (a POSIX
 * timer's is parked on its timer). kernel.lock held. */
void signal_discard(struct thread_group *g, int sig);
/* A siginfo for kill(2)-like sends from sender (NULL: from outside). */
struct linux_siginfo signal_info_user(int sig, int code, const struct task *sender);

/* Act on pending signals before t returns to guest code: default actions,
 * handler frames, and the syscall-restart decision when from_syscall. */
void signal_deliver(struct task *t, bool from_syscall);
/* A synchronous fault from the platform: delivered even if blocked or
 * ignored (then by its default action), as Linux's force_sig. */
void signal_force_fault(struct task *t, const siginfo_t *host_info);
/* exec: handlers reset to SIG_DFL, the alternate stack dropped. */
int signal_exec_reset(struct task *t);
/* The process g ended: its parent hears exit_signal (kernel.lock held).
 * true when the parent ignores it such that g is reaped at once. */
bool signal_notify_parent_exit(struct thread_group *g);

/* Make t notice a signal: interrupt its guest code, its kernel sleep or
 * its blocking host call (kernel.lock held). */
void signal_kick(struct task *t);
/* Take a pending signal in mask (rt_sigtimedwait): its number or 0. */
int signal_dequeue_mask(struct task *t, uint64_t mask, struct linux_siginfo *info);
/* sigaltstack's view of sp: SS_ONSTACK, SS_DISABLE or 0. */
int signal_altstack_flags(const struct task *t, uint64_t sp);
/* Something may need signal_deliver's attention (set on every send). */
static inline bool signal_hint(struct task *t)
{
	return atomic_load_explicit(&t->sig.hint, memory_order_acquire);
}

/* A call that waits with mask as its blocked set (sigsuspend, ppoll,
 * pselect6); the old set comes back at the end, or after the handler's
 * frame when the wait was interrupted (-ERESTARTNOHAND). */
void signal_wait_mask_begin(struct task *t, uint64_t mask);
void signal_wait_mask_end(struct task *t, long rc);

/* sys_signalfd.c: g's pending sets changed; its signalfds' readiness
 * follows (kernel.lock held). */
void signalfd_update(struct thread_group *g);

/* rt_sigreturn */
long signal_return(struct task *t);

#endif
