/* What the sandbox looks like from inside: ids, kernel, limits, memory. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

int main(void)
{
	struct utsname u;
	uname(&u);
	printf("pid %d (parent %d), uid %d, on %s %s, host name %s\n", getpid(), getppid(),
	       getuid(), u.sysname, u.release, u.nodename);
	char exe[256];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = 0;
		printf("/proc/self/exe -> %s\n", exe);
	}
	struct rlimit rl;
	if (getrlimit(RLIMIT_STACK, &rl) == 0)
		printf("stack limit: %llu KiB\n", (unsigned long long)rl.rlim_cur / 1024);
	char *heap = malloc(1 << 20);
	memset(heap, 'x', 1 << 20);
	printf("malloc'd and touched 1 MiB: ok\n");
	free(heap);
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	printf("the monotonic clock runs: %s\n", ts.tv_sec || ts.tv_nsec ? "yes" : "no");
	return 0;
}
