/* TEST: own-harness (tests/limits.t runs it under --files and --tmpfs-size)
 * Opens files until EMFILE, then fills /tmp and the root's upper layer
 * until ENOSPC: both limits must be plain errnos inside the guest. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "guest.h"

/* Write 64 KiB blocks to path until a write fails: KiB written, errno. */
static void fill(const char *path)
{
	static char block[65536];
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	long kib = 0;
	ssize_t n;
	while ((n = write(fd, block, sizeof block)) > 0)
		kib += n / 1024;
	printf("%s: %ld KiB, then %s\n", path, kib, n < 0 ? errname(errno) : "0");
	close(fd);
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "files") == 0) {
		int n = 0;
		while (open("/dev/null", O_RDONLY) >= 0)
			n++;
		printf("opened %d, then %s\n", n, errname(errno));
		struct rlimit rl = { 2048, 2048 };
		SHOW("raise RLIMIT_NOFILE past --files", setrlimit(RLIMIT_NOFILE, &rl));
		return 0;
	}
	fill("/tmp/fill");
	fill("/upper-fill");
	unlink("/tmp/fill");
	fill("/upper-fill");
	return 0;
}
