/* Process identity and per-thread state: the ids, set_tid_address,
 * set_robust_list and arch_prctl. Ids are compared, never printed. */
#include "guest.h"
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>

/* asm/prctl.h (musl-gcc has no kernel headers) */
#define ARCH_SET_GS 0x1001
#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003
#define ARCH_GET_GS 0x1004
#define ARCH_GET_CPUID 0x1011

/* The thread pointer as the CPU sees it: both libcs keep a pointer to
 * the thread control block at %fs:0. */
static uintptr_t fs0(void)
{
	uintptr_t v;
	__asm__ volatile("mov %%fs:0, %0" : "=r"(v));
	return v;
}

static uintptr_t gs_read(void)
{
	uint64_t v = 0;
	__asm__ volatile("mov %%gs:0, %0" : "=r"(v));
	return v;
}

int main(void)
{
	long pid = syscall(SYS_getpid), tid = syscall(SYS_gettid);
	printf("getpid > 0: %d\n", pid > 0);
	printf("gettid == getpid: %d\n", tid == pid);
	printf("libc getpid agrees: %d\n", getpid() == pid);
	printf("getppid >= 0: %d\n", syscall(SYS_getppid) >= 0);
	printf("getuid == 0: %d\n", syscall(SYS_getuid) == 0);
	printf("geteuid == 0: %d\n", syscall(SYS_geteuid) == 0);
	printf("getgid == 0: %d\n", syscall(SYS_getgid) == 0);
	printf("getegid == 0: %d\n", syscall(SYS_getegid) == 0);

	/* set_tid_address returns the caller's tid, whatever the pointer. */
	static int tid_word;
	printf("set_tid_address == gettid: %d\n", syscall(SYS_set_tid_address, &tid_word) == tid);
	printf("set_tid_address(NULL) == gettid: %d\n", syscall(SYS_set_tid_address, NULL) == tid);
	printf("set_tid_address(bad ptr) == gettid: %d\n", syscall(SYS_set_tid_address, (void *)1) == tid);

	/* set_robust_list: the length must be sizeof(struct robust_list_head);
	 * the head is not read. */
	static long head[3];
	SHOWN("set_robust_list(head, 24)", syscall(SYS_set_robust_list, head, 24));
	SHOWN("set_robust_list(head, 23)", syscall(SYS_set_robust_list, head, 23));
	SHOWN("set_robust_list(head, 0)", syscall(SYS_set_robust_list, head, 0));
	SHOWN("set_robust_list(head, 48)", syscall(SYS_set_robust_list, head, 48));
	SHOWN("set_robust_list(NULL, 24)", syscall(SYS_set_robust_list, NULL, 24));
	SHOWN("set_robust_list(bad ptr, 24)", syscall(SYS_set_robust_list, (void *)1, 24));

	/* arch_prctl: the FS base is the thread pointer libc set up. */
	uint64_t fs = 0;
	SHOWN("ARCH_GET_FS", syscall(SYS_arch_prctl, ARCH_GET_FS, &fs));
	printf("ARCH_GET_FS == %%fs:0: %d\n", fs == fs0());
	SHOWN("ARCH_GET_FS(bad ptr)", syscall(SYS_arch_prctl, ARCH_GET_FS, (void *)1));
	SHOWN("ARCH_GET_FS(NULL)", syscall(SYS_arch_prctl, ARCH_GET_FS, NULL));
	SHOWN("ARCH_SET_FS non-canonical", syscall(SYS_arch_prctl, ARCH_SET_FS, 0x8000000000000000UL));
	SHOWN("ARCH_SET_FS kernel half", syscall(SYS_arch_prctl, ARCH_SET_FS, 0xffff800000000000UL));
	SHOWN("ARCH_SET_FS same value", syscall(SYS_arch_prctl, ARCH_SET_FS, fs));
	printf("FS unchanged: %d\n", fs0() == fs);

	/* Another TLS block: set FS to it, read through %fs, put it back. */
	static uintptr_t fake_tcb[4];
	fake_tcb[0] = 0x5eed;
	/* No libc calls (not even errno) until FS is back: raw instructions. */
	long set, back;
	__asm__ volatile("syscall" : "=a"(set) : "0"(SYS_arch_prctl), "D"(ARCH_SET_FS), "S"(fake_tcb)
			 : "rcx", "r11", "memory");
	uintptr_t seen = fs0();
	__asm__ volatile("syscall" : "=a"(back) : "0"(SYS_arch_prctl), "D"(ARCH_SET_FS), "S"(fs)
			 : "rcx", "r11", "memory");
	printf("ARCH_SET_FS other block: %ld\n", set);
	printf("%%fs:0 read through new base: %#lx\n", (unsigned long)seen);
	printf("ARCH_SET_FS back: %ld\n", back);

	/* GS: unused by libc, set and read back. */
	static uintptr_t gs_block[2] = { 0xabcdef };
	uint64_t gs = 1;
	SHOWN("ARCH_GET_GS", syscall(SYS_arch_prctl, ARCH_GET_GS, &gs));
	printf("initial GS base: %#lx\n", (unsigned long)gs);
	SHOWN("ARCH_SET_GS", syscall(SYS_arch_prctl, ARCH_SET_GS, gs_block));
	SHOWN("ARCH_GET_GS", syscall(SYS_arch_prctl, ARCH_GET_GS, &gs));
	printf("GS base read back: %d\n", gs == (uintptr_t)gs_block);
	printf("%%gs:0 read through it: %#lx\n", (unsigned long)gs_read());
	SHOWN("ARCH_SET_GS non-canonical", syscall(SYS_arch_prctl, ARCH_SET_GS, 0x8000000000000000UL));
	SHOWN("ARCH_GET_GS(bad ptr)", syscall(SYS_arch_prctl, ARCH_GET_GS, (void *)1));
	SHOWN("ARCH_SET_GS 0", syscall(SYS_arch_prctl, ARCH_SET_GS, 0));

	SHOWN("ARCH_GET_CPUID", syscall(SYS_arch_prctl, ARCH_GET_CPUID, 0));
	SHOWN("arch_prctl(0x9999)", syscall(SYS_arch_prctl, 0x9999, 0));
	SHOWN("arch_prctl(0)", syscall(SYS_arch_prctl, 0, 0));
	return 0;
}
