/* TEST: own-harness (tests/net.t): natively these families work. */
#include "guest.h"
#include <sys/socket.h>

int main(void)
{
	int sv[2];
	printf("AF_INET: %s\n", socket(AF_INET, SOCK_STREAM, 0) < 0 ? errname(errno) : "ok");
	printf("AF_INET6: %s\n", socket(AF_INET6, SOCK_DGRAM, 0) < 0 ? errname(errno) : "ok");
	printf("AF_NETLINK: %s\n", socket(AF_NETLINK, SOCK_RAW, 0) < 0 ? errname(errno) : "ok");
	printf("socketpair AF_INET: %s\n", socketpair(AF_INET, SOCK_STREAM, 0, sv) < 0 ? errname(errno) : "ok");
	printf("AF_UNIX: %s\n", socket(AF_UNIX, SOCK_STREAM, 0) < 0 ? errname(errno) : "ok");
	return 0;
}
