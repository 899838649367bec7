/* mmap, munmap and mprotect on anonymous memory: argument checks, the
 * errno each bad call gets, and what the mappings look like afterwards.
 * Whether a page is mapped/readable/writable is probed with syscalls that
 * copy to or from it (EFAULT when they cannot), never by faulting. */
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
#ifndef MAP_SHARED_VALIDATE
#define MAP_SHARED_VALIDATE 0x03
#endif
#ifndef PROT_SEM
#define PROT_SEM 0x8
#endif
#define ANON (MAP_PRIVATE | MAP_ANONYMOUS)
#define RW (PROT_READ | PROT_WRITE)
/* A kernel-half address: never a user mapping. */
#define KADDR 0xffff800000000000UL

/* "name: value" or "name: ERRNO". */
/* mmap: "name: ok" (the address is not printed) or "name: ERRNO". */
#define SHOWM(name, expr) do { \
	errno = 0; \
	long r_ = (long)(expr); \
	printf("%s: %s\n", name, r_ == -1 ? errname(errno) : "ok"); \
} while (0)

static long rmmap(uintptr_t addr, unsigned long len, long prot, long flags, long fd, unsigned long off)
{
	return syscall(SYS_mmap, addr, len, prot, flags, fd, off);
}

static long rmunmap(uintptr_t addr, unsigned long len)
{
	return syscall(SYS_munmap, addr, len);
}

static long rmprotect(uintptr_t addr, unsigned long len, long prot)
{
	return syscall(SYS_mprotect, addr, len, prot);
}

/* Can the kernel write to the page at p? (clock_gettime copies 16 bytes
 * out, to the end of the page so that its start keeps its contents) */
static const char *writable(uintptr_t p)
{
	errno = 0;
	long r = syscall(SYS_clock_gettime, CLOCK_MONOTONIC, p + PG - 16);
	return r == 0 ? "yes" : errname(errno);
}

/* Can the kernel read n bytes at p? (write to stdout copies in; the bytes
 * are printed, so callers put a known line there) */
static const char *readable_line(uintptr_t p, size_t n)
{
	fflush(stdout);
	errno = 0;
	long r = syscall(SYS_write, 1, p, n);
	if (r == (long)n)
		return "yes";
	return r < 0 ? errname(errno) : "short";
}

/* A fresh n-page anonymous read-write mapping, or exit. */
static uintptr_t fresh(unsigned long pages)
{
	long r = rmmap(0, pages * PG, RW, ANON, -1, 0);
	if (r == -1) {
		printf("setup mmap failed: %s\n", errname(errno));
		_exit(1);
	}
	return (uintptr_t)r;
}

