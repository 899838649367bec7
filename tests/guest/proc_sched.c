/* Scheduling and usage: policies and priorities (set, read back,
 * inherited, reset on fork), CPU affinity, getcpu, sched_yield, getrusage,
 * times, sysinfo. Masks are compared with the starting one, never printed
 * (they depend on the machine). */
#include "guest.h"
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/times.h>
#include <sys/wait.h>
#include <unistd.h>

static void *const BAD = (void *)1;
#define NO_PID 999999
#define MASK_BYTES 1024

static long setsched(int pid, int policy, int prio)
{
	struct sched_param p = { .sched_priority = prio };
	return syscall(SYS_sched_setscheduler, pid, policy, &p);
}

static void show_sched(const char *who, int pid)
{
	struct sched_param p = { .sched_priority = -1 };
	long pol = syscall(SYS_sched_getscheduler, pid);
	syscall(SYS_sched_getparam, pid, &p);
	printf("%s: policy %#lx priority %d\n", who, pol, p.sched_priority);
}

static void child_sched(void)
{
	show_sched("fork child", 0);
}

static void policies(void)
{
	SHOWN("sched_yield", syscall(SYS_sched_yield));
	show_sched("start", 0);
	for (int pol = -1; pol <= 8; pol++) {
		char name[64];
		snprintf(name, sizeof name, "priority max/min of %d", pol);
		errno = 0;
		long max = syscall(SYS_sched_get_priority_max, pol);
		long min = syscall(SYS_sched_get_priority_min, pol);
		printf("%s: %ld %ld %s\n", name, max, min, errname(errno));
	}
	SHOWN("SCHED_BATCH 0", setsched(0, SCHED_BATCH, 0));
	show_sched("batch", 0);
	SHOWN("SCHED_IDLE 0", setsched(0, SCHED_IDLE, 0));
	show_sched("idle", 0);
	SHOWN("SCHED_OTHER 0", setsched(0, SCHED_OTHER, 0));
	SHOWN("SCHED_OTHER 1", setsched(0, SCHED_OTHER, 1));
	SHOWN("SCHED_FIFO 0", setsched(0, SCHED_FIFO, 0));
	SHOWN("SCHED_FIFO 100", setsched(0, SCHED_FIFO, 100));
	SHOWN("SCHED_FIFO -1", setsched(0, SCHED_FIFO, -1));
	SHOWN("policy 4", setsched(0, 4, 0));
	SHOWN("SCHED_DEADLINE", setsched(0, 6, 0));
	SHOWN("policy 7", setsched(0, 7, 0));
	SHOWN("policy -1", setsched(0, -1, 0));
	SHOWN("pid -1", setsched(-1, SCHED_OTHER, 0));
	SHOWN("no such pid", setsched(NO_PID, SCHED_OTHER, 0));
	SHOWN("no such pid, policy 4", setsched(NO_PID, 4, 0));
	SHOWN("param NULL", syscall(SYS_sched_setscheduler, 0, SCHED_OTHER, NULL));
	SHOWN("param bad", syscall(SYS_sched_setscheduler, 0, SCHED_OTHER, BAD));
	SHOWN("param bad, no such pid", syscall(SYS_sched_setscheduler, NO_PID, SCHED_OTHER, BAD));

	/* Real time, then sched_setparam within it. */
	SHOWN("SCHED_FIFO 10", setsched(0, SCHED_FIFO, 10));
	show_sched("fifo", 0);
	struct sched_param p = { .sched_priority = 20 };
	SHOWN("sched_setparam 20", syscall(SYS_sched_setparam, 0, &p));
	p.sched_priority = 0;
	SHOWN("sched_setparam 0 under FIFO", syscall(SYS_sched_setparam, 0, &p));
	SHOWN("sched_setparam NULL", syscall(SYS_sched_setparam, 0, NULL));
	SHOWN("sched_setparam no such pid", syscall(SYS_sched_setparam, NO_PID, &p));
	show_sched("fifo 20", (int)syscall(SYS_gettid));
	in_child(child_sched);
	SHOWN("SCHED_RR|RESET_ON_FORK 5", setsched(0, SCHED_RR | SCHED_RESET_ON_FORK, 5));
	show_sched("rr reset-on-fork", 0);
	in_child(child_sched);
	SHOWN("SCHED_BATCH|RESET_ON_FORK", setsched(0, SCHED_BATCH | SCHED_RESET_ON_FORK, 0));
	in_child(child_sched);
	SHOWN("SCHED_OTHER 0", setsched(0, SCHED_OTHER, 0));
	show_sched("back", 0);

	SHOWN("getscheduler -1", syscall(SYS_sched_getscheduler, -1));
	SHOWN("getscheduler no such pid", syscall(SYS_sched_getscheduler, NO_PID));
	SHOWN("getparam NULL", syscall(SYS_sched_getparam, 0, NULL));
	SHOWN("getparam bad", syscall(SYS_sched_getparam, 0, BAD));
	SHOWN("getparam -1", syscall(SYS_sched_getparam, -1, &p));
	SHOWN("getparam no such pid", syscall(SYS_sched_getparam, NO_PID, &p));
}

