/* Signals, after kernel/signal.c and arch/x86/kernel/signal.c: queueing,
 * picking the thread, default actions, group stop, and the rt_sigframe a
 * handler runs on. */
#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "guest_mem.h"
#include "host_signals.h"
#include "mm.h"
#include "process.h"
#include "signal.h"
#include "strace.h"
#include "task.h"
#include "tty_job.h"

/* arch/x86/entry/syscalls/syscall_64.tbl */
#define NR_RESTART_SYSCALL 219

enum default_action { ACT_TERM, ACT_CORE, ACT_IGNORE, ACT_STOP };

static enum default_action default_action(int sig)
{
	switch (sig) {
	case LINUX_SIGCHLD: case LINUX_SIGCONT: case LINUX_SIGURG: case LINUX_SIGWINCH:
		return ACT_IGNORE;
	case LINUX_SIGSTOP: case LINUX_SIGTSTP: case LINUX_SIGTTIN: case LINUX_SIGTTOU:
		return ACT_STOP;
	case LINUX_SIGQUIT: case LINUX_SIGILL: case LINUX_SIGTRAP: case LINUX_SIGABRT:
	case LINUX_SIGBUS: case LINUX_SIGFPE: case LINUX_SIGSEGV: case LINUX_SIGXCPU:
	case LINUX_SIGXFSZ: case LINUX_SIGSYS:
		return ACT_CORE;
	}
	return ACT_TERM;
}

#define STOP_SIGNALS (sigbit(LINUX_SIGSTOP) | sigbit(LINUX_SIGTSTP) | sigbit(LINUX_SIGTTIN) | \
		      sigbit(LINUX_SIGTTOU))

struct sighand *sighand_new(void)
{
	struct sighand *h = calloc(1, sizeof *h);
	if (h)
		h->refs = 1;
	return h;
}

struct sighand *sighand_get(struct sighand *h)
{
	atomic_fetch_add(&h->refs, 1);
	return h;
}

struct sighand *sighand_copy(const struct sighand *h)
{
	struct sighand *n = sighand_new();
	if (n)
		memcpy(n->action, h->action, sizeof n->action);
	return n;
}

void sighand_put(struct sighand *h)
{
	if (h && atomic_fetch_sub(&h->refs, 1) == 1)
		free(h);
}

void sigpending_clear(struct sigpending *p)
{
	while (p->head) {
		struct sigqueue *q = p->head;
		p->head = q->next;
		free(q);
	}
	p->set = 0;
	p->queued = 0;
}

/* Drop every queued instance of the signals in mask (flush_sigqueue_mask);
 * a POSIX timer's goes back to its timer, parked until unignored. */
static void sigpending_flush(struct thread_group *g, struct sigpending *p, uint64_t mask)
{
	p->set &= ~mask;
	for (struct sigqueue **q = &p->head; *q;) {
		if (mask & sigbit((*q)->info.si_signo)) {
			struct sigqueue *dead = *q;
			*q = dead->next;
			if (dead->timer_seq)
				posix_timer_park(g, dead->timer_seq);
			free(dead);
			p->queued--;
		} else {
			q = &(*q)->next;
		}
	}
}

void signal_discard(struct thread_group *g, int sig)
{
	sigpending_flush(g, &g->shared_pending, sigbit(sig));
	for (struct task *o = g->threads; o; o = o->next_in_group)
		sigpending_flush(g, &o->sig.pending, sigbit(sig));
}

static bool ignored(struct task *t, int sig)
{
	const struct linux_sigaction *a = &t->sig.hand->action[sig - 1];
	return a->handler == LINUX_SIG_IGN ||
	       (a->handler == LINUX_SIG_DFL && default_action(sig) == ACT_IGNORE);
}

bool signal_pending_locked(struct task *t)
{
	uint64_t deliverable = (t->sig.pending.set | t->tg->shared_pending.set) & ~t->sig.blocked;
	return deliverable || t->exiting || (t->tg->exiting && !t->tg->zombie);
}

