/* Credentials: the set*id family, setfs*id, getgroups/setgroups, their
 * permission rules and order of checks; privileges are dropped in a forked
 * child so the parent stays root. "ids" prints the ids and tries to become
 * root (tests/cli.t runs it with --uid/--gid).
 * TEST-ARGS:
 * TEST-ARGS: ids */
#include "guest.h"
#include <stdint.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* Raw calls: the libcs' wrappers would apply them to every thread, and
 * glibc's setgroups checks nothing of its own. */
#define SHOWR(name, expr) do { \
	errno = 0; \
	long r_ = (long)(expr); \
	if (r_ == -1 && errno) printf("%s: %s\n", name, errname(errno)); \
	else printf("%s: %ld\n", name, r_); \
} while (0)

static void *const BAD = (void *)1;

static void show_ids(const char *when)
{
	unsigned r, e, s, gr, ge, gs;
	syscall(SYS_getresuid, &r, &e, &s);
	syscall(SYS_getresgid, &gr, &ge, &gs);
	/* setfs*id(-1) changes nothing and returns the current fs id. */
	long fsu = syscall(SYS_setfsuid, -1), fsg = syscall(SYS_setfsgid, -1);
	printf("%s: uid %u %u %u fs %ld, gid %u %u %u fs %ld\n", when, r, e, s, fsu, gr, ge, gs, fsg);
	printf("%s: get*id agree: %d\n", when,
	       syscall(SYS_getuid) == r && syscall(SYS_geteuid) == e &&
	       syscall(SYS_getgid) == gr && syscall(SYS_getegid) == ge);
}

static void show_groups(const char *when)
{
	uint32_t g[8];
	long n = syscall(SYS_getgroups, 8, g);
	printf("%s: %ld groups:", when, n);
	for (long i = 0; i < n && i < 8; i++)
		printf(" %u", g[i]);
	printf("\n");
}

static int ids_mode(void)
{
	show_ids("ids");
	SHOWR("setuid(0)", syscall(SYS_setuid, 0));
	SHOWR("setgid(0)", syscall(SYS_setgid, 0));
	SHOWR("setgroups(0)", syscall(SYS_setgroups, 0, NULL));
	return 0;
}