static int count(const uint8_t *m, size_t n)
{
	int c = 0;
	for (size_t i = 0; i < n; i++)
		c += __builtin_popcount(m[i]);
	return c;
}

static int first_cpu(const uint8_t *m)
{
	for (int i = 0; i < MASK_BYTES * 8; i++)
		if (m[i / 8] >> (i % 8) & 1)
			return i;
	return -1;
}

static uint8_t start_mask[MASK_BYTES];
static long mask_size;

static void child_affinity(void)
{
	uint8_t m[MASK_BYTES] = { 0 };
	syscall(SYS_sched_getaffinity, 0, sizeof m, m);
	printf("fork child: %d CPUs\n", count(m, sizeof m));
}

static volatile int thread_may_go, thread_tid;
static int thread_cpus;

static void *affinity_thread(void *arg)
{
	(void)arg;
	thread_tid = (int)syscall(SYS_gettid);
	while (!thread_may_go)
		sched_yield();
	uint8_t m[MASK_BYTES] = { 0 };
	syscall(SYS_sched_getaffinity, 0, sizeof m, m);
	thread_cpus = count(m, sizeof m);
	return NULL;
}

static void affinity(void)
{
	mask_size = syscall(SYS_sched_getaffinity, 0, sizeof start_mask, start_mask);
	printf("getaffinity returns cpumask_size: %d\n", mask_size > 0 && mask_size % 8 == 0);
	printf("some CPU: %d\n", count(start_mask, sizeof start_mask) > 0);
	uint8_t m[MASK_BYTES];
	SHOWN("getaffinity len 0", syscall(SYS_sched_getaffinity, 0, 0, m));
	SHOWN("getaffinity len 4", syscall(SYS_sched_getaffinity, 0, 4, m));
	SHOWN("getaffinity len 12", syscall(SYS_sched_getaffinity, 0, 12, m));
	printf("getaffinity len 8: %d\n", syscall(SYS_sched_getaffinity, 0, 8, m) == 8);
	SHOWN("getaffinity len 1<<29 (wraps)", syscall(SYS_sched_getaffinity, 0, 1U << 29, m));
	SHOWN("getaffinity bad", syscall(SYS_sched_getaffinity, 0, sizeof m, BAD));
	SHOWN("getaffinity no such pid", syscall(SYS_sched_getaffinity, NO_PID, sizeof m, m));
	SHOWN("getaffinity pid -1", syscall(SYS_sched_getaffinity, -1, sizeof m, m));
	SHOWN("getaffinity len 4, no such pid", syscall(SYS_sched_getaffinity, NO_PID, 4, m));
	printf("getaffinity of own tid == pid 0: %d\n",
	       syscall(SYS_sched_getaffinity, syscall(SYS_gettid), sizeof m, m) == mask_size &&
	       memcmp(m, start_mask, sizeof m) == 0);

	int cpu = first_cpu(start_mask);
	uint8_t one[MASK_BYTES] = { 0 };
	one[cpu / 8] |= 1 << (cpu % 8);
	SHOWN("setaffinity to the first CPU", syscall(SYS_sched_setaffinity, 0, mask_size, one));
	memset(m, 0, sizeof m);
	syscall(SYS_sched_getaffinity, 0, sizeof m, m);
	printf("now %d CPU, the first: %d\n", count(m, sizeof m), first_cpu(m) == cpu);
	unsigned c = 9999, node = 9999;
	SHOWN("getcpu", syscall(SYS_getcpu, &c, &node, NULL));
	printf("getcpu: on that CPU %d, node %u\n", (int)c == cpu, node);
	in_child(child_affinity);

	/* A long mask is cut to cpumask_size, a short one zero-extended. */
	SHOWN("setaffinity long mask", syscall(SYS_sched_setaffinity, 0, sizeof start_mask, start_mask));
	memset(m, 0, sizeof m);
	syscall(SYS_sched_getaffinity, 0, sizeof m, m);
	printf("back to the start mask: %d\n", memcmp(m, start_mask, sizeof m) == 0);
	uint8_t zero[MASK_BYTES] = { 0 };
	SHOWN("setaffinity empty", syscall(SYS_sched_setaffinity, 0, mask_size, zero));
	SHOWN("setaffinity len 0", syscall(SYS_sched_setaffinity, 0, 0, start_mask));
	uint8_t far[MASK_BYTES] = { 0 };
	far[mask_size - 1] = 0x80; /* the last CPU the mask can name: not one we have */
	if (start_mask[mask_size - 1] & 0x80)
		far[mask_size - 1] = 0;
	SHOWN("setaffinity no usable CPU", syscall(SYS_sched_setaffinity, 0, mask_size, far));
	SHOWN("setaffinity bad", syscall(SYS_sched_setaffinity, 0, mask_size, BAD));
	SHOWN("setaffinity no such pid", syscall(SYS_sched_setaffinity, NO_PID, mask_size, one));
	SHOWN("setaffinity bad, no such pid", syscall(SYS_sched_setaffinity, NO_PID, mask_size, BAD));
	SHOWN("setaffinity empty, no such pid", syscall(SYS_sched_setaffinity, NO_PID, mask_size, zero));

	/* Another thread's affinity, by its tid. */
	pthread_t th;
	pthread_create(&th, NULL, affinity_thread, NULL);
	while (!thread_tid)
		sched_yield();
	SHOWN("setaffinity of the thread", syscall(SYS_sched_setaffinity, thread_tid, mask_size, one));
	thread_may_go = 1;
	pthread_join(th, NULL);
	printf("thread sees %d CPU\n", thread_cpus);
	memset(m, 0, sizeof m);
	syscall(SYS_sched_getaffinity, 0, sizeof m, m);
	printf("main unchanged: %d\n", memcmp(m, start_mask, sizeof m) == 0);

	SHOWN("getcpu NULL NULL", syscall(SYS_getcpu, NULL, NULL, NULL));
	node = 9999;
	SHOWN("getcpu bad, node", syscall(SYS_getcpu, BAD, &node, NULL));
	printf("node still written: %d\n", node == 0);
	SHOWN("getcpu cpu, bad", syscall(SYS_getcpu, &c, BAD, NULL));
}