struct linux_siginfo signal_info_user(int sig, int code, const struct task *sender)
{
	struct linux_siginfo info = { .si_signo = sig, .si_code = code };
	if (sender)
		info.u.kill.pid = sender->tg->pid;
	return info;
}

/* Make t notice: interrupt its guest code, its kernel sleep or its blocking
 * host call (kernel.lock held). */
void signal_kick(struct task *t)
{
	atomic_store(&t->sig.hint, true);
	if (t->ctx)
		kernel.platform->interrupt(t->ctx);
	kernel_wake_all();
	if (t->thread)
		pthread_kill(t->thread, KICK_SIGNAL);
}

/* Queue info on p. A POSIX timer's signal (timer_seq) has its own
 * preallocated entry in Linux: it queues even over a pending standard
 * signal and past RLIMIT_SIGPENDING. */
static void enqueue(struct task *t, struct sigpending *p, const struct linux_siginfo *info,
		    uint64_t timer_seq)
{
	int sig = info->si_signo;
	/* Standard signals are pending once; real-time ones queue up to
	 * RLIMIT_SIGPENDING. */
	if (!timer_seq && sig < LINUX_SIGRTMIN && (p->set & sigbit(sig)))
		return;
	p->set |= sigbit(sig);
	signalfd_update(t->tg);
	if (!timer_seq && (uint64_t)p->queued >= t->tg->rlimits[LINUX_RLIMIT_SIGPENDING].rlim_cur)
		return; /* past the limit a signal is still pending, without its info */
	struct sigqueue *q = malloc(sizeof *q);
	if (!q)
		return;
	q->info = *info;
	q->timer_seq = timer_seq;
	q->next = NULL;
	struct sigqueue **tail = &p->head;
	while (*tail)
		tail = &(*tail)->next;
	*tail = q;
	p->queued++;
}

/* do_notify_parent_cldstop(): g stopped or continued; its parent hears
 * SIGCHLD unless it asked not to (SA_NOCLDSTOP). */
static void notify_parent_cldstop(struct thread_group *g, int code, int sig)
{
	if (!g->parent || !g->parent->threads)
		return;
	struct linux_siginfo info = { .si_signo = LINUX_SIGCHLD, .si_code = code };
	info.u.chld.pid = g->pid;
	info.u.chld.status = sig;
	struct task *p = g->parent->threads;
	if (!(p->sig.hand->action[LINUX_SIGCHLD - 1].flags & LINUX_SA_NOCLDSTOP))
		signal_send_group(g->parent, &info, false);
}

/* Things a signal does at send time, whatever its disposition: SIGCONT
 * resumes a stopped process and cancels pending stops; a stop cancels a
 * pending SIGCONT. false when the signal is to be dropped. */
static bool prepare_signal(struct thread_group *g, int sig)
{
	if (sig == LINUX_SIGCONT || sig == LINUX_SIGKILL) {
		sigpending_flush(g, &g->shared_pending, STOP_SIGNALS);
		for (struct task *o = g->threads; o; o = o->next_in_group)
			sigpending_flush(g, &o->sig.pending, STOP_SIGNALS);
		if (g->stopped) {
			g->stopped = false;
			g->continued = sig == LINUX_SIGCONT;
			kernel_wake_all();
			if (g->continued)
				notify_parent_cldstop(g, 6 /* CLD_CONTINUED */, LINUX_SIGCONT);
		}
	} else if (sigbit(sig) & STOP_SIGNALS) {
		sigpending_flush(g, &g->shared_pending, sigbit(LINUX_SIGCONT));
		for (struct task *o = g->threads; o; o = o->next_in_group)
			sigpending_flush(g, &o->sig.pending, sigbit(LINUX_SIGCONT));
	}
	signalfd_update(g);
	return true;
}

/* The thread to wake for a process-wide signal: one not blocking it. */
static struct task *pick_thread(struct thread_group *g, int sig)
{
	for (struct task *o = g->threads; o; o = o->next_in_group)
		if (!(o->sig.blocked & sigbit(sig)) || sig == LINUX_SIGKILL)
			return o;
	return NULL;
}

