/* The guest-visible Linux x86-64 ABI: structures cvisor writes to guest memory
 * and the constants it decodes, each named after the Linux definition it
 * mirrors. Kept separate from the host's libc headers on purpose: the guest's
 * view must not change when the host's libc does. */
#ifndef CVISOR_ABI_LINUX_H
#define CVISOR_ABI_LINUX_H

#include <stdint.h>

#define LINUX_PAGE_SIZE 4096UL

/* include/uapi/asm-generic/errno-base.h: the restart codes never reach a
 * guest; the kernel resolves them (include/linux/errno.h). */
#define ERESTARTSYS 512
#define ERESTARTNOINTR 513
#define ERESTARTNOHAND 514
#define ERESTART_RESTARTBLOCK 516

/* arch/x86/include/uapi/asm/stat.h: struct stat */
struct linux_stat {
	uint64_t st_dev, st_ino, st_nlink;
	uint32_t st_mode, st_uid, st_gid, __pad0;
	uint64_t st_rdev;
	int64_t st_size, st_blksize, st_blocks;
	uint64_t st_atime_sec, st_atime_nsec;
	uint64_t st_mtime_sec, st_mtime_nsec;
	uint64_t st_ctime_sec, st_ctime_nsec;
	int64_t __unused[3];
};
_Static_assert(sizeof(struct linux_stat) == 144, "struct stat is 144 bytes");

/* include/uapi/linux/stat.h: struct statx */
struct linux_statx_timestamp {
	int64_t tv_sec;
	uint32_t tv_nsec;
	int32_t __reserved;
};
struct linux_statx {
	uint32_t stx_mask, stx_blksize;
	uint64_t stx_attributes;
	uint32_t stx_nlink, stx_uid, stx_gid;
	uint16_t stx_mode, __spare0;
	uint64_t stx_ino, stx_size, stx_blocks, stx_attributes_mask;
	struct linux_statx_timestamp stx_atime, stx_btime, stx_ctime, stx_mtime;
	uint32_t stx_rdev_major, stx_rdev_minor, stx_dev_major, stx_dev_minor;
	uint64_t stx_mnt_id;
	uint32_t stx_dio_mem_align, stx_dio_offset_align;
	uint64_t __spare3[12];
};
_Static_assert(sizeof(struct linux_statx) == 256, "struct statx is 256 bytes");
#define LINUX_STATX_TYPE 0x1U
#define LINUX_STATX_MODE 0x2U
#define LINUX_STATX_NLINK 0x4U
#define LINUX_STATX_UID 0x8U
#define LINUX_STATX_GID 0x10U
#define LINUX_STATX_ATIME 0x20U
#define LINUX_STATX_MTIME 0x40U
#define LINUX_STATX_CTIME 0x80U
#define LINUX_STATX_INO 0x100U
#define LINUX_STATX_SIZE 0x200U
#define LINUX_STATX_BLOCKS 0x400U
#define LINUX_STATX_BASIC_STATS 0x7ffU
#define LINUX_STATX_BTIME 0x800U
#define LINUX_STATX_MNT_ID 0x1000U
#define LINUX_STATX__RESERVED 0x80000000U
#define LINUX_AT_STATX_SYNC_TYPE 0x6000
#define LINUX_AT_STATX_SYNC_AS_STAT 0x0000
#define LINUX_AT_STATX_FORCE_SYNC 0x2000
#define LINUX_AT_STATX_DONT_SYNC 0x4000

/* arch/x86/include/uapi/asm/statfs.h via asm-generic: struct statfs (64-bit) */
struct linux_statfs {
	int64_t f_type, f_bsize;
	uint64_t f_blocks, f_bfree, f_bavail, f_files, f_ffree;
	int32_t f_fsid[2];
	int64_t f_namelen, f_frsize, f_flags, f_spare[4];
};
_Static_assert(sizeof(struct linux_statfs) == 120, "struct statfs is 120 bytes");

