/* Guest processes: pids, the process tree, task threads, clone, exit. */
#include <errno.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "attrs.h"
#include "fdtable.h"
#include "futex.h"
#include "guest_mem.h"
#include "host_signals.h"
#include "loader.h"
#include "mm.h"
#include "process.h"
#include "signal.h"
#include "spin_wait.h"
#include "syscall.h"
#include "task.h"

/* include/linux/threads.h: PID_MAX_DEFAULT on 64-bit. */
#define PID_MAX 4194304
/* Host stack of a task thread: handlers keep at most a few pages there. */
#define TASK_THREAD_STACK (512 * 1024)

static bool pid_in_use(int pid)
{
	for (struct task *t = kernel.tasks; t; t = t->next_task)
		if (t->tid == pid)
			return true;
	for (struct thread_group *g = kernel.groups; g; g = g->next_group)
		if (g->pid == pid || g->pgid == pid || g->sid == pid)
			return true;
	return false;
}

/* The next free guest pid, counting up and wrapping as Linux does. */
static int alloc_pid(void)
{
	for (int tries = 0; tries < PID_MAX; tries++) {
		int pid = kernel.next_pid++;
		if (kernel.next_pid >= PID_MAX)
			kernel.next_pid = 300; /* RESERVED_PIDS */
		if (!pid_in_use(pid))
			return pid;
	}
	return -EAGAIN;
}

void kernel_wake_all(void)
{
	atomic_fetch_add(&kernel.wake_gen, 1);
	pthread_cond_broadcast(&kernel.wake);
}

static bool gen_moved(void *seen)
{
	return atomic_load(&kernel.wake_gen) != *(unsigned *)seen;
}

int kernel_sleep(struct task *t)
{
	if (signal_pending_locked(t))
		return -ERESTARTSYS;
	/* Spin once per wake-up: a wait entered again with nothing new since
	 * its last spin sleeps at once. Returning after the spin is an early
	 * wake-up, which every caller checks for. */
	unsigned seen = atomic_load(&kernel.wake_gen);
	if (seen != t->spun_gen) {
		t->spun_gen = seen;
		pthread_mutex_unlock(&kernel.lock);
		if (spin_wait_worthwhile(t))
			spin_wait(t, SPIN_WAIT_NS, gen_moved, &seen);
		pthread_mutex_lock(&kernel.lock);
	} else {
		pthread_cond_wait(&kernel.wake, &kernel.lock);
	}
	return signal_pending_locked(t) ? -ERESTARTSYS : 0;
}

int kernel_sleep_until(struct task *t, clockid_t clock, const struct timespec *deadline)
{
	if (signal_pending_locked(t))
		return -ERESTARTSYS;
	/* kernel.wake runs on CLOCK_MONOTONIC: move other deadlines there. */
	struct timespec until = *deadline;
	if (clock != CLOCK_MONOTONIC) {
		struct timespec now_c, now_m;
		clock_gettime(clock, &now_c);
		clock_gettime(CLOCK_MONOTONIC, &now_m);
		/* Saturated at KTIME_MAX, as the host's timers are. */
		int64_t sec = deadline->tv_sec - now_c.tv_sec;
		int64_t ns = sec >= LINUX_KTIME_SEC_MAX ? INT64_MAX - 999999999
				: sec * 1000000000LL + (deadline->tv_nsec - now_c.tv_nsec);
		ns = ns < 0 ? 0 : ns;
		until.tv_sec = now_m.tv_sec + ns / 1000000000LL;
		until.tv_nsec = now_m.tv_nsec + ns % 1000000000LL;
		if (until.tv_nsec >= 1000000000) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000;
		}
	}
	int rc = pthread_cond_timedwait(&kernel.wake, &kernel.lock, &until);
	if (signal_pending_locked(t))
		return -ERESTARTSYS;
	return rc == ETIMEDOUT ? -ETIMEDOUT : 0;
}

long guest_timeout_ms(struct task *t, uint64_t addr, int *ms)
{
	*ms = -1;
	if (!addr)
		return 0;
	struct timespec ts;
	long rc = guest_timespec(t, addr, &ts);
	if (rc < 0)
		return rc;
	int64_t v = ts.tv_sec >= INT32_MAX / 1000 ? INT32_MAX : ts.tv_sec * 1000 + (ts.tv_nsec + 999999) / 1000000;
	*ms = v > INT32_MAX ? INT32_MAX : (int)v;
	return 0;
}