/* kernel/signal.c sig_ignored(): a blocked signal is never dropped (it
 * waits, for sigwait or an unblock); else an ignored one is, and so is one
 * the namespace's init has no handler for (init_protected), SIGKILL too. */
static bool dropped(struct task *t, int sig, bool init_protected)
{
	if ((t->sig.blocked | t->sig.real_blocked) & sigbit(sig))
		return false;
	if (init_protected && t->sig.hand->action[sig - 1].handler == LINUX_SIG_DFL)
		return true;
	return sig != LINUX_SIGKILL && ignored(t, sig);
}

/* Whether a dequeued signal may take init's default action: only the
 * kernel's own, the host's (pid 0) and forced faults (positive codes). */
static bool init_may_die_of(const struct linux_siginfo *info)
{
	return info->si_code == LINUX_SI_KERNEL || info->si_code > 0 ||
	       (info->si_code == LINUX_SI_USER && info->u.kill.pid == 0);
}

static bool send_group(struct thread_group *g, const struct linux_siginfo *info, bool outside,
		       uint64_t timer_seq)
{
	int sig = info->si_signo;
	if (g->zombie || !g->threads || !prepare_signal(g, sig))
		return false;
	struct task *any = g->threads;
	if (dropped(any, sig, g == kernel.init && !outside))
		return false;
	enqueue(any, &g->shared_pending, info, timer_seq);
	for (struct task *o = g->threads; o; o = o->next_in_group)
		atomic_store(&o->sig.hint, true);
	struct task *t = pick_thread(g, sig);
	if (t)
		signal_kick(t);
	return true;
}

static bool send_task(struct task *t, const struct linux_siginfo *info, uint64_t timer_seq)
{
	int sig = info->si_signo;
	if (t->exiting || !prepare_signal(t->tg, sig))
		return false;
	if (dropped(t, sig, t->tg == kernel.init && info->si_code != LINUX_SI_KERNEL))
		return false;
	enqueue(t, &t->sig.pending, info, timer_seq);
	atomic_store(&t->sig.hint, true);
	if (!(t->sig.blocked & sigbit(sig)) || sig == LINUX_SIGKILL)
		signal_kick(t);
	return true;
}

void signal_send_group(struct thread_group *g, const struct linux_siginfo *info, bool outside)
{
	send_group(g, info, outside, 0);
}

void signal_send_task(struct task *t, const struct linux_siginfo *info)
{
	send_task(t, info, 0);
}

bool signal_send_timer(struct thread_group *g, struct task *t, const struct linux_siginfo *info,
		       uint64_t seq)
{
	return t ? send_task(t, info, seq) : send_group(g, info, false, seq);
}

/* Take the lowest deliverable signal in mask off p: its number, or 0. */
static int dequeue_from(struct sigpending *p, uint64_t mask, struct linux_siginfo *info,
			uint64_t *timer_seq)
{
	uint64_t ready = p->set & mask;
	if (!ready)
		return 0;
	/* SIGKILL first, then synchronous faults' order: lowest number. */
	int sig = (ready & sigbit(LINUX_SIGKILL)) ? LINUX_SIGKILL : __builtin_ctzll(ready) + 1;
	bool more = false;
	struct sigqueue **found = NULL;
	for (struct sigqueue **q = &p->head; *q; q = &(*q)->next)
		if ((*q)->info.si_signo == sig) {
			if (found) {
				more = true;
				break;
			}
			found = q;
		}
	if (found) {
		struct sigqueue *q = *found;
		*info = q->info;
		*timer_seq = q->timer_seq;
		*found = q->next;
		free(q);
		p->queued--;
	} else {
		*info = (struct linux_siginfo){ .si_signo = sig, .si_code = LINUX_SI_USER };
	}
	if (!more)
		p->set &= ~sigbit(sig);
	return sig;
}

