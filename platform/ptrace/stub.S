/* The code of the stub page. It is copied into a memfd at start-up and
 * mapped at STUB_ADDR in every stub process; nothing else of cvisor stays
 * mapped there. Position-independent and stack-free. */
#include "stub.h"

#define NR_munmap 11
#define NR_getpid 39
#define NR_kill 62
#define NR_pause 34
#define NR_getppid 110
#define NR_prctl 157
#define NR_exit_group 231
#define PR_SET_PDEATHSIG 1
#define SIGKILL 9
#define SIGSTOP 19

	.section .rodata.stub, "a"
	.balign 4096
	.globl stub_page_start
stub_page_start:

	.globl stub_syscall
stub_syscall:
	syscall
	int3

	.globl stub_clone
stub_clone:
	syscall
	test %rax, %rax
	jz stub_park
	int3

	/* A fork: the child dies with cvisor (the spawner thread, its parent
	 * by CLONE_PARENT; r12 holds cvisor's pid, to catch a parent already
	 * gone), then parks until its tracer seizes it. */
	.globl stub_fork
stub_fork:
	syscall
	test %rax, %rax
	jz 1f
	int3
1:	mov $NR_prctl, %eax
	mov $PR_SET_PDEATHSIG, %edi
	mov $SIGKILL, %esi
	syscall
	mov $NR_getppid, %eax
	syscall
	cmp %rax, %r12
	je stub_park
	mov $NR_exit_group, %eax
	xor %edi, %edi
	syscall

	/* A spare thread waits here, untraced, to be seized. */
	.globl stub_park
stub_park:
	mov $NR_pause, %eax
	syscall
	jmp stub_park

	.globl stub_init
stub_init:
	mov $NR_munmap, %eax
	xor %edi, %edi
	movabs $STUB_ADDR, %rsi
	syscall
	mov $NR_munmap, %eax
	movabs $STUB_END, %rdi
	movabs $(HOST_TASK_SIZE - STUB_END), %rsi
	syscall
	mov $NR_getpid, %eax
	syscall
	mov %rax, %rdi
	mov $SIGSTOP, %esi
	mov $NR_kill, %eax
	syscall
2:	int3
	jmp 2b

	.balign 4096
	.globl stub_page_end
stub_page_end:

	.section .note.GNU-stack, "", @progbits
