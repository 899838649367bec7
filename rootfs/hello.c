/* The smallest demo: a static musl binary saying hello from the sandbox. */
#include <stdio.h>

int main(void)
{
	puts("hello from a static binary inside cvisor");
	return 0;
}