static int dequeue(struct task *t, uint64_t mask, struct linux_siginfo *info)
{
	for (;;) {
		uint64_t seq = 0;
		int sig = dequeue_from(&t->sig.pending, mask, info, &seq);
		if (!sig)
			sig = dequeue_from(&t->tg->shared_pending, mask, info, &seq);
		/* A timer's signal takes its overrun now; one from an arming
		 * since replaced is dropped (posixtimer_deliver_signal). */
		if (sig && seq && !posix_timer_dequeued(t->tg, seq, info))
			continue;
		if (sig)
			signalfd_update(t->tg);
		return sig;
	}
}

int signal_dequeue_mask(struct task *t, uint64_t mask, struct linux_siginfo *info)
{
	return dequeue(t, mask, info);
}

/* Group stop: the process waits until SIGCONT or SIGKILL (kernel.lock
 * held, and released while waiting). The parent may wait4 WUNTRACED. */
static void group_stop(struct task *t, int sig)
{
	struct thread_group *g = t->tg;
	if (!g->stopped) {
		g->stopped = true;
		g->stop_signal = sig;
		g->stop_reported = false;
		g->continued = false;
		for (struct task *o = g->threads; o; o = o->next_in_group)
			if (o != t)
				signal_kick(o);
		notify_parent_cldstop(g, 5 /* CLD_STOPPED */, sig);
		kernel_wake_all();
	}
	while (g->stopped && !(t->sig.pending.set & sigbit(LINUX_SIGKILL)) &&
	       !(g->shared_pending.set & sigbit(LINUX_SIGKILL)) && !g->exiting)
		pthread_cond_wait(&kernel.wake, &kernel.lock);
}

/* The signal frame's register part, from the guest's registers. */
static void fill_sigcontext(struct linux_sigcontext *sc, const guest_regs *r)
{
	*sc = (struct linux_sigcontext){
		.r8 = r->r8, .r9 = r->r9, .r10 = r->r10, .r11 = r->r11, .r12 = r->r12,
		.r13 = r->r13, .r14 = r->r14, .r15 = r->r15, .rdi = r->rdi, .rsi = r->rsi,
		.rbp = r->rbp, .rbx = r->rbx, .rdx = r->rdx, .rax = r->rax, .rcx = r->rcx,
		.rsp = r->rsp, .rip = r->rip, .eflags = r->eflags,
		.cs = (uint16_t)r->cs, .ss = (uint16_t)r->ss,
	};
}

/* The largest XSAVE area a host CPU has (AMX: about 11 KiB). */
#define XSTATE_MAX (16 * 1024)

static bool on_altstack(const struct task *t, uint64_t sp)
{
	const struct linux_stack *s = &t->sig.altstack;
	return s->ss_size && sp > s->ss_sp && sp - s->ss_sp <= s->ss_size;
}

int signal_altstack_flags(const struct task *t, uint64_t sp)
{
	if (!t->sig.altstack.ss_size || (t->sig.altstack.ss_flags & LINUX_SS_DISABLE))
		return LINUX_SS_DISABLE;
	return on_altstack(t, sp) ? LINUX_SS_ONSTACK : 0;
}

/* Reset the guest's FP state to its initial one, as Linux does for a
 * handler: an XSAVE image with no components in use. */
static void init_fpstate(struct task *t, unsigned char *buf, long size)
{
	if (size < 576)
		return;
	memset(buf, 0, 512);
	buf[0] = 0x7f; /* fcw = 0x037f */
	buf[1] = 0x03;
	uint32_t mxcsr = 0x1f80;
	memcpy(buf + 24, &mxcsr, 4);
	memset(buf + 512, 0, 64); /* xsave header: xstate_bv = 0 */
	kernel.platform->set_fpstate(t->ctx, t->mm->as, buf, (size_t)size);
}

