/* Synchronous faults kill the guest with the right signal when it has no
 * handler: the exit status is 128+N natively and under cvisor.
 * TEST-ARGS: segv
 * TEST-ARGS: segv-write-ro
 * TEST-ARGS: ill
 * TEST-ARGS: fpe
 * TEST-ARGS: trap
 * TEST-ARGS: none
 */
#include "guest.h"
#include <sys/mman.h>

int main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "none";
	printf("fault: %s\n", what);
	fflush(stdout);
	if (strcmp(what, "segv") == 0) {
		int *volatile bad = (int *)8;
		*bad = 1;
	}
	if (strcmp(what, "segv-write-ro") == 0) {
		char *p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		*(volatile char *)p = 1;
	}
	if (strcmp(what, "ill") == 0)
		__asm__ volatile("ud2");
	if (strcmp(what, "fpe") == 0) {
		volatile int zero = 0;
		printf("%d\n", 1 / zero);
	}
	if (strcmp(what, "trap") == 0)
		__asm__ volatile("int3");
	return 0;
}