long guest_timespec(struct task *t, uint64_t addr, struct timespec *out)
{
	struct linux_timespec ts;
	if (copy_from_guest(t, &ts, addr, sizeof ts) < 0)
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000)
		return -EINVAL;
	*out = (struct timespec){ ts.tv_sec, ts.tv_nsec };
	return 0;
}

long guest_deadline(struct task *t, uint64_t addr, clockid_t clock, bool absolute,
		    struct timespec *out)
{
	struct timespec ts;
	long rc = guest_timespec(t, addr, &ts);
	if (rc < 0)
		return rc;
	*out = (struct timespec){ 0, 0 };
	if (!absolute)
		clock_gettime(clock, out);
	if (ts.tv_sec >= LINUX_KTIME_SEC_MAX - 1 - out->tv_sec) {
		/* include/linux/ktime.h: later than KTIME_MAX is KTIME_MAX. */
		*out = (struct timespec){ LINUX_KTIME_SEC_MAX, 0 };
		return 0;
	}
	out->tv_sec += ts.tv_sec;
	out->tv_nsec += ts.tv_nsec;
	if (out->tv_nsec >= 1000000000) {
		out->tv_sec++;
		out->tv_nsec -= 1000000000;
	}
	return 0;
}

static struct task *task_new(void)
{
	struct task *t = calloc(1, sizeof *t);
	if (!t)
		return NULL;
	t->scratch = malloc(TASK_SCRATCH_SIZE);
	if (!t->scratch) {
		free(t);
		return NULL;
	}
	return t;
}

static void task_free(struct task *t)
{
	sighand_put(t->sig.hand);
	sigpending_clear(&t->sig.pending);
	mm_put(t->mm);
	fdtable_put(t->files);
	fs_context_put(t->fs);
	pthread_mutex_lock(&vfs.lock);
	path_put(t->exe);
	pthread_mutex_unlock(&vfs.lock);
	free(t->exe_path);
	free(t->scratch);
	free(t);
}

/* Link t into g and the task list (kernel.lock held). */
static void task_link(struct task *t, struct thread_group *g)
{
	t->tg = g;
	t->pid = g->pid;
	t->next_in_group = g->threads;
	g->threads = t;
	g->nthreads++;
	t->next_task = kernel.tasks;
	kernel.tasks = t;
	kernel.ntasks++;
}

static void task_unlink(struct task *t)
{
	struct thread_group *g = t->tg;
	for (struct task **p = &g->threads; *p; p = &(*p)->next_in_group)
		if (*p == t) {
			*p = t->next_in_group;
			break;
		}
	g->nthreads--;
	for (struct task **p = &kernel.tasks; *p; p = &(*p)->next_task)
		if (*p == t) {
			*p = t->next_task;
			break;
		}
	kernel.ntasks--;
}

/* A new process under parent, made by creator (NULL for init), from whose
 * process it inherits (not parent's: they differ under CLONE_PARENT). */
static struct thread_group *group_new(int pid, struct thread_group *parent, struct task *creator)
{
	struct thread_group *g = calloc(1, sizeof *g);
	if (!g)
		return NULL;
	g->pid = pid;
	g->parent = parent;
	g->exit_efd = -1;
	if (parent) {
		g->next_sibling = parent->children;
		parent->children = g;
	}
	if (creator) {
		g->pgid = creator->tg->pgid;
		g->sid = creator->tg->sid;
		memcpy(g->rlimits, creator->tg->rlimits, sizeof g->rlimits);
	}
	process_attrs_fork(g, creator);
	g->next_group = kernel.groups;
	kernel.groups = g;
	return g;
}

void process_group_free(struct thread_group *g)
{
	sigpending_clear(&g->shared_pending);
	if (g->exit_efd >= 0)
		close(g->exit_efd); /* pidfds keep their own dups */
	if (g->parent)
		for (struct thread_group **p = &g->parent->children; *p; p = &(*p)->next_sibling)
			if (*p == g) {
				*p = g->next_sibling;
				break;
			}
	for (struct thread_group **p = &kernel.groups; *p; p = &(*p)->next_group)
		if (*p == g) {
			*p = g->next_group;
			break;
		}
	free(g);
}

