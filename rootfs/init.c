/* The default rootfs's init: a banner, then each demo program in turn,
 * started with fork and execve and reaped with waitpid; last a scripted
 * busybox sh session, busybox being the rootfs's userland. */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

static char *const demos[][3] = {
	{ "/bin/hello" }, { "/bin/sysinfo" }, { "/bin/threads" }, { "/bin/sh", "/etc/demo.sh" },
};

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	printf("cvisor: a user-space kernel for static Linux binaries\n");
	printf("init is pid %d; every syscall below is stopped by ptrace and answered by cvisor\n\n",
	       getpid());
	int failed = 0;
	for (size_t i = 0; i < sizeof demos / sizeof demos[0]; i++) {
		printf("== %s%s%s\n", demos[i][0], demos[i][1] ? " " : "", demos[i][1] ? demos[i][1] : "");
		pid_t pid = fork();
		if (pid == 0) {
			execv(demos[i][0], demos[i]);
			perror(demos[i][0]);
			_exit(127);
		}
		int status;
		if (pid < 0 || waitpid(pid, &status, 0) != pid) {
			perror("init: fork/wait");
			return 1;
		}
		if (WIFEXITED(status))
			printf("== %s exited with %d\n\n", demos[i][0], WEXITSTATUS(status));
		else
			printf("== %s was killed by signal %d\n\n", demos[i][0], WTERMSIG(status));
		failed += !WIFEXITED(status) || WEXITSTATUS(status) != 0;
	}
	printf("init: %d demo%s failed; goodbye\n", failed, failed == 1 ? "" : "s");
	return failed != 0;
}