/* Build the rt_sigframe and point the registers at the handler. */
static long setup_frame(struct task *t, int sig, const struct linux_sigaction *act,
			const struct linux_siginfo *info, uint64_t old_mask)
{
	task_regs_complete(t);
	guest_regs *r = &t->regs;
	if (!(act->flags & LINUX_SA_RESTORER))
		return -EFAULT; /* x86-64 has no default restorer */
	uint64_t sp = r->rsp;
	struct linux_stack uc_stack = t->sig.altstack;
	uc_stack.ss_flags = signal_altstack_flags(t, sp);
	if ((act->flags & LINUX_SA_ONSTACK) && uc_stack.ss_flags == 0) {
		sp = t->sig.altstack.ss_sp + t->sig.altstack.ss_size;
		if (t->sig.altstack.ss_flags & LINUX_SS_AUTODISARM)
			t->sig.altstack = (struct linux_stack){ .ss_flags = LINUX_SS_DISABLE };
	} else {
		sp -= 128; /* the red zone */
	}

	unsigned char *fp = malloc(XSTATE_MAX);
	long fpsize = fp ? kernel.platform->get_fpstate(t->ctx, t->mm->as, fp, XSTATE_MAX) : -ENOMEM;
	if (fpsize < 576) {
		free(fp);
		return -EFAULT;
	}
	struct linux_fpx_sw_bytes sw = {
		.magic1 = LINUX_FP_XSTATE_MAGIC1,
		.extended_size = (uint32_t)fpsize + 4,
		.xstate_size = (uint32_t)fpsize,
	};
	memcpy(&sw.xfeatures, fp + 512, 8);
	memcpy(fp + LINUX_FPX_SW_BYTES_OFFSET, &sw, sizeof sw);
	uint64_t fp_addr = (sp - (uint64_t)fpsize - 4) & ~63UL;
	uint64_t frame_addr = ((fp_addr - sizeof(struct linux_rt_sigframe)) & ~15UL) - 8;

	struct linux_rt_sigframe frame = { .pretcode = act->restorer };
	frame.uc.uc_flags = LINUX_UC_FP_XSTATE | LINUX_UC_SIGCONTEXT_SS | LINUX_UC_STRICT_RESTORE_SS;
	frame.uc.uc_stack = uc_stack;
	fill_sigcontext(&frame.uc.uc_mcontext, r);
	frame.uc.uc_mcontext.oldmask = old_mask;
	frame.uc.uc_mcontext.fpstate = fp_addr;
	if (info->si_signo == LINUX_SIGSEGV || info->si_signo == LINUX_SIGBUS)
		frame.uc.uc_mcontext.cr2 = info->u.fault.addr;
	frame.uc.uc_sigmask = old_mask;
	if (act->flags & LINUX_SA_SIGINFO)
		frame.info = *info;
	uint32_t magic2 = LINUX_FP_XSTATE_MAGIC2;
	long rc = 0;
	if (copy_to_guest(t, fp_addr, fp, (size_t)fpsize) < 0 ||
	    copy_to_guest(t, fp_addr + (uint64_t)fpsize, &magic2, sizeof magic2) < 0 ||
	    copy_to_guest(t, frame_addr, &frame, sizeof frame) < 0)
		rc = -EFAULT;
	if (rc == 0) {
		init_fpstate(t, fp, fpsize);
		r->rdi = (uint64_t)sig;
		r->rsi = frame_addr + offsetof(struct linux_rt_sigframe, info);
		r->rdx = frame_addr + offsetof(struct linux_rt_sigframe, uc);
		r->rax = 0;
		r->rsp = frame_addr;
		r->rip = act->handler;
		r->eflags &= ~(0x400UL | 0x10000UL | 0x100UL); /* DF, RF, TF */
		r->cs = 0x33;
		r->ss = 0x2b;
		r->orig_rax = (uint64_t)-1;
	}
	free(fp);
	return rc;
}

/* The interrupted syscall's fate, as Linux decides it (handle_signal and
 * arch_do_signal_or_restart): with a handler, ERESTARTSYS restarts only
 * under SA_RESTART; without one, all restart codes restart. */
