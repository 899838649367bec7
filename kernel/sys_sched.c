/* Scheduling: policies, priorities and CPU affinity as the guest sets and
 * reads them (kept in the task attributes, not applied: cvisor places its
 * threads itself), sched_yield and getcpu. kernel/sched/syscalls.c. */
#include <errno.h>
#include <sched.h>
#include <string.h>
#include <sys/resource.h>

#include "attrs.h"
#include "guest_mem.h"
#include "process.h"
#include "syscalls.h"

/* find_process_by_pid()'s result: a live task, or the process of a leader
 * that exited but is still there to be found (its task_struct lives on
 * Linux until it is reaped), then with the process's attributes. */
struct sched_target {
	struct task *task;
	struct thread_group *tg;
};

/* pid 0 is the caller; else a task by tid, or ESRCH (kernel.lock held). */
static long find_target(struct task *self, int pid, struct sched_target *out)
{
	if (pid == 0) {
		*out = (struct sched_target){ self, self->tg };
		return 0;
	}
	for (struct task *o = kernel.tasks; o; o = o->next_task)
		if (o->tid == pid) {
			*out = (struct sched_target){ o, o->tg };
			return 0;
		}
	for (struct thread_group *g = kernel.groups; g; g = g->next_group)
		if (g->pid == pid) {
			*out = (struct sched_target){ NULL, g };
			return 0;
		}
	return -ESRCH;
}

static const struct task_attrs *target_attrs(const struct sched_target *p)
{
	return p->task ? task_attrs(p->task) : &p->tg->attrs.task_start;
}

static struct task_attrs *target_attrs_mut(const struct sched_target *p)
{
	return p->task ? task_attrs_mut(p->task) : &p->tg->attrs.task_start;
}

/* kernel/sched/syscalls.c check_same_owner() */
static bool same_owner(const struct task *self, const struct sched_target *p)
{
	const struct cred *c = &self->tg->attrs.cred, *pc = &p->tg->attrs.cred;
	return c->euid == pc->euid || c->euid == pc->uid;
}

static bool rt_policy(int policy)
{
	return policy == LINUX_SCHED_FIFO || policy == LINUX_SCHED_RR;
}

/* valid_policy(), less SCHED_DEADLINE (whose parameters sched_setscheduler
 * cannot carry: EINVAL either way) and SCHED_EXT (not offered). */
static bool valid_policy(int policy)
{
	return policy == LINUX_SCHED_NORMAL || policy == LINUX_SCHED_BATCH ||
	       policy == LINUX_SCHED_IDLE || rt_policy(policy);
}

/* user_check_sched_setscheduler(): what a process without CAP_SYS_NICE may
 * do (nice values are not kept, so the fair-policy check always passes). */
static long user_check(const struct task *self, const struct sched_target *p,
		       const struct task_attrs *cur, int policy, uint32_t prio, bool reset)
{
	if (cred_capable(&self->tg->attrs.cred))
		return 0;
	const struct linux_rlimit *rl = p->tg->rlimits;
	uint64_t rtprio = rl[LINUX_RLIMIT_RTPRIO].rlim_cur;
	if (rt_policy(policy) && ((policy != cur->policy && !rtprio) ||
				  (prio > (uint32_t)cur->rt_priority && prio > rtprio)))
		return -EPERM;
	/* SCHED_IDLE counts as nice 20: leaving it needs RLIMIT_NICE >= 20. */
	if (cur->policy == LINUX_SCHED_IDLE && policy != LINUX_SCHED_IDLE &&
	    rl[LINUX_RLIMIT_NICE].rlim_cur < 20)
		return -EPERM;
	if (!same_owner(self, p) || (cur->reset_on_fork && !reset))
		return -EPERM;
	return 0;
}

/* do_sched_setscheduler() and __sched_setscheduler(); policy -1 keeps the
 * current one (sched_setparam). */
static long do_setscheduler(struct task *t, int pid, int policy, uint64_t param)
{
	if (!param || pid < 0)
		return -EINVAL;
	struct linux_sched_param lp;
	if (copy_from_guest(t, &lp, param, sizeof lp) < 0)
		return -EFAULT;
	pthread_mutex_lock(&kernel.lock);
	struct sched_target p;
	long rc = find_target(t, pid, &p);
	const struct task_attrs *cur = rc == 0 ? target_attrs(&p) : NULL;
	bool reset = false;
	if (rc == 0 && policy < 0) {
		policy = cur->policy;
		reset = cur->reset_on_fork;
	} else if (rc == 0) {
		reset = policy & LINUX_SCHED_RESET_ON_FORK;
		policy &= ~LINUX_SCHED_RESET_ON_FORK;
		if (!valid_policy(policy))
			rc = -EINVAL;
	}
	/* sched_attr's priority is unsigned: a negative one is too big. */
	uint32_t prio = (uint32_t)lp.sched_priority;
	if (rc == 0 && (prio > LINUX_MAX_RT_PRIO - 1 || rt_policy(policy) != (prio != 0)))
		rc = -EINVAL;
	if (rc == 0)
		rc = user_check(t, &p, cur, policy, prio, reset);
	if (rc == 0) {
		struct task_attrs *ta = target_attrs_mut(&p);
		ta->policy = policy;
		ta->rt_priority = (int)prio;
		ta->reset_on_fork = reset;
	}
	pthread_mutex_unlock(&kernel.lock);
	return rc;
}

