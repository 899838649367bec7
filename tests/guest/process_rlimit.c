/* Resource limits: prlimit64, getrlimit and setrlimit (raw, as both libcs
 * route getrlimit/setrlimit to prlimit64). Limits are host-specific, so
 * only limits this program set itself are printed. Runs as root natively
 * (as the harness does), but only ever lowers limits. */
#include "guest.h"
#include <stdint.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

struct rl { uint64_t cur, max; };
#define INF (~0ULL)

static long rprlimit(long pid, long res, const struct rl *new, struct rl *old)
{
	return syscall(SYS_prlimit64, pid, res, new, old);
}

static void lim(const char *what, uint64_t v)
{
	if (v == INF)
		printf("%s=inf", what);
	else
		printf("%s=%llu", what, (unsigned long long)v);
}

static void show_rl(const char *name, const struct rl *r)
{
	printf("%s: ", name);
	lim("cur", r->cur);
	printf(" ");
	lim("max", r->max);
	printf("\n");
}

int main(void)
{
	struct rl r, orig;
	long pid = syscall(SYS_getpid);

	printf("-- prlimit64\n");
	SHOWN("prlimit64(0, NOFILE, NULL, &old)", rprlimit(0, RLIMIT_NOFILE, NULL, &orig));
	printf("cur <= max: %d\n", orig.cur <= orig.max);
	SHOWN("prlimit64(getpid(), NOFILE, NULL, &old)", rprlimit(pid, RLIMIT_NOFILE, NULL, &r));
	printf("same as for pid 0: %d\n", r.cur == orig.cur && r.max == orig.max);
	SHOWN("prlimit64(0, NOFILE, NULL, NULL)", rprlimit(0, RLIMIT_NOFILE, NULL, NULL));
	for (int res = 0; res < 16; res++) {
		char name[64];
		snprintf(name, sizeof name, "prlimit64(0, %d) ok, cur<=max", res);
		errno = 0;
		long rc = rprlimit(0, res, NULL, &r);
		printf("%s: %s %d\n", name, rc < 0 ? errname(errno) : "0", rc == 0 && r.cur <= r.max);
	}
	SHOWN("prlimit64(0, 16)", rprlimit(0, 16, NULL, &r));
	SHOWN("prlimit64(0, 99)", rprlimit(0, 99, NULL, &r));
	SHOWN("prlimit64(0, -1)", rprlimit(0, -1, NULL, &r));
	SHOWN("prlimit64(999999, NOFILE)", rprlimit(999999, RLIMIT_NOFILE, NULL, &r));
	SHOWN("prlimit64(999999, 99)", rprlimit(999999, 99, NULL, &r));
	SHOWN("prlimit64(-1, NOFILE)", rprlimit(-1, RLIMIT_NOFILE, NULL, &r));
	SHOWN("prlimit64(0, NOFILE, NULL, bad ptr)", rprlimit(0, RLIMIT_NOFILE, NULL, (void *)1));
	SHOWN("prlimit64(0, NOFILE, bad ptr, NULL)", rprlimit(0, RLIMIT_NOFILE, (void *)1, NULL));
	SHOWN("prlimit64(0, 99, bad ptr, NULL)", rprlimit(0, 99, (void *)1, NULL));
	struct rl bad = { 10, 5 };
	SHOWN("prlimit64(0, NOFILE, cur > max)", rprlimit(0, RLIMIT_NOFILE, &bad, NULL));
	SHOWN("prlimit64(0, 99, cur > max)", rprlimit(0, 99, &bad, NULL));
	/* RLIMIT_NOFILE's max may not exceed fs.nr_open, even for root. */
	struct rl toobig = { 64, INF };
	SHOWN("prlimit64(0, NOFILE, max = inf)", rprlimit(0, RLIMIT_NOFILE, &toobig, NULL));
	rprlimit(0, RLIMIT_NOFILE, &orig, NULL); /* in case it was taken */

	/* Set and read back in one call: old is the previous value. */
	struct rl lower = { 100, orig.max };
	SHOWN("prlimit64(0, NOFILE, {100, max}, &old)", rprlimit(0, RLIMIT_NOFILE, &lower, &r));
	printf("old was the original: %d\n", r.cur == orig.cur && r.max == orig.max);
	rprlimit(0, RLIMIT_NOFILE, NULL, &r);
	lim("now cur", r.cur);
	printf(" max unchanged: %d\n", r.max == orig.max);
	/* A new limit is applied even when writing the old one back fails. */
	struct rl lower2 = { 90, orig.max };
	SHOWN("prlimit64(0, NOFILE, {90, max}, bad ptr)", rprlimit(0, RLIMIT_NOFILE, &lower2, (void *)1));
	rprlimit(0, RLIMIT_NOFILE, NULL, &r);
	lim("now cur", r.cur);
	printf("\n");

	printf("-- getrlimit/setrlimit\n");
	struct rl g;
	SHOWN("getrlimit(NOFILE)", syscall(SYS_getrlimit, RLIMIT_NOFILE, &g));
	lim("cur", g.cur);
	printf(" max is the original: %d\n", g.max == orig.max);
	SHOWN("getrlimit(NOFILE, NULL)", syscall(SYS_getrlimit, RLIMIT_NOFILE, NULL));
	SHOWN("getrlimit(NOFILE, bad ptr)", syscall(SYS_getrlimit, RLIMIT_NOFILE, (void *)1));
	SHOWN("getrlimit(99)", syscall(SYS_getrlimit, 99, &g));
	SHOWN("getrlimit(99, NULL)", syscall(SYS_getrlimit, 99, NULL));
	struct rl s = { 64, orig.max };
	SHOWN("setrlimit(NOFILE, {64, max})", syscall(SYS_setrlimit, RLIMIT_NOFILE, &s));
	syscall(SYS_getrlimit, RLIMIT_NOFILE, &g);
	lim("read back cur", g.cur);
	printf(" max is the original: %d\n", g.max == orig.max);
	SHOWN("setrlimit(NOFILE, NULL)", syscall(SYS_setrlimit, RLIMIT_NOFILE, NULL));
	SHOWN("setrlimit(NOFILE, bad ptr)", syscall(SYS_setrlimit, RLIMIT_NOFILE, (void *)1));
	SHOWN("setrlimit(99, &r)", syscall(SYS_setrlimit, 99, &s));
	SHOWN("setrlimit(99, NULL)", syscall(SYS_setrlimit, 99, NULL));
	SHOWN("setrlimit(NOFILE, cur > max)", syscall(SYS_setrlimit, RLIMIT_NOFILE, &bad));
	SHOWN("setrlimit(NOFILE, max = inf)", syscall(SYS_setrlimit, RLIMIT_NOFILE, &toobig));
	syscall(SYS_getrlimit, RLIMIT_NOFILE, &g);
	lim("unchanged cur", g.cur);
	printf(" max is the original: %d\n", g.max == orig.max);
	rprlimit(0, RLIMIT_NOFILE, &s, NULL); /* in case it was taken */

	/* Lower both limits of RLIMIT_CORE to 0 and read them back. */
	struct rl zero = { 0, 0 };
	SHOWN("setrlimit(CORE, {0, 0})", syscall(SYS_setrlimit, RLIMIT_CORE, &zero));
	SHOWN("getrlimit(CORE)", syscall(SYS_getrlimit, RLIMIT_CORE, &g));
	show_rl("CORE", &g);
	SHOWN("prlimit64(0, CORE, NULL, &old)", rprlimit(0, RLIMIT_CORE, NULL, &r));
	show_rl("CORE", &r);
	/* Finite limits round trip; a soft limit above the hard one does not. */
	struct rl sec = { 1000, 2000 };
	SHOWN("setrlimit(CPU, {1000, 2000})", syscall(SYS_setrlimit, RLIMIT_CPU, &sec));
	syscall(SYS_getrlimit, RLIMIT_CPU, &g);
	show_rl("CPU", &g);
	struct rl cpu_soft_inf = { INF, 2000 };
	SHOWN("setrlimit(CPU, {inf, 2000})", syscall(SYS_setrlimit, RLIMIT_CPU, &cpu_soft_inf));
	return 0;
}
