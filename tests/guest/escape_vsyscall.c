/* The legacy vsyscall page at 0xffffffffff600000: whatever the host's mode
 * (here xonly: calls work, reads fault; none: everything faults), the guest
 * sees what a native process sees. cvisor gets these calls as SIGSYS from
 * the stub's seccomp filter and must answer them, not forward the SIGSYS. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "guest.h"

#define VSYSCALL 0xffffffffff600000UL

static sigjmp_buf jump;
static int sig, code;

static void on_signal(int s, siginfo_t *si, void *uc)
{
	(void)uc;
	sig = s;
	code = si->si_code;
	siglongjmp(jump, 1);
}

static const char *sig_text(void)
{
	static char buf[64];
	snprintf(buf, sizeof buf, "%s %s", sig == SIGSEGV ? "SIGSEGV" : sig == SIGSYS ? "SIGSYS" : "signal",
		 code == SI_KERNEL ? "SI_KERNEL" : code == SEGV_MAPERR ? "SEGV_MAPERR" :
		 code == SEGV_ACCERR ? "SEGV_ACCERR" : "other");
	return buf;
}

#define TRY(what, ...) do { \
	sig = 0; \
	if (sigsetjmp(jump, 1) == 0) { __VA_ARGS__; } \
	else printf("%s: %s\n", what, sig_text()); \
} while (0)

static long near(long a, long b)
{
	return a - b <= 2 && b - a <= 2;
}

int main(void)
{
	struct sigaction sa = { .sa_sigaction = on_signal, .sa_flags = SA_SIGINFO | SA_NODEFER };
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGSYS, &sa, NULL);
	long (*v_gettimeofday)(struct timeval *, struct timezone *) = (void *)VSYSCALL;
	long (*v_time)(long *) = (void *)(VSYSCALL + 0x400);
	long (*v_getcpu)(unsigned *, unsigned *, void *) = (void *)(VSYSCALL + 0x800);

	TRY("gettimeofday", {
		struct timeval tv = { 0, 0 };
		struct timezone tz = { 1, 1 };
		long r = v_gettimeofday(&tv, &tz);
		printf("gettimeofday: %ld, now %d, usec valid %d, tz %d %d\n", r, (int)near(tv.tv_sec, time(NULL)),
		       tv.tv_usec >= 0 && tv.tv_usec < 1000000, tz.tz_minuteswest, tz.tz_dsttime);
	});
	TRY("gettimeofday(NULL, NULL)", printf("gettimeofday(NULL, NULL): %ld\n", v_gettimeofday(NULL, NULL)));
	TRY("time", {
		long t = 0;
		long r = v_time(&t);
		printf("time: now %d, stored %d\n", (int)near(r, time(NULL)), r == t);
	});
	TRY("time(NULL)", printf("time(NULL): now %d\n", (int)near(v_time(NULL), time(NULL))));
	TRY("getcpu", {
		unsigned cpu = 9999, node = 9999;
		long r = v_getcpu(&cpu, &node, NULL);
		printf("getcpu: %ld, cpu set %d, node %u\n", r, cpu < 9999, node);
	});
	/* A bad pointer: no return emulated, a SIGSEGV from the kernel. */
	TRY("gettimeofday(bad)", printf("gettimeofday(bad): %ld\n", v_gettimeofday((void *)8, NULL)));
	TRY("time(bad)", printf("time(bad): %ld\n", v_time((void *)8)));
	/* A pointer past user space is refused before the call. */
	TRY("gettimeofday(kernel address)", printf("gettimeofday(kernel address): %ld\n",
						   v_gettimeofday((void *)0xffff888000000000UL, NULL)));
	/* Anywhere but the three entry points, and reads, fault. */
	TRY("call mid-page", ((void (*)(void))(VSYSCALL + 0x10))());
	TRY("read", printf("read: %d\n", *(volatile unsigned char *)VSYSCALL));
	TRY("write", *(volatile unsigned char *)VSYSCALL = 0);
	printf("done\n");
	return 0;
}
