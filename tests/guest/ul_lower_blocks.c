/* Found by tests/userland.t (ls -la's "total", du): st_blocks of files the
 * guest sees from the host beneath must be the host's allocation, not the
 * size rounded up to 512. Files in the tree are made natively (so they are
 * lower-layer files under cvisor), then stat'ed and fstat'ed. */
#include "guest.h"
#include <fcntl.h>
#include <sys/stat.h>

static void show(const char *path)
{
	struct stat s, fs;
	if (stat(path, &s) < 0) {
		printf("%s: %s\n", path, errname(errno));
		return;
	}
	int fd = open(path, O_RDONLY);
	long r = fd < 0 ? -1 : fstat(fd, &fs);
	printf("%s: size %lld blocks %lld fstat %s %lld\n", path, (long long)s.st_size,
	       (long long)s.st_blocks, r < 0 ? errname(errno) : "ok",
	       r < 0 ? 0LL : (long long)fs.st_blocks);
	if (fd >= 0)
		close(fd);
}

int main(int argc, char **argv)
{
	/* Our own binary: a host file, identical natively and under cvisor. */
	show(argv[0]);
	(void)argc;
	/* A small host file: 3 bytes take a whole block on the host. */
	show("/etc/hostname");
	show("/etc");
	return 0;
}
