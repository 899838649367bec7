/* /proc/PID files about a process's memory, signals and state, in the
 * formats of Linux's fs/proc/array.c, base.c and task_mmu.c. Hooks run with
 * vfs.lock and kernel.lock held (fs_proc.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <time.h>

#include "fdtable.h"
#include "fs_proc.h"
#include "guest_mem.h"
#include "mm.h"
#include "signal_state.h"

/* cmdline and environ read the target's memory; more than this is cut
 * (Linux pages through it; exec caps the strings well below). */
#define PROC_STRINGS_MAX (8UL << 20)

/* Guest memory [start, end) of t's process, as much as is readable. */
static int put_guest_range(struct task *t, struct sbuf *b, uint64_t start, uint64_t end)
{
	if (end <= start)
		return 0;
	size_t len = end - start > PROC_STRINGS_MAX ? PROC_STRINGS_MAX : end - start;
	char *buf = malloc(len);
	if (!buf)
		return -ENOMEM;
	long n = copy_from_guest_partial(t, buf, start, len);
	int rc = n > 0 ? sbuf_put(b, buf, (size_t)n) : 0;
	free(buf);
	return rc;
}

/* fs/proc/base.c get_mm_cmdline(): argv as exec left it; when the last
 * byte is no longer a NUL (setproctitle), on into the environment up to
 * the first NUL there. */
int proc_show_cmdline(struct proc_ctx *c, struct sbuf *b)
{
	struct task *t = proc_task(c->g);
	struct mm *mm = t ? t->mm : NULL;
	if (!mm || !mm->arg_end)
		return 0;
	uint64_t arg_start = mm->arg_start, arg_end = mm->arg_end;
	uint64_t env_start = mm->env_start, env_end = mm->env_end;
	if (env_start != arg_end || env_end < env_start)
		env_start = env_end = arg_end;
	size_t start_len = b->len;
	int rc = put_guest_range(t, b, arg_start, env_end);
	if (rc < 0)
		return rc;
	size_t got = b->len - start_len, n = arg_end - arg_start;
	if (got < n)
		return 0;
	char *s = b->data + start_len;
	if (n && s[n - 1] == 0) {
		b->len = start_len + n;
		return 0;
	}
	/* Cut at the first NUL from arg_end - 1 on. */
	size_t k = n ? n - 1 : 0;
	while (k < got && s[k])
		k++;
	b->len = start_len + (k < got ? k : got);
	return 0;
}

int proc_show_environ(struct proc_ctx *c, struct sbuf *b)
{
	struct task *t = proc_task(c->g);
	struct mm *mm = t ? t->mm : NULL;
	if (!mm || !mm->env_end)
		return 0;
	return put_guest_range(t, b, mm->env_start, mm->env_end);
}

/* Linux's memory counters of mm, in pages; the resident ones are the
 * host's count for the stub (the host does the paging). */
struct mm_counts {
	uint64_t total, data, stack, exec, shared_file, text, rss, rss_file;
};

static struct mm_counts mm_counts(const struct mm *mm)
{
	struct mm_counts n = { 0 };
	if (mm && mm->as)
		kernel.platform->resident(mm->as, &n.rss, &n.rss_file);
	if (mm)
		mm_lock(mm);
	for (size_t i = 0; mm && i < mm->nvmas; i++) {
		const struct vma *v = &mm->vmas[i];
		uint64_t pages = (v->end - v->start) >> 12;
		bool shared = (v->flags & LINUX_MAP_TYPE) == LINUX_MAP_SHARED;
		n.total += pages;
		/* mm/internal.h: is_stack_mapping, is_data_mapping,
		 * is_exec_mapping. */
		if (v->flags & LINUX_MAP_GROWSDOWN)
			n.stack += pages;
		else if ((v->prot & LINUX_PROT_WRITE) && !shared)
			n.data += pages;
		else if ((v->prot & LINUX_PROT_EXEC) && !(v->prot & LINUX_PROT_WRITE))
			n.exec += pages;
	}
	if (mm && mm->end_code > mm->start_code)
		n.text = (page_up(mm->end_code) - page_down(mm->start_code)) >> 12;
	if (mm)
		mm_unlock(mm);
	return n;
}

static char task_state(struct proc_ctx *c, struct thread_group *g)
{
	if (g == c->reader->tg)
		return 'R'; /* the reader itself runs */
	return g->stopped ? 'T' : 'S';
}

static const char *state_text(char s)
{
	switch (s) {
	case 'R':
		return "R (running)";
	case 'T':
		return "T (stopped)";
	}
	return "S (sleeping)";
}

