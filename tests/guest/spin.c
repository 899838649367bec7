/* TEST: own-harness (tests/host_signals.t). Prints "spinning" and then
 * computes forever without a syscall, or with "read" blocks reading stdin:
 * only an interrupt of guest code or of a blocking call can end it. */
#include "guest.h"
#include <unistd.h>

int main(int argc, char **argv)
{
	printf("spinning\n");
	fflush(stdout);
	if (argc > 1 && strcmp(argv[1], "read") == 0) {
		char c;
		while (read(0, &c, 1) != 0)
			;
		return 0;
	}
	for (volatile unsigned long i = 0;; i++)
		;
}
