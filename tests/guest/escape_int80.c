/* TEST: own-harness (tests/abi_i386.t: natively these are i386 calls,
 * under cvisor ENOSYS by design, so the outputs differ)
 * The i386 ways into the kernel from 64-bit code: int 0x80 and sysenter.
 * Linux runs them as i386 calls (eax 20 getpid, 39 mkdir, 60 umask, 1
 * exit); they must never run as the 64-bit call of the same number (20
 * writev, 39 getpid, 60 exit, 1 write). One run also fakes the rcx == rip,
 * r11 == rflags a 64-bit syscall leaves; one more switches to 32-bit code
 * (cs 0x23) for its int 0x80. (syscall and sysenter from 32-bit code
 * return to the 32-bit vDSO, which a 64-bit process lacks: not tried.) */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
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

/* Run the 2-byte instruction insn with eax = nr in 32-bit code: a page
 * below 4 GiB holds a far return into it (0x23), the call, and a far jump
 * back (0x33). eax after it, as the 32-bit code saw it. */
static long compat_call(const uint8_t insn[2], uint32_t nr)
{
	static uint8_t *p;
	if (!p) {
		p = mmap((void *)0x20000000, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED || (uintptr_t)p >= 0x80000000UL)
			return -4096;
	}
	uint32_t base = (uint32_t)(uintptr_t)p, saved = base + 0x800, result = base + 0x810;
	uint32_t code32 = base + 0x100, ret64 = base + 0x200;
	uint8_t *c = p;
#define PUT(...) do { const uint8_t b_[] = { __VA_ARGS__ }; memcpy(c, b_, sizeof b_); c += sizeof b_; } while (0)
#define PUT32(v) do { uint32_t v_ = (v); memcpy(c, &v_, 4); c += 4; } while (0)
	PUT(0x48, 0x89, 0x24, 0x25); PUT32(saved);     /* mov [saved], rsp */
	PUT(0x6a, 0x23);                                /* push 0x23 */
	PUT(0x68); PUT32(code32);                       /* push code32 */
	PUT(0x48, 0xcb);                                /* lretq */
	c = p + 0x100;                                  /* 32-bit code: */
	PUT(0x66, 0xb8, 0x2b, 0x00, 0x8e, 0xd8);        /* mov ax, 0x2b; mov ds, ax */
	PUT(0xb8); PUT32(nr);                           /* mov eax, nr */
	PUT(insn[0], insn[1]);
	PUT(0xa3); PUT32(result);                       /* mov [result], eax */
	PUT(0xea); PUT32(ret64); PUT(0x33, 0x00);       /* ljmp 0x33:ret64 */
	c = p + 0x200;                                  /* 64-bit again: */
	PUT(0x48, 0x8b, 0x24, 0x25); PUT32(saved);     /* mov rsp, [saved] */
	PUT(0xc3);                                      /* ret */
#undef PUT
#undef PUT32
	__asm__ volatile("call *%0"
			 : : "r"(p)
			 : "memory", "cc", "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11");
	int32_t r;
	memcpy(&r, p + 0x810, 4);
	return r;
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
	static const uint8_t int80_insn[2] = { 0xcd, 0x80 };
	GUARDED("int 0x80 from 32-bit code, eax=20", compat_call(int80_insn, 20));
	fflush(stdout);
	/* i386 exit(42): natively the process ends here with status 42. */
	GUARDED("int 0x80 eax=1 (i386 exit(42), x86-64 write)", int80(1, 42, 0));
	printf("still running\n");
	return 0;
}
