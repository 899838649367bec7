/* Syscall dispatch: one table indexed by number. */
#include <errno.h>
#include <stdatomic.h>

#include "signal.h"
#include "syscall.h"
#include "stats.h"
#include "strace.h"
#include "syscalls.h"

const struct syscall_desc syscall_descs[NR_SYSCALLS] = {
#define SYSCALL(nr, name, args) [nr] = { #name, args },
#include "syscall_table.h"
#undef SYSCALL
};

static syscall_fn *const handlers[NR_SYSCALLS] = {
	[NR_read] = sys_read,
	[NR_write] = sys_write,
	[NR_readv] = sys_readv,
	[NR_writev] = sys_writev,
	[NR_ioctl] = sys_ioctl,
	[NR_stat] = sys_stat,
	[NR_fstat] = sys_fstat,
	[NR_lstat] = sys_lstat,
	[NR_newfstatat] = sys_newfstatat,
	[NR_access] = sys_access,
	[NR_faccessat] = sys_faccessat,
	[NR_faccessat2] = sys_faccessat2,
	[NR_readlink] = sys_readlink,
	[NR_readlinkat] = sys_readlinkat,
	[NR_close] = sys_close,
	[NR_unshare] = sys_unshare,
	[NR_syslog] = sys_syslog,
	[NR_pidfd_open] = sys_pidfd_open,
	[NR_pidfd_send_signal] = sys_pidfd_send_signal,
	[NR_sendfile] = sys_sendfile,
	[NR_copy_file_range] = sys_copy_file_range,
	[NR_splice] = sys_splice,
	[NR_tee] = sys_tee,
	[NR_pread64] = sys_pread64,
	[NR_pwrite64] = sys_pwrite64,
	[NR_preadv] = sys_preadv,
	[NR_pwritev] = sys_pwritev,
	[NR_preadv2] = sys_preadv2,
	[NR_pwritev2] = sys_pwritev2,
	[NR_statx] = sys_statx,
	[NR_statfs] = sys_statfs,
	[NR_fstatfs] = sys_fstatfs,
	[NR_open] = sys_open,
	[NR_openat] = sys_openat,
	[NR_openat2] = sys_openat2,
	[NR_creat] = sys_creat,
	[NR_lseek] = sys_lseek,
	[NR_mkdir] = sys_mkdir,
	[NR_mkdirat] = sys_mkdirat,
	[NR_mknod] = sys_mknod,
	[NR_mknodat] = sys_mknodat,
	[NR_unlink] = sys_unlink,
	[NR_unlinkat] = sys_unlinkat,
	[NR_rmdir] = sys_rmdir,
	[NR_rename] = sys_rename,
	[NR_renameat] = sys_renameat,
	[NR_renameat2] = sys_renameat2,
	[NR_link] = sys_link,
	[NR_linkat] = sys_linkat,
	[NR_symlink] = sys_symlink,
	[NR_symlinkat] = sys_symlinkat,
	[NR_getdents] = sys_getdents,
	[NR_getdents64] = sys_getdents64,
	[NR_chdir] = sys_chdir,
	[NR_fchdir] = sys_fchdir,
	[NR_getcwd] = sys_getcwd,
	[NR_chroot] = sys_chroot,
	[NR_umask] = sys_umask,
	[NR_chmod] = sys_chmod,
	[NR_fchmod] = sys_fchmod,
	[NR_fchmodat] = sys_fchmodat,
	[NR_chown] = sys_chown,
	[NR_fchown] = sys_fchown,
	[NR_lchown] = sys_lchown,
	[NR_fchownat] = sys_fchownat,
	[NR_truncate] = sys_truncate,
	[NR_ftruncate] = sys_ftruncate,
	[NR_fallocate] = sys_fallocate,
	[NR_utimensat] = sys_utimensat,
	[NR_utimes] = sys_utimes,
	[NR_futimesat] = sys_futimesat,
	[NR_utime] = sys_utime,
	[NR_fsync] = sys_fsync,
	[NR_fdatasync] = sys_fdatasync,
	[NR_sync] = sys_sync,
	[NR_syncfs] = sys_syncfs,
	[NR_pipe] = sys_pipe,
	[NR_pipe2] = sys_pipe2,
	[NR_memfd_create] = sys_memfd_create,
	[NR_close_range] = sys_close_range,
	[NR_dup] = sys_dup,
	[NR_dup2] = sys_dup2,
	[NR_dup3] = sys_dup3,
	[NR_fcntl] = sys_fcntl,
	[NR_flock] = sys_flock,
	[NR_poll] = sys_poll,
	[NR_ppoll] = sys_ppoll,
	[NR_select] = sys_select,
	[NR_pselect6] = sys_pselect6,
	[NR_eventfd] = sys_eventfd,
	[NR_eventfd2] = sys_eventfd2,
	[NR_timerfd_create] = sys_timerfd_create,
	[NR_timerfd_settime] = sys_timerfd_settime,
	[NR_timerfd_gettime] = sys_timerfd_gettime,
	[NR_signalfd] = sys_signalfd,
	[NR_signalfd4] = sys_signalfd4,
	[NR_epoll_create] = sys_epoll_create,
	[NR_epoll_create1] = sys_epoll_create1,
	[NR_epoll_ctl] = sys_epoll_ctl,
	[NR_epoll_wait] = sys_epoll_wait,
	[NR_epoll_pwait] = sys_epoll_pwait,
	[NR_epoll_pwait2] = sys_epoll_pwait2,
	[NR_socket] = sys_socket,
	[NR_socketpair] = sys_socketpair,
	[NR_bind] = sys_bind,
	[NR_listen] = sys_listen,
	[NR_accept] = sys_accept,
	[NR_accept4] = sys_accept4,
	[NR_connect] = sys_connect,
	[NR_shutdown] = sys_shutdown,
	[NR_getsockname] = sys_getsockname,
	[NR_getpeername] = sys_getpeername,
	[NR_getsockopt] = sys_getsockopt,
	[NR_setsockopt] = sys_setsockopt,
	[NR_sendto] = sys_sendto,
	[NR_sendmsg] = sys_sendmsg,
	[NR_recvfrom] = sys_recvfrom,
	[NR_recvmsg] = sys_recvmsg,
	[NR_brk] = sys_brk,
	[NR_mmap] = sys_mmap,
	[NR_munmap] = sys_munmap,
	[NR_mprotect] = sys_mprotect,
	[NR_mremap] = sys_mremap,
	[NR_madvise] = sys_madvise,
	[NR_msync] = sys_msync,
	[NR_mincore] = sys_mincore,
	[NR_mlock] = sys_mlock,
	[NR_mlock2] = sys_mlock2,
	[NR_munlock] = sys_munlock,
	[NR_mlockall] = sys_mlockall,
	[NR_munlockall] = sys_munlockall,
	[NR_exit] = sys_exit,
	[NR_exit_group] = sys_exit_group,
	[NR_getpid] = sys_getpid,
	[NR_gettid] = sys_gettid,
	[NR_getppid] = sys_getppid,
	[NR_getuid] = sys_getuid,
	[NR_geteuid] = sys_geteuid,
	[NR_getgid] = sys_getgid,
	[NR_getegid] = sys_getegid,
	[NR_setuid] = sys_setuid,
	[NR_setgid] = sys_setgid,
	[NR_setreuid] = sys_setreuid,
	[NR_setregid] = sys_setregid,
	[NR_setresuid] = sys_setresuid,
	[NR_setresgid] = sys_setresgid,
	[NR_getresuid] = sys_getresuid,
	[NR_getresgid] = sys_getresgid,
	[NR_setfsuid] = sys_setfsuid,
	[NR_setfsgid] = sys_setfsgid,
	[NR_getgroups] = sys_getgroups,
	[NR_setgroups] = sys_setgroups,
	[NR_prctl] = sys_prctl,
	[NR_sched_yield] = sys_sched_yield,
	[NR_getpriority] = sys_getpriority,
	[NR_ioprio_get] = sys_ioprio_get,
	[NR_ioprio_set] = sys_ioprio_set,
	[NR_setpriority] = sys_setpriority,
	[NR_sched_getaffinity] = sys_sched_getaffinity,
	[NR_sched_setaffinity] = sys_sched_setaffinity,
	[NR_sched_getparam] = sys_sched_getparam,
	[NR_sched_setparam] = sys_sched_setparam,
	[NR_sched_getscheduler] = sys_sched_getscheduler,
	[NR_sched_setscheduler] = sys_sched_setscheduler,
	[NR_sched_get_priority_max] = sys_sched_get_priority_max,
	[NR_sched_get_priority_min] = sys_sched_get_priority_min,
	[NR_getcpu] = sys_getcpu,
	[NR_getrusage] = sys_getrusage,
	[NR_times] = sys_times,
	[NR_sysinfo] = sys_sysinfo,
	[NR_set_tid_address] = sys_set_tid_address,
	[NR_set_robust_list] = sys_set_robust_list,
	[NR_get_robust_list] = sys_get_robust_list,
	[NR_arch_prctl] = sys_arch_prctl,
	[NR_prlimit64] = sys_prlimit64,
	[NR_getrlimit] = sys_getrlimit,
	[NR_setrlimit] = sys_setrlimit,
	[NR_getpgid] = sys_getpgid,
	[NR_getpgrp] = sys_getpgrp,
	[NR_getsid] = sys_getsid,
	[NR_setpgid] = sys_setpgid,
	[NR_setsid] = sys_setsid,
	[NR_pause] = sys_pause,
	[NR_rt_sigaction] = sys_rt_sigaction,
	[NR_rt_sigprocmask] = sys_rt_sigprocmask,
	[NR_rt_sigpending] = sys_rt_sigpending,
	[NR_rt_sigsuspend] = sys_rt_sigsuspend,
	[NR_rt_sigtimedwait] = sys_rt_sigtimedwait,
	[NR_sigaltstack] = sys_sigaltstack,
	[NR_kill] = sys_kill,
	[NR_tkill] = sys_tkill,
	[NR_tgkill] = sys_tgkill,
	[NR_rt_sigqueueinfo] = sys_rt_sigqueueinfo,
	[NR_rt_tgsigqueueinfo] = sys_rt_tgsigqueueinfo,
	[NR_rt_sigreturn] = sys_rt_sigreturn,
	[NR_clone] = sys_clone,
	[NR_clone3] = sys_clone3,
	[NR_fork] = sys_fork,
	[NR_vfork] = sys_vfork,
	[NR_execve] = sys_execve,
	[NR_execveat] = sys_execveat,
	[NR_wait4] = sys_wait4,
	[NR_waitid] = sys_waitid,
	[NR_futex] = sys_futex,
	[NR_clock_gettime] = sys_clock_gettime,
	[NR_clock_getres] = sys_clock_getres,
	[NR_gettimeofday] = sys_gettimeofday,
	[NR_time] = sys_time,
	[NR_nanosleep] = sys_nanosleep,
	[NR_alarm] = sys_alarm,
	[NR_setitimer] = sys_setitimer,
	[NR_getitimer] = sys_getitimer,
	[NR_timer_create] = sys_timer_create,
	[NR_timer_settime] = sys_timer_settime,
	[NR_timer_gettime] = sys_timer_gettime,
	[NR_timer_getoverrun] = sys_timer_getoverrun,
	[NR_timer_delete] = sys_timer_delete,
	[NR_clock_nanosleep] = sys_clock_nanosleep,
	[NR_restart_syscall] = sys_restart_syscall,
	[NR_uname] = sys_uname,
	[NR_getrandom] = sys_getrandom,
};


