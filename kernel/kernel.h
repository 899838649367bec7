/* The user-space kernel's core objects: the sandbox-wide state and tasks. */
#ifndef CVISOR_KERNEL_H
#define CVISOR_KERNEL_H

#include <stdbool.h>
#include <stdint.h>
#include <pthread.h>
#include <stdio.h>

#include "../abi/linux.h"
#include "../platform/platform.h"

struct mm;
struct fdtable;

/* Sandbox-wide state: one sandbox per cvisor process. */
struct kernel {
	struct platform *platform;
	int root_fd;           /* the guest root, a host directory */
	FILE *strace;          /* --strace output, or NULL */
	const char *hostname;
	struct linux_utsname uts;
};
extern struct kernel kernel;

/* Bytes moved per host call when a guest buffer goes through cvisor. */
#define TASK_SCRATCH_SIZE (64 * 1024)

struct task {
	int tid, pid;           /* guest ids, never host ones */
	pthread_t thread;       /* the host thread running it */
	_Atomic uint64_t pending; /* signals posted to it, bit N-1 for signal N */
	struct mm *mm;
	struct fdtable *files;
	struct context *ctx;
	guest_regs regs;
	char *exe_path;         /* guest path of the running image */
	uint64_t clear_child_tid, robust_list;
	struct linux_rlimit rlimits[LINUX_RLIM_NLIMITS];
	bool exiting;
	int exit_status;        /* wait status: code << 8, or the signal */
	char *scratch;          /* TASK_SCRATCH_SIZE bytes */
};

/* Syscall argument i of the current call. */
#define SYSCALL_ARGS const uint64_t a[6]

#endif
