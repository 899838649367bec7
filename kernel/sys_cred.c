/* Credentials: the get/set*id family, setfs*id and supplementary groups,
 * with kernel/sys.c's permission rules and order of checks. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "attrs.h"
#include "guest_mem.h"
#include "process.h"
#include "syscalls.h"

/* (uid_t)-1: "leave it" for the set calls, and never a valid id
 * (make_kuid() maps it to INVALID_UID). */
#define NO_ID UINT32_MAX

/* Every group set allocated; see groups_sweep(). */
static struct group_info *all_group_sets;

/* The four ids of one kind, so each rule is written once for users and
 * groups: kernel/sys.c's uid and gid variants differ only in names. */
struct ids {
	uint32_t *r, *e, *s, *fs;
};

static struct ids ids_of(struct cred *c, bool group)
{
	if (group)
		return (struct ids){ &c->gid, &c->egid, &c->sgid, &c->fsgid };
	return (struct ids){ &c->uid, &c->euid, &c->suid, &c->fsuid };
}

void cred_commit(struct task *t, const struct cred *new)
{
	struct process_attrs *p = &t->tg->attrs;
	const struct cred *old = &p->cred;
	if (old->euid != new->euid || old->egid != new->egid || old->fsuid != new->fsuid ||
	    old->fsgid != new->fsgid) {
		p->dumpable = attrs_host.suid_dumpable;
		t->pdeathsig = 0;
	}
	p->cred = *new;
}

/* kernel/sys.c __sys_setuid()/__sys_setgid() */
static long do_setid(struct task *t, bool group, uint32_t id)
{
	if (id == NO_ID)
		return -EINVAL;
	pthread_mutex_lock(&kernel.lock);
	struct cred *old = &t->tg->attrs.cred, new = *old;
	struct ids o = ids_of(old, group), n = ids_of(&new, group);
	long rc = 0;
	if (cred_capable(old))
		*n.r = *n.s = id;
	else if (id != *o.r && id != *o.s)
		rc = -EPERM;
	if (rc == 0) {
		*n.e = *n.fs = id;
		cred_commit(t, &new);
	}
	pthread_mutex_unlock(&kernel.lock);
	return rc;
}

/* kernel/sys.c __sys_setreuid()/__sys_setregid(): the real id may become
 * the real or effective one, the effective id any of the three. */
static long do_setreid(struct task *t, bool group, uint32_t r, uint32_t e)
{
	pthread_mutex_lock(&kernel.lock);
	struct cred *old = &t->tg->attrs.cred, new = *old;
	struct ids o = ids_of(old, group), n = ids_of(&new, group);
	bool cap = cred_capable(old);
	long rc = 0;
	if (r != NO_ID) {
		*n.r = r;
		if (r != *o.r && r != *o.e && !cap)
			rc = -EPERM;
	}
	if (rc == 0 && e != NO_ID) {
		*n.e = e;
		if (e != *o.r && e != *o.e && e != *o.s && !cap)
			rc = -EPERM;
	}
	if (rc == 0) {
		if (r != NO_ID || (e != NO_ID && e != *o.r))
			*n.s = *n.e;
		*n.fs = *n.e;
		cred_commit(t, &new);
	}
	pthread_mutex_unlock(&kernel.lock);
	return rc;
}

/* An id setres*id may take without privilege: one of the three. */
static bool id_held(struct ids o, uint32_t id)
{
	return id == NO_ID || id == *o.r || id == *o.e || id == *o.s;
}

/* kernel/sys.c __sys_setresuid()/__sys_setresgid() */
static long do_setresid(struct task *t, bool group, uint32_t r, uint32_t e, uint32_t s)
{
	pthread_mutex_lock(&kernel.lock);
	struct cred *old = &t->tg->attrs.cred, new = *old;
	struct ids o = ids_of(old, group), n = ids_of(&new, group);
	long rc = 0;
	bool noop = (r == NO_ID || r == *o.r) && (e == NO_ID || (e == *o.e && e == *o.fs)) &&
		    (s == NO_ID || s == *o.s);
	if (!noop && !(id_held(o, r) && id_held(o, e) && id_held(o, s)) && !cred_capable(old))
		rc = -EPERM;
	if (!noop && rc == 0) {
		if (r != NO_ID)
			*n.r = r;
		if (e != NO_ID)
			*n.e = e;
		if (s != NO_ID)
			*n.s = s;
		*n.fs = *n.e;
		cred_commit(t, &new);
	}
	pthread_mutex_unlock(&kernel.lock);
	return rc;
}

/* kernel/sys.c getresuid()/getresgid(): stops at the first bad pointer,
 * the ids before it written. */
static long do_getresid(struct task *t, bool group, const uint64_t ptr[3])
{
	struct cred c = task_cred(t);
	struct ids ids = ids_of(&c, group);
	const uint32_t *v[3] = { ids.r, ids.e, ids.s };
	for (int i = 0; i < 3; i++)
		if (copy_to_guest(t, ptr[i], v[i], sizeof *v[i]) < 0)
			return -EFAULT;
	return 0;
}

/* kernel/sys.c __sys_setfsuid()/__sys_setfsgid(): never fails, returns
 * the old fs id. */
static long do_setfsid(struct task *t, bool group, uint32_t id)
{
	pthread_mutex_lock(&kernel.lock);
	struct cred *old = &t->tg->attrs.cred, new = *old;
	struct ids o = ids_of(old, group), n = ids_of(&new, group);
	uint32_t prev = *o.fs;
	if (id != NO_ID && id != *o.fs &&
	    (id == *o.r || id == *o.e || id == *o.s || cred_capable(old))) {
		*n.fs = id;
		cred_commit(t, &new);
	}
	pthread_mutex_unlock(&kernel.lock);
	return prev;
}

