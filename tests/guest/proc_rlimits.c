/* Limits that are enforced: RLIMIT_AS on mappings, RLIMIT_NPROC on forks
 * of a non-root user, RLIMIT_NOFILE on new fds. */
#include "guest.h"
#include <sys/mman.h>
#include <sys/resource.h>

static void as_limit(void)
{
	struct rlimit rl = { 64UL << 20, 64UL << 20 };
	SHOW("setrlimit AS 64M", setrlimit(RLIMIT_AS, &rl));
	void *p = mmap(NULL, 128UL << 20, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	printf("mmap 128M under AS 64M: %s\n", p == MAP_FAILED ? errname(errno) : "mapped");
	p = mmap(NULL, 1UL << 20, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	printf("mmap 1M under AS 64M: %s\n", p == MAP_FAILED ? errname(errno) : "mapped");
}

static void nproc_limit(void)
{
	struct rlimit rl = { 1, 1 };
	setrlimit(RLIMIT_NPROC, &rl);
	printf("root ignores NPROC: fork ok=%d\n", in_child(as_limit) >= 0);
	if (setuid(4321) != 0) {
		printf("setuid failed\n");
		return;
	}
	errno = 0;
	pid_t c = fork();
	if (c == 0)
		_exit(0);
	printf("uid 4321 at NPROC 1: fork %s\n", c < 0 ? errname(errno) : "ok");
	if (c > 0)
		waitpid(c, NULL, 0);
}

static void nofile_limit(void)
{
	struct rlimit rl = { 4, 4 };
	setrlimit(RLIMIT_NOFILE, &rl);
	SHOW("dup to fd 3 under NOFILE 4", dup(1));
	SHOW("dup to fd 4 under NOFILE 4", dup(1));
	SHOW("dup2 to fd 10 under NOFILE 4", dup2(1, 10));
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	in_child(as_limit);
	in_child(nproc_limit);
	in_child(nofile_limit);
	return 0;
}