/* Run call nr with its counting, timing and tracing; its result. */
static long run_syscall(struct task *t, unsigned int nr, const uint64_t a[6])
{
	syscall_fn *fn = nr < NR_SYSCALLS ? handlers[nr] : NULL;
	struct syscall_stat *stat = &syscall_stats[nr < NR_SYSCALLS ? nr : NR_SYSCALLS];
	atomic_fetch_add_explicit(&stat->calls, 1, memory_order_relaxed);
	unsigned long long start = kernel.stats ? stats_now_ns() : 0;
	struct strace_call sc;
	if (kernel.strace)
		strace_enter(&sc, t, (int)nr, a);
	long result = fn ? fn(t, a) : -ENOSYS;
	if (kernel.strace)
		strace_exit(&sc, result);
	if (kernel.stats) {
		atomic_fetch_add_explicit(&stat->kernel_ns, stats_now_ns() - start, memory_order_relaxed);
		if (result < 0 && result >= -4095)
			atomic_fetch_add_explicit(&stat->errors, 1, memory_order_relaxed);
	}
	return result;
}

static void args_of(const struct task *t, uint64_t a[6])
{
	a[0] = t->regs.rdi, a[1] = t->regs.rsi, a[2] = t->regs.rdx;
	a[3] = t->regs.r10, a[4] = t->regs.r8, a[5] = t->regs.r9;
}