/* include/uapi/linux/utsname.h: struct new_utsname */
#define LINUX_UTS_LEN 65
struct linux_utsname {
	char sysname[LINUX_UTS_LEN], nodename[LINUX_UTS_LEN], release[LINUX_UTS_LEN];
	char version[LINUX_UTS_LEN], machine[LINUX_UTS_LEN], domainname[LINUX_UTS_LEN];
};

/* include/uapi/asm-generic/termbits.h: struct termios (the kernel's, not libc's) */
#define LINUX_NCCS 19
struct linux_termios {
	uint32_t c_iflag, c_oflag, c_cflag, c_lflag;
	uint8_t c_line;
	uint8_t c_cc[LINUX_NCCS];
};
_Static_assert(sizeof(struct linux_termios) == 36, "struct termios is 36 bytes");

/* include/uapi/asm-generic/termios.h: struct winsize */
struct linux_winsize {
	uint16_t ws_row, ws_col, ws_xpixel, ws_ypixel;
};

/* include/uapi/asm-generic/ioctls.h */
#define LINUX_TCGETS 0x5401
#define LINUX_TCSETS 0x5402
#define LINUX_TCSETSW 0x5403
#define LINUX_TCSETSF 0x5404
#define LINUX_TIOCSCTTY 0x540E
#define LINUX_TIOCGPGRP 0x540F
#define LINUX_TIOCSPGRP 0x5410
#define LINUX_TIOCGWINSZ 0x5413
#define LINUX_TIOCSWINSZ 0x5414
#define LINUX_TIOCNOTTY 0x5422
#define LINUX_TIOCGSID 0x5429

/* include/uapi/linux/resource.h: struct rlimit64 and the resources */
struct linux_rlimit {
	uint64_t rlim_cur, rlim_max;
};
#define LINUX_RLIM_NLIMITS 16
#define LINUX_RLIMIT_CPU 0
#define LINUX_RLIMIT_FSIZE 1
#define LINUX_RLIMIT_STACK 3
#define LINUX_RLIMIT_NOFILE 7
#define LINUX_RLIMIT_CORE 4
#define LINUX_RLIMIT_NPROC 6
#define LINUX_RLIMIT_AS 9
#define LINUX_RLIMIT_SIGPENDING 11
#define LINUX_RLIMIT_NICE 13
#define LINUX_RLIMIT_RTPRIO 14
#define LINUX_RLIM_INFINITY (~0ULL)

/* include/uapi/linux/time_types.h: struct __kernel_timespec, __kernel_old_timeval */
struct linux_timespec {
	int64_t tv_sec, tv_nsec;
};
struct linux_timeval {
	int64_t tv_sec, tv_usec;
};

/* include/uapi/linux/time.h: clock ids */
#define LINUX_CLOCK_PROCESS_CPUTIME_ID 2
#define LINUX_CLOCK_THREAD_CPUTIME_ID 3
/* include/linux/ktime.h: KTIME_SEC_MAX, where times saturate. */
#define LINUX_KTIME_SEC_MAX (INT64_MAX / 1000000000LL)
#define LINUX_MAX_CLOCKS 16

/* include/uapi/linux/futex.h: struct robust_list_head */
#define LINUX_ROBUST_LIST_HEAD_SIZE 24

/* arch/x86/include/uapi/asm/prctl.h */
#define LINUX_ARCH_SET_GS 0x1001
#define LINUX_ARCH_SET_FS 0x1002
#define LINUX_ARCH_GET_FS 0x1003
#define LINUX_ARCH_GET_GS 0x1004
#define LINUX_ARCH_GET_CPUID 0x1011
#define LINUX_ARCH_SET_CPUID 0x1012

