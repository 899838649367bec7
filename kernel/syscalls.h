/* The syscall handlers, by family. Each returns the result or -errno. */
#ifndef CVISOR_SYSCALLS_H
#define CVISOR_SYSCALLS_H

#include "syscall.h"

/* sys_file.c */
syscall_fn sys_read, sys_write, sys_readv, sys_writev, sys_ioctl, sys_pread64, sys_pwrite64,
	sys_preadv, sys_pwritev, sys_preadv2, sys_pwritev2;
/* sys_stat.c */
syscall_fn sys_fstat, sys_stat, sys_lstat, sys_newfstatat, sys_statx, sys_statfs, sys_fstatfs,
	sys_access, sys_faccessat, sys_faccessat2, sys_readlink, sys_readlinkat;
/* sys_open.c */
syscall_fn sys_open, sys_openat, sys_openat2, sys_creat, sys_lseek;
/* sys_namei.c */
syscall_fn sys_mkdir, sys_mkdirat, sys_mknod, sys_mknodat, sys_unlink, sys_unlinkat, sys_rmdir,
	sys_rename, sys_renameat, sys_renameat2, sys_link, sys_linkat, sys_symlink, sys_symlinkat;
/* sys_dir.c */
syscall_fn sys_getdents, sys_getdents64, sys_chdir, sys_fchdir, sys_getcwd, sys_chroot, sys_umask;
/* sys_attr.c */
syscall_fn sys_chmod, sys_fchmod, sys_fchmodat, sys_chown, sys_fchown, sys_lchown, sys_fchownat,
	sys_truncate, sys_ftruncate, sys_fallocate, sys_utimensat, sys_utimes, sys_futimesat, sys_utime,
	sys_fsync, sys_fdatasync, sys_sync, sys_syncfs;
/* sys_unshare.c */
syscall_fn sys_unshare, sys_syslog;
/* pidfd.c */
syscall_fn sys_pidfd_open, sys_pidfd_send_signal;
/* sys_splice.c */
syscall_fn sys_sendfile, sys_copy_file_range, sys_splice, sys_tee;
/* sys_pipe.c */
syscall_fn sys_pipe, sys_pipe2;
syscall_fn sys_memfd_create;
/* sys_memfd.c: fcntl's F_ADD_SEALS and F_GET_SEALS. */
long memfd_fcntl(struct file *f, int cmd, unsigned arg);
/* sys_fd.c */
syscall_fn sys_close, sys_close_range, sys_dup, sys_dup2, sys_dup3, sys_fcntl, sys_flock;
/* sys_poll.c */
syscall_fn sys_poll, sys_ppoll, sys_select, sys_pselect6;
/* sys_eventfd.c, sys_timerfd.c, sys_signalfd.c, sys_epoll.c */
syscall_fn sys_eventfd, sys_eventfd2, sys_timerfd_create, sys_timerfd_settime, sys_timerfd_gettime,
	sys_signalfd, sys_signalfd4, sys_epoll_create, sys_epoll_create1, sys_epoll_ctl, sys_epoll_wait,
	sys_epoll_pwait, sys_epoll_pwait2;
/* sys_socket.c, sys_sockmsg.c */
syscall_fn sys_socket, sys_socketpair, sys_bind, sys_listen, sys_accept, sys_accept4, sys_connect,
	sys_shutdown, sys_getsockname, sys_getpeername, sys_getsockopt, sys_setsockopt, sys_sendto,
	sys_sendmsg, sys_recvfrom, sys_recvmsg;
/* sys_mm.c */
syscall_fn sys_brk, sys_mmap, sys_munmap, sys_mprotect, sys_mremap, sys_madvise, sys_msync,
	sys_mincore, sys_mlock, sys_mlock2, sys_munlock, sys_mlockall, sys_munlockall;
/* sys_process.c */
syscall_fn sys_exit, sys_exit_group, sys_getpid, sys_gettid, sys_getppid,
	sys_set_tid_address,
	sys_set_robust_list, sys_get_robust_list, sys_arch_prctl, sys_prlimit64, sys_getrlimit, sys_setrlimit,
	sys_getpgid, sys_getpgrp, sys_getsid, sys_setpgid, sys_setsid;
/* sys_signal.c */
syscall_fn sys_rt_sigaction, sys_rt_sigprocmask, sys_rt_sigpending, sys_rt_sigsuspend,
	sys_pause, sys_rt_sigtimedwait, sys_sigaltstack, sys_kill, sys_tkill, sys_tgkill,
	sys_rt_sigqueueinfo, sys_rt_tgsigqueueinfo, sys_rt_sigreturn;
/* sys_fork.c, sys_exec.c, sys_wait.c, futex.c */
syscall_fn sys_clone, sys_clone3, sys_fork, sys_vfork, sys_execve, sys_execveat,
	sys_wait4, sys_waitid, sys_futex;
/* sys_time.c */
syscall_fn sys_clock_gettime, sys_clock_getres, sys_gettimeofday, sys_time, sys_nanosleep,
	sys_clock_nanosleep, sys_restart_syscall;
/* sys_timer.c */
syscall_fn sys_alarm, sys_setitimer, sys_getitimer, sys_timer_create, sys_timer_settime,
	sys_timer_gettime, sys_timer_getoverrun, sys_timer_delete;
/* sys_cred.c */
syscall_fn sys_getuid, sys_geteuid, sys_getgid, sys_getegid, sys_setuid, sys_setgid,
	sys_setreuid, sys_setregid, sys_setresuid, sys_setresgid, sys_getresuid,
	sys_getresgid, sys_setfsuid, sys_setfsgid, sys_getgroups, sys_setgroups;
/* sys_prctl.c */
syscall_fn sys_prctl;
/* sys_sched.c */
syscall_fn sys_getpriority, sys_setpriority, sys_ioprio_get, sys_ioprio_set;
syscall_fn sys_sched_yield, sys_sched_getaffinity, sys_sched_setaffinity, sys_sched_getparam,
	sys_sched_setparam, sys_sched_getscheduler, sys_sched_setscheduler,
	sys_sched_get_priority_max, sys_sched_get_priority_min, sys_getcpu;
/* sys_usage.c */
syscall_fn sys_getrusage, sys_times, sys_sysinfo;
/* sys_misc.c */
syscall_fn sys_uname, sys_getrandom;

#endif
