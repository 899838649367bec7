/* A guest benchmark: ns per call of one cheap syscall, for comparing the
 * per-call overhead of the paths fork+wait takes with getppid's.
 * Usage: bench_sys ITERATIONS getppid|gettid|sigprocmask|wait4 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 100000;
	const char *mode = argc > 2 ? argv[2] : "getppid";
	long nr = !strcmp(mode, "gettid") ? SYS_gettid : !strcmp(mode, "wait4") ? SYS_wait4 : SYS_getppid;
	int mask = !strcmp(mode, "sigprocmask");
	sigset_t all, old;
	sigfillset(&all);
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (long i = 0; i < n; i++) {
		if (mask) /* musl's fork: block all, set back (as a pair here) */
			syscall(SYS_rt_sigprocmask, i & 1 ? SIG_SETMASK : SIG_BLOCK,
				i & 1 ? &old : &all, i & 1 ? NULL : &old, 8);
		else if (nr == SYS_wait4) /* no children: ECHILD */
			syscall(SYS_wait4, -1, NULL, WNOHANG, NULL);
		else
			syscall(nr);
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	double ns = (b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec);
	printf("%.0f\n", ns / n);
	return 0;
}