/* include/uapi/linux/prctl.h */
#define LINUX_PR_SET_PDEATHSIG 1
#define LINUX_PR_GET_PDEATHSIG 2
#define LINUX_PR_GET_DUMPABLE 3
#define LINUX_PR_SET_DUMPABLE 4
#define LINUX_PR_SET_NAME 15
#define LINUX_PR_GET_NAME 16
#define LINUX_PR_GET_SECCOMP 21
#define LINUX_PR_CAPBSET_READ 23
#define LINUX_PR_SET_CHILD_SUBREAPER 36
#define LINUX_PR_GET_CHILD_SUBREAPER 37
#define LINUX_PR_SET_NO_NEW_PRIVS 38
#define LINUX_PR_GET_NO_NEW_PRIVS 39

/* include/uapi/linux/sched.h: policies; include/linux/sched/prio.h */
#define LINUX_SCHED_NORMAL 0
#define LINUX_SCHED_FIFO 1
#define LINUX_SCHED_RR 2
#define LINUX_SCHED_BATCH 3
#define LINUX_SCHED_IDLE 5
#define LINUX_SCHED_DEADLINE 6
#define LINUX_SCHED_EXT 7
#define LINUX_SCHED_RESET_ON_FORK 0x40000000
#define LINUX_MAX_RT_PRIO 100

/* include/uapi/linux/sched/types.h: struct sched_param */
struct linux_sched_param {
	int32_t sched_priority;
};

/* include/uapi/linux/resource.h: struct rusage and getrusage's who */
struct linux_rusage {
	struct linux_timeval ru_utime, ru_stime;
	int64_t ru_maxrss, ru_ixrss, ru_idrss, ru_isrss, ru_minflt, ru_majflt, ru_nswap;
	int64_t ru_inblock, ru_oublock, ru_msgsnd, ru_msgrcv, ru_nsignals, ru_nvcsw, ru_nivcsw;
};
_Static_assert(sizeof(struct linux_rusage) == 144, "struct rusage is 144 bytes");
#define LINUX_RUSAGE_SELF 0
#define LINUX_RUSAGE_CHILDREN (-1)
#define LINUX_RUSAGE_THREAD 1

/* include/uapi/linux/times.h: struct tms; USER_HZ, the clock_t unit */
struct linux_tms {
	int64_t tms_utime, tms_stime, tms_cutime, tms_cstime;
};
#define LINUX_USER_HZ 100

/* include/uapi/linux/sysinfo.h: struct sysinfo (its _f[] is empty on 64-bit) */
struct linux_sysinfo {
	int64_t uptime;
	uint64_t loads[3];
	uint64_t totalram, freeram, sharedram, bufferram, totalswap, freeswap;
	uint16_t procs, pad;
	uint32_t __pad2;
	uint64_t totalhigh, freehigh;
	uint32_t mem_unit, __pad3;
};
_Static_assert(sizeof(struct linux_sysinfo) == 112, "struct sysinfo is 112 bytes");

/* include/uapi/linux/random.h */
#define LINUX_GRND_NONBLOCK 0x1
#define LINUX_GRND_RANDOM 0x2
#define LINUX_GRND_INSECURE 0x4

/* include/uapi/asm-generic/fcntl.h, include/uapi/linux/fcntl.h */
/* x86-64's open(2) always adds O_LARGEFILE (glibc's is 0 on 64-bit). */
#define LINUX_O_LARGEFILE 0100000
#define LINUX_O_CLOEXEC 02000000
/* include/uapi/asm-generic/fcntl.h __O_TMPFILE: the bit alone (glibc's
 * __O_TMPFILE has O_DIRECTORY in it). */
