/* brk: reading the break, growing and shrinking it, the requests Linux
 * refuses (it then returns the old break). Only differences from the
 * first break are printed, never the break itself. */
#include "guest.h"
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define PG 4096UL
#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

static uintptr_t rbrk(uintptr_t addr)
{
	return (uintptr_t)syscall(SYS_brk, addr);
}

/* Can the kernel write 16 bytes at p? */
static const char *writable(uintptr_t p)
{
	errno = 0;
	long r = syscall(SYS_clock_gettime, CLOCK_MONOTONIC, p);
	return r == 0 ? "yes" : errname(errno);
}

static uintptr_t page_up(uintptr_t a)
{
	return (a + PG - 1) & ~(PG - 1);
}

/* The break as an offset from b0, signed. */
static long off(uintptr_t b, uintptr_t b0)
{
	return (long)(b - b0);
}

int main(void)
{
	uintptr_t b0 = rbrk(0);
	printf("brk(0) non-zero: %d\n", b0 != 0);
	printf("brk(0) again same: %d\n", rbrk(0) == b0);
	/* Work from a page-aligned break, so that page arithmetic is exact. */
	uintptr_t base = page_up(b0);
	printf("brk(page_up) = %ld\n", off(rbrk(base), base));

	printf("grow 2 pages: %ld\n", off(rbrk(base + 2 * PG), base));
	printf("brk(0) after grow: %ld\n", off(rbrk(0), base));
	volatile char *m = (volatile char *)base;
	int zero = m[0] == 0 && m[2 * PG - 1] == 0;
	printf("new memory zero-filled: %d\n", zero);
	memset((void *)base, 'x', 2 * PG);
	printf("new memory usable: %d\n", m[0] == 'x' && m[2 * PG - 1] == 'x');
	printf("page past the break mapped: %s\n", writable(base + 2 * PG));

	/* An unaligned break: the page holding it is mapped. */
	printf("grow to +2 pages +100: %ld\n", off(rbrk(base + 2 * PG + 100), base));
	printf("page holding the break mapped: %s\n", writable(base + 2 * PG));
	printf("page after it mapped: %s\n", writable(base + 3 * PG));

	/* Shrinking unmaps whole pages above the new break only. */
	printf("shrink to +1 page +1: %ld\n", off(rbrk(base + PG + 1), base));
	printf("page 0 kept: %d\n", m[0] == 'x');
	printf("page 1 (holds the break) kept: %d\n", m[PG] == 'x' && m[2 * PG - 1] == 'x');
	printf("page 2 mapped: %s\n", writable(base + 2 * PG));
	printf("shrink to +1 page: %ld\n", off(rbrk(base + PG), base));
	printf("page 1 mapped: %s\n", writable(base + PG));
	printf("page 0 kept: %d\n", m[0] == 'x' && m[PG - 1] == 'x');
	/* Growing again gives fresh zeroed pages. */
	printf("grow to +3 pages: %ld\n", off(rbrk(base + 3 * PG), base));
	printf("page 1 zero-filled again: %d\n", m[PG] == 0 && m[2 * PG - 1] == 0);

	/* Refused: the old break comes back. */
	printf("brk(1): %ld\n", off(rbrk(1), base));
	printf("brk(4096): %ld\n", off(rbrk(4096), base));
	printf("brk(kernel half): %ld\n", off(rbrk(0xffff800000000000UL), base));
	printf("brk(-1): %ld\n", off(rbrk((uintptr_t)-1), base));
	printf("brk(0) still: %ld\n", off(rbrk(0), base));

	/* Growing into an existing mapping is refused; so is growing to
	 * right below one, as Linux keeps a page of gap above the break. */
	uintptr_t wall = base + 8 * PG;
	long w = syscall(SYS_mmap, wall, PG, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	printf("mapping above the break: %s\n", w == -1 ? errname(errno) : w == (long)wall ? "at addr" : "elsewhere");
	if (w == (long)wall) {
		printf("grow over the mapping: %ld\n", off(rbrk(wall + 2 * PG), base));
		printf("grow to the mapping's start: %ld\n", off(rbrk(wall), base));
		printf("grow to one page below it: %ld\n", off(rbrk(wall - PG), base));
		printf("grow to one byte into that page: %ld\n", off(rbrk(wall - PG + 1), base));
		syscall(SYS_munmap, wall, PG);
		printf("after munmap, grow past it: %ld\n", off(rbrk(wall + 2 * PG), base));
	}

	/* Back to the start. */
	printf("back to start: %ld\n", off(rbrk(base), base));
	printf("page 0 mapped: %s\n", writable(base));
	return 0;
}
