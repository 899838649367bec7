/* The platform: what the kernel needs from below to run guest code.
 * An address space is a guest memory map; a context is what one task needs to
 * run guest code in an address space. The kernel never calls ptrace itself:
 * everything platform-specific sits behind this interface (see DESIGN.md). */
#ifndef CVISOR_PLATFORM_H
#define CVISOR_PLATFORM_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/user.h>
#include <time.h>

struct address_space;
struct context;

/* The legacy vsyscall page (gettimeofday, time, getcpu entries). */
#define VSYSCALL_PAGE 0xffffffffff600000ULL

/* Guest registers, in the layout of Linux's struct user_regs_struct. */
typedef struct user_regs_struct guest_regs;

enum switch_result {
	SWITCH_SYSCALL,     /* the guest made a system call: regs hold it
			     * (only it: see complete_regs) */
	SWITCH_SYSCALL_I386, /* an i386 one (int 0x80, sysenter, 32-bit code):
			      * regs hold it in that ABI; rax is the result */
	SWITCH_VSYSCALL,    /* a call into the legacy vsyscall page: info is
			     * the SIGSYS (si_syscall, si_call_addr), regs are
			     * after the host emulated the return */
	SWITCH_FAULT,       /* a synchronous fault or signal: info holds it */
	SWITCH_INTERRUPTED, /* interrupt() was called */
	SWITCH_DEAD,        /* the address space is gone (killed from outside) */
};

struct platform {
	const char *name;
	uint64_t map_unit;         /* granularity of map operations */
	uint64_t max_user_address; /* first address the guest may not use */
	bool supports_address_space_io;
	bool cooperatively_schedules_address_space;

	/* Host syscalls the platform itself needs once the kernel sandboxes
	 * itself: a -1-terminated list of syscall numbers, allowed whatever
	 * their arguments. The kernel loads its filter right after creating the
	 * platform, so whatever needs more (cloning cvisor) happens at creation. */
	const int *syscall_filters;

	/* A fresh, empty address space; NULL with errno set on failure. */
	struct address_space *(*new_address_space)(struct platform *p);
	/* The host thread host_tid, about to be woken by the caller's, will
	 * soon make a context: pin it to the CPU fewest contexts share, another
	 * than the caller's when as light, so both run at once. False when it
	 * was not placed (one CPU). */
	bool (*place_thread)(pid_t host_tid);
	/* A context for one task; used only from the host thread that made it. */
	struct context *(*new_context)(struct platform *p);
	void (*release_context)(struct context *c);
	/* c will not run in as again (its task exec'd); as lives on. */
	void (*leave)(struct context *c, struct address_space *as);

	/* Address-space operations, each -errno on failure. Addresses are
	 * exact: the kernel owns the layout, so map is always fixed. host_fd < 0
	 * means anonymous memory. */
	long (*map)(struct address_space *as, uint64_t addr, uint64_t len, int prot,
		    int flags, int host_fd, uint64_t offset);
	long (*unmap)(struct address_space *as, uint64_t addr, uint64_t len);
	long (*protect)(struct address_space *as, uint64_t addr, uint64_t len, int prot);
	/* Move [old_addr, +old_len) to [new_addr, +new_len) (new_addr may
	 * equal old_addr: grow or shrink in place); keep_old leaves the old
	 * range mapped, empty (MREMAP_DONTUNMAP). */
	long (*remap)(struct address_space *as, uint64_t old_addr, uint64_t old_len,
		      uint64_t new_len, uint64_t new_addr, bool keep_old);
	long (*advise)(struct address_space *as, uint64_t addr, uint64_t len, int advice);
	/* Pages of the address space the host has resident (the guest's RSS),
	 * and of those the ones backed by files; 0 when unknown. */
	void (*resident)(struct address_space *as, uint64_t *pages, uint64_t *file_pages);
	/* Page residency of [addr, +len) into the guest's own buffer at vec. */
	long (*mincore)(struct address_space *as, uint64_t addr, uint64_t len, uint64_t vec);
	/* Guest memory I/O honouring page protection: bytes moved (short at the
	 * first inaccessible page) or -EFAULT when none could be. */
	long (*read)(struct address_space *as, uint64_t addr, void *buf, size_t len);
	long (*write)(struct address_space *as, uint64_t addr, const void *buf, size_t len);
	/* Like write, but ignoring protection (the loader fills read-only pages). */
	long (*poke)(struct address_space *as, uint64_t addr, const void *buf, size_t len);
	/* A copy-on-write copy of as (fork), by the host thread running in as;
	 * NULL with errno set on failure. */
	struct address_space *(*fork)(struct address_space *as);
	/* Another host thread will run in as (a CLONE_VM child): called by the
	 * creating thread, running in as, before the new one starts. */
	long (*prepare_thread)(struct address_space *as);
	/* A host clock id measuring the CPU time of the guest code running in
	 * as (for the guest's CPU-time clocks). */
	clockid_t (*cpu_clock)(struct address_space *as);
	/* Drop the address space; its memory is gone. */
	void (*release)(struct address_space *as);

	/* Run guest code with regs until it makes a syscall, faults or is
	 * interrupted. regs is updated in place; info is filled on SWITCH_FAULT. */
	enum switch_result (*switch_to)(struct context *c, struct address_space *as,
					guest_regs *regs, siginfo_t *info);
	/* After SWITCH_SYSCALL regs hold only the call: orig_rax, rax, the
	 * six argument registers, rip and rsp. This fills in the rest, keeping
	 * those as regs has them; needed before any other field is read or
	 * written. 0 or -errno. */
	long (*complete_regs)(struct context *c, struct address_space *as, guest_regs *regs);
	/* The guest's FP/vector state in XSAVE layout (as Linux puts it in a
	 * signal frame), for the task running on c in as: the size read, or
	 * -errno. set writes one back (rt_sigreturn). */
	long (*get_fpstate)(struct context *c, struct address_space *as, void *buf, size_t len);
	long (*set_fpstate)(struct context *c, struct address_space *as, const void *buf, size_t len);
	/* Make a running or future switch_to on c return SWITCH_INTERRUPTED
	 * promptly; callable from any thread. */
	void (*interrupt)(struct context *c);
	/* The task on c is about to wait for another task through a host
	 * object (a pipe, a socket): move c, from its own host thread, to a
	 * CPU fewer contexts share, if one has room, so the two can run at
	 * once. True when the other may run on another CPU meanwhile, so a
	 * brief spin can see it answer without a sleep and a cross-CPU
	 * wake-up. */
	bool (*spread)(struct context *c);
};

/* The ptrace platform (platform/ptrace/). NULL with a message on failure. */
struct platform *ptrace_platform_create(void);

#endif
