/* Stub processes as address spaces: injected syscalls, guest memory I/O. */
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <signal.h>
#include <stddef.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ptrace_internal.h"

/* Wait for a stop of one traced thread. 0 when stopped, -ESRCH when it is
 * gone. Always __WALL|__WNOTHREAD: waitpid is thread-group wide otherwise
 * and one tracer thread would reap another's tracee. */
int wait_stopped(pid_t tid, int *status)
{
	for (;;) {
		pid_t r = waitpid(tid, status, __WALL | __WNOTHREAD);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 || !WIFSTOPPED(*status))
			return -ESRCH;
		return 0;
	}
}

/* Run one host syscall inside the stub: registers at the stub's
 * `syscall; int3`, continue to the trap, read rax. Signal stops met on the way
 * are suppressed; an interrupt among them is remembered for the next switch. */
static long stub_run(struct stub_thread *t, const guest_regs *regs)
{
	/* The guest's registers the kernel was not given live only in the
	 * host thread: keep them before the injection overwrites them. */
	if (t->partial && !t->saved) {
		if (ptrace(PTRACE_GETREGS, t->tid, 0L, &t->regs) < 0)
			return -ESRCH;
		t->saved = true;
	}
	t->regs_valid = false;
	if (ptrace(PTRACE_SETREGS, t->tid, 0L, regs) < 0)
		return -ESRCH;
	int sig = 0;
	for (;;) {
		if (ptrace(PTRACE_CONT, t->tid, 0L, (long)sig) < 0)
			return -ESRCH;
		int status;
		if (wait_stopped(t->tid, &status) < 0)
			return -ESRCH;
		sig = 0;
		if (status >> 16)
			continue; /* a ptrace event stop (group stop or interrupt) */
		if (WSTOPSIG(status) == SIGTRAP)
			break;
		if (WSTOPSIG(status) == INTERRUPT_SIGNAL)
			t->interrupted = true;
	}
	errno = 0;
	long rax = ptrace(PTRACE_PEEKUSER, t->tid, (long)offsetof(guest_regs, rax), 0L);
	if (rax == -1 && errno)
		return -ESRCH;
	return rax;
}

static guest_regs syscall_regs(const guest_regs *base, uint64_t entry, long nr, uint64_t a0,
			       uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	guest_regs regs = *base;
	regs.rip = entry;
	regs.rax = (uint64_t)nr;
	regs.orig_rax = (uint64_t)-1;
	regs.rdi = a0;
	regs.rsi = a1;
	regs.rdx = a2;
	regs.r10 = a3;
	regs.r8 = a4;
	regs.r9 = a5;
	return regs;
}

long stub_inject(struct stub_thread *t, const guest_regs *base, uint64_t entry,
		 long nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
		 uint64_t a4, uint64_t a5)
{
	guest_regs regs = syscall_regs(base, entry, nr, a0, a1, a2, a3, a4, a5);
	return stub_run(t, &regs);
}

/* A new address space: t (a thread of parent's stub that this host thread
 * traces) forks, and the host copies the memory copy-on-write. The child's
 * one thread, its leader, parks as the new space's spare: the host thread
 * that runs it first seizes it, so no other thread is involved. */
struct address_space *fork_stub(struct stub_thread *t, struct address_space *parent)
{
	static pid_t cvisor_pid;
	if (!cvisor_pid)
		cvisor_pid = getpid();
	struct address_space *as = calloc(1, sizeof *as);
	if (!as)
		return NULL;
	guest_regs regs = syscall_regs(&parent->init_regs, STUB_ENTRY(stub_fork), SYS_clone,
				       STUB_FORK_CLONE_FLAGS, 0, 0, 0, 0, 0);
	regs.r12 = (uint64_t)cvisor_pid; /* what the child's getppid must say */
	long pid = stub_run(t, &regs);
	if (pid <= 0) {
		free(as);
		errno = pid < 0 ? (int)-pid : ECHILD;
		return NULL;
	}
	as->pid = (pid_t)pid;
	as->refs = 1;
	as->mem_fd = -1;
	pthread_mutex_init(&as->lock, NULL);
	as->leader_parked = true;
	as->leader_cpu = -1;
	as_add_spare(as, as->pid); /* or it stays parked, and is reaped at release */
	as->init_regs = parent->init_regs;
	return as;
}

struct address_space *as_fork(struct address_space *parent)
{
	struct stub_thread *t = stub_thread_current(parent);
	if (!t) {
		errno = ESRCH;
		return NULL;
	}
	struct address_space *as = fork_stub(t, parent);
	if (as)
		as->leader_cpu = t->cpu; /* a fork keeps its parent's affinity */
	return as;
}

