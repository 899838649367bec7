#ifndef CVISOR_FUTEX_H
#define CVISOR_FUTEX_H
#include "kernel.h"
/* FUTEX_WAKE of up to n waiters on addr in t's memory (a thread's exit
 * with CLONE_CHILD_CLEARTID). */
int futex_wake_address(struct task *t, uint64_t addr, int n);
/* A task is exiting: the robust futexes it still holds (set_robust_list)
 * are marked FUTEX_OWNER_DIED and their waiters woken. */
void futex_exit_robust_list(struct task *t);
#endif
