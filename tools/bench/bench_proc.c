/* Guest benchmarks of process work, ns per operation:
 *   bench_proc fork N       fork + _exit + waitpid
 *   bench_proc forkexec N   fork + execve(self, "true") + waitpid
 *   bench_proc thread N     pthread_create + pthread_join
 * (argv[1] may also be a count alone, for run.sh's calling convention, with
 * the mode in BENCH_MODE's place: bench_proc N MODE.) */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void *nothing(void *arg)
{
	return arg;
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "true") == 0)
		return 0;
	long n = argc > 1 ? atol(argv[1]) : 100;
	const char *mode = argc > 2 ? argv[2] : "fork";
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (long i = 0; i < n; i++) {
		if (strcmp(mode, "thread") == 0) {
			pthread_t t;
			pthread_create(&t, NULL, nothing, NULL);
			pthread_join(t, NULL);
			continue;
		}
		pid_t pid = fork();
		if (pid == 0) {
			if (strcmp(mode, "forkexec") == 0) {
				char *av[] = { argv[0], "true", NULL };
				execv(argv[0], av);
			}
			_exit(0);
		}
		waitpid(pid, NULL, 0);
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	double ns = (b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec);
	printf("%.0f\n", ns / n);
	return 0;
}
