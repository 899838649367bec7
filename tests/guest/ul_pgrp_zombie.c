/* Found by tests/userland.t (busybox sh on a pty: "can't set tty process
 * group: No such process" in pipelines): a process group lives as long as
 * any member, zombies included. `seq | tr` in an interactive shell: seq, the
 * group leader, may exit before tr joins its group and takes the terminal.
 * Linux finds zombies by pid until they are reaped: getpgid, getsid,
 * setpgid into their group and kill(-pgid, 0) all see them. */
#include "guest.h"
#include <signal.h>
#include <stdlib.h>

static pid_t leader;

/* A child that joins the zombie leader's group, and says how it went. */
static void join(void)
{
	SHOW("child setpgid(0, zombie's group)", setpgid(0, leader));
	printf("child in the group: %s\n", getpgrp() == leader ? "yes" : "no");
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	leader = fork();
	if (leader == 0) {
		setpgid(0, 0);
		_exit(0);
	}
	setpgid(leader, leader); /* as a shell does: whichever runs first */
	/* A zombie, not reaped: WNOWAIT leaves it there. */
	siginfo_t si;
	SHOW("waitid WNOWAIT", waitid(P_PID, (id_t)leader, &si, WEXITED | WNOWAIT));
	printf("getpgid(zombie) is its pid: %s\n", getpgid(leader) == leader ? "yes" : errname(errno));
	printf("getsid(zombie) is ours: %s\n", getsid(leader) == getsid(0) ? "yes" : errname(errno));
	SHOW("kill(-zombie group, 0)", kill(-leader, 0));
	SHOW("setpgid(zombie, itself)", setpgid(leader, leader));
	int st = in_child(join);
	printf("joiner exited %d\n", WEXITSTATUS(st));
	/* Reaped: the group is gone with its last member. */
	SHOW("waitpid", waitpid(leader, NULL, 0));
	SHOW("getpgid(reaped)", getpgid(leader));
	SHOW("kill(-reaped group, 0)", kill(-leader, 0));
	in_child(join);
	return 0;
}
