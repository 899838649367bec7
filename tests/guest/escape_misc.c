/* TEST: own-harness (tests/escape.t runs it under cvisor with a root of
 * its own; never run it natively: it sends SIGKILL to pid -1)
 * A hostile guest looking for the host: fd numbers, /proc, signals to
 * everyone and to random pids, the stub page, huge and negative lengths,
 * a thread bomb, paths past PATH_MAX. Prints what it found; the harness
 * checks that it found nothing of the host. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "guest.h"

#define STUB_PAGE 0x7ffffffef000UL

static void *idle(void *arg)
{
	(void)arg;
	pause();
	return NULL;
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	/* Every fd number a guest could guess: only its own are there. */
	int open_fds = 0;
	for (int fd = 0; fd < 65536; fd++)
		open_fds += fcntl(fd, F_GETFD) >= 0;
	printf("open fds: %d\n", open_fds);

	/* /proc lists guest processes only, and says nothing of the host. */
	DIR *d = opendir("/proc");
	int pids = 0, leaks = 0;
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		pids++;
		char path[300], buf[4096];
		/* (environ is the guest's own: cvisor hands its own on) */
		const char *files[] = { "cmdline", "maps", "status", "mountinfo", "mounts", "stat" };
		for (size_t k = 0; k < sizeof files / sizeof files[0]; k++) {
			snprintf(path, sizeof path, "/proc/%s/%s", e->d_name, files[k]);
			int fd = open(path, O_RDONLY);
			ssize_t n = fd >= 0 ? read(fd, buf, sizeof buf - 1) : -1;
			if (fd >= 0)
				close(fd);
			if (n > 0) {
				buf[n] = 0;
				for (ssize_t i = 0; i < n; i++)
					if (!buf[i])
						buf[i] = ' ';
				leaks += strstr(buf, "HOSTMARK") != NULL || strstr(buf, "/work/") != NULL;
			}
		}
	}
	if (d)
		closedir(d);
	printf("pids in /proc: %d, host strings seen: %d\n", pids, leaks);

	/* Signals to every pid a host might have: none exists but ours. */
	int found = 0;
	for (int pid = 2; pid < 200000; pid += 7)
		found += kill(pid, 0) == 0;
	printf("other pids that answer kill 0: %d\n", found);

	/* kill -1 from a child: every guest process but init and itself. */
	pid_t victim = fork();
	if (victim == 0) {
		pause();
		_exit(0);
	}
	pid_t killer = fork();
	if (killer == 0)
		_exit(kill(-1, SIGKILL) == 0 ? 0 : 1);
	int st;
	waitpid(killer, &st, 0);
	printf("kill -1 from a child: %s\n", WIFEXITED(st) && WEXITSTATUS(st) == 0 ? "ok" : "failed");
	waitpid(victim, &st, 0);
	printf("  its sibling: %s\n", WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL ? "killed" : "alive");
	printf("  init: still here\n");

	/* The stub page and impossible lengths are EFAULT, never a crash. */
	SHOW("write from the stub page", write(1, (void *)STUB_PAGE, 16));
	SHOW("read into the stub page", read(0, (void *)STUB_PAGE, 16));
	SHOW("write of a huge length", syscall(SYS_write, 1, "x", 1UL << 60));
	SHOW("read of a negative length", syscall(SYS_read, 0, 0x1000, -1L));
	struct iovec iov[3] = { { "ab", 2 }, { (void *)8, 100 }, { "cd", 2 } };
	int p[2];
	pipe(p);
	SHOWN("writev with a bad middle entry", writev(p[1], iov, 3));
	SHOW("mmap over the stub page", (long)mmap((void *)STUB_PAGE, 4096, PROT_READ | PROT_WRITE,
						  MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == -1 ? -1 : 0);
	SHOW("munmap of the stub page", munmap((void *)STUB_PAGE, 4096));
	SHOW("mprotect of the stub page", mprotect((void *)STUB_PAGE, 4096, PROT_READ | PROT_WRITE));

	/* A thread bomb under --tasks: EAGAIN, and the guest goes on. */
	int threads = 0;
	pthread_t t;
	while (threads < 10000 && pthread_create(&t, NULL, idle, NULL) == 0)
		threads++;
	printf("threads before the limit: %s\n", threads < 10000 ? "stopped by the limit" : "no limit");

	/* A path deeper than PATH_MAX. */
	int depth = 0;
	char name[256];
	memset(name, 'd', 200);
	name[200] = 0;
	while (depth < 100 && mkdir(name, 0755) == 0 && chdir(name) == 0)
		depth++;
	char cwd[8192];
	SHOW("getcwd past PATH_MAX", getcwd(cwd, sizeof cwd) ? 0 : -1);
	printf("nested directories made: %d\n", depth);
	return 0;
}