static void syscall_restart(struct task *t, const struct linux_sigaction *act)
{
	guest_regs *r = &t->regs;
	int64_t rax = (int64_t)r->rax;
	bool restart = false;
	switch (rax) {
	case -ERESTART_RESTARTBLOCK:
		if (act)
			break;
		/* Go on through restart_syscall, from t->restart (the rest of
		 * a sleep, say). */
		r->rax = NR_RESTART_SYSCALL;
		r->rip -= 2;
		return;
	case -ERESTARTNOHAND:
		restart = !act;
		break;
	case -ERESTARTSYS:
		restart = !act || (act->flags & LINUX_SA_RESTART);
		break;
	case -ERESTARTNOINTR:
		restart = true;
		break;
	default:
		return;
	}
	if (restart) {
		r->rax = r->orig_rax;
		r->rip -= 2; /* back onto the syscall instruction */
	} else {
		r->rax = (uint64_t)-EINTR;
	}
}

static void die_by(struct task *t, int sig)
{
	process_group_exit(t, sig);
	task_fatal_signal(t, sig);
}

void signal_deliver(struct task *t, bool from_syscall)
{
	if (!signal_hint(t))
		return;
	for (;;) {
		pthread_mutex_lock(&kernel.lock);
		atomic_store(&t->sig.hint, false);
		if (t->tg->stopped)
			group_stop(t, t->tg->stop_signal);
		if (t->tg->exiting && !t->exiting) {
			pthread_mutex_unlock(&kernel.lock);
			task_fatal_signal(t, LINUX_SIGKILL);
			return;
		}
		struct linux_siginfo info;
		int sig = dequeue(t, ~t->sig.blocked | SIG_UNBLOCKABLE, &info);
		if (!sig) {
			/* No handler runs: restart, and sigsuspend's mask back. */
			if (from_syscall)
				syscall_restart(t, NULL);
			if (t->sig.restore_mask) {
				t->sig.blocked = t->sig.saved_mask;
				t->sig.restore_mask = false;
			}
			pthread_mutex_unlock(&kernel.lock);
			return;
		}
		struct linux_sigaction act = t->sig.hand->action[sig - 1];
		if (sig == LINUX_SIGKILL || act.handler == LINUX_SIG_DFL) {
			enum default_action what = sig == LINUX_SIGKILL ? ACT_TERM : default_action(sig);
			/* A signal init held blocked: its default action still
			 * does not apply (get_signal's SIGNAL_UNKILLABLE). */
			if (t->tg == kernel.init && !init_may_die_of(&info))
				what = ACT_IGNORE;
			if (what == ACT_IGNORE) {
				pthread_mutex_unlock(&kernel.lock);
				continue;
			}
			if (what == ACT_STOP) {
				/* get_signal(): an orphaned group ignores the
				 * terminal stops, nobody would continue it. */
				if (sig != LINUX_SIGSTOP && tty_pgrp_orphaned(t->tg->pgid)) {
					pthread_mutex_unlock(&kernel.lock);
					continue;
				}
				group_stop(t, sig);
				pthread_mutex_unlock(&kernel.lock);
				continue;
			}
			pthread_mutex_unlock(&kernel.lock);
			die_by(t, sig);
			return;
		}
		if (act.handler == LINUX_SIG_IGN) {
			pthread_mutex_unlock(&kernel.lock);
			continue;
		}
		uint64_t old_mask = t->sig.restore_mask ? t->sig.saved_mask : t->sig.blocked;
		if (kernel.strace)
			strace_signal(t, sig, &info);
		if (from_syscall)
			syscall_restart(t, &act);
		from_syscall = false;
		long rc = setup_frame(t, sig, &act, &info, old_mask);
		if (rc < 0) {
			pthread_mutex_unlock(&kernel.lock);
			die_by(t, LINUX_SIGSEGV); /* force_sigsegv: no frame, no handler */
			return;
		}
		t->sig.blocked = (old_mask | act.mask | (act.flags & LINUX_SA_NODEFER ? 0 : sigbit(sig))) &
				 ~SIG_UNBLOCKABLE;
		t->sig.restore_mask = false;
		if (act.flags & LINUX_SA_RESETHAND)
			t->sig.hand->action[sig - 1].handler = LINUX_SIG_DFL;
		pthread_mutex_unlock(&kernel.lock);
	}
}