long sys_getuid(struct task *t, SYSCALL_ARGS) { (void)a; return task_cred(t).uid; }
long sys_geteuid(struct task *t, SYSCALL_ARGS) { (void)a; return task_cred(t).euid; }
long sys_getgid(struct task *t, SYSCALL_ARGS) { (void)a; return task_cred(t).gid; }
long sys_getegid(struct task *t, SYSCALL_ARGS) { (void)a; return task_cred(t).egid; }
long sys_setuid(struct task *t, SYSCALL_ARGS) { return do_setid(t, false, (uint32_t)a[0]); }
long sys_setgid(struct task *t, SYSCALL_ARGS) { return do_setid(t, true, (uint32_t)a[0]); }

long sys_setreuid(struct task *t, SYSCALL_ARGS)
{
	return do_setreid(t, false, (uint32_t)a[0], (uint32_t)a[1]);
}

long sys_setregid(struct task *t, SYSCALL_ARGS)
{
	return do_setreid(t, true, (uint32_t)a[0], (uint32_t)a[1]);
}

long sys_setresuid(struct task *t, SYSCALL_ARGS)
{
	return do_setresid(t, false, (uint32_t)a[0], (uint32_t)a[1], (uint32_t)a[2]);
}

long sys_setresgid(struct task *t, SYSCALL_ARGS)
{
	return do_setresid(t, true, (uint32_t)a[0], (uint32_t)a[1], (uint32_t)a[2]);
}

long sys_getresuid(struct task *t, SYSCALL_ARGS) { return do_getresid(t, false, a); }
long sys_getresgid(struct task *t, SYSCALL_ARGS) { return do_getresid(t, true, a); }
long sys_setfsuid(struct task *t, SYSCALL_ARGS) { return do_setfsid(t, false, (uint32_t)a[0]); }
long sys_setfsgid(struct task *t, SYSCALL_ARGS) { return do_setfsid(t, true, (uint32_t)a[0]); }

long sys_getgroups(struct task *t, SYSCALL_ARGS)
{
	int size = (int)a[0];
	if (size < 0)
		return -EINVAL;
	pthread_mutex_lock(&kernel.lock);
	const struct group_info *gi = t->tg->attrs.cred.group_info;
	int n = gi ? gi->ngroups : 0;
	uint32_t *copy = NULL;
	long rc = n;
	if (size && n > size)
		rc = -EINVAL;
	else if (size && n && !(copy = malloc((size_t)n * sizeof *copy)))
		rc = -ENOMEM;
	else if (copy)
		memcpy(copy, gi->gid, (size_t)n * sizeof *copy);
	pthread_mutex_unlock(&kernel.lock);
	/* A set may be replaced meanwhile: copy out what was read. */
	if (copy && copy_to_guest(t, a[1], copy, (size_t)n * sizeof *copy) < 0)
		rc = -EFAULT;
	free(copy);
	return rc;
}

static int gid_cmp(const void *x, const void *y)
{
	uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
	return (a > b) - (a < b);
}

/* Free the sets no process holds any more (kernel.lock held). Processes
 * are freed without a hook here, so sets are not counted but swept: one
 * outlives its last holder until the next setgroups. */
static void groups_sweep(void)
{
	for (struct group_info **p = &all_group_sets; *p;) {
		struct group_info *gi = *p;
		bool used = false;
		for (struct thread_group *g = kernel.groups; g && !used; g = g->next_group)
			used = g->attrs.cred.group_info == gi;
		if (used) {
			p = &gi->next;
		} else {
			*p = gi->next;
			free(gi);
		}
	}
}

/* kernel/groups.c setgroups(): privilege first, then the size, then each
 * gid in turn (EFAULT where unreadable, EINVAL for (gid_t)-1). */
long sys_setgroups(struct task *t, SYSCALL_ARGS)
{
	int size = (int)a[0];
	struct cred c = task_cred(t);
	if (!cred_capable(&c))
		return -EPERM;
	if ((unsigned int)size > LINUX_NGROUPS_MAX)
		return -EINVAL;
	struct group_info *gi = NULL;
	if (size > 0) {
		size_t bytes = (size_t)size * sizeof(uint32_t);
		gi = malloc(sizeof *gi + bytes);
		if (!gi)
			return -ENOMEM;
		gi->ngroups = size;
		long got = copy_from_guest_partial(t, gi->gid, a[1], bytes);
		size_t whole = got > 0 ? (size_t)got / sizeof(uint32_t) : 0;
		long rc = (size_t)size > whole ? -EFAULT : 0;
		for (size_t i = 0; i < whole; i++)
			if (gi->gid[i] == NO_ID) {
				rc = -EINVAL;
				break;
			}
		if (rc < 0) {
			free(gi);
			return rc;
		}
		qsort(gi->gid, (size_t)size, sizeof gi->gid[0], gid_cmp);
	}
	pthread_mutex_lock(&kernel.lock);
	struct cred new = t->tg->attrs.cred;
	new.group_info = gi;
	if (gi) {
		gi->next = all_group_sets;
		all_group_sets = gi;
	}
	cred_commit(t, &new);
	groups_sweep();
	pthread_mutex_unlock(&kernel.lock);
	return 0;
}
