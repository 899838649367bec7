/* Pending (not built: tests/guest/pending/ is outside the Makefile's
 * wildcard). Found by tests/userland.t: `ulimit -t 1; while :; do :; done`
 * never ends under cvisor: RLIMIT_CPU is not enforced. Linux sends SIGXCPU
 * at the soft limit (then each second) and SIGKILL at the hard one.
 * Belongs with CPU-time accounting and timers (the signals/timers owner).
 * Natively: "SIGXCPU caught", then killed by SIGKILL (9). */
#include "../guest.h"
#include <signal.h>
#include <sys/resource.h>

static volatile sig_atomic_t xcpu;
static void on_xcpu(int s) { (void)s; xcpu++; }

static void spin(void)
{
	struct rlimit rl = { 1, 2 };
	signal(SIGXCPU, on_xcpu);
	setrlimit(RLIMIT_CPU, &rl);
	while (!xcpu)
		;
	printf("SIGXCPU caught\n");
	fflush(stdout);
	for (;;)
		;
}

int main(void)
{
	int st = in_child(spin);
	if (WIFSIGNALED(st))
		printf("killed by signal %d\n", WTERMSIG(st));
	else
		printf("exited %d\n", WEXITSTATUS(st));
	return 0;
}