/* (as->lock held) */
bool as_add_spare(struct address_space *as, pid_t tid)
{
	if (as->nspares == as->cap) {
		int cap = as->cap ? as->cap * 2 : 4;
		pid_t *s = realloc(as->spares, (size_t)cap * sizeof *s);
		if (!s)
			return false;
		as->spares = s;
		as->cap = cap;
	}
	as->spares[as->nspares++] = tid;
	return true;
}

pid_t as_take_spare(struct address_space *as)
{
	pthread_mutex_lock(&as->lock);
	pid_t tid = 0;
	if (as->nspares > 0) {
		tid = as->spares[--as->nspares];
		if (as->promised > 0)
			as->promised--;
		if (tid == as->pid)
			as->leader_parked = false;
	}
	pthread_mutex_unlock(&as->lock);
	return tid;
}

/* Another host thread is about to run in as (a CLONE_VM child): promise it
 * a spare stub thread, cloned now by this thread's own if none is left
 * over (only the tracer of a stub thread can make it clone). */
long as_prepare_thread(struct address_space *as)
{
	pthread_mutex_lock(&as->lock);
	bool have = as->nspares > as->promised;
	if (have)
		as->promised++;
	pthread_mutex_unlock(&as->lock);
	if (have)
		return 0;
	struct stub_thread *t = stub_thread_current(as);
	if (!t)
		return -ESRCH;
	long tid = stub_inject(t, &as->init_regs, STUB_ENTRY(stub_clone), SYS_clone,
			       STUB_THREAD_CLONE_FLAGS, 0, 0, 0, 0, 0);
	if (tid <= 0)
		return tid < 0 ? tid : -EAGAIN;
	pthread_mutex_lock(&as->lock);
	bool kept = as_add_spare(as, (pid_t)tid);
	if (kept)
		as->promised++;
	pthread_mutex_unlock(&as->lock);
	return kept ? 0 : -ENOMEM; /* (a parked thread lost until the space dies) */
}

void as_put(struct address_space *as)
{
	if (atomic_fetch_sub(&as->refs, 1) != 1)
		return;
	if (as->mem_fd >= 0)
		close(as->mem_fd);
	free(as->spares);
	pthread_mutex_destroy(&as->lock);
	free(as);
}

static long inject(struct address_space *as, long nr, uint64_t a0, uint64_t a1,
		   uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	struct stub_thread *t = stub_thread_current(as);
	if (!t)
		return -ESRCH;
	return stub_inject(t, &as->init_regs, STUB_ENTRY(stub_syscall), nr, a0, a1, a2, a3, a4, a5);
}

long as_map(struct address_space *as, uint64_t addr, uint64_t len, int prot,
		   int flags, int host_fd, uint64_t offset)
{
	flags = (flags & ~MAP_FIXED_NOREPLACE) | MAP_FIXED;
	if (host_fd < 0)
		flags |= MAP_ANONYMOUS;
	long r = inject(as, SYS_mmap, addr, len, (uint64_t)prot, (uint64_t)flags,
			(uint64_t)(long)host_fd, offset);
	if (r >= 0 && (uint64_t)r != addr)
		return -ENOMEM;
	return r < 0 ? r : 0;
}

long as_unmap(struct address_space *as, uint64_t addr, uint64_t len)
{
	return inject(as, SYS_munmap, addr, len, 0, 0, 0, 0);
}

long as_protect(struct address_space *as, uint64_t addr, uint64_t len, int prot)
{
	return inject(as, SYS_mprotect, addr, len, (uint64_t)prot, 0, 0, 0);
}

long as_remap(struct address_space *as, uint64_t old_addr, uint64_t old_len,
	      uint64_t new_len, uint64_t new_addr, bool keep_old)
{
	long r = new_addr == old_addr
		 ? inject(as, SYS_mremap, old_addr, old_len, new_len, 0, 0, 0)
		 : inject(as, SYS_mremap, old_addr, old_len, new_len,
			  MREMAP_MAYMOVE | MREMAP_FIXED | (keep_old ? MREMAP_DONTUNMAP : 0), new_addr, 0);
	return r < 0 ? r : 0;
}

/* The stub's own statm: resident and shared (file-backed) pages; the one
 * stub code page is cvisor's, not the guest's. */
