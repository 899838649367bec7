/* Signal frames in depth: a handler that changes the saved rip, FP and SSE
 * registers surviving a handler that clobbers them, SA_RESTART against a
 * blocking wait interrupted by alarm, a fault on an overflowing alternate
 * stack, and storms of standard and real-time signals. */
#include "guest.h"
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

static volatile sig_atomic_t hits;
/* SIGILL from ud2: step over the 2-byte instruction by changing the
 * saved rip, and note the rip the kernel reported. */
static void skip_handler(int sig, siginfo_t *si, void *ucv)
{
	(void)sig;
	ucontext_t *uc = ucv;
	hits += (uint64_t)uc->uc_mcontext.gregs[REG_RIP] == (uint64_t)(uintptr_t)si->si_addr;
	uc->uc_mcontext.gregs[REG_RIP] += 2;
}

static void clobber_handler(int sig)
{
	(void)sig;
	volatile double d = 123.456;
	__asm__ volatile("xorps %%xmm0, %%xmm0\n\txorps %%xmm1, %%xmm1\n\tpxor %%xmm7, %%xmm7" ::: "xmm0", "xmm1", "xmm7");
	d *= 2;
	hits++;
}

static void count_handler(int sig)
{
	(void)sig;
	hits++;
}

static void alarm_handler(int sig)
{
	(void)sig;
}

static int rt_count;
static void rt_handler(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	if (si->si_value.sival_int == rt_count)
		rt_count++;
}

static void test_rip(void)
{
	struct sigaction sa = { .sa_sigaction = skip_handler, .sa_flags = SA_SIGINFO };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGILL, &sa, NULL);
	hits = 0;
	__asm__ volatile("ud2");
	__asm__ volatile("ud2");
	printf("handler moved rip past two ud2: resumed after each, rip was si_addr=%d\n", hits);
	signal(SIGILL, SIG_DFL);
}

static void test_fp(void)
{
	signal(SIGUSR2, clobber_handler);
	hits = 0;
	/* A raise between loading a register and using it. */
	volatile double x = 3.0;
	double y;
	__asm__ volatile("movsd %1, %%xmm7\n\t" : : "m"(x), "m"(x) : "xmm7");
	raise(SIGUSR2);
	__asm__ volatile("movsd %%xmm7, %0" : "=m"(y) : : "xmm7");
	printf("SSE register across a clobbering handler: %.2f (expect 3.00), handler ran=%d\n", y, hits);
}

static void test_restart(void)
{
	for (int restart = 0; restart <= 1; restart++) {
		struct sigaction sa = { .sa_handler = alarm_handler, .sa_flags = restart ? SA_RESTART : 0 };
		sigemptyset(&sa.sa_mask);
		sigaction(SIGALRM, &sa, NULL);
		pid_t c = fork();
		if (c == 0) {
			struct timespec d = { 0, 300 * 1000 * 1000 };
			nanosleep(&d, NULL);
			_exit(5);
		}
		ualarm(50000, 0);
		int st;
		errno = 0;
		pid_t r = waitpid(c, &st, 0);
		printf("%s: waitpid %s\n", restart ? "SA_RESTART" : "no SA_RESTART",
		       r == c ? "restarted and reaped the child" : errname(errno));
		if (r != c)
			waitpid(c, &st, 0);
	}
}

static volatile int recurse_limit = 1 << 30;

static int recurse(int depth)
{
	volatile char pad[512];
	pad[0] = (char)depth;
	return depth < recurse_limit ? recurse(depth + 1) + pad[0] : 0;
}

static void overflow_handler(int sig)
{
	(void)sig;
	recurse(0); /* overflows the small alternate stack */
}

static void test_altstack_overflow(void)
{
	pid_t c = fork();
	if (c == 0) {
		static char small[16384];
		stack_t ss = { .ss_sp = small, .ss_size = sizeof small };
		sigaltstack(&ss, NULL);
		struct sigaction sa = { .sa_handler = overflow_handler, .sa_flags = SA_ONSTACK };
		sigemptyset(&sa.sa_mask);
		sigaction(SIGUSR1, &sa, NULL);
		raise(SIGUSR1);
		_exit(0);
	}
	int st;
	waitpid(c, &st, 0);
	printf("altstack overflow: killed by SIGSEGV=%d\n", WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV);
}

static void test_storms(void)
{
	/* 100,000 SIGUSR1 from a child: coalesced, never lost altogether,
	 * never a hang. */
	signal(SIGUSR1, count_handler);
	hits = 0;
	pid_t parent = getpid();
	pid_t c = fork();
	if (c == 0) {
		for (int i = 0; i < 100000; i++)
			kill(parent, SIGUSR1);
		_exit(0);
	}
	int st;
	while (waitpid(c, &st, 0) < 0)
		;
	printf("SIGUSR1 storm: child done, handler ran=%d\n", hits > 0);

	/* Real-time signals queue: 1,000 sent while blocked, each delivered
	 * once, in order. */
	struct sigaction sa = { .sa_sigaction = rt_handler, .sa_flags = SA_SIGINFO };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGRTMIN, &sa, NULL);
	sigset_t rt;
	sigemptyset(&rt);
	sigaddset(&rt, SIGRTMIN);
	sigprocmask(SIG_BLOCK, &rt, NULL);
	int sent = 0;
	for (int i = 0; i < 1000; i++)
		sent += sigqueue(getpid(), SIGRTMIN, (union sigval){ .sival_int = i }) == 0;
	sigprocmask(SIG_UNBLOCK, &rt, NULL);
	printf("RT queue: sent %d, delivered in order %d\n", sent, rt_count);
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	test_rip();
	test_fp();
	test_restart();
	test_altstack_overflow();
	test_storms();
	return 0;
}
