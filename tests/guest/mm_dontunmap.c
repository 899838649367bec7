/* mremap MREMAP_DONTUNMAP: the pages move, the old range stays mapped (an
 * empty private anonymous range reads zeros again); its errors. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "guest.h"

#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP 4
#endif

/* The raw call with new_address 0: libc wrappers pass whatever is in the
 * register when MREMAP_FIXED is not set, and the kernel checks it. */
static void *remap(void *old, size_t old_len, size_t new_len, int flags)
{
	return (void *)syscall(SYS_mremap, old, old_len, new_len, flags, 0);
}

int main(void)
{
	size_t len = 2 * 4096;
	char *a = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(a, 'A', len);
	char *b = remap(a, len, len, MREMAP_MAYMOVE | MREMAP_DONTUNMAP);
	printf("DONTUNMAP private anon: %s\n", b == MAP_FAILED ? errname(errno) : b == a ? "same place" : "moved");
	if (b != MAP_FAILED && b != a) {
		printf("  new range holds the data: %d\n", b[0] == 'A' && b[len - 1] == 'A');
		printf("  old range still mapped, zero: %d\n", a[0] == 0 && a[len - 1] == 0);
		a[0] = 'x';
		printf("  old range writable: %d, new unaffected: %d\n", a[0] == 'x', b[0] == 'A');
		SHOW("  munmap old", munmap(a, len));
		SHOW("  munmap new", munmap(b, len));
	}
	char *c = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	errno = 0;
	void *r = remap(c, len, len, MREMAP_DONTUNMAP);
	printf("without MAYMOVE: %s\n", r == MAP_FAILED ? errname(errno) : "ok");
	r = remap(c, len, 2 * len, MREMAP_MAYMOVE | MREMAP_DONTUNMAP);
	printf("growing: %s\n", r == MAP_FAILED ? errname(errno) : "ok");
	r = remap(c, len / 2, len / 2, MREMAP_MAYMOVE | MREMAP_DONTUNMAP);
	printf("half of it: %s\n", r == MAP_FAILED ? errname(errno) : "ok");
	/* to a fixed place */
	char *d = mmap(NULL, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(d, len);
	c[0] = 'C';
	r = mremap(c, len, len, MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP, d);
	/* a misaligned new address is checked even without MREMAP_FIXED */
	void *m = (void *)syscall(SYS_mremap, c, len, len, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, 12345);
	printf("misaligned new address: %s\n", m == MAP_FAILED ? errname(errno) : "ok");
	printf("FIXED|DONTUNMAP: %s, data %d\n", r == MAP_FAILED ? errname(errno) : r == d ? "at the place" : "elsewhere",
	       r != MAP_FAILED && ((char *)r)[0] == 'C');
	/* a shared mapping */
	char *s = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	s[0] = 'S';
	r = remap(s, len, len, MREMAP_MAYMOVE | MREMAP_DONTUNMAP);
	printf("DONTUNMAP shared anon: %s\n", r == MAP_FAILED ? errname(errno) : "ok");
	if (r != MAP_FAILED)
		printf("  new holds the data: %d\n", ((char *)r)[0] == 'S');
	return 0;
}