long sys_sched_setscheduler(struct task *t, SYSCALL_ARGS)
{
	int policy = (int)a[1];
	if (policy < 0)
		return -EINVAL;
	return do_setscheduler(t, (int)a[0], policy, a[2]);
}

long sys_sched_setparam(struct task *t, SYSCALL_ARGS)
{
	return do_setscheduler(t, (int)a[0], -1, a[1]);
}

long sys_sched_getscheduler(struct task *t, SYSCALL_ARGS)
{
	int pid = (int)a[0];
	if (pid < 0)
		return -EINVAL;
	pthread_mutex_lock(&kernel.lock);
	struct sched_target p;
	long rc = find_target(t, pid, &p);
	if (rc == 0) {
		const struct task_attrs *cur = target_attrs(&p);
		rc = cur->policy | (cur->reset_on_fork ? LINUX_SCHED_RESET_ON_FORK : 0);
	}
	pthread_mutex_unlock(&kernel.lock);
	return rc;
}

long sys_sched_getparam(struct task *t, SYSCALL_ARGS)
{
	int pid = (int)a[0];
	if (!a[1] || pid < 0)
		return -EINVAL;
	struct linux_sched_param lp = { 0 };
	pthread_mutex_lock(&kernel.lock);
	struct sched_target p;
	long rc = find_target(t, pid, &p);
	if (rc == 0 && rt_policy(target_attrs(&p)->policy))
		lp.sched_priority = target_attrs(&p)->rt_priority;
	pthread_mutex_unlock(&kernel.lock);
	if (rc < 0)
		return rc;
	return copy_to_guest(t, a[1], &lp, sizeof lp);
}

/* The policies sched_get_priority_max/min know with priority 0: the
 * non-real-time ones, SCHED_DEADLINE and SCHED_EXT included. */
static bool prio_zero_policy(int policy)
{
	return (valid_policy(policy) && !rt_policy(policy)) || policy == LINUX_SCHED_DEADLINE ||
	       policy == LINUX_SCHED_EXT;
}

long sys_sched_get_priority_max(struct task *t, SYSCALL_ARGS)
{
	(void)t;
	int policy = (int)a[0];
	if (rt_policy(policy))
		return LINUX_MAX_RT_PRIO - 1;
	return prio_zero_policy(policy) ? 0 : -EINVAL;
}

long sys_sched_get_priority_min(struct task *t, SYSCALL_ARGS)
{
	(void)t;
	int policy = (int)a[0];
	if (rt_policy(policy))
		return 1;
	return prio_zero_policy(policy) ? 0 : -EINVAL;
}

/* kernel/sys.c set_one_prio(): the caller owns p or has CAP_SYS_NICE
 * (EPERM); lowering nice past RLIMIT_NICE needs CAP_SYS_NICE (EACCES). The
 * first success turns the running ESRCH into 0. */
static long set_one_prio(const struct task *self, const struct sched_target *p, int nice, long error)
{
	const struct cred *c = &self->tg->attrs.cred, *pc = &p->tg->attrs.cred;
	bool capable = cred_capable(c);
	if (pc->uid != c->euid && pc->euid != c->euid && !capable)
		return -EPERM;
	if (nice < target_attrs(p)->nice && !capable &&
	    (uint64_t)(20 - nice) > p->tg->rlimits[LINUX_RLIMIT_NICE].rlim_cur)
		return -EACCES;
	target_attrs_mut(p)->nice = nice;
	return error == -ESRCH ? 0 : error;
}

/* getpriority/setpriority: PRIO_PROCESS is one task (by tid), PRIO_PGRP
 * and PRIO_USER every task of a group or user, zombies' included (they
 * are found until reaped). get answers 20 - the lowest nice (1..40: the
 * libc turns it back), or ESRCH when nothing matched. */