static void run_task(struct task *t)
{
	struct context *ctx = kernel.platform->new_context(kernel.platform);
	pthread_mutex_lock(&kernel.lock);
	t->ctx = ctx;
	pthread_mutex_unlock(&kernel.lock);
	if (ctx)
		task_loop(t);
	else
		task_fatal_signal(t, SIGKILL);
	process_task_exit(t);
}

/* Task threads that ran out of work wait a while for the next task: waking
 * one costs far less than creating a thread (stack, clone, first run). */
#define IDLE_THREADS_MAX 4
#define IDLE_THREAD_WAIT_S 2

struct idle_thread {
	pthread_cond_t wake;
	pthread_t self;
	struct task *_Atomic task; /* handed over by task_start */
	bool prewoken; /* a task is on its way (task_thread_prewake) */
	pid_t tid;     /* the host thread's id, to place it */
	struct idle_thread *next;
};

static struct {
	pthread_mutex_t lock;
	struct idle_thread *head;
	int n;
} idle = { .lock = PTHREAD_MUTEX_INITIALIZER };

static bool task_handed(void *arg)
{
	return atomic_load(&((struct idle_thread *)arg)->task) != NULL;
}

/* Wait for a next task; NULL when none came in time or enough wait. */
static struct task *idle_wait(void)
{
	struct idle_thread me = { .self = pthread_self(), .tid = gettid() };
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&me.wake, &ca);
	pthread_condattr_destroy(&ca);
	struct timespec until;
	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += IDLE_THREAD_WAIT_S;
	pthread_mutex_lock(&idle.lock);
	if (idle.n < IDLE_THREADS_MAX) {
		me.next = idle.head;
		idle.head = &me;
		idle.n++;
		while (!me.task && pthread_cond_timedwait(&me.wake, &idle.lock, &until) != ETIMEDOUT) {
			if (me.prewoken && !me.task) {
				pthread_mutex_unlock(&idle.lock);
				spin_wait(NULL, SPIN_WAIT_NS, task_handed, &me);
				pthread_mutex_lock(&idle.lock);
				me.prewoken = false;
			}
		}
		if (!me.task) {
			for (struct idle_thread **p = &idle.head; *p; p = &(*p)->next)
				if (*p == &me) {
					*p = me.next;
					idle.n--;
					break;
				}
		}
	}
	pthread_mutex_unlock(&idle.lock);
	pthread_cond_destroy(&me.wake);
	return me.task;
}

static void *task_thread(void *arg)
{
	for (struct task *t = arg; t; t = idle_wait())
		run_task(t);
	return NULL;
}

/* A task is about to start (fork, clone): wake an idle thread now, on the
 * CPU its task will run on, so that its wake-up (an idle vCPU's, the
 * costliest part of a task's start) overlaps the parent's work up to
 * task_start. It spins for the task a short while, then sleeps again. */
static void task_thread_prewake(void)
{
	pthread_mutex_lock(&idle.lock);
	struct idle_thread *w = idle.head;
	if (w && !w->prewoken && !w->task && kernel.platform->place_thread(w->tid)) {
		w->prewoken = true;
		pthread_cond_signal(&w->wake);
	}
	pthread_mutex_unlock(&idle.lock);
}

static int task_start(struct task *t)
{
	/* t->thread is set before the thread can run or be signalled. */
	pthread_mutex_lock(&kernel.lock);
	pthread_mutex_lock(&idle.lock);
	/* The prewoken thread if there is one: it is up already. */
	struct idle_thread **wp = &idle.head;
	while (*wp && !(*wp)->prewoken)
		wp = &(*wp)->next;
	if (!*wp)
		wp = &idle.head;
	struct idle_thread *w = *wp;
	if (w) {
		*wp = w->next;
		idle.n--;
		t->thread = w->self;
		w->task = t;
		pthread_cond_signal(&w->wake);
	}
	pthread_mutex_unlock(&idle.lock);
	pthread_mutex_unlock(&kernel.lock);
	if (w)
		return 0;
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, TASK_THREAD_STACK);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_mutex_lock(&kernel.lock);
	int rc = pthread_create(&t->thread, &attr, task_thread, t);
	pthread_mutex_unlock(&kernel.lock);
	pthread_attr_destroy(&attr);
	return -rc;
}

