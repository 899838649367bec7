/* mremap, madvise, msync, mincore and the mlock family. */
#include "guest.h"
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define PG 4096

static char *map(size_t len)
{
	return mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
}

int main(void)
{
	/* Grow: in place when room follows, else moved, contents kept. */
	char *p = map(4 * PG);
	munmap(p + 2 * PG, 2 * PG); /* room after a 2-page mapping */
	memset(p, 'a', 2 * PG);
	char *q = mremap(p, 2 * PG, 4 * PG, 0);
	printf("grow in place: same address=%d contents kept=%d\n", q == p, q != MAP_FAILED && q[PG] == 'a');
	q[3 * PG] = 'b';
	char *block = mmap(q + 4 * PG, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	(void)block;
	errno = 0;
	char *r = mremap(q, 4 * PG, 8 * PG, 0);
	printf("grow blocked, no MAYMOVE: %s\n", r == MAP_FAILED ? errname(errno) : "moved?");
	r = mremap(q, 4 * PG, 8 * PG, MREMAP_MAYMOVE);
	printf("grow with MAYMOVE: moved=%d contents kept=%d\n", r != q, r[PG] == 'a' && r[3 * PG] == 'b');
	r[7 * PG] = 'c';
	/* Shrink. */
	char *s = mremap(r, 8 * PG, 2 * PG, 0);
	printf("shrink: same address=%d\n", s == r);
	SHOW("tail gone (munmap of it is fine, mincore says ENOMEM)", 0);
	unsigned char vec[8];
	SHOW("mincore on the shrunk tail", mincore(r + 2 * PG, PG, vec));
	/* Fixed. */
	char *dst = map(4 * PG);
	char *f = mremap(s, 2 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, dst);
	printf("MREMAP_FIXED: at dst=%d contents kept=%d\n", f == dst, f[PG] == 'a');

	errno = 0;
	SHOW("mremap bad flags", (long)mremap(f, PG, PG, 0x80));
	SHOW("mremap FIXED without MAYMOVE", (long)mremap(f, PG, 2 * PG, MREMAP_FIXED, dst + 8 * PG));
	SHOW("mremap unaligned", (long)mremap(f + 1, PG, 2 * PG, MREMAP_MAYMOVE));
	SHOW("mremap new_len 0", (long)mremap(f, PG, 0, MREMAP_MAYMOVE));
	SHOW("mremap unmapped", (long)mremap((void *)0x10000000, PG, 2 * PG, MREMAP_MAYMOVE));
	SHOW("mremap overlapping FIXED", (long)mremap(f, 2 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, f + PG));
	SHOW("mremap old_len 0 of private", (long)mremap(f, 0, PG, MREMAP_MAYMOVE));

	/* madvise DONTNEED zero-fills private anonymous memory. */
	char *m = map(2 * PG);
	memset(m, 'z', 2 * PG);
	SHOW("madvise DONTNEED", madvise(m, 2 * PG, MADV_DONTNEED));
	printf("after DONTNEED: zero=%d\n", m[0] == 0 && m[PG + 5] == 0);
	SHOW("madvise bad advice", madvise(m, PG, 77));
	SHOW("madvise unaligned", madvise(m + 1, PG, MADV_NORMAL));
	SHOW("madvise len 0", madvise(m, 0, MADV_NORMAL));
	SHOW("madvise over a hole", madvise(m, 64 * PG, MADV_WILLNEED));

	SHOW("msync", msync(m, PG, MS_SYNC));
	SHOW("msync ASYNC|SYNC", msync(m, PG, MS_ASYNC | MS_SYNC));
	SHOW("msync bad flags", msync(m, PG, 0x40));
	SHOW("msync unaligned", msync(m + 1, PG, MS_SYNC));
	SHOW("msync unmapped", msync((void *)0x10000000, PG, MS_SYNC));

	m[0] = 1;
	SHOW("mincore", mincore(m, PG, vec));
	printf("mincore: touched page resident=%d\n", vec[0] & 1);
	SHOW("mincore unaligned", mincore(m + 1, PG, vec));
	SHOW("mincore bad vec", mincore(m, PG, (unsigned char *)8));

	SHOW("mlock", mlock(m, PG));
	SHOW("munlock", munlock(m, PG));
	SHOW("mlock unmapped", mlock((void *)0x10000000, PG));
	SHOW("mlockall 0", mlockall(0));
	SHOW("mlockall ONFAULT alone", mlockall(4));
	SHOW("mlock2 bad flags", syscall(SYS_mlock2, m, PG, 8));
	return 0;
}
