/* The raw ptrace floor: the cheapest emulation of getppid under
 * PTRACE_SYSEMU there is (read orig_rax, write rax, resume, wait; no kernel
 * behind it), with tracer and tracee on one CPU as cvisor keeps them. Prints
 * ns per call.
 * Usage: ptrace_floor [ITERATIONS] */
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void child(long n)
{
	ptrace(PTRACE_TRACEME, 0, 0L, 0L);
	raise(SIGSTOP);
	for (long i = 0; i < n; i++)
		syscall(SYS_getppid);
	syscall(SYS_exit_group, 0);
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 100000;
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(sched_getcpu(), &set);
	sched_setaffinity(0, sizeof set, &set);
	pid_t pid = fork();
	if (pid == 0)
		child(n);
	int status;
	waitpid(pid, &status, 0);
	ptrace(PTRACE_SETOPTIONS, pid, 0L, (long)(PTRACE_O_EXITKILL | PTRACE_O_TRACESYSGOOD));
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	long calls = 0;
	for (;;) {
		if (ptrace(PTRACE_SYSEMU, pid, 0L, 0L) < 0 || waitpid(pid, &status, 0) < 0)
			break;
		if (!WIFSTOPPED(status))
			break;
		long nr = ptrace(PTRACE_PEEKUSER, pid, (long)offsetof(struct user_regs_struct, orig_rax), 0L);
		if (nr == SYS_exit_group) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			break;
		}
		long rax = nr == SYS_getppid ? 1 : -38;
		ptrace(PTRACE_POKEUSER, pid, (long)offsetof(struct user_regs_struct, rax), rax);
		calls++;
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	double ns = (b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec);
	printf("%.0f\n", calls ? ns / calls : 0.0);
	return 0;
}
