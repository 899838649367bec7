/* Found by tests/userland.t (ls -la of directories made by the guest): a
 * tmpfs directory's st_size is 20 per entry plus 40 (mm/shmem.c's
 * BOGO_DIRENT_SIZE), through mkdir, creat, link, symlink, rename (within,
 * across, over a target, exchange) and unlink/rmdir; directories take no
 * blocks, nor do short symlinks (a long one takes a page). In /dev/shm,
 * a tmpfs natively and under cvisor. */
#include "guest.h"
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>

static void show(const char *what, const char *path)
{
	struct stat st;
	if (lstat(path, &st) < 0)
		printf("%s: %s\n", what, errname(errno));
	else
		printf("%s: size %lld blocks %lld nlink %lu\n", what, (long long)st.st_size,
		       (long long)st.st_blocks, (unsigned long)st.st_nlink);
}

int main(void)
{
	char dir[64];
	snprintf(dir, sizeof dir, "/dev/shm/ul_sizes.%d", getpid());
	SHOW("mkdir", mkdir(dir, 0755));
	SHOW("chdir", chdir(dir));
	show("empty", ".");
	SHOW("mkdir a", mkdir("a", 0755));
	close(open("f", O_CREAT | O_WRONLY, 0644));
	show("a and f", ".");
	show("a", "a");
	SHOW("link", link("f", "g"));
	SHOW("symlink short", symlink("f", "s"));
	char longt[201];
	memset(longt, 'x', 200);
	longt[200] = 0;
	SHOW("symlink long", symlink(longt, "t"));
	show("five entries", ".");
	show("short symlink", "s");
	show("long symlink", "t");
	SHOW("rename within", rename("g", "h"));
	show("after rename within", ".");
	SHOW("rename into a", rename("h", "a/h"));
	show("after rename across", ".");
	show("a after", "a");
	SHOW("rename over", rename("s", "f"));
	show("after rename over", ".");
	SHOW("exchange", syscall(SYS_renameat2, AT_FDCWD, "f", AT_FDCWD, "a/h", 2));
	show("after exchange", ".");
	show("a after exchange", "a");
	SHOW("unlink", unlink("a/h"));
	SHOW("unlink", unlink("f"));
	SHOW("unlink", unlink("t"));
	show("a emptied", "a");
	SHOW("rmdir", rmdir("a"));
	show("all gone", ".");
	SHOW("chdir /", chdir("/"));
	SHOW("rmdir", rmdir(dir));
	return 0;
}