void process_vfork_release(struct task *t)
{
	pthread_mutex_lock(&kernel.lock);
	if (t->vfork_parent) {
		t->vfork_parent->vfork_waiting = false;
		t->vfork_parent = NULL;
		kernel_wake_all();
	}
	pthread_mutex_unlock(&kernel.lock);
}

void process_group_exit(struct task *t, int status)
{
	pthread_mutex_lock(&kernel.lock);
	struct thread_group *g = t->tg;
	if (!g->exiting) {
		g->exiting = true;
		g->exit_status = status;
	}
	for (struct task *o = g->threads; o; o = o->next_in_group)
		if (o != t)
			task_post_signal_locked(o, SIGKILL);
	pthread_mutex_unlock(&kernel.lock);
	t->exiting = true;
}

/* A process died: its children go to init (kernel.lock held). */
/* A process died: its children go to the nearest living ancestor that is a
 * child subreaper, else to init; each hears its parent-death signal
 * (kernel.lock held). */
static void reparent_children(struct thread_group *g)
{
	struct thread_group *reaper = kernel.init;
	for (struct thread_group *a = g->parent; a; a = a->parent)
		if (a->attrs.child_subreaper && !a->zombie) {
			reaper = a;
			break;
		}
	while (g->children) {
		struct thread_group *c = g->children;
		g->children = c->next_sibling;
		c->parent = reaper == g ? NULL : reaper;
		if (c->parent) {
			c->next_sibling = reaper->children;
			reaper->children = c;
		}
		for (struct task *o = c->threads; o; o = o->next_in_group)
			if (o->pdeathsig) {
				struct linux_siginfo info = { .si_signo = o->pdeathsig, .si_code = LINUX_SI_USER };
				info.u.kill.pid = g->pid;
				signal_send_task(o, &info);
			}
		if (c->zombie && c->parent)
			signal_notify_parent_exit(c); /* the new parent may reap it */
	}
}

void process_task_exit(struct task *t)
{
	if (t->mm)
		futex_exit_robust_list(t);
	/* CLONE_CHILD_CLEARTID: a thread joining us waits for this zero. */
	if (t->clear_child_tid && t->mm) {
		static const uint32_t zero;
		copy_to_guest(t, t->clear_child_tid, &zero, sizeof zero);
		futex_wake_address(t, t->clear_child_tid, 1);
	}
	process_vfork_release(t);
	/* exit_files() before the parent can hear of the exit: the POSIX
	 * locks are gone by the time wait returns. procfs reads t->files
	 * under kernel.lock; the put takes vfs.lock, which comes first. */
	pthread_mutex_lock(&kernel.lock);
	struct fdtable *files = t->files;
	t->files = NULL;
	pthread_mutex_unlock(&kernel.lock);
	fdtable_put(files);
	pthread_mutex_lock(&kernel.lock);
	struct thread_group *g = t->tg;
	task_unlink(t);
	if (g->nthreads == 0) {
		g->zombie = true;
		if (g->exit_efd >= 0) /* pidfds poll readable from now on */
			eventfd_write(g->exit_efd, 1);
		process_timers_delete(g, -1);
		for (int i = 0; i < 3; i++)
			timer_disarm(&g->itimer[i]);
		timer_disarm(&g->cpu_limit);
		if (!g->exiting)
			g->exit_status = t->exit_status;
		reparent_children(g);
		bool autoreap = signal_notify_parent_exit(g);
		if (g == kernel.init) {
			/* The pid namespace ends with its init. */
			for (struct task *o = kernel.tasks; o; o = o->next_task)
				task_post_signal_locked(o, SIGKILL);
		} else if (!g->parent || autoreap) {
			process_group_free(g); /* nobody will wait for it */
		}
	}
	pthread_mutex_unlock(&kernel.lock);
	kernel_wake_all();
	/* The context goes last: when t held the last reference to its
	 * memory, task_free has killed the stub already, and no stub thread
	 * is retired only to die; and nobody can kick t's context any more. */
	struct context *ctx = t->ctx;
	task_free(t);

		kernel.platform->release_context(ctx);
}