void syscall_dispatch(struct task *t)
{
	uint64_t a[6];
	args_of(t, a);
	/* Linux takes the low 32 bits of orig_rax as the number. */
	t->regs.rax = (uint64_t)run_syscall(t, (unsigned int)t->regs.orig_rax, a);
}

/* i386 calls, answered ENOSYS: cvisor has no 32-bit ABI. */
static _Atomic unsigned long i386_calls;

void syscall_dispatch_i386(struct task *t)
{
	atomic_fetch_add_explicit(&i386_calls, 1, memory_order_relaxed);
	if (kernel.strace) {
		/* i386 arguments: ebx, ecx, edx, esi, edi, ebp. */
		flockfile(kernel.strace);
		fprintf(kernel.strace, "[%d] i386 syscall %u(%#x, %#x, %#x, %#x, %#x, %#x) = -1 ENOSYS (no i386 ABI)\n",
			t->tid, (unsigned int)t->regs.orig_rax, (unsigned)t->regs.rbx, (unsigned)t->regs.rcx,
			(unsigned)t->regs.rdx, (unsigned)t->regs.rsi, (unsigned)t->regs.rdi, (unsigned)t->regs.rbp);
		funlockfile(kernel.strace);
	}
	t->regs.rax = (uint64_t)-ENOSYS;
}

