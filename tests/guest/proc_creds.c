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
	SHOWN("setuid(0)", syscall(SYS_setuid, 0));
	SHOWN("setgid(0)", syscall(SYS_setgid, 0));
	SHOWN("setgroups(0)", syscall(SYS_setgroups, 0, NULL));
	return 0;
}

static void root_checks(void)
{
	show_ids("start");
	SHOWN("setuid(-1)", syscall(SYS_setuid, -1));
	SHOWN("setgid(-1)", syscall(SYS_setgid, -1));
	SHOWN("setreuid(-1, -1)", syscall(SYS_setreuid, -1, -1));
	SHOWN("setresuid(-1, -1, -1)", syscall(SYS_setresuid, -1, -1, -1));
	SHOWN("setresgid(0, 0, 0)", syscall(SYS_setresgid, 0, 0, 0));
	SHOWN("setuid(0)", syscall(SYS_setuid, 0));
	unsigned u;
	SHOWN("getresuid(bad, ok, ok)", syscall(SYS_getresuid, BAD, &u, &u));
	SHOWN("getresuid(ok, ok, NULL)", syscall(SYS_getresuid, &u, &u, NULL));
	SHOWN("getresgid(ok, bad, ok)", syscall(SYS_getresgid, &u, BAD, &u));

	/* setfsuid: the old value, whatever happens. */
	SHOWN("setfsuid(1000)", syscall(SYS_setfsuid, 1000));
	SHOWN("setfsuid(-1)", syscall(SYS_setfsuid, -1));
	printf("dumpable after an fsuid change: %d\n", prctl(PR_GET_DUMPABLE));
	SHOWN("setfsuid(0)", syscall(SYS_setfsuid, 0));
	SHOWN("setfsgid(7)", syscall(SYS_setfsgid, 7));
	SHOWN("setfsgid(0)", syscall(SYS_setfsgid, 0));
	SHOWN("setfsgid(-1)", syscall(SYS_setfsgid, -1));
	prctl(PR_SET_DUMPABLE, 1);

	/* setgroups: EPERM, then the size, then each gid in turn. */
	SHOWN("setgroups(65537)", syscall(SYS_setgroups, 65537, NULL));
	SHOWN("setgroups(-1)", syscall(SYS_setgroups, -1, NULL));
	SHOWN("setgroups(2, bad)", syscall(SYS_setgroups, 2, BAD));
	uint32_t bad_gid[] = { 5, (uint32_t)-1 };
	SHOWN("setgroups {5, -1}", syscall(SYS_setgroups, 2, bad_gid));
	uint32_t set[] = { 30, 10, 20, 10 };
	SHOWN("setgroups {30, 10, 20, 10}", syscall(SYS_setgroups, 4, set));
	SHOWN("getgroups(0, NULL)", syscall(SYS_getgroups, 0, NULL));
	SHOWN("getgroups(0, bad)", syscall(SYS_getgroups, 0, BAD));
	uint32_t g[8];
	SHOWN("getgroups(3) too small", syscall(SYS_getgroups, 3, g));
	SHOWN("getgroups(-1)", syscall(SYS_getgroups, -1, g));
	SHOWN("getgroups(4, bad)", syscall(SYS_getgroups, 4, BAD));
	show_groups("sorted");
	SHOWN("setgroups(0, bad)", syscall(SYS_setgroups, 0, BAD));
	SHOWN("getgroups(1, bad) with none", syscall(SYS_getgroups, 1, BAD));

	/* NGROUPS_MAX gids fit, read back in order. */
	uint32_t *many = malloc(65536 * sizeof *many);
	for (int i = 0; i < 65536; i++)
		many[i] = 65535 - i;
	SHOWN("setgroups(65536)", syscall(SYS_setgroups, 65536, many));
	for (int i = 0; i < 65536; i++)
		many[i] = 0;
	SHOWN("getgroups(65536)", syscall(SYS_getgroups, 65536, many));
	int sorted = 1;
	for (int i = 0; i < 65536; i++)
		sorted &= many[i] == (uint32_t)i;
	printf("65536 groups sorted: %d\n", sorted);
	free(many);
	SHOWN("setgroups(0, NULL)", syscall(SYS_setgroups, 0, NULL));
}