static void init_rlimits(struct thread_group *g)
{
	/* The guest starts with the limits cvisor was given, as a child would. */
	for (int r = 0; r < LINUX_RLIM_NLIMITS; r++) {
		struct rlimit rl;
		if (getrlimit(r, &rl) == 0)
			g->rlimits[r] = (struct linux_rlimit){ rl.rlim_cur, rl.rlim_max };
		else
			g->rlimits[r] = (struct linux_rlimit){ LINUX_RLIM_INFINITY, LINUX_RLIM_INFINITY };
	}
	/* --files: both limits at most the ceiling. */
	struct linux_rlimit *nofile = &g->rlimits[LINUX_RLIMIT_NOFILE];
	if (kernel.max_files && nofile->rlim_max > (uint64_t)kernel.max_files)
		nofile->rlim_max = (uint64_t)kernel.max_files;
	if (nofile->rlim_cur > nofile->rlim_max)
		nofile->rlim_cur = nofile->rlim_max;
}

struct init_boot {
	struct task *task;
	const struct exec_request *req;
};

/* init's host thread: loads the program itself, since only the thread that
 * runs a task may drive its stub thread. */
static void *init_thread(void *arg)
{
	struct init_boot *b = arg;
	struct task *t = b->task;
	struct context *ctx = kernel.platform->new_context(kernel.platform);
	pthread_mutex_lock(&kernel.lock);
	t->ctx = ctx;
	pthread_mutex_unlock(&kernel.lock);
	int status = ctx ? loader_boot(t, b->req) : 125;
	if (status == 0) {
		host_signals_attach(t);
		task_loop(t);
		host_signals_detach();
	} else {
		t->exit_status = status << 8;
	}
	process_task_exit(t);
	return NULL;
}

static int exit_code_of(int wait_status)
{
	if (WIFSIGNALED(wait_status))
		return 128 + WTERMSIG(wait_status);
	return WEXITSTATUS(wait_status);
}

/* --timeout: the sandbox's time is up; init dies, and the namespace with it. */
static void timeout_fire(struct ktimer *k)
{
	(void)k;
	kernel.timed_out = true;
	struct linux_siginfo info = { .si_signo = LINUX_SIGKILL, .si_code = LINUX_SI_KERNEL };
	if (kernel.init && !kernel.init->zombie)
		signal_send_group(kernel.init, &info, true);
}

int process_run_init(const struct exec_request *req)
{
	static struct ktimer timeout = { .clock = CLOCK_MONOTONIC, .fire = timeout_fire };
	if (kernel.timeout_ns) {
		pthread_mutex_lock(&kernel.lock);
		timer_arm(&timeout, timer_now_ns(CLOCK_MONOTONIC) + kernel.timeout_ns, 0);
		pthread_mutex_unlock(&kernel.lock);
	}
	struct task *t = task_new();
	pthread_mutex_lock(&kernel.lock);
	int pid = t ? alloc_pid() : -ENOMEM;
	struct thread_group *g = pid == 1 ? group_new(pid, NULL, NULL) : NULL;
	if (g) {
		g->pgid = g->sid = pid;
		init_rlimits(g);
		kernel.init = g;
		t->tid = pid;
		task_link(t, g);
	}
	pthread_mutex_unlock(&kernel.lock);
	if (g)
		t->sig.altstack.ss_flags = LINUX_SS_DISABLE;
	if (!g || !(t->files = fdtable_new_std()) || !(t->sig.hand = sighand_new()) ||
	    !(t->fs = fs_context_new_root())) {
		fputs("cvisor: out of memory\n", stderr);
		return 125;
	}
	/* init starts where cvisor was started, when the guest has it. */
	pthread_mutex_lock(&vfs.lock);
	struct path cwd;
	if (vfs_walk(t, LINUX_AT_FDCWD, kernel.init_cwd, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &cwd) == 0) {
		path_put(t->fs->cwd);
		t->fs->cwd = cwd;
	}
	pthread_mutex_unlock(&vfs.lock);
	struct init_boot boot = { t, req };
	pthread_t thread;
	pthread_mutex_lock(&kernel.lock);
	int rc = pthread_create(&thread, NULL, init_thread, &boot);
	if (rc == 0)
		t->thread = thread;
	pthread_mutex_unlock(&kernel.lock);
	if (rc) {
		fputs("cvisor: cannot start the guest thread\n", stderr);
		return 125;
	}
	pthread_join(thread, NULL);
	/* init is gone and every other task was told to die: wait for them,
	 * so no task thread runs while cvisor exits. */
	pthread_mutex_lock(&kernel.lock);
	while (kernel.ntasks > 0)
		pthread_cond_wait(&kernel.wake, &kernel.lock);
	int status = kernel.timed_out ? CVISOR_TIMEOUT_STATUS : exit_code_of(g->exit_status);
	while (kernel.groups)
		process_group_free(kernel.groups);
	pthread_mutex_unlock(&kernel.lock);
	return status;
}

