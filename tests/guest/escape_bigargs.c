/* execve with huge vectors: 1 MiB of argv or of envp (fine under an 8 MiB
 * stack limit), single strings at MAX_ARG_STRLEN and one byte past it,
 * vectors past a quarter of the stack limit, and 300000 empty strings
 * (their pointers count). E2BIG or success exactly as Linux. */
#define _GNU_SOURCE
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "guest.h"

#define KIB 1024UL
#define MAX_ARG_STRLEN (32 * 4096)

static char *self;

/* The exec'd copy: what it was given. */
static int report(int argc, char **argv, char **envp)
{
	size_t abytes = 0, ebytes = 0, envc = 0;
	unsigned long sum = 0;
	/* argv[0] is however the test was started: left out. */
	for (int i = 1; i < argc; i++) {
		abytes += strlen(argv[i]) + 1;
		for (const char *c = argv[i]; *c; c++)
			sum = sum * 31 + (unsigned char)*c;
	}
	for (; envp[envc]; envc++)
		ebytes += strlen(envp[envc]) + 1;
	printf("  child: argc %d (%zu bytes), envc %zu (%zu bytes), sum %lx\n", argc, abytes, envc, ebytes, sum);
	return 0;
}

/* [self, "child",] n strings of len bytes each (the fill letter varies),
 * NULL. */
static char **vec(bool args, size_t n, size_t len)
{
	char **v = calloc(n + 3, sizeof *v);
	size_t k = 0;
	if (args) {
		v[k++] = self;
		v[k++] = "child";
	}
	for (size_t i = 0; i < n; i++) {
		v[k] = malloc(len + 1);
		memset(v[k], 'a' + i % 26, len);
		v[k][len] = 0;
		k++;
	}
	return v;
}

static void try_exec(const char *what, char **av, char **ev)
{
	printf("%s\n", what);
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		syscall(SYS_execve, self, av, ev);
		printf("  execve: %s\n", errname(errno));
		fflush(stdout);
		_exit(0);
	}
	int st;
	waitpid(c, &st, 0);
}

int main(int argc, char **argv, char **envp)
{
	if (argc > 1 && strcmp(argv[1], "child") == 0)
		return report(argc, argv, envp);
	self = argv[0];
	/* Exec's limit is a quarter of the stack limit: make it 2 MiB. */
	struct rlimit rl = { 8 << 20, 8 << 20 };
	getrlimit(RLIMIT_STACK, &rl);
	rl.rlim_cur = 8 << 20;
	if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < rl.rlim_cur)
		rl.rlim_cur = rl.rlim_max;
	SHOW("RLIMIT_STACK 8 MiB", setrlimit(RLIMIT_STACK, &rl));
	char *noenv[] = { NULL };
	char *child[] = { self, "child", NULL };

	try_exec("1 MiB of argv (16 x 64 KiB)", vec(true, 16, 64 * KIB - 1), noenv);
	char **v = vec(false, 16, 64 * KIB - 1);
	try_exec("1 MiB of envp (16 x 64 KiB)", child, v);
	try_exec("an argument of MAX_ARG_STRLEN - 1 bytes", vec(true, 1, MAX_ARG_STRLEN - 1), noenv);
	try_exec("an argument of MAX_ARG_STRLEN bytes", vec(true, 1, MAX_ARG_STRLEN), noenv);
	try_exec("an environment string of MAX_ARG_STRLEN bytes", child, vec(false, 1, MAX_ARG_STRLEN));
	try_exec("3 MiB of argv (48 x 64 KiB)", vec(true, 48, 64 * KIB - 1), noenv);
	try_exec("1.5 MiB of argv and 1 MiB of envp", vec(true, 24, 64 * KIB - 1), v);
	try_exec("300000 empty arguments", vec(true, 300000, 0), noenv);
	try_exec("100000 empty arguments", vec(true, 100000, 0), noenv);
	return 0;
}