static long prio(struct task *t, int which, int who, bool set, int nice)
{
	if (which < PRIO_PROCESS || which > PRIO_USER)
		return -EINVAL;
	/* kernel/sys.c clamps to MIN_NICE..MAX_NICE. */
	nice = nice < -20 ? -20 : nice > 19 ? 19 : nice;
	long rc = -ESRCH;
	pthread_mutex_lock(&kernel.lock);
	struct thread_group *self = t->tg;
	if (which == PRIO_PROCESS) {
		struct sched_target p;
		if (who >= 0 && find_target(t, who, &p) == 0)
			rc = set ? set_one_prio(t, &p, nice, rc) : 20 - target_attrs(&p)->nice;
	} else {
		int pgid = who ? who : self->pgid;
		uint32_t uid = who ? (uint32_t)who : self->attrs.cred.uid;
		for (struct thread_group *g = kernel.groups; g; g = g->next_group) {
			if (which == PRIO_PGRP ? g->pgid != pgid : g->attrs.cred.uid != uid)
				continue;
			struct task *o = g->threads;
			do {
				struct sched_target p = { o, g };
				if (set)
					rc = set_one_prio(t, &p, nice, rc);
				else if (20 - target_attrs(&p)->nice > rc)
					rc = 20 - target_attrs(&p)->nice;
			} while (o && (o = o->next_in_group));
		}
	}
	pthread_mutex_unlock(&kernel.lock);
	return rc;
}

long sys_getpriority(struct task *t, SYSCALL_ARGS)
{
	return prio(t, (int)a[0], (int)a[1], false, 0);
}

long sys_setpriority(struct task *t, SYSCALL_ARGS)
{
	return prio(t, (int)a[0], (int)a[1], true, (int)a[2]);
}

/* I/O priorities (block/ioprio.c), kept and not applied: class in bits
 * 13-15, level in bits 0-2. */
#define IOPRIO_CLASS(p) (((p) >> 13) & 7)
enum { IOPRIO_NONE, IOPRIO_RT, IOPRIO_BE, IOPRIO_IDLE };
enum { IOPRIO_WHO_PROCESS = 1, IOPRIO_WHO_PGRP, IOPRIO_WHO_USER };

/* ioprio_check_cap() */
static long ioprio_check(const struct task *t, int ioprio)
{
	int level = ioprio & 7;
	switch (IOPRIO_CLASS(ioprio)) {
	case IOPRIO_RT:
		if (!cred_capable(&t->tg->attrs.cred))
			return -EPERM;
		return 0; /* a 3-bit level is always below IOPRIO_NR_LEVELS (8) */
	case IOPRIO_BE:
	case IOPRIO_IDLE:
		return 0;
	case IOPRIO_NONE:
		return level ? -EINVAL : 0;
	default:
		return -EINVAL;
	}
}

/* get_task_ioprio(): what was set, IOPRIO_DEFAULT (NONE, 0) before that
 * (the host answers so too, for a process that did no block I/O yet). */
static int task_ioprio(const struct sched_target *p)
{
	return target_attrs(p)->ioprio;
}

/* ioprio_best(): an invalid class counts as best-effort, level 4. */
static int ioprio_best(int a, int b)
{
	if (IOPRIO_CLASS(a) < IOPRIO_RT || IOPRIO_CLASS(a) > IOPRIO_IDLE)
		a = IOPRIO_BE << 13 | 4;
	if (IOPRIO_CLASS(b) < IOPRIO_RT || IOPRIO_CLASS(b) > IOPRIO_IDLE)
		b = IOPRIO_BE << 13 | 4;
	return a < b ? a : b;
}

/* set_task_ioprio(): the target's real uid must be the caller's real or
 * effective one, or CAP_SYS_NICE. */
static long set_task_ioprio(const struct task *self, const struct sched_target *p, int ioprio)
{
	const struct cred *c = &self->tg->attrs.cred, *pc = &p->tg->attrs.cred;
	if (pc->uid != c->euid && pc->uid != c->uid && !cred_capable(c))
		return -EPERM;
	target_attrs_mut(p)->ioprio = ioprio;
	return 0;
}

static long ioprio(struct task *t, int which, int who, bool set, int value)
{
	long rc = set ? ioprio_check(t, value) : 0;
	if (rc < 0)
		return rc;
	if (which < IOPRIO_WHO_PROCESS || which > IOPRIO_WHO_USER)
		return -EINVAL;
	rc = -ESRCH;
	pthread_mutex_lock(&kernel.lock);
	struct thread_group *self = t->tg;
	if (which == IOPRIO_WHO_PROCESS) {
		struct sched_target p;
		if (who >= 0 && find_target(t, who, &p) == 0)
			rc = set ? set_task_ioprio(t, &p, value) : task_ioprio(&p);
	} else {
		int pgid = who ? who : self->pgid;
		uint32_t uid = who ? (uint32_t)who : self->attrs.cred.uid;
		for (struct thread_group *g = kernel.groups; g && !(set && rc < 0 && rc != -ESRCH); g = g->next_group) {
			if (which == IOPRIO_WHO_PGRP ? g->pgid != pgid : g->attrs.cred.uid != uid)
				continue;
			struct task *o = g->threads;
			do {
				struct sched_target p = { o, g };
				if (set) {
					if ((rc = set_task_ioprio(t, &p, value)) < 0)
						break;
				} else {
					int v = task_ioprio(&p);
					rc = rc == -ESRCH ? v : ioprio_best((int)rc, v);
				}
			} while (o && (o = o->next_in_group));
		}
	}
	pthread_mutex_unlock(&kernel.lock);
	return rc;
}

