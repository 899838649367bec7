/* TEST: own-harness (tests/fuzz.t, make fuzz)
 * A guest syscall fuzzer: children issue random syscalls with random and
 * near-valid arguments (small fds, valid and bad pointers, page-aligned
 * addresses, flags with one bit flipped); init kills each child after a
 * short while, since a random call may block forever. cvisor must stay
 * in control: every child is reaped, and init reports at the end.
 * Usage: fuzz_syscalls SECONDS [SEED] */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static uint64_t rng;
static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static long raw6(long nr, long a, long b, long c, long d, long e, long f)
{
	long ret;
	register long r10 __asm__("r10") = d, r8 __asm__("r8") = e, r9 __asm__("r9") = f;
	__asm__ volatile("syscall" : "=a"(ret) : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

/* Calls that would end the fuzzing child's own experiment too early or
 * reach outside it: exit, exec, and signals to everyone. */
static int skipped(long nr)
{
	static const long skip[] = {
		SYS_exit, SYS_exit_group, SYS_execve, SYS_execveat, SYS_kill, SYS_tkill, SYS_tgkill,
		SYS_rt_sigreturn, SYS_vfork, SYS_clone, 435 /* clone3 */, SYS_fork,
	};
	for (size_t i = 0; i < sizeof skip / sizeof skip[0]; i++)
		if (skip[i] == nr)
			return 1;
	return 0;
}

static char scratch[65536] __attribute__((aligned(4096)));

static long arg(void)
{
	switch (next() % 10) {
	case 0: return 0;
	case 1: return (long)(next() % 8);                       /* a small fd */
	case 2: return (long)(scratch + next() % 4096);           /* a valid pointer */
	case 3: return (long)(next() % 0x7fffffffffffUL);         /* anywhere */
	case 4: return -(long)(next() % 4096);                    /* -errno-like */
	case 5: return 1L << (next() % 64);                       /* one flag bit */
	case 6: return (long)(next() & ~4095UL) % 0x7fffffff000UL; /* page aligned */
	case 7: return 0x7ffffffef000L + (long)(next() % 8192);   /* cvisor's stub page */
	case 8: return (long)(next() % 65536);                    /* a length */
	default: return (long)next();
	}
}

static void child(void)
{
	/* Paths the calls may meet: a few strings in the scratch buffer. */
	strcpy(scratch, "/tmp/fuzz-file");
	strcpy(scratch + 64, "/proc/self/fd/0");
	strcpy(scratch + 128, "..");
	for (int i = 0; i < 2000; i++) {
		long nr = (long)(next() % 460);
		if (skipped(nr))
			continue;
		raw6(nr, arg(), arg(), arg(), arg(), arg(), arg());
	}
	_exit(0);
}

int main(int argc, char **argv)
{
	int seconds = argc > 1 ? atoi(argv[1]) : 5;
	rng = argc > 2 ? strtoull(argv[2], NULL, 0) : (uint64_t)time(NULL);
	if (!rng)
		rng = 1;
	time_t end = time(NULL) + seconds;
	long children = 0, killed = 0;
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("seed %llu (run again with it as the second argument)\n", (unsigned long long)rng);
	while (time(NULL) < end) {
		uint64_t seed = next();
		pid_t c = fork();
		if (c < 0)
			continue;
		if (c == 0) {
			rng = seed ? seed : 1;
			child();
		}
		children++;
		/* Up to 200 ms for the child, then it goes. */
		int st = 0;
		pid_t r = 0;
		for (int ms = 0; ms < 200 && (r = waitpid(c, &st, WNOHANG)) == 0; ms += 10) {
			struct timespec ts = { 0, 10 * 1000 * 1000 };
			nanosleep(&ts, NULL);
		}
		if (r == 0) {
			kill(c, SIGKILL);
			killed++;
			waitpid(c, &st, 0);
		}
		/* Anything left over (a child's own children) is reaped too. */
		while (waitpid(-1, &st, WNOHANG) > 0)
			;
	}
	printf("fuzzed with %ld children (%ld killed after 200 ms); init is fine\n", children, killed);
	return 0;
}
