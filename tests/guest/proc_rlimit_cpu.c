/* RLIMIT_CPU: SIGXCPU at the soft limit (then each second), SIGKILL at
 * the hard one. (Found by tests/userland.t: `ulimit -t 1` on a busy loop.) */
#include "guest.h"
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
