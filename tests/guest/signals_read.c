/* TEST: own-harness (tests/signals_read.t gives it a fifo as stdin whose
 * writer sends one line after a second). A blocking read interrupted by
 * alarm: EINTR without SA_RESTART, restarted with it (and the data read
 * once it comes), the handler run each time; readv alike. */
#include "guest.h"
#include <signal.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <unistd.h>

static volatile sig_atomic_t alarms;

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

static void arm(int restart)
{
	struct sigaction sa = { .sa_handler = on_alarm, .sa_flags = restart ? SA_RESTART : 0 };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	struct itimerval it = { { 0, 0 }, { 0, 100 * 1000 } };
	setitimer(ITIMER_REAL, &it, NULL);
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	char buf[64];
	arm(0);
	errno = 0;
	long r = read(0, buf, sizeof buf);
	printf("read, no SA_RESTART: %ld %s, handler ran=%d\n", r, errname(errno), alarms);

	arm(0);
	struct iovec iov = { buf, sizeof buf };
	errno = 0;
	r = readv(0, &iov, 1);
	printf("readv, no SA_RESTART: %ld %s, handler ran=%d\n", r, errname(errno), alarms);

	arm(1);
	errno = 0;
	r = read(0, buf, sizeof buf);
	printf("read, SA_RESTART: %ld %.*s", r, r > 0 ? (int)r : 0, buf);
	printf("handler ran=%d\n", alarms);
	return 0;
}
