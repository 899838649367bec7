/* TEST: own-harness (tests/limits.t runs it under --tasks 64). A fork
 * bomb: every process forks as long as it can, then waits. The guest sees
 * EAGAIN; the bomb ends when init does. */
#include "guest.h"
#include <signal.h>
#include <unistd.h>

int main(void)
{
	int eagain = 0;
	for (int i = 0; i < 200; i++) {
		pid_t c = fork();
		if (c < 0) {
			eagain = errno == EAGAIN;
			break;
		}
		if (c == 0)
			continue; /* the child bombs on */
	}
	if (getpid() != 1)
		for (;;)
			pause();
	printf("init saw EAGAIN=%d and is done\n", eagain);
	return 0;
}
