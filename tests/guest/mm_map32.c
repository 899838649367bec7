/* mmap MAP_32BIT: x86-64 places it bottom-up in [1 GiB, 2 GiB) (from a
 * start Linux randomizes per call, so no order is printed), ignores a hint
 * above 2 GiB, and fails with ENOMEM when the window is full. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>

#include "guest.h"

#define LOW 0x40000000UL
#define HIGH 0x80000000UL

static void *map32(void *hint, size_t len, int prot)
{
	return mmap(hint, len, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_32BIT, -1, 0);
}

static const char *where(void *p, size_t len)
{
	if (p == MAP_FAILED)
		return errname(errno);
	uintptr_t a = (uintptr_t)p;
	return a >= LOW && a + len <= HIGH ? "in [1 GiB, 2 GiB)" : "outside";
}

int main(void)
{
	size_t len = 3 * 4096;
	void *a = map32(NULL, len, PROT_READ | PROT_WRITE);
	printf("first: %s\n", where(a, len));
	void *b = map32(NULL, len, PROT_READ);
	printf("second: %s\n", where(b, len));
	void *c = map32((void *)0x700000000000UL, len, PROT_READ);
	printf("high hint: %s\n", where(c, len));
	void *d = map32(NULL, 0x50000000UL, PROT_NONE);
	printf("1.25 GiB: %s\n", where(d, 0x50000000UL));
	void *e = map32(NULL, 0x30000000UL, PROT_NONE);
	printf("768 MiB: %s\n", where(e, 0x30000000UL));
	void *f = map32(NULL, 0x20000000UL, PROT_NONE);
	printf("512 MiB more: %s\n", where(f, 0x20000000UL));
	return 0;
}
