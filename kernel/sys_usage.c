/* Resource usage and system information: getrusage, times, sysinfo. */
#include <errno.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <time.h>
#include <unistd.h>

#include "guest_mem.h"
#include "mm.h"
#include "process.h"
#include "syscalls.h"

/* The CPU time of t's process's guest code, in ns: its stub's clock. Time
 * cvisor spends on the guest's syscalls is not in it, so it is all user
 * time; what the process's children and single threads used is not
 * measured (RUSAGE_CHILDREN and RUSAGE_THREAD report zeros). */
static int64_t process_cpu_ns(struct task *t)
{
	struct timespec ts;
	if (clock_gettime(kernel.platform->cpu_clock(t->mm->as), &ts) < 0)
		return 0;
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

long sys_getrusage(struct task *t, SYSCALL_ARGS)
{
	int who = (int)a[0];
	if (who != LINUX_RUSAGE_SELF && who != LINUX_RUSAGE_CHILDREN && who != LINUX_RUSAGE_THREAD)
		return -EINVAL;
	struct linux_rusage ru = { 0 };
	if (who == LINUX_RUSAGE_SELF) {
		int64_t ns = process_cpu_ns(t);
		ru.ru_utime = (struct linux_timeval){ ns / 1000000000, ns % 1000000000 / 1000 };
	}
	return copy_to_guest(t, a[1], &ru, sizeof ru);
}

/* kernel/sys.c times(): the buffer if given, and clock ticks since boot
 * (the host's count, which is the guest's clock too). */
long sys_times(struct task *t, SYSCALL_ARGS)
{
	if (a[0]) {
		struct linux_tms tms = { .tms_utime = process_cpu_ns(t) / (1000000000 / LINUX_USER_HZ) };
		if (copy_to_guest(t, a[0], &tms, sizeof tms) < 0)
			return -EFAULT;
	}
	return syscall(SYS_times, NULL);
}

/* kernel/sys.c do_sysinfo(): the host's uptime, loads and memory, the
 * guest's task count; sizes in bytes (mem_unit 1) when they fit, as Linux
 * scales them. */
long sys_sysinfo(struct task *t, SYSCALL_ARGS)
{
	struct sysinfo h;
	if (sysinfo(&h) < 0)
		return -errno;
	struct linux_sysinfo si = {
		.uptime = h.uptime,
		.loads = { h.loads[0], h.loads[1], h.loads[2] },
		.totalram = h.totalram, .freeram = h.freeram,
		.sharedram = h.sharedram, .bufferram = h.bufferram,
		.totalswap = h.totalswap, .freeswap = h.freeswap,
		.totalhigh = h.totalhigh, .freehigh = h.freehigh,
		.mem_unit = h.mem_unit,
	};
	pthread_mutex_lock(&kernel.lock);
	si.procs = (uint16_t)kernel.ntasks;
	pthread_mutex_unlock(&kernel.lock);
	uint64_t total = si.totalram + si.totalswap;
	bool fits = total >= si.totalram && total >= si.totalswap;
	int bits = 0;
	for (uint32_t u = si.mem_unit; fits && u > 1; u >>= 1, bits++) {
		fits = total << 1 >> 1 == total;
		total <<= 1;
	}
	if (fits) {
		uint64_t *sizes[] = { &si.totalram, &si.freeram, &si.sharedram, &si.bufferram,
				      &si.totalswap, &si.freeswap, &si.totalhigh, &si.freehigh };
		for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
			*sizes[i] <<= bits;
		si.mem_unit = 1;
	}
	return copy_to_guest(t, a[0], &si, sizeof si);
}