#define LINUX_O_TMPFILE_BIT 020000000
#define LINUX_F_DUPFD 0
#define LINUX_F_GETFD 1
#define LINUX_F_SETFD 2
#define LINUX_F_GETFL 3
#define LINUX_F_SETFL 4
#define LINUX_F_DUPFD_CLOEXEC 1030
#define LINUX_FD_CLOEXEC 1
#define LINUX_AT_FDCWD (-100)
#define LINUX_AT_SYMLINK_NOFOLLOW 0x100
#define LINUX_AT_NO_AUTOMOUNT 0x800
#define LINUX_AT_EMPTY_PATH 0x1000
#define LINUX_AT_SYMLINK_FOLLOW 0x400
#define LINUX_AT_REMOVEDIR 0x200

/* include/uapi/linux/sched.h */
#define LINUX_CSIGNAL 0x000000ff
#define LINUX_CLONE_VM 0x00000100
#define LINUX_CLONE_FS 0x00000200
#define LINUX_CLONE_FILES 0x00000400
#define LINUX_CLONE_SIGHAND 0x00000800
#define LINUX_CLONE_PIDFD 0x00001000
#define LINUX_CLONE_PTRACE 0x00002000
#define LINUX_CLONE_VFORK 0x00004000
#define LINUX_CLONE_PARENT 0x00008000
#define LINUX_CLONE_THREAD 0x00010000
#define LINUX_CLONE_NEWNS 0x00020000
#define LINUX_CLONE_SYSVSEM 0x00040000
#define LINUX_CLONE_SETTLS 0x00080000
#define LINUX_CLONE_PARENT_SETTID 0x00100000
#define LINUX_CLONE_CHILD_CLEARTID 0x00200000
#define LINUX_CLONE_DETACHED 0x00400000
#define LINUX_CLONE_UNTRACED 0x00800000
#define LINUX_CLONE_CHILD_SETTID 0x01000000
#define LINUX_CLONE_NEWCGROUP 0x02000000
#define LINUX_CLONE_NEWUTS 0x04000000
#define LINUX_CLONE_NEWIPC 0x08000000
#define LINUX_CLONE_NEWUSER 0x10000000
#define LINUX_CLONE_NEWPID 0x20000000
#define LINUX_CLONE_NEWNET 0x40000000
#define LINUX_CLONE_IO 0x80000000UL
#define LINUX_CLONE_NAMESPACES (LINUX_CLONE_NEWNS | LINUX_CLONE_NEWCGROUP | LINUX_CLONE_NEWUTS | \
				LINUX_CLONE_NEWIPC | LINUX_CLONE_NEWUSER | LINUX_CLONE_NEWPID | \
				LINUX_CLONE_NEWNET)

/* include/uapi/asm-generic/mman-common.h, arch/x86/include/uapi/asm/mman.h */
#define LINUX_PROT_READ 0x1
#define LINUX_PROT_WRITE 0x2
#define LINUX_PROT_EXEC 0x4
#define LINUX_PROT_SEM 0x8
#define LINUX_PROT_GROWSDOWN 0x01000000
#define LINUX_PROT_GROWSUP 0x02000000
#define LINUX_MAP_SHARED 0x01
#define LINUX_MAP_PRIVATE 0x02
#define LINUX_MAP_SHARED_VALIDATE 0x03
#define LINUX_MAP_TYPE 0x0f
#define LINUX_MAP_FIXED 0x10
#define LINUX_MAP_ANONYMOUS 0x20
#define LINUX_MAP_32BIT 0x40
#define LINUX_MAP_GROWSDOWN 0x0100
#define LINUX_MAP_DENYWRITE 0x0800
#define LINUX_MAP_EXECUTABLE 0x1000
#define LINUX_MAP_LOCKED 0x2000
#define LINUX_MAP_NORESERVE 0x4000
#define LINUX_MAP_POPULATE 0x8000
#define LINUX_MAP_NONBLOCK 0x10000
#define LINUX_MAP_STACK 0x20000
#define LINUX_MAP_HUGETLB 0x40000
#define LINUX_MAP_SYNC 0x80000
#define LINUX_MAP_FIXED_NOREPLACE 0x100000
#define LINUX_MAP_UNINITIALIZED 0x4000000
/* mm/mmap.c: the lowest address mmap hands out (vm.mmap_min_addr) */
#define LINUX_MMAP_MIN_ADDR 0x10000UL