static void bad_args(void)
{
	printf("-- mmap argument checks\n");
	SHOWM("mmap len 0", rmmap(0, 0, RW, ANON, -1, 0));
	SHOWM("mmap unaligned offset", rmmap(0, PG, RW, ANON, -1, 1));
	SHOWM("mmap unaligned offset, bad fd", rmmap(0, PG, RW, MAP_PRIVATE, 99, 123));
	SHOWM("mmap len 0, bad fd", rmmap(0, 0, RW, MAP_PRIVATE, 99, 0));
	SHOWM("mmap len -1", rmmap(0, (unsigned long)-1, RW, ANON, -1, 0));
	SHOWM("mmap len 1<<62", rmmap(0, 1UL << 62, RW, ANON, -1, 0));
	SHOWM("mmap type 0", rmmap(0, PG, RW, MAP_ANONYMOUS, -1, 0));
	SHOWM("mmap type 4", rmmap(0, PG, RW, MAP_ANONYMOUS | 0x04, -1, 0));
	SHOWM("mmap type 0xf", rmmap(0, PG, RW, MAP_ANONYMOUS | 0x0f, -1, 0));
	SHOWM("mmap anon MAP_SHARED_VALIDATE", rmmap(0, PG, RW, MAP_ANONYMOUS | MAP_SHARED_VALIDATE, -1, 0));
	SHOWM("mmap non-anon bad fd 99", rmmap(0, PG, PROT_READ, MAP_PRIVATE, 99, 0));
	SHOWM("mmap non-anon fd -1", rmmap(0, PG, PROT_READ, MAP_PRIVATE, -1, 0));
	/* File mappings of the std fds: stdin is /dev/null (read-only, no
	 * mmap), stdout write-only. */
	SHOWM("mmap /dev/null (fd 0)", rmmap(0, PG, PROT_READ, MAP_PRIVATE, 0, 0));
	SHOWM("mmap /dev/null shared", rmmap(0, PG, PROT_READ, MAP_SHARED, 0, 0));
	SHOWM("mmap /dev/null shared writable", rmmap(0, PG, RW, MAP_SHARED, 0, 0));
	SHOWM("mmap /dev/null shared_validate", rmmap(0, PG, PROT_READ, MAP_SHARED_VALIDATE, 0, 0));
	SHOWM("mmap /dev/null shared_validate unknown flag", rmmap(0, PG, PROT_READ, MAP_SHARED_VALIDATE | 0x200000, 0, 0));
	SHOWM("mmap /dev/null type 0", rmmap(0, PG, PROT_READ, 0, 0, 0));
	SHOWM("mmap stdout (write-only)", rmmap(0, PG, PROT_READ, MAP_PRIVATE, 1, 0));
	SHOWM("mmap stdout len 0", rmmap(0, 0, PROT_READ, MAP_PRIVATE, 1, 0));
	SHOWM("mmap fixed unaligned", rmmap(0x10000001, PG, RW, ANON | MAP_FIXED, -1, 0));
	SHOWM("mmap fixed_noreplace unaligned", rmmap(0x10000001, PG, RW, ANON | MAP_FIXED_NOREPLACE, -1, 0));
	SHOWM("mmap fixed in kernel half", rmmap(KADDR, PG, RW, ANON | MAP_FIXED, -1, 0));
	SHOWM("mmap fixed wrapping", rmmap((uintptr_t)-PG, 2 * PG, RW, ANON | MAP_FIXED, -1, 0));

	/* Flags mmap does not know and prot bits it does not know are
	 * ignored by MAP_PRIVATE. */
	long r = rmmap(0, PG, RW, ANON | 0x200000, -1, 0);
	printf("mmap unknown flag 0x200000: %s\n", r == -1 ? errname(errno) : "ok");
	if (r != -1)
		rmunmap((uintptr_t)r, PG);
	r = rmmap(0, PG, RW | 0x10, ANON, -1, 0);
	printf("mmap unknown prot 0x10: %s\n", r == -1 ? errname(errno) : "ok");
	if (r != -1)
		rmunmap((uintptr_t)r, PG);
	/* A non-zero offset is fine (and ignored) for anonymous memory. */
	r = rmmap(0, PG, RW, ANON, -1, 16 * PG);
	printf("mmap anon offset 16 pages: %s\n", r == -1 ? errname(errno) : "ok");
	if (r != -1) {
		printf("  zero-filled: %d\n", *(volatile char *)r == 0);
		rmunmap((uintptr_t)r, PG);
	}
}

static void basic(void)
{
	printf("-- mmap basics\n");
	uintptr_t p = fresh(4);
	printf("page aligned: %d\n", (p & (PG - 1)) == 0);
	int zero = 1;
	for (unsigned long i = 0; i < 4 * PG; i++)
		zero &= ((volatile char *)p)[i] == 0;
	printf("zero-filled: %d\n", zero);
	memset((void *)p, 'x', 4 * PG);
	int same = 1;
	for (unsigned long i = 0; i < 4 * PG; i++)
		same &= ((volatile char *)p)[i] == 'x';
	printf("write then read back: %d\n", same);
	printf("kernel can write it: %s\n", writable(p + PG));

	/* A length that is not a page multiple maps whole pages. */
	long q = rmmap(0, 100, RW, ANON, -1, 0);
	printf("mmap len 100: %s\n", q == -1 ? errname(errno) : "ok");
	if (q != -1) {
		((volatile char *)q)[PG - 1] = 1;
		printf("  last byte of the page usable: %d\n", ((volatile char *)q)[PG - 1] == 1);
		SHOWN("  munmap len 100", rmunmap((uintptr_t)q, 100));
		printf("  gone: %s\n", writable((uintptr_t)q));
	}

	/* A hint at a free, unaligned address is rounded down and honoured. */
	rmunmap(p, 4 * PG);
	long h = rmmap(p + PG + 123, PG, RW, ANON, -1, 0);
	printf("hint honoured (rounded down): %d\n", h == (long)(p + PG));
	if (h != -1)
		rmunmap((uintptr_t)h, PG);
	/* A hint in the kernel half is ignored, not an error. */
	h = rmmap(KADDR, PG, RW, ANON, -1, 0);
	printf("kernel-half hint: %s\n", h == -1 ? errname(errno) : "ok");
	if (h != -1) {
		printf("  placed in user half: %d\n", (uintptr_t)h < KADDR);
		rmunmap((uintptr_t)h, PG);
	}
}

