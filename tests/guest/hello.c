/* Start-up and plain output: argv, and both stdio and raw writes. */
#include "guest.h"
#include <unistd.h>

int main(int argc, char **argv)
{
	printf("hello, world\n");
	printf("argc=%d\n", argc);
	for (int i = 1; i < argc; i++)
		printf("argv[%d]=%s\n", i, argv[i]);
	fflush(stdout);
	write(1, "raw write\n", 10);
	return 3;
}