/* include/uapi/linux/auxvec.h, arch/x86/include/uapi/asm/auxvec.h */
#define LINUX_AT_NULL 0
#define LINUX_AT_PHDR 3
#define LINUX_AT_PHENT 4
#define LINUX_AT_PHNUM 5
#define LINUX_AT_PAGESZ 6
#define LINUX_AT_BASE 7
#define LINUX_AT_FLAGS 8
#define LINUX_AT_ENTRY 9
#define LINUX_AT_UID 11
#define LINUX_AT_EUID 12
#define LINUX_AT_GID 13
#define LINUX_AT_EGID 14
#define LINUX_AT_PLATFORM 15
#define LINUX_AT_HWCAP 16
#define LINUX_AT_CLKTCK 17
#define LINUX_AT_SECURE 23
#define LINUX_AT_RANDOM 25
#define LINUX_AT_HWCAP2 26
#define LINUX_AT_EXECFN 31
#define LINUX_AT_MINSIGSTKSZ 51

/* Signals: include/uapi/asm-generic/signal-defs.h, arch/x86/include/uapi/asm/signal.h */
#define LINUX_NSIG 64
#define LINUX_SIGHUP 1
#define LINUX_SIGINT 2
#define LINUX_SIGQUIT 3
#define LINUX_SIGILL 4
#define LINUX_SIGTRAP 5
#define LINUX_SIGABRT 6
#define LINUX_SIGBUS 7
#define LINUX_SIGFPE 8
#define LINUX_SIGKILL 9
#define LINUX_SIGUSR1 10
#define LINUX_SIGSEGV 11
#define LINUX_SIGUSR2 12
#define LINUX_SIGPIPE 13
#define LINUX_SIGALRM 14
#define LINUX_SIGTERM 15
#define LINUX_SIGSTKFLT 16
#define LINUX_SIGCHLD 17
#define LINUX_SIGCONT 18
#define LINUX_SIGSTOP 19
#define LINUX_SIGTSTP 20
#define LINUX_SIGTTIN 21
#define LINUX_SIGTTOU 22
#define LINUX_SIGURG 23
#define LINUX_SIGXCPU 24
#define LINUX_SIGXFSZ 25
#define LINUX_SIGVTALRM 26
#define LINUX_SIGPROF 27
#define LINUX_SIGWINCH 28
#define LINUX_SIGIO 29
#define LINUX_SIGPWR 30
#define LINUX_SIGSYS 31
#define LINUX_SIGRTMIN 32
#define LINUX_SIG_DFL 0UL
#define LINUX_SIG_IGN 1UL
#define LINUX_SA_NOCLDSTOP 0x00000001UL
#define LINUX_SA_NOCLDWAIT 0x00000002UL
#define LINUX_SA_SIGINFO 0x00000004UL
#define LINUX_SA_UNSUPPORTED 0x00000400UL
#define LINUX_SA_EXPOSE_TAGBITS 0x00000800UL
#define LINUX_SA_RESTORER 0x04000000UL
#define LINUX_SA_ONSTACK 0x08000000UL
#define LINUX_SA_RESTART 0x10000000UL
#define LINUX_SA_NODEFER 0x40000000UL
#define LINUX_SA_RESETHAND 0x80000000UL
#define LINUX_SIG_BLOCK 0
#define LINUX_SIG_UNBLOCK 1
#define LINUX_SIG_SETMASK 2
#define LINUX_SS_ONSTACK 1
#define LINUX_SS_DISABLE 2
#define LINUX_SS_AUTODISARM (1U << 31)
#define LINUX_MINSIGSTKSZ 2048

/* struct sigaction as rt_sigaction(2) takes it on x86-64 (kernel_sigaction) */
struct linux_sigaction {
	uint64_t handler, flags, restorer, mask;
};

