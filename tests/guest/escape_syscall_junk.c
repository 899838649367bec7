/* TEST: own-harness (tests/escape.t runs it under cvisor only; natively it would make
 * these calls). Every syscall number 0..450 with junk arguments, in four
 * rounds: a junk constant, all ones, small integers, and pointers to a
 * buffer holding a host path outside the sandbox (argv[1]). Skipped: calls
 * that end, block, fork or replace the caller, or signal. cvisor must stay in
 * control: each call returns (ENOSYS or a correct emulation) and the guest
 * goes on; the harness checks that no host file was touched. */
#include "guest.h"
#include <stdint.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

static long raw6(long nr, long a, long b, long c, long d, long e, long f)
{
	long ret;
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;
	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

static int skipped(long nr)
{
	static const long skip[] = {
		SYS_exit, SYS_exit_group, SYS_fork, SYS_vfork, SYS_clone, 435 /* clone3 */,
		SYS_execve, SYS_execveat, SYS_kill, SYS_tkill, SYS_tgkill,
		SYS_rt_sigqueueinfo, SYS_rt_tgsigqueueinfo, 424 /* pidfd_send_signal */,
		SYS_pause, SYS_wait4, SYS_waitid, SYS_rt_sigsuspend, SYS_rt_sigreturn,
		/* close_range(0, 1, 2) would take stdout, and the report with it */
		436,
	};
	for (size_t i = 0; i < sizeof skip / sizeof skip[0]; i++)
		if (skip[i] == nr)
			return 1;
	return 0;
}

/* Page-misaligned on purpose: munmap/mprotect of "pointer" arguments must
 * not take down the program's own memory. */
static char buf[8192] __attribute__((aligned(4096)));

int main(int argc, char **argv)
{
	const char *host_path = argc > 1 ? argv[1] : "/etc/passwd";
	char *p = buf + 1;
	long calls = 0, enosys = 0;
	for (int round = 0; round < 4; round++) {
		for (long nr = 0; nr <= 450; nr++) {
			if (skipped(nr))
				continue;
			long a[6];
			for (int i = 0; i < 6; i++) {
				switch (round) {
				case 0: a[i] = (long)0xdead0000beefUL + i; break;
				case 1: a[i] = -1; break;
				case 2: a[i] = i; break;
				default: a[i] = (long)p; break;
				}
			}
			if (round == 3) {
				memset(buf, 0, sizeof buf);
				strcpy(p, host_path);
			}
			long r = raw6(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
			calls++;
			enosys += r == -ENOSYS;
		}
	}
	printf("survived %ld calls (%s)\n", calls, enosys ? "some ENOSYS" : "no ENOSYS");
	return 0;
}
