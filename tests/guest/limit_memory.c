/* TEST: own-harness (tests/limits.t runs it under --memory). Maps 64 MiB
 * chunks until mmap fails; then tries brk and mremap past the limit. */
#include "guest.h"
#include <sys/mman.h>
#include <unistd.h>

#define CHUNK (64UL << 20)

int main(void)
{
	int n = 0;
	void *last = NULL;
	for (; n < 64; n++) {
		void *p = mmap(NULL, CHUNK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			break;
		last = p;
	}
	printf("mapped %d chunks of 64 MiB, then %s\n", n, errname(errno));
	void *cur = sbrk(0);
	printf("brk past the limit refused=%d\n", sbrk(CHUNK) == (void *)-1 && sbrk(0) == cur);
	errno = 0;
	printf("mremap past the limit: %s\n",
	       mremap(last, CHUNK, 2 * CHUNK, MREMAP_MAYMOVE) == MAP_FAILED ? errname(errno) : "ok");
	return 0;
}