long sys_ioprio_get(struct task *t, SYSCALL_ARGS)
{
	return ioprio(t, (int)a[0], (int)a[1], false, 0);
}

long sys_ioprio_set(struct task *t, SYSCALL_ARGS)
{
	return ioprio(t, (int)a[0], (int)a[1], true, (int)a[2]);
}

long sys_sched_yield(struct task *t, SYSCALL_ARGS)
{
	(void)t;
	(void)a;
	sched_yield();
	return 0;
}

/* A guest cpumask is the host kernel's cpumask_size() bytes; NR_CPUS is at
 * most 8192 (1024 bytes). cvisor keeps the first 1024 CPUs. */
#define MASK_BYTES_MAX 1024

long sys_sched_getaffinity(struct task *t, SYSCALL_ARGS)
{
	int pid = (int)a[0];
	unsigned int len = (unsigned int)a[1];
	/* As Linux computes it, in unsigned int: a huge len wraps. */
	if (len * 8 < attrs_host.nr_cpu_ids || (len & 7))
		return -EINVAL;
	uint64_t mask[MASK_BYTES_MAX / 8] = { 0 };
	pthread_mutex_lock(&kernel.lock);
	struct sched_target p;
	long rc = find_target(t, pid, &p);
	if (rc == 0)
		task_attrs_cpus(target_attrs(&p), mask);
	pthread_mutex_unlock(&kernel.lock);
	if (rc < 0)
		return rc;
	unsigned int n = len < attrs_host.cpumask_size ? len : attrs_host.cpumask_size;
	if (copy_to_guest(t, a[2], mask, n) < 0)
		return -EFAULT;
	return n;
}

long sys_sched_setaffinity(struct task *t, SYSCALL_ARGS)
{
	int pid = (int)a[0];
	unsigned int len = (unsigned int)a[1];
	/* get_user_cpu_mask(): a short mask is zero-extended, a long one cut. */
	uint64_t mask[MASK_BYTES_MAX / 8] = { 0 };
	unsigned int n = len < attrs_host.cpumask_size ? len : attrs_host.cpumask_size;
	if (n && copy_from_guest(t, mask, a[2], n) < 0)
		return -EFAULT;
	pthread_mutex_lock(&kernel.lock);
	struct sched_target p;
	long rc = find_target(t, pid, &p);
	if (rc == 0 && !same_owner(t, &p) && !cred_capable(&t->tg->attrs.cred))
		rc = -EPERM;
	/* Only the CPUs cvisor may use count: none of them is EINVAL. */
	uint64_t any = 0;
	for (int i = 0; i < ATTRS_CPU_WORDS; i++)
		any |= mask[i] &= attrs_host.cpus[i];
	if (rc == 0 && !any)
		rc = -EINVAL;
	if (rc == 0) {
		struct task_attrs *ta = target_attrs_mut(&p);
		ta->affinity_set = true;
		memcpy(ta->affinity, mask, sizeof ta->affinity);
	}
	pthread_mutex_unlock(&kernel.lock);
	return rc;
}

/* kernel/sys.c getcpu(): the CPU this task's host thread runs on, or the
 * first of its mask when cvisor runs it elsewhere; one NUMA node. Both
 * pointers are tried, then EFAULT if either failed. */
long sys_getcpu(struct task *t, SYSCALL_ARGS)
{
	uint64_t mask[ATTRS_CPU_WORDS];
	pthread_mutex_lock(&kernel.lock);
	task_attrs_cpus(task_attrs(t), mask);
	pthread_mutex_unlock(&kernel.lock);
	int host = sched_getcpu();
	uint32_t cpu = host < 0 ? 0 : (uint32_t)host, node = 0;
	if (cpu >= ATTRS_CPU_WORDS * 64 || !(mask[cpu / 64] >> (cpu % 64) & 1))
		for (cpu = 0; cpu < ATTRS_CPU_WORDS * 64 - 1; cpu++)
			if (mask[cpu / 64] >> (cpu % 64) & 1)
				break;
	int err = 0;
	if (a[0])
		err |= copy_to_guest(t, a[0], &cpu, sizeof cpu);
	if (a[1])
		err |= copy_to_guest(t, a[1], &node, sizeof node);
	return err ? -EFAULT : 0;
}
