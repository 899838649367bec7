/* The ptrace platform's own parts: stub processes (subprocess.c), the host
 * thread that creates them (spawner.c), traced stub threads and contexts
 * (context.c). */
#ifndef CVISOR_PTRACE_INTERNAL_H
#define CVISOR_PTRACE_INTERNAL_H

#include <linux/filter.h>
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "../platform.h"
#include "stub.h"

/* How the kernel clones a new thread inside a stub (no CLONE_PTRACE: the
 * tracer thread that will run it seizes it). */
#define STUB_THREAD_CLONE_FLAGS \
	(CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM)

/* How the spawner forks a stub (see spawner.c fork_stub). */
#define STUB_FORK_CLONE_FLAGS (CLONE_FILES | CLONE_PARENT | CLONE_PTRACE | SIGCHLD)

/* The signal interrupt() sends to a running stub thread; always suppressed. */
#define INTERRUPT_SIGNAL SIGUSR2

/* A stub process: one guest address space. */
struct address_space {
	pid_t pid;       /* the stub's thread-group leader, traced by the spawner */
	uint64_t id;     /* never reused, so stale per-thread bindings never match */
	_Atomic int mem_fd; /* /proc/PID/mem, for writes that ignore protection;
			     * opened on first use (-1 before) */
	_Atomic pid_t spare_tid; /* a parked stub thread made with the address
				  * space, for the first host thread to seize */
	guest_regs init_regs; /* the leader's registers at its first stop */
};

/* A stub thread traced by one host thread, running in one address space. */
struct stub_thread {
	pid_t pid, tid;
	uint64_t as_id;
	int cpu;          /* the CPU it is pinned to, -1 if none yet */
	bool regs_valid;  /* regs holds what the host thread currently has */
	bool interrupted; /* an interrupt stop was met (and suppressed) meanwhile */
	guest_regs regs;
};

struct context {
	pthread_mutex_t lock;
	pid_t bound_pid, bound_tid; /* the stub thread now running guest code */
	bool interrupt_pending;
	int cpu; /* this context's host thread and stub threads run here; -1 free */
};

int stub_filter_build(struct sock_fprog *out);

/* spawner.c: the long-lived host thread that creates stub processes (the
 * stubs' PDEATHSIG follows it) and new threads inside them. spawner_start
 * returns once the master stub exists (0) or could not be made (-errno). */
int spawner_start(const struct sock_fprog *filter);
struct address_space *spawner_new_address_space(void);
pid_t spawner_new_thread(struct address_space *as);
struct address_space *spawner_fork(struct address_space *as);
void spawner_kick(void);

/* subprocess.c */
long stub_inject(struct stub_thread *t, const guest_regs *base, uint64_t entry,
		 long nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
		 uint64_t a4, uint64_t a5);
int wait_stopped(pid_t tid, int *status);
long as_map(struct address_space *as, uint64_t addr, uint64_t len, int prot,
	    int flags, int host_fd, uint64_t offset);
long as_unmap(struct address_space *as, uint64_t addr, uint64_t len);
long as_protect(struct address_space *as, uint64_t addr, uint64_t len, int prot);
long as_remap(struct address_space *as, uint64_t old_addr, uint64_t old_len,
	      uint64_t new_len, uint64_t new_addr);
long as_advise(struct address_space *as, uint64_t addr, uint64_t len, int advice);
long as_mincore(struct address_space *as, uint64_t addr, uint64_t len, uint64_t vec);
long as_read(struct address_space *as, uint64_t addr, void *buf, size_t len);
long as_write(struct address_space *as, uint64_t addr, const void *buf, size_t len);
long as_poke(struct address_space *as, uint64_t addr, const void *buf, size_t len);
clockid_t as_cpu_clock(struct address_space *as);
void as_release(struct address_space *as);

/* context.c */
struct stub_thread *stub_thread_current(struct address_space *as);
void stub_thread_forget(struct address_space *as);
void contexts_init(void);
struct context *context_new(struct platform *p);
void context_release(struct context *c);
void context_leave(struct context *c, struct address_space *as);
enum switch_result context_switch(struct context *c, struct address_space *as,
				  guest_regs *regs, siginfo_t *info);
void context_interrupt(struct context *c);
long context_get_fpstate(struct context *c, struct address_space *as, void *buf, size_t len);
long context_set_fpstate(struct context *c, struct address_space *as, const void *buf, size_t len);

#endif
