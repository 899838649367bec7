/* TEST: own-harness (tests/limits.t runs it under --tasks). Forks until
 * fork fails, then reports the errno and how many children it had. */
#include "guest.h"
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int max = argc > 1 ? atoi(argv[1]) : 100;
	int n = 0, err = 0;
	for (; n < max; n++) {
		pid_t c = fork();
		if (c == 0) {
			pause();
			_exit(0);
		}
		if (c < 0) {
			err = errno;
			break;
		}
	}
	printf("forked %d children, then %s\n", n, errname(err));
	return 0;
}
