/* TEST: own-harness (tests/abi_i386.t: natively these are i386 calls,
 * under cvisor ENOSYS by design, so the outputs differ)
 * The i386 ways into the kernel from 64-bit code: int 0x80 and sysenter.
 * Linux runs them as i386 calls (eax 20 getpid, 39 mkdir, 60 umask, 1
 * exit); they must never run as the 64-bit call of the same number (20
 * writev, 39 getpid, 60 exit, 1 write). One run also fakes the rcx == rip,
 * r11 == rflags a 64-bit syscall leaves. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "guest.h"

static long int80(long nr, long b, long c)
{
	__asm__ volatile("int $0x80" : "+a"(nr) : "b"(b), "c"(c) : "memory", "r8", "r9", "r10", "r11");
	return nr;
}

/* rcx and r11 as a 64-bit syscall would leave them at the stop. */
static long int80_faked(long nr, long b)
{
	__asm__ volatile("lea 1f(%%rip), %%rcx\n\t"
			 "pushfq\n\t"
			 "popq %%r11\n\t"
			 "int $0x80\n"
			 "1:"
			 : "+a"(nr) : "b"(b) : "memory", "cc", "rcx", "r8", "r9", "r10", "r11");
	return nr;
}

static long do_sysenter(long nr)
{
	__asm__ volatile("sysenter" : "+a"(nr) : : "memory", "rcx", "r8", "r9", "r10", "r11");
	return nr;
}

static sigjmp_buf jump;
static int caught;

static void on_signal(int sig)
{
	caught = sig;
	siglongjmp(jump, 1);
}

/* What a call's return says: the pid (a getpid ran), an errno, a value. */
static void show(const char *what, long r)
{
	if (r == getpid())
		printf("%s: the pid\n", what);
	else if (r < 0 && r >= -4095)
		printf("%s: %s\n", what, errname((int)-r));
	else
		printf("%s: %#lo\n", what, r);
	fflush(stdout);
}

#define GUARDED(what, expr) do { \
	caught = 0; \
	if (sigsetjmp(jump, 1) == 0) \
		show(what, (expr)); \
	else \
		printf("%s: %s\n", what, caught == SIGILL ? "SIGILL" : caught == SIGSEGV ? "SIGSEGV" : "signal"); \
	fflush(stdout); \
} while (0)

int main(void)
{
	struct sigaction sa = { .sa_handler = on_signal };
	sigaction(SIGILL, &sa, NULL);
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	umask(022);

	GUARDED("int 0x80 eax=20 (i386 getpid, x86-64 writev)", int80(20, 0, 0));
	GUARDED("int 0x80 eax=39 (i386 mkdir(NULL), x86-64 getpid)", int80(39, 0, 0755));
	GUARDED("int 0x80 eax=39, rcx and r11 faked", int80_faked(39, 0));
	GUARDED("int 0x80 eax=60 (i386 umask(077), x86-64 exit)", int80(60, 077, 0));
	printf("umask now: %#o\n", umask(022));
	GUARDED("sysenter eax=20", do_sysenter(20));
	fflush(stdout);
	/* i386 exit(42): natively the process ends here with status 42. */
	GUARDED("int 0x80 eax=1 (i386 exit(42), x86-64 write)", int80(1, 42, 0));
	printf("still running\n");
	return 0;
}