/* The ignored and caught signal sets of a disposition table. */
static void sig_sets(const struct task *t, uint64_t *ign, uint64_t *cgt)
{
	*ign = *cgt = 0;
	if (!t || !t->sig.hand)
		return;
	for (int s = 1; s < LINUX_NSIG && s <= 64; s++) {
		uint64_t h = t->sig.hand->action[s].handler;
		if (h == 1)
			*ign |= 1ULL << (s - 1);
		else if (h != 0)
			*cgt |= 1ULL << (s - 1);
	}
}

/* Clock ticks of the process's guest CPU time (all user time). */
static uint64_t cpu_ticks(const struct task *t)
{
	struct timespec ts;
	if (!t || !t->mm || clock_gettime(kernel.platform->cpu_clock(t->mm->as), &ts) < 0)
		return 0;
	return (uint64_t)ts.tv_sec * LINUX_USER_HZ + (uint64_t)ts.tv_nsec / (1000000000 / LINUX_USER_HZ);
}

/* fs/proc/array.c do_task_stat(): 52 fields. */
int proc_show_stat(struct proc_ctx *c, struct sbuf *b)
{
	struct thread_group *g = c->g;
	struct task *t = proc_task(g);
	struct mm *mm = t ? t->mm : NULL;
	struct mm_counts n = mm_counts(mm);
	uint64_t ign, cgt;
	sig_sets(t, &ign, &cgt);
	uint64_t pending = t ? t->sig.pending.set : 0;
	uint64_t blocked = t ? t->sig.blocked : 0;
	const struct task_attrs *ta = t ? task_attrs(t) : NULL;
	uint64_t rsslim = g->rlimits[5].rlim_cur; /* RLIMIT_RSS */
	char s = task_state(c, g);
	return sbuf_printf(b,
			   "%d (%s) %c %d %d %d 0 -1 4194304 0 0 0 0 %llu 0 0 0 %d %d %d 0 0 %llu %llu %llu"
			   " %llu %llu %llu 0 0 %llu %llu %llu %llu %d 0 0 %d 0 %d %d 0 0 0"
			   " %llu %llu %llu %llu %llu %llu %llu 0\n",
			   g->pid, ta ? ta->comm : "", s, g->parent ? g->parent->pid : 0, g->pgid, g->sid,
			   (unsigned long long)cpu_ticks(t), ta && ta->policy ? -ta->rt_priority - 1 : 20, 0,
			   g->nthreads, (unsigned long long)(n.total << 12), (unsigned long long)n.rss,
			   (unsigned long long)rsslim,
			   (unsigned long long)(mm ? mm->start_code : 0), (unsigned long long)(mm ? mm->end_code : 0),
			   (unsigned long long)(mm ? mm->start_stack : 0),
			   (unsigned long long)(pending & 0x7fffffff), (unsigned long long)(blocked & 0x7fffffff),
			   (unsigned long long)(ign & 0x7fffffff), (unsigned long long)(cgt & 0x7fffffff),
			   s == 'R' ? 0 : 1, g->exit_signal, ta ? ta->rt_priority : 0, ta ? ta->policy : 0,
			   (unsigned long long)(mm ? mm->start_data : 0), (unsigned long long)(mm ? mm->end_data : 0),
			   (unsigned long long)(mm ? mm->start_brk : 0), (unsigned long long)(mm ? mm->arg_start : 0),
			   (unsigned long long)(mm ? mm->arg_end : 0), (unsigned long long)(mm ? mm->env_start : 0),
			   (unsigned long long)(mm ? mm->env_end : 0));
}

/* fs/proc/array.c proc_pid_statm(): pages. */
int proc_show_statm(struct proc_ctx *c, struct sbuf *b)
{
	struct task *t = proc_task(c->g);
	struct mm_counts n = mm_counts(t ? t->mm : NULL);
	return sbuf_printf(b, "%llu %llu %llu %llu 0 %llu 0\n", (unsigned long long)n.total,
			   (unsigned long long)n.rss, (unsigned long long)n.rss_file, (unsigned long long)n.text,
			   (unsigned long long)(n.data + n.stack));
}

static int put_kb(struct sbuf *b, const char *name, uint64_t pages)
{
	return sbuf_printf(b, "%s:\t%8llu kB\n", name, (unsigned long long)(pages << 2));
}

