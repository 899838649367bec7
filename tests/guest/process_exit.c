/* Exit statuses: returning from main, exit_group and exit (one thread:
 * the process ends too), with only the low 8 bits of the code kept.
 * TEST-ARGS: return 0
 * TEST-ARGS: return 5
 * TEST-ARGS: exit_group 42
 * TEST-ARGS: exit_group 261
 * TEST-ARGS: exit_group -1
 * TEST-ARGS: exit 7
 * TEST-ARGS: exit 256
 * TEST-ARGS: libc-exit 9
 */
#include "guest.h"
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	const char *how = argc > 1 ? argv[1] : "return";
	long code = argc > 2 ? strtol(argv[2], NULL, 0) : 0;
	printf("%s %ld\n", how, code);
	fflush(stdout);
	if (strcmp(how, "exit_group") == 0)
		syscall(SYS_exit_group, code);
	else if (strcmp(how, "exit") == 0)
		syscall(SYS_exit, code);
	else if (strcmp(how, "libc-exit") == 0)
		exit((int)code);
	else if (strcmp(how, "return") == 0)
		return (int)code;
	printf("still running\n");
	return 99;
}
