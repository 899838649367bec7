/* uname and getrandom. From uname only the fields every Linux x86-64
 * host agrees on are printed; from getrandom only lengths and errnos. */
#include "guest.h"
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#define GRND_NONBLOCK_ 0x1
#define GRND_RANDOM_ 0x2
#define GRND_INSECURE_ 0x4
#define PG 4096UL

static int nul_terminated(const char *s, size_t n)
{
	return memchr(s, 0, n) != NULL;
}

static void uname_tests(void)
{
	printf("-- uname\n");
	struct utsname u;
	memset(&u, 'z', sizeof u);
	SHOWN("uname", syscall(SYS_uname, &u));
	printf("sysname: %s\n", u.sysname);
	printf("machine: %s\n", u.machine);
	printf("release non-empty: %d\n", u.release[0] != 0);
	printf("version non-empty: %d\n", u.version[0] != 0);
	printf("nodename non-empty: %d\n", u.nodename[0] != 0);
	printf("all fields terminated: %d\n",
	       nul_terminated(u.sysname, sizeof u.sysname) && nul_terminated(u.nodename, sizeof u.nodename) &&
	       nul_terminated(u.release, sizeof u.release) && nul_terminated(u.version, sizeof u.version) &&
	       nul_terminated(u.machine, sizeof u.machine) && nul_terminated(u.domainname, sizeof u.domainname));
	printf("libc uname agrees: %d\n", uname(&u) == 0 && strcmp(u.sysname, "Linux") == 0);
	SHOWN("uname(NULL)", syscall(SYS_uname, NULL));
	SHOWN("uname(bad ptr)", syscall(SYS_uname, (void *)1));
	SHOWN("uname(kernel ptr)", syscall(SYS_uname, 0xffff800000000000UL));
	/* A buffer running into an unmapped page: nothing is partially copied. */
	long m = syscall(SYS_mmap, 0, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	syscall(SYS_munmap, m + PG, PG);
	SHOWN("uname(struct across the end of a mapping)", syscall(SYS_uname, m + PG - 100));
	/* Read-only memory. */
	syscall(SYS_mprotect, m, PG, PROT_READ);
	SHOWN("uname(read-only memory)", syscall(SYS_uname, m));
	syscall(SYS_munmap, m, PG);
}

static void random_tests(void)
{
	printf("-- getrandom\n");
	unsigned char buf[512];
	SHOWN("getrandom(buf, 0, 0)", syscall(SYS_getrandom, buf, 0, 0));
	SHOWN("getrandom(buf, 16, 0)", syscall(SYS_getrandom, buf, 16, 0));
	SHOWN("getrandom(buf, 300, 0)", syscall(SYS_getrandom, buf, 300, 0));
	SHOWN("getrandom(buf, 512, 0)", syscall(SYS_getrandom, buf, 512, 0));
	SHOWN("getrandom(NONBLOCK)", syscall(SYS_getrandom, buf, 16, GRND_NONBLOCK_));
	SHOWN("getrandom(RANDOM)", syscall(SYS_getrandom, buf, 16, GRND_RANDOM_));
	SHOWN("getrandom(RANDOM|NONBLOCK)", syscall(SYS_getrandom, buf, 16, GRND_RANDOM_ | GRND_NONBLOCK_));
	SHOWN("getrandom(INSECURE)", syscall(SYS_getrandom, buf, 16, GRND_INSECURE_));
	SHOWN("getrandom(INSECURE|NONBLOCK)", syscall(SYS_getrandom, buf, 16, GRND_INSECURE_ | GRND_NONBLOCK_));
	SHOWN("getrandom(flags 0x8)", syscall(SYS_getrandom, buf, 16, 0x8));
	SHOWN("getrandom(flags 0x80000000)", syscall(SYS_getrandom, buf, 16, 0x80000000U));
	SHOWN("getrandom(RANDOM|INSECURE)", syscall(SYS_getrandom, buf, 16, GRND_RANDOM_ | GRND_INSECURE_));
	/* The flags are an unsigned int: high bits are ignored. */
	SHOWN("getrandom(flags 1<<32)", syscall(SYS_getrandom, buf, 16, 1UL << 32));
	SHOWN("getrandom(bad ptr, 16)", syscall(SYS_getrandom, (void *)1, 16, 0));
	SHOWN("getrandom(NULL, 16)", syscall(SYS_getrandom, NULL, 16, 0));
	SHOWN("getrandom(bad ptr, 0)", syscall(SYS_getrandom, (void *)1, 0, 0));
	SHOWN("getrandom(kernel ptr, 16)", syscall(SYS_getrandom, 0xffff800000000000UL, 16, 0));
	SHOWN("getrandom(kernel ptr, 0)", syscall(SYS_getrandom, 0xffff800000000000UL, 0, 0));
	SHOWN("getrandom(bad ptr, 16, bad flags)", syscall(SYS_getrandom, (void *)1, 16, 0x8));

	/* The bytes are written: 64 zero bytes do not stay all zero. */
	memset(buf, 0, 64);
	syscall(SYS_getrandom, buf, 64, 0);
	int nonzero = 0;
	for (int i = 0; i < 64; i++)
		nonzero |= buf[i];
	printf("bytes written: %d\n", nonzero != 0);

	/* A buffer running into an unmapped page: a short count. */
	long m = syscall(SYS_mmap, 0, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	syscall(SYS_munmap, m + PG, PG);
	SHOWN("getrandom(100 bytes before a hole, 300)", syscall(SYS_getrandom, m + PG - 100, 300, 0));
	SHOWN("getrandom(4000 bytes before a hole, 300)", syscall(SYS_getrandom, m + PG - 4000, 300, 0));
	SHOWN("getrandom(in the hole, 300)", syscall(SYS_getrandom, m + PG, 300, 0));
	/* Read-only memory: EFAULT. */
	syscall(SYS_mprotect, m, PG, PROT_READ);
	SHOWN("getrandom(read-only, 16)", syscall(SYS_getrandom, m, 16, 0));
	syscall(SYS_munmap, m, PG);

	/* A large request is served in full. */
	size_t big = 40UL << 20;
	long b = syscall(SYS_mmap, 0, big, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (b != -1) {
		SHOWN("getrandom(40 MiB)", syscall(SYS_getrandom, b, big, 0));
		syscall(SYS_munmap, b, big);
	}
}

int main(void)
{
	uname_tests();
	random_tests();
	return 0;
}