static void root_checks(void)
{
	show_ids("start");
	SHOWR("setuid(-1)", syscall(SYS_setuid, -1));
	SHOWR("setgid(-1)", syscall(SYS_setgid, -1));
	SHOWR("setreuid(-1, -1)", syscall(SYS_setreuid, -1, -1));
	SHOWR("setresuid(-1, -1, -1)", syscall(SYS_setresuid, -1, -1, -1));
	SHOWR("setresgid(0, 0, 0)", syscall(SYS_setresgid, 0, 0, 0));
	SHOWR("setuid(0)", syscall(SYS_setuid, 0));
	unsigned u;
	SHOWR("getresuid(bad, ok, ok)", syscall(SYS_getresuid, BAD, &u, &u));
	SHOWR("getresuid(ok, ok, NULL)", syscall(SYS_getresuid, &u, &u, NULL));
	SHOWR("getresgid(ok, bad, ok)", syscall(SYS_getresgid, &u, BAD, &u));

	/* setfsuid: the old value, whatever happens. */
	SHOWR("setfsuid(1000)", syscall(SYS_setfsuid, 1000));
	SHOWR("setfsuid(-1)", syscall(SYS_setfsuid, -1));
	printf("dumpable after an fsuid change: %d\n", prctl(PR_GET_DUMPABLE));
	SHOWR("setfsuid(0)", syscall(SYS_setfsuid, 0));
	SHOWR("setfsgid(7)", syscall(SYS_setfsgid, 7));
	SHOWR("setfsgid(0)", syscall(SYS_setfsgid, 0));
	SHOWR("setfsgid(-1)", syscall(SYS_setfsgid, -1));
	prctl(PR_SET_DUMPABLE, 1);

	/* setgroups: EPERM, then the size, then each gid in turn. */
	SHOWR("setgroups(65537)", syscall(SYS_setgroups, 65537, NULL));
	SHOWR("setgroups(-1)", syscall(SYS_setgroups, -1, NULL));
	SHOWR("setgroups(2, bad)", syscall(SYS_setgroups, 2, BAD));
	uint32_t bad_gid[] = { 5, (uint32_t)-1 };
	SHOWR("setgroups {5, -1}", syscall(SYS_setgroups, 2, bad_gid));
	uint32_t set[] = { 30, 10, 20, 10 };
	SHOWR("setgroups {30, 10, 20, 10}", syscall(SYS_setgroups, 4, set));
	SHOWR("getgroups(0, NULL)", syscall(SYS_getgroups, 0, NULL));
	SHOWR("getgroups(0, bad)", syscall(SYS_getgroups, 0, BAD));
	uint32_t g[8];
	SHOWR("getgroups(3) too small", syscall(SYS_getgroups, 3, g));
	SHOWR("getgroups(-1)", syscall(SYS_getgroups, -1, g));
	SHOWR("getgroups(4, bad)", syscall(SYS_getgroups, 4, BAD));
	show_groups("sorted");
	SHOWR("setgroups(0, bad)", syscall(SYS_setgroups, 0, BAD));
	SHOWR("getgroups(1, bad) with none", syscall(SYS_getgroups, 1, BAD));

	/* NGROUPS_MAX gids fit, read back in order. */
	uint32_t *many = malloc(65536 * sizeof *many);
	for (int i = 0; i < 65536; i++)
		many[i] = 65535 - i;
	SHOWR("setgroups(65536)", syscall(SYS_setgroups, 65536, many));
	for (int i = 0; i < 65536; i++)
		many[i] = 0;
	SHOWR("getgroups(65536)", syscall(SYS_getgroups, 65536, many));
	int sorted = 1;
	for (int i = 0; i < 65536; i++)
		sorted &= many[i] == (uint32_t)i;
	printf("65536 groups sorted: %d\n", sorted);
	free(many);
	SHOWR("setgroups(0, NULL)", syscall(SYS_setgroups, 0, NULL));
}

