/* --strace: each call's line, "[pid N] HH:MM:SS.uuuuuu name(args) = result",
 * put together as strace prints it: inputs formatted at entry (the call
 * may change them), outputs and the result at return, one write a line.
 * What each argument looks like is strace_decode.c's. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../abi/errno_name.h"
#include "strace.h"
#include "strace_decode.h"
#include "syscall.h"

/* One letter per argument (abi/syscall_64.tbl); all six raw when the
 * table does not know the arity. */
static const char *arg_kinds(int nr)
{
	const struct syscall_desc *d = nr >= 0 && nr < NR_SYSCALLS ? &syscall_descs[nr] : NULL;
	if (!d || !d->name || strcmp(d->args, "-") == 0)
		return "xxxxxx";
	return d->args;
}

/* strace -f tags each line "[pid N] " while it traces more than one task
 * (the first one's too); -tt adds the wall-clock time. */
static void put_prefix(struct sbuf *b, struct task *t, const struct timespec *when)
{
	if (__atomic_load_n(&kernel.ntasks, __ATOMIC_RELAXED) > 1)
		sbuf_printf(b, "[pid %5d] ", t->tid);
	if (kernel.strace_time) {
		struct tm tm;
		localtime_r(&when->tv_sec, &tm);
		sbuf_printf(b, "%02d:%02d:%02d.%06ld ", tm.tm_hour, tm.tm_min, tm.tm_sec, when->tv_nsec / 1000);
	}
}

static void now(struct timespec *ts)
{
	if (kernel.strace_time)
		clock_gettime(CLOCK_REALTIME, ts);
}

/* The finished line, in one write so that tasks' lines never mix. */
static void emit(struct sbuf *b)
{
	if (b->data)
		fwrite(b->data, 1, b->len, kernel.strace);
	free(b->data);
}

static void put_result(struct sbuf *b, int nr, long result)
{
	const char *name = result < 0 && result >= -4095 ? errno_name((int)-result) : NULL;
	if (nr == NR_exit || nr == NR_exit_group)
		sbuf_printf(b, " = ?");
	else if (name && -result >= ERESTARTSYS)
		/* Never seen by the guest: strace shows no -1 for these. */
		sbuf_printf(b, " = ? %s (%s)", name, errno_text((int)-result));
	else if (name)
		sbuf_printf(b, " = -1 %s (%s)", name, errno_text((int)-result));
	else if (result < 0 && result >= -4095)
		sbuf_printf(b, " = -1 E%ld", -result);
	else if ((unsigned long)result > 0xffff && (nr == NR_mmap || nr == NR_brk || nr == NR_mremap))
		sbuf_printf(b, " = %#lx", (unsigned long)result);
	else
		sbuf_printf(b, " = %ld", result);
}

void strace_enter(struct strace_call *c, struct task *t, int nr, const uint64_t a[6])
{
	*c = (struct strace_call){ .t = t, .nr = nr };
	memcpy(c->a, a, sizeof c->a);
	now(&c->when);
	const char *kinds = arg_kinds(nr);
	for (int i = 0; i < 6 && kinds[i]; i++) {
		if (!strace_arg_omitted(kinds[i], a, i))
			strace_put_input(&c->in, t, kinds[i], a, i, &c->saved[i]);
		c->in_end[i] = c->in.len;
	}
	/* The guest never sees these return: their line goes out now. */
	if (nr == NR_exit || nr == NR_exit_group)
		strace_exit(c, 0);
}

void strace_exit(struct strace_call *c, long result)
{
	if (c->done)
		return;
	c->done = true;
	struct sbuf line = { 0 };
	const char *kinds = arg_kinds(c->nr);
	put_prefix(&line, c->t, &c->when);
	if (c->nr >= 0 && c->nr < NR_SYSCALLS && syscall_descs[c->nr].name)
		sbuf_printf(&line, "%s(", syscall_descs[c->nr].name);
	else
		sbuf_printf(&line, "syscall_%#x(", (unsigned)c->nr);
	size_t start = 0;
	bool first = true;
	for (int i = 0; i < 6 && kinds[i]; start = c->in_end[i], i++) {
		if (strace_arg_omitted(kinds[i], c->a, i))
			continue;
		if (!first)
			sbuf_printf(&line, ", ");
		first = false;
		if (strace_arg_is_output(kinds[i]))
			strace_put_output(&line, c->t, kinds[i], c->a, i, result, c->saved[i]);
		else if (c->in_end[i] > start)
			sbuf_put(&line, c->in.data + start, c->in_end[i] - start);
	}
	sbuf_printf(&line, ")");
	put_result(&line, c->nr, result);
	for (int i = 0; i < 6 && kinds[i]; i++)
		strace_put_after(&line, c->t, kinds[i], c->a, i, result);
	sbuf_printf(&line, "\n");
	emit(&line);
	free(c->in.data);
	c->in = (struct sbuf){ 0 };
}

void strace_signal(struct task *t, int sig, const struct linux_siginfo *info)
{
	struct sbuf b = { 0 };
	struct timespec when = { 0 };
	now(&when);
	put_prefix(&b, t, &when);
	sbuf_printf(&b, "--- ");
	strace_put_signal(&b, sig);
	sbuf_printf(&b, " {si_signo=");
	strace_put_signal(&b, sig);
	sbuf_printf(&b, ", si_code=");
	strace_put_si_code(&b, sig, info->si_code);
	switch (sig) {
	case LINUX_SIGSEGV: case LINUX_SIGBUS: case LINUX_SIGILL: case LINUX_SIGFPE: case LINUX_SIGTRAP:
		sbuf_printf(&b, ", si_addr=%#lx", (unsigned long)info->u.fault.addr);
		break;
	case LINUX_SIGCHLD:
		sbuf_printf(&b, ", si_pid=%d, si_uid=%u, si_status=%d", info->u.chld.pid, info->u.chld.uid,
			    info->u.chld.status);
		break;
	default:
		sbuf_printf(&b, ", si_pid=%d, si_uid=%u", info->u.kill.pid, info->u.kill.uid);
	}
	sbuf_printf(&b, "} ---\n");
	emit(&b);
}
