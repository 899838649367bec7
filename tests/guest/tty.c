/* TEST: own-harness (tests/tty.t runs it on a pseudo-terminal). The
 * terminal ioctls on inherited std fds that are a terminal. */
#include "guest.h"
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

int main(void)
{
	for (int fd = 0; fd < 3; fd++)
		printf("isatty(%d)=%d\n", fd, isatty(fd));
	struct termios tio;
	SHOW("tcgetattr(1)", tcgetattr(1, &tio));
	printf("ICANON=%d ECHO=%d\n", !!(tio.c_lflag & ICANON), !!(tio.c_lflag & ECHO));
	struct winsize ws;
	SHOW("TIOCGWINSZ(1)", ioctl(1, TIOCGWINSZ, &ws));
	printf("rows=%d cols=%d\n", ws.ws_row, ws.ws_col);
	SHOW("TIOCGWINSZ(1, bad pointer)", ioctl(1, TIOCGWINSZ, (void *)8));
	return 0;
}