void signal_force_fault(struct task *t, const siginfo_t *host_info)
{
	struct linux_siginfo info;
	_Static_assert(sizeof info == sizeof *host_info, "host and guest siginfo agree");
	memcpy(&info, host_info, sizeof info);
	int sig = info.si_signo;
	if (sig < 1 || sig > LINUX_NSIG)
		return;
	pthread_mutex_lock(&kernel.lock);
	/* Blocked or ignored, a fault still kills (force_sig_info). */
	struct linux_sigaction *a = &t->sig.hand->action[sig - 1];
	if ((t->sig.blocked & sigbit(sig)) || a->handler == LINUX_SIG_IGN) {
		t->sig.blocked &= ~sigbit(sig);
		a->handler = LINUX_SIG_DFL;
	}
	enqueue(t, &t->sig.pending, &info, 0);
	atomic_store(&t->sig.hint, true);
	pthread_mutex_unlock(&kernel.lock);
}

int signal_exec_reset(struct task *t)
{
	pthread_mutex_lock(&kernel.lock);
	int rc = 0;
	if (atomic_load(&t->sig.hand->refs) > 1) {
		struct sighand *own = sighand_copy(t->sig.hand);
		if (own) {
			sighand_put(t->sig.hand);
			t->sig.hand = own;
		} else {
			rc = -ENOMEM;
		}
	}
	for (int i = 0; i < LINUX_NSIG && rc == 0; i++) {
		struct linux_sigaction *a = &t->sig.hand->action[i];
		if (a->handler != LINUX_SIG_IGN)
			*a = (struct linux_sigaction){ 0 };
		else
			a->flags = a->restorer = a->mask = 0;
	}
	t->sig.altstack = (struct linux_stack){ .ss_flags = LINUX_SS_DISABLE };
	pthread_mutex_unlock(&kernel.lock);
	return rc;
}

bool signal_notify_parent_exit(struct thread_group *g)
{
	struct thread_group *p = g->parent;
	if (!p || !p->threads)
		return false;
	const struct linux_sigaction *a = &p->threads->sig.hand->action[LINUX_SIGCHLD - 1];
	/* A parent ignoring SIGCHLD (or with SA_NOCLDWAIT) has its children
	 * reaped at once (kernel/signal.c do_notify_parent). */
	bool autoreap = g->exit_signal == LINUX_SIGCHLD &&
			(a->handler == LINUX_SIG_IGN || (a->flags & LINUX_SA_NOCLDWAIT));
	if (g->exit_signal > 0 && g->exit_signal <= LINUX_NSIG) {
		struct linux_siginfo info = { .si_signo = g->exit_signal };
		int st = g->exit_status;
		info.u.chld.pid = g->pid;
		if (st & 0x7f) {
			info.si_code = LINUX_CLD_KILLED;
			info.u.chld.status = st & 0x7f;
		} else {
			info.si_code = LINUX_CLD_EXITED;
			info.u.chld.status = (st >> 8) & 0xff;
		}
		signal_send_group(p, &info, false);
	}
	return autoreap;
}

/* x86's FIX_EFLAGS: the flags a signal handler may change. */
#define FIX_EFLAGS 0x50dd5UL

