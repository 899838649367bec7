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

/* How a stub is forked (see subprocess.c stub_fork): no CLONE_PTRACE, the
 * child parks untraced until the host thread that will run it seizes it;
 * CLONE_PARENT keeps every stub a child of the spawner thread, whose death
 * (cvisor's) its PDEATHSIG follows. */
#define STUB_FORK_CLONE_FLAGS (CLONE_FILES | CLONE_PARENT)

/* The signal interrupt() sends to a running stub thread; always suppressed.
 * Stubs ignore it: a traced thread still stops for it (the host reports
 * even ignored signals to a tracer), a parked untraced one drops it. */
#define INTERRUPT_SIGNAL SIGUSR2

/* Parked stub threads an address space keeps for later host threads (more
 * when promised to threads about to start). */
#define MAX_PARKED 16

/* A stub process: one guest address space. Stub threads are traced by the
 * host threads that run guest code in it, or parked untraced in pause()
 * as spares; the leader never exits before the process (its pid names the
 * process for memory I/O), so it is parked when its tracer leaves. */
struct address_space {
	pid_t pid;       /* the stub's thread-group leader */
	_Atomic int refs; /* the kernel's (until as_release), one per binding */
	_Atomic bool dead; /* released: killed, threads being reaped */
	_Atomic int mem_fd; /* /proc/PID/mem, for writes that ignore protection;
			     * opened on first use (-1 before) */
	pthread_mutex_t lock; /* the spares */
	pid_t *spares;   /* parked untraced stub threads, to be seized */
	int nspares, cap;
	int promised;    /* spares owed to host threads not yet started */
	bool leader_parked; /* the leader is untraced (among the spares or not) */
	bool deathsig;   /* the leader is known to have set its PDEATHSIG */
	int leader_cpu;  /* the one CPU the leader inherited, -1: unknown */
	guest_regs init_regs; /* registers injections start from */
};

/* A stub thread traced by one host thread, running in one address space
 * (a reference to it is held while bound). */
struct stub_thread {
	pid_t pid, tid;
	struct address_space *as;
	int cpu;          /* the CPU it is pinned to, -1 if none yet */
	bool regs_valid;  /* regs holds what the host thread currently has */
	bool interrupted; /* an interrupt stop was met (and suppressed) meanwhile */
	/* At a syscall stop the kernel is given only the call (see
	 * call_fields): the other registers stay in the host thread, or in
	 * regs once saved there (before an injection clobbers them). */
	bool partial, saved;
	guest_regs regs;
	guest_regs call; /* the call's fields as the kernel was given them */
};

struct context {
	pthread_mutex_t lock;
	pid_t bound_pid, bound_tid; /* the stub thread now running guest code */
	bool interrupt_pending;
	int cpu; /* this context's host thread and stub threads run here; -1 free */
};

int stub_filter_build(struct sock_fprog *out);

/* spawner.c: the long-lived host thread that clones the master stub (the
 * stubs' PDEATHSIG follows it), forks new empty address spaces from it and
 * reaps the leaders nobody traces. spawner_start returns once the master
 * stub exists (0) or could not be made (-errno). */
int spawner_start(const struct sock_fprog *filter);
struct address_space *spawner_new_address_space(void);
void spawner_reap_later(pid_t pid);

/* subprocess.c */
struct address_space *fork_stub(struct stub_thread *t, struct address_space *parent);
struct address_space *as_fork(struct address_space *parent);
long as_prepare_thread(struct address_space *as);
pid_t as_take_spare(struct address_space *as);
bool as_add_spare(struct address_space *as, pid_t tid);
void as_put(struct address_space *as);
long stub_inject(struct stub_thread *t, const guest_regs *base, uint64_t entry,
		 long nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
		 uint64_t a4, uint64_t a5);
int wait_stopped(pid_t tid, int *status);
long as_map(struct address_space *as, uint64_t addr, uint64_t len, int prot,
	    int flags, int host_fd, uint64_t offset);
long as_unmap(struct address_space *as, uint64_t addr, uint64_t len);
long as_protect(struct address_space *as, uint64_t addr, uint64_t len, int prot);
long as_remap(struct address_space *as, uint64_t old_addr, uint64_t old_len,
	      uint64_t new_len, uint64_t new_addr, bool keep_old);
long as_advise(struct address_space *as, uint64_t addr, uint64_t len, int advice);
long as_mincore(struct address_space *as, uint64_t addr, uint64_t len, uint64_t vec);
void as_resident(struct address_space *as, uint64_t *pages, uint64_t *file_pages);
long as_read(struct address_space *as, uint64_t addr, void *buf, size_t len);
long as_write(struct address_space *as, uint64_t addr, const void *buf, size_t len);
long as_poke(struct address_space *as, uint64_t addr, const void *buf, size_t len);
clockid_t as_cpu_clock(struct address_space *as);
void as_release(struct address_space *as);

/* context.c */
struct stub_thread *stub_thread_current(struct address_space *as);
/* cpu_place.c */
void cpu_place_init(void);
int cpu_pin(pid_t tid, int cpu);
int cpu_place_new(void);
bool cpu_place_thread(pid_t host_tid);
void cpu_place_drop(int cpu);
bool context_spread(struct context *c);

bool stub_thread_forget(struct address_space *as);
int stub_thread_let_go(struct address_space *as);
struct context *context_new(struct platform *p);
void context_release(struct context *c);
void context_leave(struct context *c, struct address_space *as);
enum switch_result context_switch(struct context *c, struct address_space *as,
				  guest_regs *regs, siginfo_t *info);
void context_interrupt(struct context *c);
long context_get_fpstate(struct context *c, struct address_space *as, void *buf, size_t len);
long context_complete_regs(struct context *c, struct address_space *as, guest_regs *regs);
long context_set_fpstate(struct context *c, struct address_space *as, const void *buf, size_t len);

#endif