static void usage(void)
{
	struct rusage ru;
	SHOWN("getrusage SELF", syscall(SYS_getrusage, RUSAGE_SELF, &ru));
	SHOWN("getrusage CHILDREN", syscall(SYS_getrusage, RUSAGE_CHILDREN, &ru));
	SHOWN("getrusage THREAD", syscall(SYS_getrusage, RUSAGE_THREAD, &ru));
	SHOWN("getrusage 2", syscall(SYS_getrusage, 2, &ru));
	SHOWN("getrusage -2", syscall(SYS_getrusage, -2, &ru));
	SHOWN("getrusage bad", syscall(SYS_getrusage, RUSAGE_SELF, BAD));
	SHOWN("getrusage 5, bad", syscall(SYS_getrusage, 5, BAD));
	SHOWN("getrusage NULL", syscall(SYS_getrusage, RUSAGE_SELF, NULL));
	printf("libc getrusage: %d\n", getrusage(RUSAGE_SELF, &ru));

	struct tms t;
	errno = 0;
	clock_t ticks = times(&t);
	printf("times: %s\n", ticks == (clock_t)-1 && errno ? errname(errno) : "ok");
	printf("raw times(NULL) > 0: %d\n", syscall(SYS_times, NULL) > 0);
	SHOWN("times bad", syscall(SYS_times, BAD));

	struct sysinfo si;
	memset(&si, 0xff, sizeof si);
	SHOWN("sysinfo", syscall(SYS_sysinfo, &si));
	printf("sysinfo: mem_unit %u, totalram > 0 %d, freeram <= totalram %d, procs >= 1 %d, "
	       "uptime > 0 %d, freeswap <= totalswap %d\n", si.mem_unit, si.totalram > 0,
	       si.freeram <= si.totalram, si.procs >= 1, si.uptime > 0, si.freeswap <= si.totalswap);
	SHOWN("sysinfo bad", syscall(SYS_sysinfo, BAD));
	SHOWN("sysinfo NULL", syscall(SYS_sysinfo, NULL));
}

int main(void)
{
	policies();
	affinity();
	usage();
	return 0;
}
