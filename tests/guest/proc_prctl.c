/* prctl: the task name (per thread, inherited by fork, reset by exec),
 * parent-death signal, dumpability, no_new_privs, child subreaper,
 * seccomp mode, the capability bounding set, unknown options.
 * TEST-ARGS:
 * TEST-ARGS: threads */
#include "guest.h"
#include <pthread.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void *const BAD = (void *)1;

static void show_name(const char *who)
{
	char name[17];
	memset(name, 'x', sizeof name);
	long r = prctl(PR_GET_NAME, name);
	/* PR_GET_NAME writes all 16 bytes, zero-padded. */
	int padded = 1;
	for (size_t i = strlen(name); i < 16; i++)
		padded &= name[i] == 0;
	printf("%s: name '%s' (rc %ld, padded %d, byte 17 untouched %d)\n", who, name, r, padded,
	       name[16] == 'x');
}

static void child_inherits(void)
{
	show_name("fork child");
	int sig = -1, on = -1;
	prctl(PR_GET_PDEATHSIG, &sig);
	prctl(PR_GET_CHILD_SUBREAPER, &on);
	printf("fork child: pdeathsig %d, subreaper %d, dumpable %d\n", sig, on,
	       (int)prctl(PR_GET_DUMPABLE));
}

static void child_no_new_privs(void)
{
	SHOWN("PR_SET_NO_NEW_PRIVS 2", prctl(PR_SET_NO_NEW_PRIVS, 2, 0, 0, 0));
	SHOWN("PR_SET_NO_NEW_PRIVS 1, arg3 1", prctl(PR_SET_NO_NEW_PRIVS, 1, 1, 0, 0));
	SHOWN("PR_SET_NO_NEW_PRIVS 1, arg5 1", prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 1));
	SHOWN("PR_SET_NO_NEW_PRIVS 1", prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0));
	SHOWN("PR_GET_NO_NEW_PRIVS", prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
	SHOWN("PR_GET_NO_NEW_PRIVS arg2 1", prctl(PR_GET_NO_NEW_PRIVS, 1, 0, 0, 0));
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		printf("grandchild no_new_privs: %d\n", (int)prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
		fflush(stdout);
		_exit(0);
	}
	waitpid(c, NULL, 0);
}

/* The thread's name is its own; a new thread starts with its creator's. */
static void *named_thread(void *arg)
{
	(void)arg;
	show_name("new thread");
	prctl(PR_SET_NAME, "thread-one");
	show_name("thread after set");
	return NULL;
}

static int threads_mode(void)
{
	pthread_t th;
	pthread_create(&th, NULL, named_thread, NULL);
	pthread_join(th, NULL);
	show_name("main after the thread renamed itself");
	prctl(PR_SET_NAME, "main-renamed");
	show_name("main");
	return 0;
}

