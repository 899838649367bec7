/* Paths at and past PATH_MAX and NAME_MAX: directories nested far deeper
 * than PATH_MAX (walked by relative names and dirfds), paths of 4095 and
 * 4096 bytes, symlink targets of those lengths, and chains of directory
 * symlinks to the 40-link limit and one past it. Cleans up after itself. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "guest.h"

#define DEPTH 30
#define BASE "escape_deep.d"

static char comp[201];

static void deep(void)
{
	int top = open(".", O_RDONLY | O_DIRECTORY);
	int made = 0;
	for (; made < DEPTH; made++)
		if (mkdir(comp, 0755) < 0 || chdir(comp) < 0)
			break;
	printf("nested %d directories of 200-byte names\n", made);
	char buf[8192];
	/* The raw call: glibc's getcwd() would walk ".." by itself. */
	SHOWN("getcwd at depth 30", syscall(SYS_getcwd, buf, sizeof buf) < 0 ? -1 : 0);
	char link[8192];
	SHOWN("readlink /proc/self/cwd", readlink("/proc/self/cwd", link, sizeof link) < 0 ? -1 : 0);
	SHOW("create a file at depth 30", close(open("f", O_CREAT | O_WRONLY, 0644)));
	int here = open(".", O_RDONLY | O_DIRECTORY);
	SHOW("openat at depth 30", close(openat(here, "f", O_RDONLY)));
	/* The whole relative path from the top: > PATH_MAX. */
	char *rel = malloc(DEPTH * 201 + 8);
	rel[0] = 0;
	for (int i = 0; i < DEPTH; i++)
		strcat(strcat(rel, comp), "/");
	strcat(rel, "f");
	SHOW("openat from the top by a 6032-byte path", openat(top, rel, O_RDONLY));
	/* Cut to 20 levels (4022 bytes): fine. */
	rel[20 * 201] = 0;
	strcat(rel, "f");
	SHOW("openat from the top, 20 levels down", openat(top, rel, O_RDONLY));
	free(rel);
	/* A move of the top while inside: the dirfd still works. */
	SHOW("rename the top of the tree", renameat(top, comp, top, "moved"));
	SHOW("openat in the moved tree", close(openat(here, "f", O_RDONLY)));
	SHOW("renamed back", renameat(top, "moved", top, comp));
	close(here);
	unlink("f");
	int removed = 0;
	for (int i = 0; i < made; i++)
		if (chdir("..") == 0 && rmdir(comp) == 0)
			removed++;
	printf("removed %d\n", removed);
	SHOW("back at the top", fchdir(top));
	close(top);
}

static void lengths(void)
{
	char p[PATH_MAX + 2];
	/* "./././.../x": 4095 bytes is a path, 4096 is not. */
	for (int len = PATH_MAX - 1; len <= PATH_MAX; len++) {
		memset(p, 0, sizeof p);
		for (int i = 0; i + 2 <= len - 1; i += 2)
			memcpy(p + i, "./", 2);
		memset(p + strlen(p), 'x', len - strlen(p));
		struct stat st;
		char label[64];
		snprintf(label, sizeof label, "stat of a %zu-byte path", strlen(p));
		SHOW(label, stat(p, &st));
	}
	memset(p, 'n', NAME_MAX);
	p[NAME_MAX] = 0;
	SHOW("mkdir of a 255-byte name", mkdir(p, 0755));
	SHOW("rmdir it", rmdir(p));
	p[NAME_MAX] = 'n';
	p[NAME_MAX + 1] = 0;
	SHOW("mkdir of a 256-byte name", mkdir(p, 0755));
	/* Symlink targets: up to PATH_MAX - 1 bytes. */
	memset(p, 't', PATH_MAX);
	p[PATH_MAX - 1] = 0;
	SHOW("symlink to a 4095-byte target", symlink(p, "long.link"));
	char back[PATH_MAX + 1];
	SHOWN("readlink it", readlink("long.link", back, sizeof back));
	struct stat st;
	SHOW("stat through it", stat("long.link", &st));
	unlink("long.link");
	p[PATH_MAX - 1] = 't';
	p[PATH_MAX] = 0;
	SHOW("symlink to a 4096-byte target", symlink(p, "long.link"));
}

static void links(void)
{
	/* l1 -> d, lN -> l(N-1)/. : each as a directory component. */
	mkdir("d", 0755);
	close(open("d/f", O_CREAT | O_WRONLY, 0644));
	char name[16], target[24];
	for (int i = 1; i <= 41; i++) {
		snprintf(name, sizeof name, "l%d", i);
		if (i == 1)
			snprintf(target, sizeof target, "d");
		else
			snprintf(target, sizeof target, "l%d/.", i - 1);
		symlink(target, name);
	}
	struct stat st;
	SHOW("l8/f (8 links)", stat("l8/f", &st));
	SHOW("l39/f (39 links)", stat("l39/f", &st));
	SHOW("l40/f (40 links)", stat("l40/f", &st));
	SHOW("l41/f (41 links)", stat("l41/f", &st));
	SHOW("lstat l41", lstat("l41", &st));
	SHOW("chdir l41", chdir("l41"));
	for (int i = 1; i <= 41; i++) {
		snprintf(name, sizeof name, "l%d", i);
		unlink(name);
	}
	unlink("d/f");
	rmdir("d");
}

int main(void)
{
	memset(comp, 'd', 200);
	if (mkdir(BASE, 0755) < 0 || chdir(BASE) < 0) {
		printf("cannot set up: %s\n", errname(errno));
		return 1;
	}
	deep();
	lengths();
	links();
	SHOW("chdir ..", chdir(".."));
	SHOW("rmdir the base", rmdir(BASE));
	return 0;
}
