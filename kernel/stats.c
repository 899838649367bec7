/* --stats output, text or JSON. */
#include <stdlib.h>
#include <time.h>

#include "stats.h"

struct syscall_stat syscall_stats[NR_SYSCALLS + 1];
atomic_ullong stats_guest_ns;

struct row {
	int nr;
	unsigned long calls, errors;
	unsigned long long ns;
};

static int by_time(const void *a, const void *b)
{
	const struct row *x = a, *y = b;
	if (x->ns != y->ns)
		return x->ns < y->ns ? 1 : -1;
	return x->calls < y->calls ? 1 : x->calls > y->calls ? -1 : x->nr - y->nr;
}

static const char *name_of(int nr, char *buf, size_t len)
{
	if (nr < NR_SYSCALLS && syscall_descs[nr].name)
		return syscall_descs[nr].name;
	if (nr < NR_SYSCALLS)
		snprintf(buf, len, "syscall_%d", nr);
	else
		snprintf(buf, len, "out_of_table");
	return buf;
}

void stats_report(FILE *out, enum stats_format format)
{
	struct row rows[NR_SYSCALLS + 1];
	int n = 0;
	unsigned long total_calls = 0;
	unsigned long long total_ns = 0;
	for (int nr = 0; nr <= NR_SYSCALLS; nr++) {
		struct syscall_stat *s = &syscall_stats[nr];
		unsigned long calls = atomic_load(&s->calls);
		if (!calls)
			continue;
		rows[n++] = (struct row){ nr, calls, atomic_load(&s->errors), atomic_load(&s->kernel_ns) };
		total_calls += calls;
		total_ns += rows[n - 1].ns;
	}
	qsort(rows, (size_t)n, sizeof rows[0], by_time);
	unsigned long long guest = atomic_load(&stats_guest_ns);
	char buf[32];
	if (format == STATS_JSON) {
		fprintf(out, "{\"guest_ns\": %llu, \"kernel_ns\": %llu, \"calls\": %lu, \"syscalls\": [",
			guest, total_ns, total_calls);
		for (int i = 0; i < n; i++)
			fprintf(out, "%s\n  {\"name\": \"%s\", \"nr\": %d, \"calls\": %lu, \"errors\": %lu, "
				"\"kernel_ns\": %llu, \"mean_ns\": %llu}", i ? "," : "",
				name_of(rows[i].nr, buf, sizeof buf), rows[i].nr, rows[i].calls, rows[i].errors,
				rows[i].ns, rows[i].ns / rows[i].calls);
		fprintf(out, "\n]}\n");
		return;
	}
	fprintf(out, "%-20s %10s %8s %14s %10s %7s\n", "syscall", "calls", "errors", "total us",
		"mean ns", "% time");
	for (int i = 0; i < n; i++)
		fprintf(out, "%-20s %10lu %8lu %14.1f %10llu %6.1f%%\n", name_of(rows[i].nr, buf, sizeof buf),
			rows[i].calls, rows[i].errors, rows[i].ns / 1000.0, rows[i].ns / rows[i].calls,
			total_ns ? 100.0 * (double)rows[i].ns / (double)total_ns : 0.0);
	fprintf(out, "%-20s %10lu %8s %14.1f\n", "total in cvisor", total_calls, "", total_ns / 1000.0);
	fprintf(out, "%-20s %10s %8s %14.1f\n", "guest and switches", "", "", guest / 1000.0);
}