static void fixed(void)
{
	printf("-- MAP_FIXED and MAP_FIXED_NOREPLACE\n");
	uintptr_t p = fresh(3);
	memset((void *)p, 'A', 3 * PG);

	SHOWM("noreplace over mapping", rmmap(p + PG, PG, RW, ANON | MAP_FIXED_NOREPLACE, -1, 0));
	SHOWM("noreplace overlapping the end", rmmap(p + 2 * PG, 2 * PG, RW, ANON | MAP_FIXED_NOREPLACE, -1, 0));
	SHOWM("fixed|noreplace over mapping", rmmap(p + PG, PG, RW, ANON | MAP_FIXED | MAP_FIXED_NOREPLACE, -1, 0));
	SHOWM("noreplace, bad type, over mapping", rmmap(p + PG, PG, RW, MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0));
	printf("contents kept: %d\n", ((volatile char *)p)[PG] == 'A');

	/* MAP_FIXED replaces the middle page with a fresh zeroed one. */
	long r = rmmap(p + PG, PG, RW, ANON | MAP_FIXED, -1, 0);
	printf("fixed over middle page: %s\n", r == -1 ? errname(errno) : r == (long)(p + PG) ? "at addr" : "elsewhere");
	volatile char *c = (volatile char *)p;
	printf("first page kept: %d\n", c[0] == 'A' && c[PG - 1] == 'A');
	printf("middle page zeroed: %d\n", c[PG] == 0 && c[2 * PG - 1] == 0);
	printf("last page kept: %d\n", c[2 * PG] == 'A' && c[3 * PG - 1] == 'A');

	/* MAP_FIXED with a new protection over part of a mapping. */
	r = rmmap(p + 2 * PG, PG, PROT_READ, ANON | MAP_FIXED, -1, 0);
	printf("fixed read-only over last page: %s\n", r == -1 ? errname(errno) : "ok");
	printf("  last page writable: %s\n", writable(p + 2 * PG));
	printf("  middle page writable: %s\n", writable(p + PG));

	/* MAP_FIXED_NOREPLACE in a hole left by munmap works. */
	rmunmap(p + PG, PG);
	r = rmmap(p + PG, PG, RW, ANON | MAP_FIXED_NOREPLACE, -1, 0);
	printf("noreplace in a hole: %s\n", r == -1 ? errname(errno) : r == (long)(p + PG) ? "at addr" : "elsewhere");
	/* A fixed mapping spanning a hole and mappings on both sides. */
	rmunmap(p + PG, PG);
	r = rmmap(p, 3 * PG, RW, ANON | MAP_FIXED, -1, 0);
	printf("fixed across a hole: %s\n", r == -1 ? errname(errno) : r == (long)p ? "at addr" : "elsewhere");
	printf("  whole range writable: %s %s %s\n", writable(p), writable(p + PG), writable(p + 2 * PG));
	rmunmap(p, 3 * PG);
}

static void unmap(void)
{
	printf("-- munmap\n");
	uintptr_t p = fresh(4);
	memset((void *)p, 'B', 4 * PG);
	SHOWN("munmap unaligned", rmunmap(p + 1, PG));
	SHOWN("munmap len 0", rmunmap(p, 0));
	SHOWN("munmap len -1", rmunmap(p, (unsigned long)-1));
	SHOWN("munmap kernel half", rmunmap(KADDR, PG));
	SHOWN("munmap wrapping", rmunmap((uintptr_t)-PG, 2 * PG));
	SHOWN("munmap page 1 of 4", rmunmap(p + PG, PG));
	printf("page 0 mapped: %s\n", writable(p));
	printf("page 1 mapped: %s\n", writable(p + PG));
	printf("page 2 mapped: %s\n", writable(p + 2 * PG));
	printf("page 2 contents kept: %d\n", ((volatile char *)p)[2 * PG] == 'B');
	SHOWN("munmap the hole again", rmunmap(p + PG, PG));
	SHOWN("munmap across the hole", rmunmap(p, 3 * PG));
	printf("page 0 mapped: %s\n", writable(p));
	printf("page 3 mapped: %s\n", writable(p + 3 * PG));
	printf("page 3 contents kept: %d\n", ((volatile char *)p)[3 * PG] == 'B');
	SHOWN("munmap unaligned length", rmunmap(p + 3 * PG, 1));
	printf("page 3 mapped: %s\n", writable(p + 3 * PG));
	SHOWN("munmap nothing mapped", rmunmap(p, 4 * PG));
}

