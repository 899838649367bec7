/* --strace: what one argument looks like, by its letter in
 * abi/syscall_64.tbl, in strace's notation. */
#ifndef CVISOR_STRACE_DECODE_H
#define CVISOR_STRACE_DECODE_H

#include <stdbool.h>
#include <stdint.h>

#include "fs_proc.h" /* struct sbuf */
#include "kernel.h"

/* Something the call gives back: decoded after it returns. */
bool strace_arg_is_output(char kind);
/* Left out with its comma, as strace leaves open's mode without O_CREAT. */
bool strace_arg_omitted(char kind, const uint64_t a[6], int i);
/* Input argument i, before the call; *saved keeps what its output part
 * needs afterwards (an in-out length's value going in). */
void strace_put_input(struct sbuf *b, struct task *t, char kind, const uint64_t a[6], int i,
		      uint64_t *saved);
/* Output argument i, after the call returned result. */
void strace_put_output(struct sbuf *b, struct task *t, char kind, const uint64_t a[6], int i,
		       long result, uint64_t saved);
/* After " = result": what an in-out argument came back with (poll's
 * revents), if anything. */
void strace_put_after(struct sbuf *b, struct task *t, char kind, const uint64_t a[6], int i,
		      long result);
/* "SIGINT", "SIGRTMIN", "SIGRT_3", else the number. */
void strace_put_signal(struct sbuf *b, int sig);
/* A siginfo's si_code by name for signal sig ("SI_USER", "CLD_EXITED"). */
void strace_put_si_code(struct sbuf *b, int sig, int code);

#endif
