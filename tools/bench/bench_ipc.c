/* A guest benchmark: ns per one-byte round trip between two processes,
 * over a pair of pipes or an AF_UNIX stream socketpair.
 * Usage: bench_ipc [ITERATIONS] pipe|unix */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 100000;
	int unix_sock = argc > 2 && !strcmp(argv[2], "unix");
	/* to[1] parent -> child, back[1] child -> parent */
	int to[2], back[2];
	if (unix_sock) {
		int sv[2];
		if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
			return 1;
		to[0] = back[1] = sv[1];
		to[1] = back[0] = sv[0];
	} else if (pipe(to) < 0 || pipe(back) < 0) {
		return 1;
	}
	pid_t c = fork();
	if (c == 0) {
		char b;
		for (long i = 0; i < n; i++)
			if (read(to[0], &b, 1) != 1 || write(back[1], &b, 1) != 1)
				_exit(1);
		_exit(0);
	}
	struct timespec a, z;
	clock_gettime(CLOCK_MONOTONIC, &a);
	char b = 'x';
	for (long i = 0; i < n; i++)
		if (write(to[1], &b, 1) != 1 || read(back[0], &b, 1) != 1)
			return 1;
	clock_gettime(CLOCK_MONOTONIC, &z);
	waitpid(c, NULL, 0);
	double ns = (z.tv_sec - a.tv_sec) * 1e9 + (z.tv_nsec - a.tv_nsec);
	printf("%.0f\n", ns / n);
	return 0;
}
