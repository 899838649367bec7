/* Found by tests/userland.t (busybox ionice: "ioprio_set: Function not
 * implemented"): ioprio_set/ioprio_get as block/ioprio.c has them: classes
 * and levels, class NONE read back as set, EINVAL/ESRCH/EPERM, the process
 * group, fork inheriting a valid class only. (Nothing reads a priority
 * before setting one: a fresh process's depends on whether it did I/O.) */
#include "guest.h"
#include <sys/resource.h>
#include <sys/syscall.h>

#define PRIO(class, level) ((class) << 13 | (level))
enum { NONE, RT, BE, IDLE };

static long get(int which, int who) { return syscall(SYS_ioprio_get, which, who); }
static long set(int which, int who, int v) { return syscall(SYS_ioprio_set, which, who, v); }

static void showget(const char *what, int which, int who)
{
	long r = get(which, who);
	if (r < 0)
		printf("%s: %s\n", what, errname(errno));
	else
		printf("%s: class %ld level %ld\n", what, r >> 13, r & 7);
}

static void child(void)
{
	showget("child inherits", 1, 0);
}

static void child_of_none(void)
{
	/* No valid class to inherit: set NONE again to read it back. */
	printf("child set NONE: %ld\n", set(1, 0, PRIO(NONE, 0)));
	showget("child's NONE", 1, 0);
}

static void unprivileged(void)
{
	SHOW("setuid", setuid(65534));
	SHOW("RT as nobody", set(1, 0, PRIO(RT, 1)));
	SHOW("IDLE as nobody", set(1, 0, PRIO(IDLE, 0)));
	SHOW("the parent's (root's)", set(1, getppid(), PRIO(BE, 1)));
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	setpgid(0, 0); /* PGRP calls stay within the test */
	SHOW("set BE 2", set(1, 0, PRIO(BE, 2)));
	showget("get", 1, 0);
	showget("get by pid", 1, getpid());
	SHOW("set IDLE", set(1, 0, PRIO(IDLE, 0)));
	showget("get", 1, 0);
	SHOW("set RT 7 (root)", set(1, 0, PRIO(RT, 7)));
	showget("get", 1, 0);
	SHOW("NONE with a level", set(1, 0, PRIO(NONE, 3)));
	SHOW("class 4", set(1, 0, PRIO(4, 0)));
	SHOW("class 7", set(1, 0, PRIO(7, 0)));
	SHOW("which 0", set(0, 0, PRIO(BE, 0)));
	SHOW("which 4", set(4, 0, PRIO(BE, 0)));
	SHOW("which 4, bad class (class first)", set(4, 0, PRIO(7, 0)));
	showget("get which 0", 0, 0);
	SHOW("no such pid", set(1, 999999, PRIO(BE, 0)));
	showget("get no such pid", 1, 999999);
	SHOW("BE 5 for the group", set(2, 0, PRIO(BE, 5)));
	showget("get group", 2, 0);
	showget("get our group by id", 2, getpgrp());
	showget("get no such group", 2, 999999);
	in_child(child);
	SHOW("NONE", set(1, 0, PRIO(NONE, 0)));
	setpriority(PRIO_PROCESS, 0, 10);
	showget("NONE at nice 10", 1, 0);
	in_child(child_of_none);
	setpriority(PRIO_PROCESS, 0, 0);
	SHOW("BE 1", set(1, 0, PRIO(BE, 1)));
	if (geteuid() == 0)
		in_child(unprivileged);
	return 0;
}
