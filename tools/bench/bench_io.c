/* Guest benchmarks of memory and file paths: ns per operation.
 * Usage: bench_io ITERATIONS MODE, MODE one of
 *   mmap     mmap 1 MiB anonymous, touch every page, munmap
 *   open     open and close a file of the root (/etc/passwd)
 *   pread    pread 4 KiB from a file
 *   pipe     one byte to a child and back over two pipes
 *   compute  a loop of arithmetic, no syscalls (the platform's overhead) */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 1000;
	const char *mode = argc > 2 ? argv[2] : "mmap";
	static char buf[4096];
	volatile unsigned long sink = 0;
	int fd = -1, to[2], from[2];
	pid_t child = -1;
	if (!strcmp(mode, "pread") && (fd = open("/proc/self/exe", O_RDONLY)) < 0)
		return 1;
	if (!strcmp(mode, "pipe")) {
		if (pipe(to) || pipe(from))
			return 1;
		if ((child = fork()) == 0) {
			close(to[1]);
			close(from[0]);
			char c;
			while (read(to[0], &c, 1) == 1 && write(from[1], &c, 1) == 1)
				;
			_exit(0);
		}
		close(to[0]);
		close(from[1]);
	}
	double start = now_ns();
	for (long i = 0; i < n; i++) {
		if (!strcmp(mode, "mmap")) {
			char *p = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			if (p == MAP_FAILED)
				return 1;
			for (int off = 0; off < 1 << 20; off += 4096)
				p[off] = 1;
			munmap(p, 1 << 20);
		} else if (!strcmp(mode, "open")) {
			int f = open("/etc/passwd", O_RDONLY);
			if (f < 0)
				return 1;
			close(f);
		} else if (!strcmp(mode, "pread")) {
			if (pread(fd, buf, sizeof buf, 0) != sizeof buf)
				return 1;
		} else if (!strcmp(mode, "pipe")) {
			char c = 'x';
			if (write(to[1], &c, 1) != 1 || read(from[0], &c, 1) != 1)
				return 1;
		} else {
			for (int k = 0; k < 100000; k++)
				sink += (unsigned long)k * k ^ (sink >> 3);
		}
	}
	double ns = (now_ns() - start) / n;
	if (child > 0) {
		close(to[1]);
		waitpid(child, NULL, 0);
	}
	printf("%.0f\n", ns);
	return 0;
}
