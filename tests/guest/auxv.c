/* The initial process state Linux's exec gives: auxv entries and stack. */
#include "guest.h"
#include <elf.h>
#include <stdlib.h>
#include <sys/auxv.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char **argv)
{
	printf("AT_PAGESZ=%lu\n", getauxval(AT_PAGESZ));
	printf("AT_CLKTCK=%lu\n", getauxval(AT_CLKTCK));
	printf("AT_PHENT=%lu\n", getauxval(AT_PHENT));
	printf("AT_PHNUM>0=%d\n", getauxval(AT_PHNUM) > 0);
	printf("AT_PHDR set=%d\n", getauxval(AT_PHDR) != 0);
	printf("AT_ENTRY set=%d\n", getauxval(AT_ENTRY) != 0);
	printf("AT_UID=%lu AT_EUID=%lu AT_GID=%lu AT_EGID=%lu\n", getauxval(AT_UID),
	       getauxval(AT_EUID), getauxval(AT_GID), getauxval(AT_EGID));
	printf("AT_SECURE=%lu\n", getauxval(AT_SECURE));
	printf("AT_HWCAP=%#lx\n", getauxval(AT_HWCAP));
	const char *plat = (const char *)getauxval(AT_PLATFORM);
	printf("AT_PLATFORM=%s\n", plat ? plat : "(none)");
	const char *execfn = (const char *)getauxval(AT_EXECFN);
	printf("AT_EXECFN is argv[0]=%d\n", execfn && strcmp(execfn, argv[0]) == 0);
	printf("AT_RANDOM set=%d\n", getauxval(AT_RANDOM) != 0);
	printf("argc=%d argv[argc]=%p\n", argc, (void *)argv[argc]);
	printf("environ follows argv=%d\n", environ == argv + argc + 1);
	printf("stack aligned=%d\n", ((unsigned long)__builtin_frame_address(0) & 7) == 0);
	printf("PATH from env=%s\n", getenv("CVISOR_TEST_VAR") ? getenv("CVISOR_TEST_VAR") : "(unset)");
	return 0;
}