/* include/uapi/asm-generic/siginfo.h: siginfo_t, 128 bytes. The union
 * starts at 16; the fields used by cvisor are named. */
struct linux_siginfo {
	int32_t si_signo, si_errno, si_code, __pad;
	union {
		struct { int32_t pid; uint32_t uid; uint64_t value; } kill; /* and rt */
		struct { int32_t pid; uint32_t uid; int32_t status, __pad; int64_t utime, stime; } chld;
		struct { uint64_t addr; } fault;
		struct { int32_t tid, overrun; uint64_t value; } timer;
		char bytes[112];
	} u;
};
_Static_assert(sizeof(struct linux_siginfo) == 128, "siginfo_t is 128 bytes");
#define LINUX_SI_USER 0
#define LINUX_SI_KERNEL 0x80
#define LINUX_SI_QUEUE (-1)
#define LINUX_SI_TKILL (-6)
#define LINUX_CLD_EXITED 1
#define LINUX_CLD_KILLED 2
#define LINUX_CLD_DUMPED 3

/* include/uapi/linux/signalfd.h: struct signalfd_siginfo, what a read of
 * a signalfd gives per signal. */
struct linux_signalfd_siginfo {
	uint32_t ssi_signo;
	int32_t ssi_errno, ssi_code;
	uint32_t ssi_pid, ssi_uid;
	int32_t ssi_fd;
	uint32_t ssi_tid, ssi_band, ssi_overrun, ssi_trapno;
	int32_t ssi_status, ssi_int;
	uint64_t ssi_ptr, ssi_utime, ssi_stime, ssi_addr;
	uint16_t ssi_addr_lsb, __pad2;
	int32_t ssi_syscall;
	uint64_t ssi_call_addr;
	uint32_t ssi_arch;
	uint8_t __pad[28];
};
_Static_assert(sizeof(struct linux_signalfd_siginfo) == 128, "signalfd_siginfo is 128 bytes");
#define LINUX_SI_TIMER (-2)

/* include/uapi/asm-generic/signal.h: stack_t */
struct linux_stack {
	uint64_t ss_sp;
	int32_t ss_flags, __pad;
	uint64_t ss_size;
};

/* arch/x86/include/uapi/asm/sigcontext.h: struct sigcontext (64-bit) */
struct linux_sigcontext {
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip, eflags;
	uint16_t cs, gs, fs, ss;
	uint64_t err, trapno, oldmask, cr2;
	uint64_t fpstate;
	uint64_t reserved1[8];
};
_Static_assert(sizeof(struct linux_sigcontext) == 256, "sigcontext is 256 bytes");

/* arch/x86/include/asm/ucontext.h, arch/x86/include/asm/sigframe.h */
struct linux_ucontext {
	uint64_t uc_flags, uc_link;
	struct linux_stack uc_stack;
	struct linux_sigcontext uc_mcontext;
	uint64_t uc_sigmask;
};
struct linux_rt_sigframe {
	uint64_t pretcode;
	struct linux_ucontext uc;
	struct linux_siginfo info;
};
#define LINUX_UC_FP_XSTATE 0x1
#define LINUX_UC_SIGCONTEXT_SS 0x2
#define LINUX_UC_STRICT_RESTORE_SS 0x4
/* arch/x86/include/uapi/asm/sigcontext.h: the software-reserved bytes of an
 * fpstate in a frame, and the magic numbers around it. */
#define LINUX_FP_XSTATE_MAGIC1 0x46505853U
#define LINUX_FP_XSTATE_MAGIC2 0x46505845U
#define LINUX_FPX_SW_BYTES_OFFSET 464
struct linux_fpx_sw_bytes {
	uint32_t magic1, extended_size;
	uint64_t xfeatures;
	uint32_t xstate_size, padding[7];
};

#endif
