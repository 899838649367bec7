/* Big and many: 1 GiB touched in 4 KiB steps; 10,000 separate mappings,
 * every other one unmapped, the rest still intact. */
#include "guest.h"
#include <stdint.h>
#include <sys/mman.h>

#define PG 4096
#define REGIONS 10000

int main(void)
{
	size_t big = 1UL << 30;
	char *p = mmap(NULL, big, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return 1;
	unsigned long sum = 0;
	for (size_t off = 0; off < big; off += PG)
		p[off] = (char)(off >> 12);
	for (size_t off = 0; off < big; off += PG)
		sum += (unsigned char)p[off];
	printf("1 GiB touched, checksum %lu\n", sum);
	munmap(p, big);

	static char *r[REGIONS];
	for (int i = 0; i < REGIONS; i++) {
		/* PROT alternates so neighbours never merge into one VMA. */
		r[i] = mmap(NULL, PG, i % 2 ? PROT_READ | PROT_WRITE : PROT_READ | PROT_WRITE | PROT_EXEC,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (r[i] == MAP_FAILED)
			return 2;
		r[i][0] = (char)i;
	}
	int bad = 0;
	for (int i = 0; i < REGIONS; i += 2)
		bad += munmap(r[i], PG) != 0;
	for (int i = 1; i < REGIONS; i += 2)
		bad += r[i][0] != (char)i;
	unsigned char vec;
	int gone = 0;
	for (int i = 0; i < REGIONS; i += 2)
		gone += mincore(r[i], PG, &vec) == -1 && errno == ENOMEM;
	printf("%d regions, %d unmapped (mincore: ENOMEM for %d), failures %d\n", REGIONS, REGIONS / 2,
	       gone, bad);
	return 0;
}
