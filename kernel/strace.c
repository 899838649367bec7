/* --strace: "[pid] name(args) = result", decoded as strace does. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../abi/errno_name.h"
#include "guest_mem.h"
#include "syscall.h"

/* Strings and buffers are cut here, as strace's default -s 32. */
#define STRACE_STRING_MAX 32

static void put_quoted(FILE *out, const unsigned char *s, size_t len, bool cut)
{
	fputc('"', out);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = s[i];
		switch (c) {
		case '\n': fputs("\\n", out); break;
		case '\t': fputs("\\t", out); break;
		case '\r': fputs("\\r", out); break;
		case '"': fputs("\\\"", out); break;
		case '\\': fputs("\\\\", out); break;
		default:
			if (c >= 32 && c < 127)
				fputc(c, out);
			else
				fprintf(out, "\\%o", c);
		}
	}
	fputc('"', out);
	if (cut)
		fputs("...", out);
}

static void put_buffer(FILE *out, struct task *t, uint64_t addr, uint64_t len)
{
	unsigned char buf[STRACE_STRING_MAX];
	size_t n = len < sizeof buf ? len : sizeof buf;
	if (copy_from_guest(t, buf, addr, n) < 0)
		fprintf(out, "0x%lx", (unsigned long)addr);
	else
		put_quoted(out, buf, n, len > n);
}

static void put_string(FILE *out, struct task *t, uint64_t addr)
{
	char buf[STRACE_STRING_MAX + 1];
	long n = copy_string_from_guest(t, buf, addr, sizeof buf);
	if (n == -EFAULT)
		fprintf(out, "0x%lx", (unsigned long)addr);
	else
		put_quoted(out, (unsigned char *)buf, n < 0 ? STRACE_STRING_MAX : (size_t)n, n < 0);
}

static void put_arg(FILE *out, struct task *t, char kind, const uint64_t a[6], int i, long result)
{
	uint64_t v = a[i];
	switch (kind) {
	case 'd': fprintf(out, "%d", (int)v); break;
	case 'u': fprintf(out, "%lu", (unsigned long)v); break;
	case 'o': fprintf(out, "0%lo", (unsigned long)v); break;
	case 's': put_string(out, t, v); break;
	case 'b': put_buffer(out, t, v, i < 5 ? a[i + 1] : 0); break;
	case 'O':
		if (result >= 0)
			put_buffer(out, t, v, (uint64_t)result);
		else
			fprintf(out, "0x%lx", (unsigned long)v);
		break;
	case 'p':
		if (!v) {
			fputs("NULL", out);
			break;
		}
		/* fallthrough */
	default: fprintf(out, "0x%lx", (unsigned long)v); break;
	}
}

void strace_syscall(struct task *t, int nr, const uint64_t a[6], long result, bool returns)
{
	FILE *out = kernel.strace;
	const struct syscall_desc *d = nr >= 0 && nr < NR_SYSCALLS ? &syscall_descs[nr] : NULL;
	const char *args = d && d->name ? d->args : "-";
	flockfile(out);
	fprintf(out, "[%d] ", t->tid);
	if (d && d->name)
		fputs(d->name, out);
	else
		fprintf(out, "syscall_%#x", (unsigned)nr);
	fputc('(', out);
	if (strcmp(args, "-") == 0)
		args = "xxxxxx"; /* arity not described: all six, raw */
	for (int i = 0; args[i] && i < 6; i++) {
		if (i)
			fputs(", ", out);
		put_arg(out, t, args[i], a, i, result);
	}
	fputc(')', out);
	if (!returns)
		fputs(" = ?\n", out);
	else if (result < 0 && result >= -4095) {
		const char *name = errno_name((int)-result);
		if (name)
			fprintf(out, " = -1 %s (%s)\n", name, errno_text((int)-result));
		else
			fprintf(out, " = -1 E%ld\n", -result);
	} else if ((unsigned long)result > 0xffff && (nr == NR_mmap || nr == NR_brk))
		fprintf(out, " = 0x%lx\n", (unsigned long)result);
	else
		fprintf(out, " = %ld\n", result);
	funlockfile(out);
}
