/* Signal frames in depth: a handler that changes the saved rip, x87, SSE
 * and MXCSR state surviving a handler that clobbers them, SA_RESTART
 * against a blocking wait interrupted by alarm, a fault on an overflowing
 * alternate stack, and storms of standard and real-time signals (the
 * blocking read's restart is signals_read.c, on a fifo). */
#include "guest.h"
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/syscall.h>
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

/* Clobbers all of the FP state a handler could: x87 (fninit: control
 * word, stack, tags), every xmm register, the upper half of ymm8 where
 * there is AVX, and MXCSR's rounding mode. */
static void fp_clobber_all(int sig)
{
	(void)sig;
	unsigned mx = 0x7f80; /* round toward zero */
	__asm__ volatile("fninit\n\t"
			 "ldmxcsr %0\n\t"
			 "pcmpeqd %%xmm0, %%xmm0\n\t"
			 "pcmpeqd %%xmm1, %%xmm1\n\t"
			 "pcmpeqd %%xmm2, %%xmm2\n\t"
			 "pcmpeqd %%xmm3, %%xmm3\n\t"
			 "pcmpeqd %%xmm4, %%xmm4\n\t"
			 "pcmpeqd %%xmm5, %%xmm5\n\t"
			 "pcmpeqd %%xmm6, %%xmm6\n\t"
			 "pcmpeqd %%xmm7, %%xmm7\n\t"
			 "pcmpeqd %%xmm8, %%xmm8\n\t"
			 "pcmpeqd %%xmm9, %%xmm9\n\t"
			 "pcmpeqd %%xmm10, %%xmm10\n\t"
			 "pcmpeqd %%xmm11, %%xmm11\n\t"
			 "pcmpeqd %%xmm12, %%xmm12\n\t"
			 "pcmpeqd %%xmm13, %%xmm13\n\t"
			 "pcmpeqd %%xmm14, %%xmm14\n\t"
			 "pcmpeqd %%xmm15, %%xmm15\n\t"
			 :: "m"(mx) : "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15");
	if (__builtin_cpu_supports("avx"))
		__asm__ volatile("vpcmpeqd %%ymm8, %%ymm8, %%ymm8" ::: "xmm8");
	hits++;
}

/* The FP state loaded, a signal raised by a bare syscall (a libc call may
 * itself clobber the caller-saved xmm registers), the state read back. */
static void test_fp_all(void)
{
	signal(SIGUSR2, fp_clobber_all);
	hits = 0;
	double in[16], out[16];
	for (int i = 0; i < 16; i++)
		in[i] = i + 0.25;
	long double ld_in = 1.5L, ld_out = 0;
	unsigned mx_in = 0x3f80 /* round down */, mx_out = 0, mx_saved = 0;
	long pid = getpid();
	int avx = __builtin_cpu_supports("avx");
	double y_in[4] = { 1, 2, 3, 4 }, y_out[4] = { 0 };
	if (avx)
		__asm__ volatile("vmovupd %0, %%ymm8" :: "m"(y_in) : "xmm8");
	__asm__ volatile("stmxcsr %[saved]\n\t"
			 "ldmxcsr %[mxin]\n\t"
			 "fldt %[ldin]\n\t"
			 "movsd 0(%[in]), %%xmm0\n\t"
			 "movsd 8(%[in]), %%xmm1\n\t"
			 "movsd 16(%[in]), %%xmm2\n\t"
			 "movsd 24(%[in]), %%xmm3\n\t"
			 "movsd 32(%[in]), %%xmm4\n\t"
			 "movsd 40(%[in]), %%xmm5\n\t"
			 "movsd 48(%[in]), %%xmm6\n\t"
			 "movsd 56(%[in]), %%xmm7\n\t"
			 "movsd 64(%[in]), %%xmm8\n\t"
			 "movsd 72(%[in]), %%xmm9\n\t"
			 "movsd 80(%[in]), %%xmm10\n\t"
			 "movsd 88(%[in]), %%xmm11\n\t"
			 "movsd 96(%[in]), %%xmm12\n\t"
			 "movsd 104(%[in]), %%xmm13\n\t"
			 "movsd 112(%[in]), %%xmm14\n\t"
			 "movsd 120(%[in]), %%xmm15\n\t"
			 "mov %[pid], %%rdi\n\t"
			 "mov %[sig], %%esi\n\t"
			 "mov %[nr], %%eax\n\t"
			 "syscall\n\t"
			 "movsd %%xmm0, 0(%[out])\n\t"
			 "movsd %%xmm1, 8(%[out])\n\t"
			 "movsd %%xmm2, 16(%[out])\n\t"
			 "movsd %%xmm3, 24(%[out])\n\t"
			 "movsd %%xmm4, 32(%[out])\n\t"
			 "movsd %%xmm5, 40(%[out])\n\t"
			 "movsd %%xmm6, 48(%[out])\n\t"
			 "movsd %%xmm7, 56(%[out])\n\t"
			 "movsd %%xmm8, 64(%[out])\n\t"
			 "movsd %%xmm9, 72(%[out])\n\t"
			 "movsd %%xmm10, 80(%[out])\n\t"
			 "movsd %%xmm11, 88(%[out])\n\t"
			 "movsd %%xmm12, 96(%[out])\n\t"
			 "movsd %%xmm13, 104(%[out])\n\t"
			 "movsd %%xmm14, 112(%[out])\n\t"
			 "movsd %%xmm15, 120(%[out])\n\t"
			 "fstpt %[ldout]\n\t"
			 "stmxcsr %[mxout]\n\t"
			 "ldmxcsr %[saved]\n\t"
			 : [ldout] "=m"(ld_out), [mxout] "=m"(mx_out), [saved] "=m"(mx_saved)
			 : [mxin] "m"(mx_in), [ldin] "m"(ld_in), [in] "r"(in), [out] "r"(out), [pid] "r"(pid),
			   [sig] "i"(SIGUSR2), [nr] "i"(SYS_kill)
			 : "rax", "rcx", "r11", "rdi", "rsi", "memory", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15");
	/* ymm8's low half was overwritten above; its upper half is ours. */
	if (avx)
		__asm__ volatile("vmovupd %%ymm8, %0\n\tvzeroupper" : "=m"(y_out) :: "xmm8");
	int same = 0;
	for (int i = 0; i < 16; i++)
		same += out[i] == in[i];
	printf("across a clobbering handler: xmm0-15 intact=%d x87 st0 intact=%d MXCSR intact=%d "
	       "ymm8 upper intact=%d handler ran=%d\n", same, ld_out == ld_in, mx_out == mx_in,
	       !avx || (y_out[2] == 3 && y_out[3] == 4), hits);
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

	/* 20,000 real-time signals from a child (fewer than the SIGUSR1 storm:
	 * each is a handler run, seconds under cvisor), each sent again while the
	 * queue is full (EAGAIN): none lost, all in order, no hang. */
	sigaction(SIGRTMIN + 1, &sa, NULL);
	rt_count = 0;
	c = fork();
	if (c == 0) {
		for (int i = 0; i < 20000; i++)
			while (sigqueue(parent, SIGRTMIN + 1, (union sigval){ .sival_int = i }) < 0)
				if (errno != EAGAIN)
					_exit(1);
		_exit(0);
	}
	while (waitpid(c, &st, 0) < 0)
		;
	printf("RT storm from a child: child exit %d, delivered in order %d\n",
	       WIFEXITED(st) ? WEXITSTATUS(st) : -1, rt_count);
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	test_rip();
	test_fp();
	test_fp_all();
	test_restart();
	test_altstack_overflow();
	test_storms();
	return 0;
}
