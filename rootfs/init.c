/* The default rootfs's init: a banner and what the sandbox looks like from
 * inside. Until fork and exec land it shows it all itself. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	(void)argc;
	struct utsname u;
	uname(&u);
	printf("cvisor: a user-space kernel for static Linux binaries\n");
	printf("init (%s) running as pid %d, uid %d, on %s %s (%s)\n", argv[0], getpid(),
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
	printf("malloc'd and touched 1 MiB at the heap: ok\n");
	free(heap);
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	printf("the monotonic clock runs: %s\n", ts.tv_sec || ts.tv_nsec ? "yes" : "no");
	printf("every syscall above was stopped by ptrace and answered by cvisor.\n");
	return 0;
}