void syscall_vsyscall(struct task *t, const siginfo_t *info)
{
	unsigned int nr = (unsigned int)info->si_syscall;
	uint64_t a[6];
	args_of(t, a);
	if (nr != NR_gettimeofday && nr != NR_time && nr != NR_getcpu)
		nr = NR_SYSCALLS; /* never: the host traps only these */
	long result = run_syscall(t, nr, a);
	if (result == -EFAULT) {
		/* arch/x86/entry/vsyscall: a bad pointer is a SIGSEGV at the
		 * entry point, the return not emulated. */
		t->regs.rip = (uint64_t)info->si_call_addr;
		t->regs.rsp -= 8;
		siginfo_t segv = { .si_signo = SIGSEGV, .si_code = SI_KERNEL };
		signal_force_fault(t, &segv);
		return;
	}
	t->regs.rax = (uint64_t)result;
}

void syscall_report_unimplemented(FILE *out)
{
	for (int nr = 0; nr <= NR_SYSCALLS; nr++) {
		unsigned long n = atomic_load(&syscall_stats[nr].calls);
		if (!n || (nr < NR_SYSCALLS && handlers[nr]))
			continue;
		if (nr < NR_SYSCALLS && syscall_descs[nr].name)
			fprintf(out, "cvisor: unimplemented: %s (%lu call%s)\n",
				syscall_descs[nr].name, n, n == 1 ? "" : "s");
		else if (nr < NR_SYSCALLS)
			fprintf(out, "cvisor: unimplemented: syscall %d (%lu call%s)\n",
				nr, n, n == 1 ? "" : "s");
		else
			fprintf(out, "cvisor: unimplemented: numbers past the table (%lu call%s)\n",
				n, n == 1 ? "" : "s");
	}
	unsigned long n = atomic_load(&i386_calls);
	if (n)
		fprintf(out, "cvisor: unimplemented: i386 system calls (int 0x80, sysenter) (%lu call%s)\n",
			n, n == 1 ? "" : "s");
}
