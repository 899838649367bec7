/* The task loop: switch into guest code, handle what comes back. */
#include <errno.h>
#include <stdatomic.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "fdtable.h"
#include "host_signals.h"
#include "loader.h"
#include "mm.h"
#include "syscall.h"
#include "task.h"

void task_fatal_signal(struct task *t, int sig)
{
	t->exiting = true;
	t->exit_status = sig;
}

static uint64_t sigbit(int sig)
{
	return 1ULL << (sig - 1);
}

void task_post_signal(struct task *t, int sig)
{
	atomic_fetch_or(&t->pending, sigbit(sig));
	kernel.platform->interrupt(t->ctx);
	pthread_kill(t->thread, KICK_SIGNAL);
}

bool task_signal_taken(struct task *t, int sig)
{
	return !(atomic_load(&t->pending) & sigbit(sig));
}

/* Act on posted signals. Until guest handlers exist every posted signal
 * takes its default action, and the forwarded ones all terminate. */
static void handle_pending(struct task *t)
{
	uint64_t pending = atomic_exchange(&t->pending, 0);
	if (pending)
		task_fatal_signal(t, __builtin_ctzll(pending) + 1);
}

/* A host call was interrupted (-ERESTARTSYS): the call starts again unless
 * the task is dying, as Linux restarts when no handler runs. */
static void restart_if_interrupted(struct task *t)
{
	int64_t rax = (int64_t)t->regs.rax;
	if (t->exiting || rax != -ERESTARTSYS)
		return;
	t->regs.rax = t->regs.orig_rax;
	t->regs.rip -= 2; /* back onto the syscall instruction */
}

static void task_free(struct task *t)
{
	mm_release(t->mm);
	fdtable_release(t->files);
	free(t->exe_path);
	free(t->scratch);
	free(t);
}

/* A synchronous fault. Until guest signal handlers exist, every one takes
 * the default action, which for faults is to die. */
static void handle_fault(struct task *t, const siginfo_t *info)
{
	task_fatal_signal(t, info->si_signo);
}

static void task_loop(struct task *t)
{
	struct platform *p = kernel.platform;
	while (!t->exiting) {
		siginfo_t info;
		switch (p->switch_to(t->ctx, t->mm->as, &t->regs, &info)) {
		case SWITCH_SYSCALL:
			syscall_dispatch(t);
			handle_pending(t);
			restart_if_interrupted(t);
			break;
		case SWITCH_FAULT:
			handle_fault(t, &info);
			break;
		case SWITCH_INTERRUPTED:
			handle_pending(t);
			break;
		case SWITCH_DEAD:
			task_fatal_signal(t, SIGKILL);
			break;
		}
	}
}

struct init_start {
	const struct exec_request *req;
	int status; /* out: cvisor's exit status */
};

static int exit_code_of(int wait_status)
{
	if (WIFSIGNALED(wait_status))
		return 128 + WTERMSIG(wait_status);
	return WEXITSTATUS(wait_status);
}

static void init_rlimits(struct task *t)
{
	/* The guest starts with the limits cvisor was given, as a child would. */
	for (int r = 0; r < LINUX_RLIM_NLIMITS; r++) {
		struct rlimit rl;
		if (getrlimit(r, &rl) == 0)
			t->rlimits[r] = (struct linux_rlimit){ rl.rlim_cur, rl.rlim_max };
		else
			t->rlimits[r] = (struct linux_rlimit){ LINUX_RLIM_INFINITY, LINUX_RLIM_INFINITY };
	}
}

/* The first task's host thread: it must be the one that runs the guest,
 * since only a tracer thread may drive its stub thread. */
static void *init_main(void *arg)
{
	struct init_start *s = arg;
	struct task *t = calloc(1, sizeof *t);
	if (!t || !(t->scratch = malloc(TASK_SCRATCH_SIZE))) {
		fprintf(stderr, "cvisor: out of memory\n");
		s->status = 125;
		free(t);
		return NULL;
	}
	t->tid = t->pid = 1;
	t->thread = pthread_self();
	init_rlimits(t);
	t->files = fdtable_new_std();
	t->ctx = kernel.platform->new_context(kernel.platform);
	t->mm = mm_new();
	if (!t->files || !t->ctx || !t->mm) {
		fprintf(stderr, "cvisor: cannot create the guest: %s\n", strerror(errno ? errno : ENOMEM));
		s->status = 125;
		goto out;
	}
	int rc = load_program(t, s->req);
	if (rc != 0) {
		s->status = rc;
		goto out;
	}
	host_signals_attach(t);
	task_loop(t);
	host_signals_detach();
	s->status = exit_code_of(t->exit_status);
out:
	if (t->ctx)
		kernel.platform->release_context(t->ctx);
	task_free(t);
	return NULL;
}

int task_run_init(const struct exec_request *req)
{
	struct init_start s = { .req = req, .status = 125 };
	pthread_t thread;
	if (pthread_create(&thread, NULL, init_main, &s) != 0) {
		fprintf(stderr, "cvisor: cannot start the guest thread\n");
		return 125;
	}
	pthread_join(thread, NULL);
	return s.status;
}
