/* TEST: own-harness (tests/userland.t runs it in a directory that is a
 * read-write --volume under cvisor).
 * Found by tests/userland.t on a volume (`link a b; unlink a; cat b`: "No
 * such file"): a hard-linked file stays reachable by its other names when
 * the one it was first known by goes, in one directory and across two. */
#include "guest.h"
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>

static void show(const char *path)
{
	char buf[32] = "";
	struct stat st;
	int fd = open(path, O_RDONLY);
	if (fd < 0) {
		printf("%s: open %s\n", path, errname(errno));
		return;
	}
	ssize_t n = read(fd, buf, sizeof buf - 1);
	buf[n > 0 ? n : 0] = 0;
	printf("%s: %s", path, buf);
	if (stat(path, &st) == 0)
		printf("%s: nlink %lu size %lld\n", path, (unsigned long)st.st_nlink, (long long)st.st_size);
	else
		printf("%s: stat %s\n", path, errname(errno));
	close(fd);
}

int main(void)
{
	mkdir("vl", 0755);
	SHOW("chdir", chdir("vl"));
	int fd = open("a", O_CREAT | O_WRONLY | O_TRUNC, 0644);
	SHOW("write", write(fd, "payload\n", 8));
	close(fd);
	SHOW("link a b", link("a", "b"));
	SHOW("link b c", link("b", "c"));
	SHOW("unlink a", unlink("a"));
	show("b");
	show("c");
	SHOW("unlink c", unlink("c"));
	show("b");
	mkdir("d", 0755);
	fd = open("d/f", O_CREAT | O_WRONLY | O_TRUNC, 0600);
	SHOW("write d/f", write(fd, "deep\n", 5));
	close(fd);
	SHOW("link d/f g", link("d/f", "g"));
	SHOW("unlink d/f", unlink("d/f"));
	SHOW("rmdir d", rmdir("d"));
	show("g");
	/* Written through the surviving name, read through a new one. */
	fd = open("g", O_WRONLY | O_APPEND);
	SHOW("append g", write(fd, "more\n", 5));
	close(fd);
	SHOW("link g h", link("g", "h"));
	SHOW("unlink g", unlink("g"));
	show("h");
	unlink("b");
	unlink("h");
	SHOW("chdir ..", chdir(".."));
	SHOW("rmdir vl", rmdir("vl"));
	return 0;
}
