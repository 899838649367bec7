/* The syscall table (generated from abi/syscall_64.tbl) and dispatch. */
#ifndef CVISOR_SYSCALL_H
#define CVISOR_SYSCALL_H

#include <signal.h>
#include <stdio.h>

#include "kernel.h"

enum {
#define SYSCALL(nr, name, args) NR_##name = nr,
#include "syscall_table.h"
#undef SYSCALL
	NR_SYSCALLS = 470,
};

struct syscall_desc {
	const char *name; /* NULL for a hole in the table */
	const char *args; /* one letter per argument, see abi/syscall_64.tbl */
};
extern const struct syscall_desc syscall_descs[NR_SYSCALLS];

typedef long syscall_fn(struct task *t, SYSCALL_ARGS);

/* Run the syscall in t->regs and put its result in rax. */
void syscall_dispatch(struct task *t);
/* An i386 call (int 0x80, sysenter): ENOSYS in rax, never the 64-bit call
 * of that number; counted for the report. */
void syscall_dispatch_i386(struct task *t);
/* A call into the legacy vsyscall page (info: the host's SIGSYS): run it
 * as the host's emulation does. */
void syscall_vsyscall(struct task *t, const siginfo_t *info);
/* "unimplemented: name (N calls)" for each one the guest asked for. */
void syscall_report_unimplemented(FILE *out);

#endif
