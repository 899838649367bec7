/* The stub page: its fixed place in every stub process and its entry points. */
#ifndef CVISOR_PTRACE_STUB_H
#define CVISOR_PTRACE_STUB_H

/* Linux x86-64 TASK_SIZE with 4-level paging: the end of user space. */
#define HOST_TASK_SIZE 0x7ffffffff000UL
/* The stub page sits just above the guest's address space. */
#define STUB_ADDR 0x7ffffffef000UL
#define STUB_SIZE 0x1000UL
#define STUB_END (STUB_ADDR + STUB_SIZE)

#ifndef __ASSEMBLER__
extern const char stub_page_start[], stub_page_end[];
/* syscall; int3 -- every injected call */
extern const char stub_syscall[];
/* clone; the caller traps, the new thread parks in pause() */
extern const char stub_clone[];
/* clone (fork); the caller traps, the child sets PDEATHSIG and parks */
extern const char stub_fork[];
/* pause() forever: where spare threads wait to be seized */
extern const char stub_park[];
/* first entry: unmap all but the stub page, then stop */
extern const char stub_init[];

#define STUB_ENTRY(sym) (STUB_ADDR + (unsigned long)((sym) - stub_page_start))
#endif

#endif