long signal_return(struct task *t)
{
	task_regs_complete(t);
	uint64_t frame_addr = t->regs.rsp - 8;
	struct linux_rt_sigframe frame;
	if (copy_from_guest(t, &frame, frame_addr, sizeof frame) < 0)
		goto bad;
	const struct linux_sigcontext *sc = &frame.uc.uc_mcontext;
	guest_regs *r = &t->regs;
	r->r8 = sc->r8; r->r9 = sc->r9; r->r10 = sc->r10; r->r11 = sc->r11;
	r->r12 = sc->r12; r->r13 = sc->r13; r->r14 = sc->r14; r->r15 = sc->r15;
	r->rdi = sc->rdi; r->rsi = sc->rsi; r->rbp = sc->rbp; r->rbx = sc->rbx;
	r->rdx = sc->rdx; r->rax = sc->rax; r->rcx = sc->rcx; r->rsp = sc->rsp;
	r->rip = sc->rip;
	r->eflags = (r->eflags & ~FIX_EFLAGS) | (sc->eflags & FIX_EFLAGS);
	r->cs = 0x33;
	r->ss = 0x2b;
	r->orig_rax = (uint64_t)-1; /* never a restart */

	unsigned char *fp = malloc(XSTATE_MAX);
	long fpsize = fp ? kernel.platform->get_fpstate(t->ctx, t->mm->as, fp, XSTATE_MAX) : -1;
	bool ok = fpsize >= 576;
	if (ok && sc->fpstate) {
		struct linux_fpx_sw_bytes sw;
		/* The handler may have changed the frame: take what is valid. */
		if (copy_from_guest(t, fp, sc->fpstate, 512) < 0 ||
		    copy_from_guest(t, &sw, sc->fpstate + LINUX_FPX_SW_BYTES_OFFSET, sizeof sw) < 0)
			ok = false;
		else if (sw.magic1 == LINUX_FP_XSTATE_MAGIC1 && sw.xstate_size == (uint32_t)fpsize)
			ok = copy_from_guest(t, fp + 512, sc->fpstate + 512, (size_t)fpsize - 512) == 0;
		else
			memset(fp + 512, 0, 64), fp[512] = 3; /* legacy FP+SSE only */
		if (ok)
			ok = kernel.platform->set_fpstate(t->ctx, t->mm->as, fp, (size_t)fpsize) == 0;
	} else if (ok) {
		init_fpstate(t, fp, fpsize);
	}
	free(fp);
	if (!ok)
		goto bad;

	pthread_mutex_lock(&kernel.lock);
	t->sig.blocked = frame.uc.uc_sigmask & ~SIG_UNBLOCKABLE;
	atomic_store(&t->sig.hint, true); /* what the mask held back may go now */
	/* uc_stack: the handler may change the alternate stack this way. */
	const struct linux_stack *ss = &frame.uc.uc_stack;
	if (!on_altstack(t, r->rsp) && (ss->ss_flags & ~(LINUX_SS_DISABLE | LINUX_SS_AUTODISARM)) == 0) {
		if (ss->ss_flags & LINUX_SS_DISABLE)
			t->sig.altstack = (struct linux_stack){ .ss_flags = LINUX_SS_DISABLE };
		else if (ss->ss_size >= LINUX_MINSIGSTKSZ)
			t->sig.altstack = *ss;
	}
	pthread_mutex_unlock(&kernel.lock);
	return (long)r->rax;
bad:
	die_by(t, LINUX_SIGSEGV);
	return 0;
}

void signal_wait_mask_begin(struct task *t, uint64_t mask)
{
	pthread_mutex_lock(&kernel.lock);
	t->sig.saved_mask = t->sig.blocked;
	t->sig.restore_mask = true;
	t->sig.blocked = mask & ~SIG_UNBLOCKABLE;
	atomic_store(&t->sig.hint, true);
	pthread_mutex_unlock(&kernel.lock);
}

void signal_wait_mask_end(struct task *t, long rc)
{
	if (rc == -ERESTARTNOHAND)
		return; /* delivery restores it, after the handler's frame */
	pthread_mutex_lock(&kernel.lock);
	t->sig.blocked = t->sig.saved_mask;
	t->sig.restore_mask = false;
	atomic_store(&t->sig.hint, true);
	pthread_mutex_unlock(&kernel.lock);
}