/* A CPU mask as %*pb (hex, 32-bit groups) and %*pbl (ranges). */
static int put_cpus(struct sbuf *b, const uint64_t *m)
{
	unsigned ncpu = attrs_host.nr_cpu_ids ? attrs_host.nr_cpu_ids : 1;
	unsigned groups = (ncpu + 31) / 32;
	int rc = sbuf_printf(b, "Cpus_allowed:\t");
	for (unsigned g = groups; rc == 0 && g-- > 0;) {
		uint32_t w = (uint32_t)(m[g / 2] >> (32 * (g % 2)));
		unsigned bits = ncpu - g * 32 < 32 ? ncpu - g * 32 : 32;
		if (g == groups - 1)
			rc = sbuf_printf(b, "%0*x", (int)((bits + 3) / 4), w);
		else
			rc = sbuf_printf(b, ",%08x", w);
	}
	if (rc == 0)
		rc = sbuf_printf(b, "\nCpus_allowed_list:\t");
	bool first = true;
	for (unsigned i = 0; rc == 0 && i < ncpu && i < 64 * ATTRS_CPU_WORDS;) {
		if (!(m[i / 64] >> (i % 64) & 1)) {
			i++;
			continue;
		}
		unsigned j = i;
		while (j + 1 < ncpu && (m[(j + 1) / 64] >> ((j + 1) % 64) & 1))
			j++;
		rc = j > i ? sbuf_printf(b, "%s%u-%u", first ? "" : ",", i, j)
			   : sbuf_printf(b, "%s%u", first ? "" : ",", i);
		first = false;
		i = j + 1;
	}
	return rc ? rc : sbuf_printf(b, "\n");
}

/* fs/proc/array.c proc_pid_status(), this host kernel's lines. */
int proc_show_status(struct proc_ctx *c, struct sbuf *b)
{
	struct thread_group *g = c->g;
	struct task *t = proc_task(g);
	const struct cred *cr = &g->attrs.cred;
	const struct task_attrs *ta = t ? task_attrs(t) : NULL;
	int maxfd = 0;
	for (int fd = 0; t && t->files && fd < FDTABLE_MAX; fd++)
		if (t->files->fds[fd])
			maxfd = fd + 1;
	int fdsize = 64;
	while (fdsize < maxfd)
		fdsize *= 2;
	int rc = sbuf_printf(b,
			     "Name:\t%s\nUmask:\t%04o\nState:\t%s\nTgid:\t%d\nNgid:\t0\nPid:\t%d\nPPid:\t%d\n"
			     "TracerPid:\t0\nUid:\t%u\t%u\t%u\t%u\nGid:\t%u\t%u\t%u\t%u\nFDSize:\t%d\nGroups:\t",
			     ta ? ta->comm : "", t ? t->fs->umask : 0, state_text(task_state(c, g)), g->pid,
			     g->pid, g->parent ? g->parent->pid : 0, cr->uid, cr->euid, cr->suid, cr->fsuid,
			     cr->gid, cr->egid, cr->sgid, cr->fsgid, fdsize);
	for (int i = 0; rc == 0 && cr->group_info && i < cr->group_info->ngroups; i++)
		rc = sbuf_printf(b, "%s%u", i ? " " : "", cr->group_info->gid[i]);
	if (rc == 0)
		rc = sbuf_printf(b, " \nNStgid:\t%d\nNSpid:\t%d\nNSpgid:\t%d\nNSsid:\t%d\nKthread:\t0\n", g->pid,
				 g->pid, g->pgid, g->sid);
	struct mm_counts n = mm_counts(t ? t->mm : NULL);
	const char *names[] = { "VmPeak", "VmSize", "VmLck", "VmPin", "VmHWM", "VmRSS", "RssAnon",
				"RssFile", "RssShmem", "VmData", "VmStk", "VmExe", "VmLib", "VmPTE",
				"VmSwap", "HugetlbPages" };
	uint64_t anon = n.rss > n.rss_file ? n.rss - n.rss_file : 0;
	uint64_t vals[] = { n.total, n.total, 0, 0, n.rss, n.rss, anon, n.rss_file, 0, n.data, n.stack, n.text,
			    0, 0, 0, 0 };
	for (size_t i = 0; rc == 0 && t && t->mm && i < sizeof vals / sizeof vals[0]; i++)
		rc = put_kb(b, names[i], vals[i]);
	uint64_t ign, cgt;
	sig_sets(t, &ign, &cgt);
	uint64_t caps = cred_capable(cr) ? g->attrs.cap_bset : 0;
	unsigned queued = t ? (unsigned)(t->sig.pending.queued + g->shared_pending.queued) : 0;
	if (rc == 0)
		rc = sbuf_printf(b,
				 "CoreDumping:\t0\nTHP_enabled:\t1\nuntag_mask:\t0xffffffffffffffff\nThreads:\t%d\n"
				 "SigQ:\t%u/%llu\nSigPnd:\t%016llx\nShdPnd:\t%016llx\nSigBlk:\t%016llx\n"
				 "SigIgn:\t%016llx\nSigCgt:\t%016llx\nCapInh:\t0000000000000000\n"
				 "CapPrm:\t%016llx\nCapEff:\t%016llx\nCapBnd:\t%016llx\nCapAmb:\t0000000000000000\n"
				 "NoNewPrivs:\t%d\nSeccomp:\t0\nSeccomp_filters:\t0\n"
				 "Speculation_Store_Bypass:\tvulnerable\nSpeculationIndirectBranch:\talways enabled\n",
				 g->nthreads, queued,
				 (unsigned long long)g->rlimits[LINUX_RLIMIT_SIGPENDING].rlim_cur,
				 (unsigned long long)(t ? t->sig.pending.set : 0),
				 (unsigned long long)g->shared_pending.set,
				 (unsigned long long)(t ? t->sig.blocked : 0), (unsigned long long)ign,
				 (unsigned long long)cgt, (unsigned long long)caps, (unsigned long long)caps,
				 (unsigned long long)g->attrs.cap_bset, g->attrs.no_new_privs);
	uint64_t cpus[ATTRS_CPU_WORDS] = { 0 };
	if (ta)
		task_attrs_cpus(ta, cpus);
	if (rc == 0)
		rc = put_cpus(b, cpus);
	if (rc == 0)
		rc = sbuf_printf(b, "Mems_allowed:\t");
	for (int i = 0; rc == 0 && i < 32; i++)
		rc = sbuf_printf(b, "%s%08x", i ? "," : "", i == 31 ? 1 : 0);
	if (rc == 0)
		rc = sbuf_printf(b, "\nMems_allowed_list:\t0\nvoluntary_ctxt_switches:\t0\n"
				    "nonvoluntary_ctxt_switches:\t0\n");
	return rc;
}