static long check_clone_flags(uint64_t flags)
{
	if ((flags & LINUX_CLONE_THREAD) && !(flags & LINUX_CLONE_SIGHAND))
		return -EINVAL;
	if ((flags & LINUX_CLONE_SIGHAND) && !(flags & LINUX_CLONE_VM))
		return -EINVAL;
	if ((flags & (LINUX_CLONE_NEWNS | LINUX_CLONE_FS)) == (LINUX_CLONE_NEWNS | LINUX_CLONE_FS))
		return -EINVAL;
	if ((flags & LINUX_CLONE_THREAD) && (flags & LINUX_CSIGNAL))
		return -EINVAL;
	if ((flags & LINUX_CSIGNAL) > 64)
		return -EINVAL;
	if (flags & LINUX_CLONE_NAMESPACES)
		return -EPERM; /* no namespaces inside the sandbox */
	if ((flags & LINUX_CLONE_PIDFD) && (flags & (LINUX_CLONE_THREAD | LINUX_CLONE_DETACHED)))
		return -EINVAL;
	if (flags >> 32)
		return -EINVAL;
	return 0;
}

/* The child's memory: the same mm (CLONE_VM) or a copy-on-write fork. */
static long child_mm(struct task *t, uint64_t flags, struct mm **out)
{
	if (flags & LINUX_CLONE_VM) {
		/* The child's host thread will need a stub thread in t's space:
		 * ours makes it now (only a space's own threads can). */
		long rc = kernel.platform->prepare_thread(t->mm->as);
		if (rc < 0)
			return rc;
		*out = mm_get(t->mm);
		return 0;
	}
	*out = mm_fork(t->mm);
	return *out ? 0 : -ENOMEM;
}

/* RLIMIT_NPROC: tasks of the caller's real user, root exempt (kernel/fork.c). */
static bool over_nproc(struct task *t)
{
	const struct cred *c = &t->tg->attrs.cred;
	if (c->uid == 0 || cred_capable(c))
		return false;
	uint64_t n = 0;
	for (struct task *o = kernel.tasks; o; o = o->next_task)
		n += o->tg->attrs.cred.uid == c->uid;
	return n >= t->tg->rlimits[LINUX_RLIMIT_NPROC].rlim_cur;
}