static void exec_mode(void)
{
	show_name("after exec");
	int sig = -1;
	prctl(PR_GET_PDEATHSIG, &sig);
	printf("after exec: pdeathsig %d, dumpable %d, no_new_privs %d\n", sig,
	       (int)prctl(PR_GET_DUMPABLE), (int)prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "threads") == 0)
		return threads_mode();
	if (argc > 1 && strcmp(argv[1], "exec") == 0) {
		exec_mode();
		return 0;
	}

	/* The name: the basename of the exec'd path, at most 15 bytes. */
	show_name("start");
	SHOWN("PR_SET_NAME worker", prctl(PR_SET_NAME, "worker"));
	show_name("set");
	SHOWN("PR_SET_NAME 20 bytes", prctl(PR_SET_NAME, "abcdefghijklmnopqrst"));
	show_name("truncated");
	SHOWN("PR_SET_NAME empty", prctl(PR_SET_NAME, ""));
	show_name("empty");
	SHOWN("PR_SET_NAME NULL", prctl(PR_SET_NAME, NULL));
	SHOWN("PR_SET_NAME bad", prctl(PR_SET_NAME, BAD));
	SHOWN("PR_GET_NAME NULL", prctl(PR_GET_NAME, NULL));
	/* Read up to the NUL or 15 bytes, never past: a name that ends at
	 * an unreadable page. */
	char *pg = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	mprotect(pg + 4096, 4096, PROT_NONE);
	memcpy(pg + 4096 - 4, "abc", 4);
	SHOWN("PR_SET_NAME ends before a hole", prctl(PR_SET_NAME, pg + 4096 - 4));
	show_name("before a hole");
	memcpy(pg + 4096 - 15, "fifteen-bytes!!", 15);
	SHOWN("PR_SET_NAME 15 bytes up to a hole", prctl(PR_SET_NAME, pg + 4096 - 15));
	show_name("15 bytes");
	memcpy(pg + 4096 - 5, "runs!", 5);
	SHOWN("PR_SET_NAME runs into a hole", prctl(PR_SET_NAME, pg + 4096 - 5));
	show_name("unchanged");
	SHOWN("PR_GET_NAME into a hole", prctl(PR_GET_NAME, pg + 4096 - 8));
	prctl(PR_SET_NAME, "parent-name");

	/* Parent-death signal: any signal number up to 64. */
	int sig = -1;
	SHOWN("PR_GET_PDEATHSIG", prctl(PR_GET_PDEATHSIG, &sig));
	printf("pdeathsig: %d\n", sig);
	SHOWN("PR_SET_PDEATHSIG 65", prctl(PR_SET_PDEATHSIG, 65));
	SHOWN("PR_SET_PDEATHSIG -1", prctl(PR_SET_PDEATHSIG, -1));
	SHOWN("PR_SET_PDEATHSIG 64", prctl(PR_SET_PDEATHSIG, 64));
	SHOWN("PR_SET_PDEATHSIG 10", prctl(PR_SET_PDEATHSIG, 10));
	SHOWN("PR_GET_PDEATHSIG", prctl(PR_GET_PDEATHSIG, &sig));
	printf("pdeathsig: %d\n", sig);
	SHOWN("PR_GET_PDEATHSIG bad", prctl(PR_GET_PDEATHSIG, BAD));

	/* Dumpability: 0 or 1 only. */
	SHOWN("PR_GET_DUMPABLE", prctl(PR_GET_DUMPABLE));
	SHOWN("PR_SET_DUMPABLE 2", prctl(PR_SET_DUMPABLE, 2));
	SHOWN("PR_SET_DUMPABLE 0", prctl(PR_SET_DUMPABLE, 0));
	SHOWN("PR_GET_DUMPABLE", prctl(PR_GET_DUMPABLE));

	/* Child subreaper: any non-zero value sets it. */
	int on = -1;
	SHOWN("PR_GET_CHILD_SUBREAPER", prctl(PR_GET_CHILD_SUBREAPER, &on));
	printf("subreaper: %d\n", on);
	SHOWN("PR_SET_CHILD_SUBREAPER 5", prctl(PR_SET_CHILD_SUBREAPER, 5));
	prctl(PR_GET_CHILD_SUBREAPER, &on);
	printf("subreaper: %d\n", on);
	SHOWN("PR_GET_CHILD_SUBREAPER bad", prctl(PR_GET_CHILD_SUBREAPER, BAD));

	/* A child: the name and dumpability, not the rest. */
	in_child(child_inherits);
	prctl(PR_SET_CHILD_SUBREAPER, 0);
	prctl(PR_GET_CHILD_SUBREAPER, &on);
	printf("subreaper: %d\n", on);

	SHOWN("PR_GET_NO_NEW_PRIVS", prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
	in_child(child_no_new_privs);
	SHOWN("PR_GET_NO_NEW_PRIVS after the child set it", prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));

	SHOWN("PR_GET_SECCOMP", prctl(PR_GET_SECCOMP));
	printf("bounding set:");
	for (int cap = 0; cap <= 40; cap++)
		printf("%ld", (long)prctl(PR_CAPBSET_READ, cap));
	printf("\n");
	SHOWN("PR_CAPBSET_READ 41", prctl(PR_CAPBSET_READ, 41));
	SHOWN("PR_CAPBSET_READ -1", prctl(PR_CAPBSET_READ, -1));
	SHOWN("PR_CAPBSET_READ 1<<32", syscall(SYS_prctl, PR_CAPBSET_READ, 1UL << 32, 0, 0, 0));
	SHOWN("prctl 0", prctl(0));
	SHOWN("prctl 9999", prctl(9999));
	SHOWN("prctl -1", prctl(-1));

	/* exec: a new name and dumpable again; the parent-death signal and
	 * no_new_privs stay. */
	fflush(stdout);
	execl(argv[0], argv[0], "exec", (char *)NULL);
	printf("execl: %s\n", errname(errno));
	return 1;
}
