/* execve's argument and environment vectors at page edges: pointers and
 * strings that cross into the next page, or into an unmapped one, and bad
 * pointers inside a vector. The exec'd copy prints what it was given. */
#include "guest.h"
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static char *self;

/* An exec that must fail: its errno. An exec that succeeds would print
 * the child's lines, so it is run in a child. */
static void try_exec(const char *name, char **av, char **ev)
{
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		errno = 0;
		syscall(SYS_execve, self, av, ev);
		printf("%s: %s\n", name, errname(errno));
		fflush(stdout);
		_exit(0);
	}
	int st;
	waitpid(c, &st, 0);
}

int main(int argc, char **argv, char **envp)
{
	if (argc > 1 && strcmp(argv[1], "child") == 0) {
		printf("  child: argc=%d", argc);
		for (int i = 2; i < argc; i++) {
			size_t len = strlen(argv[i]);
			if (len)
				printf(" [%zu:%c..%c]", len, argv[i][0], argv[i][len - 1]);
			else
				printf(" [0]");
		}
		int n = 0;
		for (char **e = envp; *e; e++)
			n++;
		printf(" envc=%d", n);
		if (n)
			printf(" env0=[%zu:%c]", strlen(envp[0]), envp[0][0]);
		printf("\n");
		return 0;
	}
	self = argv[0];
	/* Two pages, the second made inaccessible: a guard page. */
	char *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return 1;
	mprotect(p + 4096, 4096, PROT_NONE);

	/* A string ending right at the page end. */
	char *edge = p + 4096 - 11;
	memcpy(edge, "abcdefghij", 11);
	char *av1[] = { self, "child", edge, NULL };
	printf("string ending at the page end:\n");
	try_exec("edge", av1, av1 + 3);

	/* A string running into the guard page. */
	char *over = p + 4096 - 4;
	memcpy(over, "wxyz", 4);
	char *av2[] = { self, "child", over, NULL };
	try_exec("string into a guard page", av2, av2 + 3);

	/* A vector whose NULL would sit past the page end. */
	char **vec = (char **)(p + 4096 - 2 * sizeof(char *));
	vec[0] = self;
	vec[1] = "child";
	try_exec("argv into a guard page", vec, av1 + 3);

	/* A vector ending exactly at the page end works. */
	char **vec2 = (char **)(p + 4096 - 3 * sizeof(char *));
	vec2[0] = self;
	vec2[1] = "child";
	vec2[2] = NULL;
	printf("argv ending at the page end:\n");
	try_exec("argv at edge", vec2, vec2 + 2);

	/* A bad pointer in the middle of envp. */
	char *ev3[] = { "A=1", (char *)16, NULL };
	try_exec("bad envp entry", av1, ev3);

	/* Strings across a page boundary, in a large environment. */
	static char big[3][6000];
	char *ev4[4];
	for (int i = 0; i < 3; i++) {
		memset(big[i], 'a' + i, sizeof big[i] - 1);
		big[i][0] = 'K';
		big[i][1] = '=';
		ev4[i] = big[i];
	}
	ev4[3] = NULL;
	char *av4[] = { self, "child", big[1] + 2, "", "x", NULL };
	printf("long strings across pages:\n");
	try_exec("long", av4, ev4);
	return 0;
}