long process_clone(struct task *t, uint64_t flags, uint64_t stack, uint64_t ptid,
		   uint64_t ctid, uint64_t tls, uint64_t pidfd_addr)
{
	long rc = check_clone_flags(flags);
	if (rc < 0)
		return rc;
	if ((flags & LINUX_CLONE_SETTLS) && tls >= 0x7ffffffff000UL)
		return -EPERM;
	pthread_mutex_lock(&kernel.lock);
	bool full = (kernel.max_tasks && kernel.ntasks >= kernel.max_tasks) || over_nproc(t);
	bool parent_is_init_parent = (flags & LINUX_CLONE_PARENT) && t->tg == kernel.init;
	pthread_mutex_unlock(&kernel.lock);
	if (full)
		return -EAGAIN;
	if (parent_is_init_parent)
		return -EINVAL;

	task_thread_prewake();
	struct task *c = task_new();
	if (!c)
		return -ENOMEM;
	if ((rc = child_mm(t, flags, &c->mm)) < 0)
		goto fail;
	c->files = flags & LINUX_CLONE_FILES ? fdtable_get(t->files) : fdtable_copy(t->files);
	c->exe_path = strdup(t->exe_path);
	c->fs = flags & LINUX_CLONE_FS ? fs_context_get(t->fs) : fs_context_copy(t->fs);
	pthread_mutex_lock(&vfs.lock);
	c->exe = path_get(t->exe);
	pthread_mutex_unlock(&vfs.lock);
	if (!c->files || !c->exe_path || !c->fs) {
		rc = -ENOMEM;
		goto fail;
	}
	c->sig.hand = flags & LINUX_CLONE_SIGHAND ? sighand_get(t->sig.hand) : sighand_copy(t->sig.hand);
	if (!c->sig.hand) {
		rc = -ENOMEM;
		goto fail;
	}
	c->sig.blocked = t->sig.blocked;
	/* A child sharing memory but not a vfork one must not share the
	 * alternate stack (kernel/fork.c). */
	c->sig.altstack = (flags & (LINUX_CLONE_VM | LINUX_CLONE_VFORK)) == LINUX_CLONE_VM
				  ? (struct linux_stack){ .ss_flags = LINUX_SS_DISABLE }
				  : t->sig.altstack;
	task_regs_complete(t);
	c->regs = t->regs;
	c->regs.rax = 0;
	if (stack)
		c->regs.rsp = stack;
	if (flags & LINUX_CLONE_SETTLS)
		c->regs.fs_base = tls;
	if (flags & LINUX_CLONE_CHILD_CLEARTID)
		c->clear_child_tid = ctid;

	pthread_mutex_lock(&kernel.lock);
	/* Checked again where the child is linked, so racing forks cannot
	 * pass the limits together, and none is born to a dying caller (or
	 * into a namespace whose init is gone) after the kill went out. */
	int tid;
	if ((kernel.max_tasks && kernel.ntasks >= kernel.max_tasks) || over_nproc(t))
		tid = -EAGAIN;
	else if (kernel.init->zombie || t->exiting || t->tg->exiting ||
		 (t->sig.pending.set & sigbit(LINUX_SIGKILL)))
		tid = -ERESTARTNOINTR;
	else
		tid = alloc_pid();
	struct thread_group *g = t->tg;
	if (tid > 0 && !(flags & LINUX_CLONE_THREAD)) {
		g = group_new(tid, flags & LINUX_CLONE_PARENT ? t->tg->parent : t->tg, t);
		if (!g)
			tid = -ENOMEM;
		else
			g->exit_signal = (int)(flags & LINUX_CSIGNAL);
	}
	if (tid > 0) {
		c->tid = tid;
		task_link(c, g);
		/* A thread starts with its creator's name, policy and CPUs. */
		if (flags & LINUX_CLONE_THREAD) {
			c->attrs = *task_attrs(t);
			c->attrs.valid = true;
		}
	}
	pthread_mutex_unlock(&kernel.lock);
	if (tid < 0) {
		rc = tid;
		goto fail;
	}

	/* A new process counts its own CPU time against RLIMIT_CPU. */
	if (!(flags & LINUX_CLONE_THREAD)) {
		pthread_mutex_lock(&kernel.lock);
		process_cpu_limit_arm(c);
		pthread_mutex_unlock(&kernel.lock);
	}
	/* CLONE_PIDFD: the parent's pidfd exists before the child runs. */
	if (flags & LINUX_CLONE_PIDFD) {
		long pfd = pidfd_create(t, c->tg, 0);
		int32_t pfd32 = (int32_t)pfd;
		if (pfd >= 0 && copy_to_guest(t, pidfd_addr, &pfd32, sizeof pfd32) < 0) {
			fd_close(t, pfd);
			pfd = -EFAULT;
		}
		if (pfd < 0) {
			task_fatal_signal(c, SIGKILL);
			process_task_exit(c);
			return pfd;
		}
	}
	/* Linux writes these before the child runs; a bad pointer is ignored. */
	uint32_t tid32 = (uint32_t)tid;
	if (flags & LINUX_CLONE_PARENT_SETTID)
		copy_to_guest(t, ptid, &tid32, sizeof tid32);
	if (flags & LINUX_CLONE_CHILD_SETTID)
		copy_to_guest(c, ctid, &tid32, sizeof tid32);
	if (flags & LINUX_CLONE_VFORK) {
		c->vfork_parent = t;
		t->vfork_waiting = true;
	}
	if ((rc = task_start(c)) < 0) {
		t->vfork_waiting = false;
		c->vfork_parent = NULL;
		task_fatal_signal(c, SIGKILL);
		process_task_exit(c);
		return rc;
	}
	if (flags & LINUX_CLONE_VFORK) {
		/* The parent sleeps until the child execs or exits. */
		pthread_mutex_lock(&kernel.lock);
		while (t->vfork_waiting)
			pthread_cond_wait(&kernel.wake, &kernel.lock);
		pthread_mutex_unlock(&kernel.lock);
	}
	return tid;

fail:
	task_free(c);
	return rc;
}