/* A child that gives up root step by step. */
static void drop_privileges(void)
{
	SHOWN("setresgid(100, 100, 100)", syscall(SYS_setresgid, 100, 100, 100));
	uint32_t one = 100;
	SHOWN("setgroups {100}", syscall(SYS_setgroups, 1, &one));
	prctl(PR_SET_PDEATHSIG, 10);
	SHOWN("setresuid(1000, 1000, 0)", syscall(SYS_setresuid, 1000, 1000, 0));
	show_ids("euid 1000, suid 0");
	int sig = -1;
	prctl(PR_GET_PDEATHSIG, &sig);
	printf("pdeathsig after an euid change: %d\n", sig);
	printf("dumpable after an euid change: %d\n", prctl(PR_GET_DUMPABLE));
	SHOWN("setgroups(0) unprivileged", syscall(SYS_setgroups, 0, NULL));
	SHOWN("setgroups(65537) unprivileged", syscall(SYS_setgroups, 65537, NULL));
	SHOWN("setgid(0)", syscall(SYS_setgid, 0));
	SHOWN("setgid(-1) unprivileged", syscall(SYS_setgid, -1));
	SHOWN("setuid(2000)", syscall(SYS_setuid, 2000));
	SHOWN("setreuid(2000, -1)", syscall(SYS_setreuid, 2000, -1));
	SHOWN("setreuid(-1, 2000)", syscall(SYS_setreuid, -1, 2000));
	SHOWN("setresuid(2000, -1, -1)", syscall(SYS_setresuid, 2000, -1, -1));
	SHOWN("setresuid(1000, 1000, 0) no-op", syscall(SYS_setresuid, 1000, 1000, 0));
	SHOWN("setfsuid(2000)", syscall(SYS_setfsuid, 2000));
	SHOWN("setfsuid(0)", syscall(SYS_setfsuid, 0));
	SHOWN("setfsuid(-1)", syscall(SYS_setfsuid, -1));
	SHOWN("setfsuid(1000)", syscall(SYS_setfsuid, 1000));

	/* The saved 0 lets euid come back; setreuid's saved-id rule. */
	SHOWN("setreuid(-1, 0)", syscall(SYS_setreuid, -1, 0));
	show_ids("euid back to 0");
	SHOWN("setreuid(-1, 1000)", syscall(SYS_setreuid, -1, 1000));
	show_ids("euid = ruid keeps suid");
	SHOWN("setresuid(-1, 0, -1)", syscall(SYS_setresuid, -1, 0, -1));
	SHOWN("setreuid(1000, 1000)", syscall(SYS_setreuid, 1000, 1000));
	show_ids("setreuid(1000, 1000)");
	SHOWN("setuid(0) now", syscall(SYS_setuid, 0));
	SHOWN("setresuid(-1, 0, -1) now", syscall(SYS_setresuid, -1, 0, -1));
	SHOWN("setuid(1000)", syscall(SYS_setuid, 1000));
	SHOWN("setgid(100)", syscall(SYS_setgid, 100));
	SHOWN("setregid(100, 100)", syscall(SYS_setregid, 100, 100));
	SHOWN("setregid(0, -1)", syscall(SYS_setregid, 0, -1));
	SHOWN("setresgid(-1, -1, 0)", syscall(SYS_setresgid, -1, -1, 0));
	SHOWN("setfsgid(0)", syscall(SYS_setfsgid, 0));
	SHOWN("setfsgid(-1)", syscall(SYS_setfsgid, -1));
	show_groups("unprivileged");
	show_ids("end");

	/* Scheduling another user's process needs CAP_SYS_NICE; reading it
	 * does not. Real time needs RLIMIT_RTPRIO. */
	uint8_t mask[1024] = { 0 };
	long n = syscall(SYS_sched_getaffinity, getppid(), sizeof mask, mask);
	printf("getaffinity of the root parent: %d\n", n > 0);
	SHOWN("setaffinity of the root parent", syscall(SYS_sched_setaffinity, getppid(), n, mask));
	SHOWN("setaffinity of self", syscall(SYS_sched_setaffinity, 0, n, mask));
	struct sched_param sp = { 0 };
	SHOWN("setscheduler of the root parent", syscall(SYS_sched_setscheduler, getppid(), SCHED_OTHER, &sp));
	SHOWN("setscheduler SCHED_BATCH", syscall(SYS_sched_setscheduler, 0, SCHED_BATCH, &sp));
	SHOWN("setscheduler SCHED_IDLE", syscall(SYS_sched_setscheduler, 0, SCHED_IDLE, &sp));
	SHOWN("setscheduler back from SCHED_IDLE", syscall(SYS_sched_setscheduler, 0, SCHED_OTHER, &sp));
	sp.sched_priority = 1;
	SHOWN("setscheduler SCHED_FIFO 1", syscall(SYS_sched_setscheduler, 0, SCHED_FIFO, &sp));
}

/* setuid as root sets every id; setgid the same for groups. */
static void root_setuid(void)
{
	SHOWN("setgid(50)", syscall(SYS_setgid, 50));
	SHOWN("setreuid(0, 300)", syscall(SYS_setreuid, 0, 300));
	show_ids("setreuid(0, 300)");
	SHOWN("setreuid(-1, 0)", syscall(SYS_setreuid, -1, 0));
	SHOWN("setuid(400)", syscall(SYS_setuid, 400));
	show_ids("setuid(400)");
}

static void show_child(void (*fn)(void))
{
	int st = in_child(fn);
	printf("child exit: %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "ids") == 0)
		return ids_mode();
	root_checks();
	show_child(drop_privileges);
	show_child(root_setuid);
	show_ids("parent still root");
	return 0;
}
