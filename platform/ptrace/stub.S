/* The code of the stub page. It is copied into a memfd at start-up and
 * mapped at STUB_ADDR in every stub process; nothing else of cvisor stays
 * mapped there. Position-independent and stack-free. */
#include "stub.h"

#define NR_munmap 11
#define NR_getpid 39
#define NR_kill 62
#define NR_pause 34
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
	jz 1f
	int3
1:	mov $NR_pause, %eax
	syscall
	jmp 1b

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
