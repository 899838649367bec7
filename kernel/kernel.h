/* The user-space kernel's core objects: the sandbox-wide state and tasks. */
#ifndef CVISOR_KERNEL_H
#define CVISOR_KERNEL_H

#include <stdbool.h>
#include <stdint.h>
#include <pthread.h>
#include <stdio.h>
#include <time.h>

#include "../abi/linux.h"
#include "../platform/platform.h"
#include "signal_state.h"
#include "attrs.h"
#include "vfs.h"

struct mm;
struct fdtable;
struct task;
struct thread_group;

/* Sandbox-wide state: one sandbox per cvisor process. */
struct kernel {
	struct platform *platform;
	int root_fd;           /* the guest root, a host directory */
	FILE *strace;          /* --strace output, or NULL */
	bool strace_time;      /* --strace-time: lines start with the time */
	FILE *stats;           /* --stats output, or NULL */
	int stats_format;      /* enum stats_format */
	const char *hostname;
	const char *init_cwd;  /* guest init's working directory (a guest path) */
	struct linux_utsname uts;

	/* The process tree (process.h): one lock, one wait queue. */
	pthread_mutex_t lock;
	pthread_cond_t wake;     /* on CLOCK_MONOTONIC */
	_Atomic unsigned wake_gen; /* counts kernel_wake_all calls */
	struct task *tasks;      /* every live task, via next_task */
	struct thread_group *groups; /* every process, zombies included */
	struct thread_group *init;
	int next_pid, ntasks;
	int max_tasks;           /* --tasks; 0 for no limit */
	int tty_fg_pgrp;         /* the terminal's foreground process group */
	uint64_t memory_limit;   /* --memory: bytes a process may map; 0 none */
	int max_files;           /* --files: RLIMIT_NOFILE's ceiling (nr_open); 0 none */
	int64_t timeout_ns;      /* --timeout: wall time for the guest; 0 none */
	bool timed_out;          /* it ran out (kernel.lock) */
	uint32_t init_uid, init_gid; /* --uid, --gid: init's credentials */
};
extern struct kernel kernel;

/* Bytes moved per host call when a guest buffer goes through cvisor. */
#define TASK_SCRATCH_SIZE (64 * 1024)

struct task {
	int tid, pid;           /* guest ids, never host ones */
	pthread_t thread;       /* the host thread running it */
	struct thread_group *tg;
	struct task *next_in_group, *next_task;
	struct task *vfork_parent; /* waiting until this task execs or exits */
	bool vfork_waiting;     /* this task waits for its vfork child */
	struct task_signals sig;
	unsigned spun_gen;      /* kernel.wake_gen when kernel_sleep last spun */
	struct mm *mm;
	struct fdtable *files;
	struct context *ctx;
	guest_regs regs;
	char *exe_path;         /* guest path of the running image */
	struct path exe;        /* the running image (/proc/PID/exe) */
	struct fs_context *fs;  /* root, working directory, umask */
	uint64_t clear_child_tid, robust_list;
	struct task_attrs attrs; /* attrs.h: once valid, else its process's */
	int pdeathsig;          /* prctl PR_SET_PDEATHSIG */
	/* What restart_syscall resumes after an interrupted sleep. */
	struct {
		clockid_t clock;
		struct timespec deadline;
		uint64_t rem;          /* nanosleep's remaining-time pointer */
	} restart;
	_Atomic bool exiting;    /* set by other threads too (exec, group exit) */
	int exit_status;        /* wait status: code << 8, or the signal */
	char *scratch;          /* TASK_SCRATCH_SIZE bytes */
};

/* Syscall argument i of the current call. */
#define SYSCALL_ARGS const uint64_t a[6]

#endif
