/* TEST: own-harness (tests/escape.t runs it under --memory 64M; natively it
 * would eat the host's memory)
 * A memory bomb: several processes each touch 1 MiB blocks (malloc, so brk
 * and mmap) until allocation fails, one grows a mapping with mremap, one
 * asks for a terabyte at once. Each must get a clean failure (NULL,
 * ENOMEM) under the limit and live on. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "guest.h"

#define MIB (1UL << 20)
#define CHILDREN 4

static void bomb(int id)
{
	size_t n = 0;
	for (; n < 4096; n++) {
		char *p = malloc(MIB);
		if (!p)
			break;
		for (size_t i = 0; i < MIB; i += 4096)
			p[i] = (char)i;
	}
	printf("child %d: touched %zu MiB, then %s\n", id, n, n < 4096 ? "out of memory" : "no limit");
}

int main(int argc, char **argv)
{
	unsigned long limit = argc > 1 ? strtoul(argv[1], NULL, 0) : 64;
	for (int i = 0; i < CHILDREN; i++) {
		fflush(stdout);
		if (fork() == 0) {
			bomb(i);
			fflush(stdout);
			_exit(0);
		}
	}
	int clean = 0, st;
	while (wait(&st) > 0)
		clean += WIFEXITED(st) && WEXITSTATUS(st) == 0;
	printf("children that exited cleanly: %d of %d\n", clean, CHILDREN);
	void *big = mmap(NULL, 1UL << 40, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	printf("a 1 TiB mapping: %s\n", big == MAP_FAILED ? errname(errno) : "mapped");
	char *p = mmap(NULL, MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	size_t size = MIB;
	while (size < 4096 * MIB) {
		char *q = mremap(p, size, size * 2, MREMAP_MAYMOVE);
		if (q == MAP_FAILED)
			break;
		p = q;
		size *= 2;
		for (size_t i = size / 2; i < size; i += 4096)
			p[i] = 1;
	}
	printf("mremap growth stopped at %s %s\n", size <= limit * MIB ? "or below the limit:" : "past the limit:",
	       errname(errno));
	return 0;
}