void as_resident(struct address_space *as, uint64_t *pages, uint64_t *file_pages)
{
	*pages = *file_pages = 0;
	char name[64];
	snprintf(name, sizeof name, "/proc/%d/statm", (int)as->pid);
	int fd = open(name, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	char buf[128];
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	unsigned long long size, rss, shared;
	if (n <= 0)
		return;
	buf[n] = 0;
	if (sscanf(buf, "%llu %llu %llu", &size, &rss, &shared) != 3)
		return;
	*pages = rss > 1 ? rss - 1 : 0;
	*file_pages = shared > 1 ? shared - 1 : 0;
}

long as_advise(struct address_space *as, uint64_t addr, uint64_t len, int advice)
{
	return inject(as, SYS_madvise, addr, len, (uint64_t)advice, 0, 0, 0);
}

long as_mincore(struct address_space *as, uint64_t addr, uint64_t len, uint64_t vec)
{
	return inject(as, SYS_mincore, addr, len, vec, 0, 0, 0);
}

/* process_vm_readv/writev fail a range as a whole when part of it is
 * inaccessible; find the accessible prefix page by page, as Linux copies. */
static long vm_io(struct address_space *as, uint64_t addr, void *buf, size_t len, bool write)
{
	size_t done = 0;
	while (done < len) {
		size_t page_left = 4096 - ((addr + done) & 4095);
		size_t chunk = len - done < page_left ? len - done : page_left;
		struct iovec local = { (char *)buf + done, chunk };
		struct iovec remote = { (void *)(uintptr_t)(addr + done), chunk };
		ssize_t n = write ? process_vm_writev(as->pid, &local, 1, &remote, 1, 0)
				  : process_vm_readv(as->pid, &local, 1, &remote, 1, 0);
		if (n <= 0)
			break;
		done += (size_t)n;
	}
	return done ? (long)done : -EFAULT;
}

long as_read(struct address_space *as, uint64_t addr, void *buf, size_t len)
{
	if (len == 0)
		return 0;
	/* The common case in one call. */
	struct iovec local = { buf, len }, remote = { (void *)(uintptr_t)addr, len };
	ssize_t n = process_vm_readv(as->pid, &local, 1, &remote, 1, 0);
	if (n == (ssize_t)len)
		return n;
	return vm_io(as, addr, buf, len, false);
}

long as_write(struct address_space *as, uint64_t addr, const void *buf, size_t len)
{
	if (len == 0)
		return 0;
	struct iovec local = { (void *)buf, len }, remote = { (void *)(uintptr_t)addr, len };
	ssize_t n = process_vm_writev(as->pid, &local, 1, &remote, 1, 0);
	if (n == (ssize_t)len)
		return n;
	return vm_io(as, addr, (void *)buf, len, true);
}

long as_poke(struct address_space *as, uint64_t addr, const void *buf, size_t len)
{
	int fd = atomic_load(&as->mem_fd);
	if (fd < 0) {
		char path[64];
		snprintf(path, sizeof path, "/proc/%d/mem", as->pid);
		int mine = open(path, O_RDWR | O_CLOEXEC);
		if (mine < 0)
			return -EFAULT;
		if (atomic_compare_exchange_strong(&as->mem_fd, &fd, mine))
			fd = mine;
		else
			close(mine); /* another thread opened it meanwhile */
	}
	ssize_t n = pwrite(fd, buf, len, (off_t)addr);
	return n < 0 ? -EFAULT : n;
}

/* The stub process's own CPU clock (include/linux/posix-timers.h
 * MAKE_PROCESS_CPUCLOCK(pid, CPUCLOCK_SCHED)): it runs guest code only. */
clockid_t as_cpu_clock(struct address_space *as)
{
	return (clockid_t)((~(unsigned int)as->pid << 3) | 2);
}

void as_release(struct address_space *as)
{
	/* Under the lock: no thread parks a stub thread here from now on. */
	pthread_mutex_lock(&as->lock);
	atomic_store(&as->dead, true);
	int ours = stub_thread_let_go(as);
	bool parked = as->leader_parked || ours == 1;
	as->nspares = 0;
	pthread_mutex_unlock(&as->lock);
	kill(as->pid, SIGKILL);
	/* Other tracers reap their own stub threads; if ours could not be let
	 * go, we reap it, and the leader with it if it is ours (its tracer is
	 * in its parent's thread group: the tracer's wait reaps it for good).
	 * A leader untraced or let go traced by us is reaped by the spawner,
	 * its parent. */
	if (ours < 0)
		stub_thread_forget(as);
	if (parked)
		spawner_reap_later(as->pid);
	as_put(as);
}