/* fs/proc/task_mmu.c show_map_vma(): the header padded to this width
 * before the name. */
#define MAPS_NAME_COLUMN (25 + 6 * 8 - 1)

static int map_line(struct sbuf *b, uint64_t start, uint64_t end, int prot, bool shared, uint64_t off,
		    uint64_t dev, uint64_t ino, const char *name)
{
	size_t at = b->len;
	int rc = sbuf_printf(b, "%08llx-%08llx %c%c%c%c %08llx %02x:%02x %llu ", (unsigned long long)start,
			     (unsigned long long)end, prot & LINUX_PROT_READ ? 'r' : '-',
			     prot & LINUX_PROT_WRITE ? 'w' : '-', prot & LINUX_PROT_EXEC ? 'x' : '-',
			     shared ? 's' : 'p', (unsigned long long)off, major(dev), minor(dev),
			     (unsigned long long)ino);
	if (rc == 0 && name) {
		size_t w = b->len - at;
		rc = sbuf_printf(b, "%*s%s", (int)(w < MAPS_NAME_COLUMN ? MAPS_NAME_COLUMN - w + 1 : 1), "",
				 name);
	}
	return rc ? rc : sbuf_put(b, "\n", 1);
}

int proc_show_maps(struct proc_ctx *c, struct sbuf *b)
{
	struct task *t = proc_task(c->g);
	struct mm *mm = t ? t->mm : NULL;
	int rc = 0;
	if (mm)
		mm_lock(mm);
	for (size_t i = 0; mm && rc == 0 && i < mm->nvmas; i++) {
		const struct vma *v = &mm->vmas[i];
		bool shared = (v->flags & LINUX_MAP_TYPE) == LINUX_MAP_SHARED;
		const char *name = NULL;
		uint64_t dev = 0, ino = 0, off = 0;
		if (v->name) {
			name = v->name->path;
			dev = v->name->dev;
			ino = v->name->ino;
			off = v->offset;
		} else if (v->host_fd >= 0) {
			off = v->offset;
		} else if (shared) {
			name = "/dev/zero (deleted)"; /* shmem behind shared anonymous memory */
			dev = makedev(0, 1);
		} else if (v->start <= mm->brk && v->end >= mm->start_brk) {
			name = "[heap]";
		} else if (v->start <= mm->start_stack && v->end >= mm->start_stack) {
			name = "[stack]";
		}
		rc = map_line(b, v->start, v->end, v->prot, shared, off, dev, ino, name);
	}
	if (mm)
		mm_unlock(mm);
	/* The host's vsyscall page is there in the guest too. */
	if (rc == 0 && mm)
		rc = map_line(b, 0xffffffffff600000ULL, 0xffffffffff601000ULL, LINUX_PROT_EXEC, false, 0, 0, 0,
			      "[vsyscall]");
	return rc;
}