/* A child that gives up root step by step. */
static void drop_privileges(void)
{
	SHOWR("setresgid(100, 100, 100)", syscall(SYS_setresgid, 100, 100, 100));
	uint32_t one = 100;
	SHOWR("setgroups {100}", syscall(SYS_setgroups, 1, &one));
	prctl(PR_SET_PDEATHSIG, 10);
	SHOWR("setresuid(1000, 1000, 0)", syscall(SYS_setresuid, 1000, 1000, 0));
	show_ids("euid 1000, suid 0");
	int sig = -1;
	prctl(PR_GET_PDEATHSIG, &sig);
	printf("pdeathsig after an euid change: %d\n", sig);
	printf("dumpable after an euid change: %d\n", prctl(PR_GET_DUMPABLE));
	SHOWR("setgroups(0) unprivileged", syscall(SYS_setgroups, 0, NULL));
	SHOWR("setgroups(65537) unprivileged", syscall(SYS_setgroups, 65537, NULL));
	SHOWR("setgid(0)", syscall(SYS_setgid, 0));
	SHOWR("setgid(-1) unprivileged", syscall(SYS_setgid, -1));
	SHOWR("setuid(2000)", syscall(SYS_setuid, 2000));
	SHOWR("setreuid(2000, -1)", syscall(SYS_setreuid, 2000, -1));
	SHOWR("setreuid(-1, 2000)", syscall(SYS_setreuid, -1, 2000));
	SHOWR("setresuid(2000, -1, -1)", syscall(SYS_setresuid, 2000, -1, -1));
	SHOWR("setresuid(1000, 1000, 0) no-op", syscall(SYS_setresuid, 1000, 1000, 0));
	SHOWR("setfsuid(2000)", syscall(SYS_setfsuid, 2000));
	SHOWR("setfsuid(0)", syscall(SYS_setfsuid, 0));
	SHOWR("setfsuid(-1)", syscall(SYS_setfsuid, -1));
	SHOWR("setfsuid(1000)", syscall(SYS_setfsuid, 1000));

	/* The saved 0 lets euid come back; setreuid's saved-id rule. */
	SHOWR("setreuid(-1, 0)", syscall(SYS_setreuid, -1, 0));
	show_ids("euid back to 0");
	SHOWR("setreuid(-1, 1000)", syscall(SYS_setreuid, -1, 1000));
	show_ids("euid = ruid keeps suid");
	SHOWR("setresuid(-1, 0, -1)", syscall(SYS_setresuid, -1, 0, -1));
	SHOWR("setreuid(1000, 1000)", syscall(SYS_setreuid, 1000, 1000));
	show_ids("setreuid(1000, 1000)");
	SHOWR("setuid(0) now", syscall(SYS_setuid, 0));
	SHOWR("setresuid(-1, 0, -1) now", syscall(SYS_setresuid, -1, 0, -1));
	SHOWR("setuid(1000)", syscall(SYS_setuid, 1000));
	SHOWR("setgid(100)", syscall(SYS_setgid, 100));
	SHOWR("setregid(100, 100)", syscall(SYS_setregid, 100, 100));
	SHOWR("setregid(0, -1)", syscall(SYS_setregid, 0, -1));
	SHOWR("setresgid(-1, -1, 0)", syscall(SYS_setresgid, -1, -1, 0));
	SHOWR("setfsgid(0)", syscall(SYS_setfsgid, 0));
	SHOWR("setfsgid(-1)", syscall(SYS_setfsgid, -1));
	show_groups("unprivileged");
	show_ids("end");

	/* Scheduling another user's process needs CAP_SYS_NICE; reading it
	 * does not. Real time needs RLIMIT_RTPRIO. */
	uint8_t mask[1024] = { 0 };
	long n = syscall(SYS_sched_getaffinity, getppid(), sizeof mask, mask);
	printf("getaffinity of the root parent: %d\n", n > 0);
	SHOWR("setaffinity of the root parent", syscall(SYS_sched_setaffinity, getppid(), n, mask));
	SHOWR("setaffinity of self", syscall(SYS_sched_setaffinity, 0, n, mask));
	struct sched_param sp = { 0 };
	SHOWR("setscheduler of the root parent", syscall(SYS_sched_setscheduler, getppid(), SCHED_OTHER, &sp));
	SHOWR("setscheduler SCHED_BATCH", syscall(SYS_sched_setscheduler, 0, SCHED_BATCH, &sp));
	SHOWR("setscheduler SCHED_IDLE", syscall(SYS_sched_setscheduler, 0, SCHED_IDLE, &sp));
	SHOWR("setscheduler back from SCHED_IDLE", syscall(SYS_sched_setscheduler, 0, SCHED_OTHER, &sp));
	sp.sched_priority = 1;
	SHOWR("setscheduler SCHED_FIFO 1", syscall(SYS_sched_setscheduler, 0, SCHED_FIFO, &sp));
}

/* setuid as root sets every id; setgid the same for groups. */
static void root_setuid(void)
{
	SHOWR("setgid(50)", syscall(SYS_setgid, 50));
	SHOWR("setreuid(0, 300)", syscall(SYS_setreuid, 0, 300));
	show_ids("setreuid(0, 300)");
	SHOWR("setreuid(-1, 0)", syscall(SYS_setreuid, -1, 0));
	SHOWR("setuid(400)", syscall(SYS_setuid, 400));
	show_ids("setuid(400)");
}

static void in_child(void (*fn)(void))
{
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		fn();
		fflush(stdout);
		_exit(0);
	}
	int st;
	waitpid(c, &st, 0);
	printf("child exit: %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "ids") == 0)
		return ids_mode();
	root_checks();
	in_child(drop_privileges);
	in_child(root_setuid);
	show_ids("parent still root");
	return 0;
}
