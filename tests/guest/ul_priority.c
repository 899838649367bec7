/* Found by tests/userland.t (busybox renice: "getpriority: Function not
 * implemented"): getpriority/setpriority, kernel/sys.c's way: PRIO_PROCESS,
 * PRIO_PGRP and PRIO_USER, clamping to -20..19, EINVAL/ESRCH/EPERM/EACCES,
 * RLIMIT_NICE 0, inheritance by fork. Nice values are printed relative to
 * the one the test starts with (the host's). */
#include "guest.h"
#include <stdlib.h>
#include <sys/resource.h>

static int base;

static void get(const char *what, int which, int who)
{
	errno = 0;
	int n = getpriority(which, who);
	if (n == -1 && errno)
		printf("%s: %s\n", what, errname(errno));
	else
		printf("%s: base%+d\n", what, n - base);
}

static void child_inherits(void)
{
	get("child's nice", PRIO_PROCESS, 0);
}

static void unprivileged(void)
{
	/* RLIMIT_NICE is 0 here (raising it needs CAP_SYS_RESOURCE, which
	 * the host may not give): no lowering at all without CAP_SYS_NICE. */
	struct rlimit rl = { 0, 0 };
	SHOW("setrlimit NICE 0", setrlimit(RLIMIT_NICE, &rl));
	SHOW("setuid 65534", setuid(65534));
	SHOW("raise nice to 10", setpriority(PRIO_PROCESS, 0, 10));
	SHOW("lower to 9", setpriority(PRIO_PROCESS, 0, 9));
	SHOW("raise to 11", setpriority(PRIO_PROCESS, 0, 11));
	get("now", PRIO_PROCESS, 0);
	SHOW("the parent's (another user's)", setpriority(PRIO_PROCESS, getppid(), 3));
	SHOW("PRIO_USER 0 (ours: only us)", setpriority(PRIO_USER, 0, 12));
	get("after PRIO_USER", PRIO_PROCESS, 0);
	SHOW("getpriority of the parent", getpriority(PRIO_PROCESS, getppid()));
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	/* A group of our own: PRIO_PGRP must not reach the harness. */
	setpgid(0, 0);
	base = getpriority(PRIO_PROCESS, 0);
	printf("starts within range: %s\n", base >= -20 && base <= 19 ? "yes" : "no");
	SHOW("set 5", setpriority(PRIO_PROCESS, 0, base + 5 > 19 ? 19 : 5));
	get("after set", PRIO_PROCESS, 0);
	get("by pid", PRIO_PROCESS, getpid());
	get("PRIO_PGRP 0", PRIO_PGRP, 0);
	get("PRIO_PGRP ours", PRIO_PGRP, getpgrp());
	SHOW("set 100 (clamped)", setpriority(PRIO_PROCESS, 0, 100));
	printf("clamped to 19: %s\n", getpriority(PRIO_PROCESS, 0) == 19 ? "yes" : "no");
	SHOW("set -100 (clamped)", setpriority(PRIO_PROCESS, 0, -100));
	printf("clamped to -20: %s\n", getpriority(PRIO_PROCESS, 0) == -20 ? "yes" : "no");
	SHOW("set base again", setpriority(PRIO_PROCESS, 0, base));
	SHOW("which 3", setpriority(3, 0, 0));
	get("get which -1", -1, 0);
	SHOW("no such pid", setpriority(PRIO_PROCESS, 999999, 0));
	get("get no such pid", PRIO_PROCESS, 999999);
	get("get negative pid", PRIO_PROCESS, -1);
	SHOW("no such group", setpriority(PRIO_PGRP, 999999, 0));
	get("no such user", PRIO_USER, 424242);
	SHOW("PRIO_PGRP ours +2", setpriority(PRIO_PGRP, 0, base + 2));
	get("after PRIO_PGRP", PRIO_PROCESS, 0);
	in_child(child_inherits);
	if (geteuid() == 0)
		in_child(unprivileged);
	return 0;
}
