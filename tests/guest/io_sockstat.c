/* A socket is a socket to fstat and /proc/self/fd before it connects and
 * after: S_IFSOCK, and a "socket:[N]" link. */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

static void show(const char *what, int s)
{
	struct stat st;
	fstat(s, &st);
	char p[64], b[64];
	snprintf(p, sizeof p, "/proc/self/fd/%d", s);
	ssize_t n = readlink(p, b, sizeof b - 1);
	b[n > 0 ? n : 0] = 0;
	printf("%s: S_ISSOCK %d, mode %o, link socket:[...] %d\n", what, S_ISSOCK(st.st_mode), st.st_mode & 07777,
	       strncmp(b, "socket:[", 8) == 0);
}

int main(void)
{
	show("stream socket", socket(AF_UNIX, SOCK_STREAM, 0));
	show("datagram socket", socket(AF_UNIX, SOCK_DGRAM, 0));
	int sv[2];
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	show("socketpair end", sv[0]);
	return 0;
}
