/* Process and task attributes the guest sets and reads back: credentials,
 * the task name, scheduling policy and affinity, prctl state. All of it is
 * guarded by kernel.lock. cvisor does not enforce the scheduling ones (it
 * pins its threads its own way); they are kept so the guest sees what it
 * set, as on Linux. */
#ifndef CVISOR_ATTRS_H
#define CVISOR_ATTRS_H

#include <stdbool.h>
#include <stdint.h>

struct task;
struct thread_group;

/* include/uapi/linux/limits.h */
#define LINUX_NGROUPS_MAX 65536
/* include/linux/sched.h */
#define LINUX_TASK_COMM_LEN 16
/* include/uapi/linux/capability.h: CAP_LAST_CAP */
#define LINUX_CAP_LAST_CAP 40
/* include/linux/sched/coredump.h: SUID_DUMP_USER */
#define LINUX_SUID_DUMP_USER 1
/* The CPUs a guest mask can name: CPU_SETSIZE (glibc's, 1024). */
#define ATTRS_CPU_WORDS 16

/* include/linux/cred.h: struct group_info. Immutable once installed and
 * shared by every process holding it (fork copies the pointer). */
struct group_info {
	struct group_info *next; /* every set allocated, for the sweep */
	int ngroups;
	uint32_t gid[];          /* sorted, as groups_sort() leaves it */
};

/* include/linux/cred.h: struct cred, the ids part (uid and gid are the real
 * ids). Linux keeps one per task; cvisor one per process, which is what
 * both libcs make of it by applying set*id to every thread. Capabilities:
 * euid 0 has them all. */
struct cred {
	uint32_t uid, gid, suid, sgid, euid, egid, fsuid, fsgid;
	const struct group_info *group_info; /* NULL: no supplementary groups */
};

/* What a task inherits from the task that creates it: task_struct's comm,
 * policy, rt_priority, nice, sched_reset_on_fork and cpus_mask. */
struct task_attrs {
	bool valid;             /* in struct task: the task has its own copy */
	char comm[LINUX_TASK_COMM_LEN];
	int policy, rt_priority;
	int nice;               /* -20..19 (setpriority; kept, not applied) */
	int ioprio;             /* ioprio_set's value (kept, not applied) */
	bool reset_on_fork;
	bool affinity_set;      /* else every CPU cvisor may use */
	uint64_t affinity[ATTRS_CPU_WORDS];
};

/* The process-wide part: signal_struct's and mm's. */
struct process_attrs {
	struct cred cred;
	/* What the process's tasks start with until they change one: the
	 * forking task's at fork, the exec'ing task's after exec. (Tasks are
	 * created in process_clone(), which does not copy attributes; a
	 * thread thus inherits these rather than its creator's own.) */
	struct task_attrs task_start;
	uint64_t cap_bset;      /* the capability bounding set */
	int dumpable;           /* mm->flags' dumpability (prctl) */
	bool no_new_privs;      /* per task on Linux: set-only, so kept here */
	bool child_subreaper;
};

/* What cvisor itself was started with, the guest's starting point (as a
 * child of cvisor would inherit it): captured before any thread is pinned. */
struct attrs_host {
	uint64_t cap_bset;
	bool no_new_privs;
	int nice;               /* cvisor's own nice value */
	int suid_dumpable;      /* fs.suid_dumpable */
	uint64_t cpus[ATTRS_CPU_WORDS]; /* the CPUs cvisor may use */
	unsigned int cpumask_size; /* the host kernel's cpumask_size() */
	unsigned int nr_cpu_ids;
};
extern struct attrs_host attrs_host;

/* group_new(): g's attributes, from the task forking it or, for init
 * (creator NULL), from --uid/--gid and attrs_host. */
void process_attrs_fork(struct thread_group *g, struct task *creator);
/* exec, once it cannot fail: the name from path, saved ids set to the
 * effective ones, dumpability. */
void process_attrs_exec(struct task *t, const char *path);

/* The attributes t runs with, and t's own copy to change (kernel.lock
 * held for both). */
const struct task_attrs *task_attrs(const struct task *t);
struct task_attrs *task_attrs_mut(struct task *t);

/* t's credentials, copied (takes kernel.lock); group_info is left out,
 * since a set is only safe to read under kernel.lock. */
struct cred task_cred(struct task *t);
/* kernel/cred.c commit_creds(): install new as t's credentials; a change
 * of the effective or fs ids makes the process undumpable and clears t's
 * parent-death signal (kernel.lock held). */
void cred_commit(struct task *t, const struct cred *new);
/* The capability check: euid 0 has every capability. */
static inline bool cred_capable(const struct cred *c)
{
	return c->euid == 0;
}

/* An exec with the real and effective ids apart: AT_SECURE, undumpable. */
static inline bool cred_secure_exec(const struct cred *c)
{
	return c->euid != c->uid || c->egid != c->gid;
}

/* prctl PR_SET_NAME's copy: at most 15 bytes, zero-padded. */
void attrs_set_comm(struct task_attrs *a, const char *name);

/* The effective CPU mask of a, within the CPUs cvisor may use. */
void task_attrs_cpus(const struct task_attrs *a, uint64_t out[ATTRS_CPU_WORDS]);

#endif
