/* TEST: own-harness (tests/tty.t runs it on a pseudo-terminal). The
 * terminal ioctls on inherited std fds that are a terminal. */
#include "guest.h"
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>
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

	/* Setting modes and size goes through to the terminal. */
	SHOW("tcsetattr(TCSANOW)", tcsetattr(1, TCSANOW, &tio));
	SHOW("tcsetattr(TCSADRAIN)", tcsetattr(1, TCSADRAIN, &tio));
	struct winsize big = ws;
	big.ws_row = 30;
	SHOW("TIOCSWINSZ rows=30", ioctl(1, TIOCSWINSZ, &big));
	ioctl(1, TIOCGWINSZ, &ws);
	printf("rows now=%d\n", ws.ws_row);

	/* Job control: the foreground group is ours. */
	printf("tcgetpgrp==getpgrp=%d\n", tcgetpgrp(1) == getpgrp());
	printf("tcgetsid==getsid=%d\n", tcgetsid(1) == getsid(0));
	SHOW("tcsetpgrp(own group)", tcsetpgrp(1, getpgrp()));
	SHOW("tcsetpgrp(no such group)", tcsetpgrp(1, 999999));
	SHOW("TIOCGPGRP on a non-tty", ioctl(0, TIOCGPGRP, &(int){0}));
	return 0;
}
