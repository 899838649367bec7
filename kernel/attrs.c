/* Process and task attributes: where they start, what fork and exec do to
 * them, and the copy-on-write of a task's own set. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "attrs.h"
#include "process.h"

struct attrs_host attrs_host;

/* The number after the last '-' or ',' of /sys/devices/system/cpu/possible,
 * plus one: the host's nr_cpu_ids; 0 if unreadable. */
static unsigned int host_nr_cpu_ids(void)
{
	char buf[256];
	int fd = open("/sys/devices/system/cpu/possible", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	char *last = buf;
	for (char *p = buf; *p; p++)
		if (*p == '-' || *p == ',')
			last = p + 1;
	return (unsigned int)strtoul(last, NULL, 10) + 1;
}

/* Run before main(): nothing is pinned and no seccomp filter is in place
 * yet, so this is what a child of cvisor would inherit. */
__attribute__((constructor)) static void capture_host(void)
{
	struct attrs_host *h = &attrs_host;
	for (int cap = 0; cap <= LINUX_CAP_LAST_CAP; cap++)
		if (prctl(PR_CAPBSET_READ, cap, 0, 0, 0) == 1)
			h->cap_bset |= 1ULL << cap;
	h->no_new_privs = prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1;
	/* The raw call: 20 - nice, never negative. */
	long prio = syscall(SYS_getpriority, PRIO_PROCESS, 0);
	h->nice = prio > 0 ? 20 - (int)prio : 0;
	int fd = open("/proc/sys/fs/suid_dumpable", O_RDONLY | O_CLOEXEC);
	char c = '0';
	if (fd >= 0) {
		if (read(fd, &c, 1) != 1)
			c = '0';
		close(fd);
	}
	h->suid_dumpable = c - '0';

	/* The raw call returns the host's cpumask_size() (at most the 1024
	 * bytes asked: NR_CPUS is 8192 at most). */
	static uint64_t mask[1024 / 8];
	long size = syscall(SYS_sched_getaffinity, 0, sizeof mask, mask);
	if (size <= 0) {
		size = 8;
		mask[0] = 1;
	}
	h->cpumask_size = (unsigned int)size;
	memcpy(h->cpus, mask, sizeof h->cpus);
	h->nr_cpu_ids = host_nr_cpu_ids();
	if (h->nr_cpu_ids == 0 || h->nr_cpu_ids > h->cpumask_size * 8)
		h->nr_cpu_ids = h->cpumask_size * 8;
}

void attrs_set_comm(struct task_attrs *a, const char *name)
{
	/* strscpy_pad(): truncated, NUL-terminated, zero-padded. */
	memset(a->comm, 0, sizeof a->comm);
	size_t n = strnlen(name, sizeof a->comm - 1);
	memcpy(a->comm, name, n);
}

const struct task_attrs *task_attrs(const struct task *t)
{
	return t->attrs.valid ? &t->attrs : &t->tg->attrs.task_start;
}

struct task_attrs *task_attrs_mut(struct task *t)
{
	if (!t->attrs.valid) {
		t->attrs = t->tg->attrs.task_start;
		t->attrs.valid = true;
	}
	return &t->attrs;
}

void task_attrs_cpus(const struct task_attrs *a, uint64_t out[ATTRS_CPU_WORDS])
{
	for (int i = 0; i < ATTRS_CPU_WORDS; i++)
		out[i] = attrs_host.cpus[i] & (a->affinity_set ? a->affinity[i] : ~0ULL);
}

void process_attrs_fork(struct thread_group *g, struct task *creator)
{
	struct process_attrs *a = &g->attrs;
	if (creator) {
		*a = creator->tg->attrs;
		a->task_start = *task_attrs(creator);
	} else {
		uint32_t u = kernel.init_uid, gid = kernel.init_gid;
		*a = (struct process_attrs){
			.cred = { .uid = u, .gid = gid, .suid = u, .sgid = gid,
				  .euid = u, .egid = gid, .fsuid = u, .fsgid = gid },
			.task_start = { .policy = LINUX_SCHED_NORMAL, .nice = attrs_host.nice },
			.cap_bset = attrs_host.cap_bset,
			.dumpable = LINUX_SUID_DUMP_USER,
			.no_new_privs = attrs_host.no_new_privs,
		};
	}
	a->task_start.valid = false;
	/* kernel/sys.c: a new process is no subreaper; kernel/sched/core.c
	 * sched_fork(): reset-on-fork drops a real-time policy and a negative
	 * nice, once. */
	a->child_subreaper = false;
	struct task_attrs *ts = &a->task_start;
	if (ts->reset_on_fork) {
		if (ts->policy == LINUX_SCHED_FIFO || ts->policy == LINUX_SCHED_RR) {
			ts->policy = LINUX_SCHED_NORMAL;
			ts->rt_priority = 0;
		}
		if (ts->nice < 0)
			ts->nice = 0;
		ts->reset_on_fork = false;
	}
	/* block/blk-ioc.c copy_io(): only a valid class (RT, BE, IDLE) is
	 * inherited. */
	int ioclass = (ts->ioprio >> 13) & 7;
	if (ioclass < 1 || ioclass > 3)
		ts->ioprio = 0;
}

void process_attrs_exec(struct task *t, const char *path)
{
	pthread_mutex_lock(&kernel.lock);
	struct process_attrs *p = &t->tg->attrs;
	struct cred new = p->cred;
	/* fs/exec.c begin_new_exec(): dumpable unless the exec is a secure
	 * one, which also drops the parent-death signal. */
	bool secure = cred_secure_exec(&new);
	p->dumpable = secure ? attrs_host.suid_dumpable : LINUX_SUID_DUMP_USER;
	if (secure)
		t->pdeathsig = 0;
	/* security/commoncap.c cap_bprm_creds_from_file() */
	new.suid = new.fsuid = new.euid;
	new.sgid = new.fsgid = new.egid;
	cred_commit(t, &new);
	/* The other threads are gone: the name (kbasename of the path) is
	 * the process's, for the tasks it makes next. */
	p->task_start = *task_attrs(t);
	p->task_start.valid = false;
	t->attrs.valid = false;
	const char *slash = strrchr(path, '/');
	attrs_set_comm(&p->task_start, slash ? slash + 1 : path);
	pthread_mutex_unlock(&kernel.lock);
}

struct cred task_cred(struct task *t)
{
	pthread_mutex_lock(&kernel.lock);
	struct cred c = t->tg->attrs.cred;
	pthread_mutex_unlock(&kernel.lock);
	c.group_info = NULL;
	return c;
}