static void protect(void)
{
	printf("-- mprotect\n");
	uintptr_t p = fresh(4);
	memset((void *)p, 'C', 4 * PG);
	SHOWN("mprotect unaligned", rmprotect(p + 1, PG, PROT_READ));
	SHOWN("mprotect len 0", rmprotect(p, 0, PROT_READ));
	SHOWN("mprotect bad prot 0x10", rmprotect(p, PG, RW | 0x10));
	SHOWN("mprotect bad prot 0x100", rmprotect(p, PG, 0x100));
	SHOWN("mprotect bad prot, len 0", rmprotect(p, 0, 0x100));
	SHOWN("mprotect bad prot, unaligned", rmprotect(p + 1, PG, 0x100));
	SHOWN("mprotect GROWSDOWN|GROWSUP", rmprotect(p, PG, PROT_READ | PROT_GROWSDOWN | PROT_GROWSUP));
	SHOWN("mprotect GROWSDOWN on plain mapping", rmprotect(p, PG, PROT_READ | PROT_GROWSDOWN));
	printf("  page 0 writable: %s\n", writable(p));
	SHOWN("mprotect PROT_SEM", rmprotect(p, PG, RW | PROT_SEM));
	SHOWN("mprotect kernel half", rmprotect(KADDR, PG, PROT_READ));
	SHOWN("mprotect wrapping", rmprotect((uintptr_t)-PG, 2 * PG, PROT_READ));

	/* Read-only: the kernel can read it but not write it. */
	memcpy((void *)(p + PG), "read-only page readable\n", 24);
	SHOWN("mprotect page 1 read-only", rmprotect(p + PG, PG, PROT_READ));
	printf("page 1 writable: %s\n", writable(p + PG));
	printf("page 1 readable: %s\n", readable_line(p + PG, 24));
	printf("page 0 writable: %s\n", writable(p));
	printf("page 2 writable: %s\n", writable(p + 2 * PG));
	/* PROT_NONE: neither. */
	SHOWN("mprotect page 1 PROT_NONE", rmprotect(p + PG, PG, PROT_NONE));
	printf("page 1 readable: %s\n", readable_line(p + PG, 24));
	SHOWN("mprotect page 1 back to rw", rmprotect(p + PG, PG, RW));
	printf("page 1 writable: %s\n", writable(p + PG));
	printf("page 1 contents kept: %d\n", memcmp((void *)(p + PG), "read-only", 9) == 0);
	/* An unaligned length covers the whole last page. */
	SHOWN("mprotect len PG+1 read-only", rmprotect(p, PG + 1, PROT_READ));
	printf("page 1 writable: %s\n", writable(p + PG));
	rmprotect(p, 2 * PG, RW);

	/* Unmapped memory: ENOMEM. */
	rmunmap(p + 2 * PG, PG);
	SHOWN("mprotect the hole", rmprotect(p + 2 * PG, PG, PROT_READ));
	SHOWN("mprotect ending in the hole", rmprotect(p + PG, 2 * PG, PROT_READ));
	SHOWN("mprotect starting in the hole", rmprotect(p + 2 * PG, 2 * PG, PROT_READ));
	printf("page 3 writable: %s\n", writable(p + 3 * PG));
	/* Linux changes the VMAs before the hole and then fails. */
	SHOWN("mprotect across the hole", rmprotect(p, 4 * PG, PROT_READ));
	printf("page 0 writable: %s\n", writable(p));
	printf("page 1 writable: %s\n", writable(p + PG));
	printf("page 3 writable: %s\n", writable(p + 3 * PG));
	rmunmap(p, 4 * PG);
	SHOWN("mprotect nothing mapped", rmprotect(p, PG, PROT_READ));

	/* PROT_GROWSDOWN on a MAP_GROWSDOWN mapping extends the change down
	 * to the start of the mapping. */
	long g = rmmap(0, 3 * PG, RW, ANON | MAP_GROWSDOWN, -1, 0);
	printf("mmap MAP_GROWSDOWN: %s\n", g == -1 ? errname(errno) : "ok");
	if (g != -1) {
		uintptr_t q = (uintptr_t)g;
		SHOWN("mprotect page 1 read-only|GROWSDOWN", rmprotect(q + PG, PG, PROT_READ | PROT_GROWSDOWN));
		printf("page 0 writable: %s\n", writable(q));
		printf("page 1 writable: %s\n", writable(q + PG));
		printf("page 2 writable: %s\n", writable(q + 2 * PG));
		rmunmap(q, 3 * PG);
	}
}

static void shared(void)
{
	printf("-- MAP_SHARED anonymous\n");
	long r = rmmap(0, 2 * PG, RW, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	printf("mmap shared anon: %s\n", r == -1 ? errname(errno) : "ok");
	if (r == -1)
		return;
	volatile char *c = (volatile char *)r;
	printf("zero-filled: %d\n", c[0] == 0 && c[2 * PG - 1] == 0);
	c[5] = 'S';
	printf("write then read back: %d\n", c[5] == 'S');
	SHOWN("mprotect read-only", rmprotect((uintptr_t)r, 2 * PG, PROT_READ));
	printf("writable: %s\n", writable((uintptr_t)r));
	SHOWN("munmap", rmunmap((uintptr_t)r, 2 * PG));
}

int main(void)
{
	bad_args();
	basic();
	fixed();
	unmap();
	protect();
	shared();
	return 0;
}
