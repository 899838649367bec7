/* eventfd (counter, semaphore mode, nonblock, overflow, bad sizes) and
 * timerfd (both clocks, ABSTIME, intervals, gettime, bad arguments). */
#include "guest.h"
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

static void show_rw(const char *what, long r)
{
	if (r < 0)
		printf("%s: %s\n", what, errname(errno));
	else
		printf("%s: %ld\n", what, r);
}

static int readable(int fd)
{
	struct pollfd p = { fd, POLLIN | POLLOUT, 0 };
	poll(&p, 1, 0);
	return p.revents;
}

static void eventfds(void)
{
	int fd = eventfd(3, EFD_NONBLOCK | EFD_CLOEXEC);
	printf("eventfd: %s, cloexec=%d, flags nonblock=%d rdwr=%d\n", fd >= 0 ? "ok" : errname(errno),
	       !!(fcntl(fd, F_GETFD) & FD_CLOEXEC), !!(fcntl(fd, F_GETFL) & O_NONBLOCK),
	       (fcntl(fd, F_GETFL) & O_ACCMODE) == O_RDWR);
	uint64_t v = 0;
	printf("revents initially: %#x\n", readable(fd));
	show_rw("read 8", read(fd, &v, 8));
	printf("value: %llu\n", (unsigned long long)v);
	show_rw("read again", read(fd, &v, 8));
	show_rw("read 4 bytes", read(fd, &v, 4));
	v = 5;
	show_rw("write 5", write(fd, &v, 8));
	v = 7;
	show_rw("write 7", write(fd, &v, 8));
	show_rw("write 2 bytes", write(fd, &v, 2));
	v = UINT64_MAX;
	show_rw("write ~0", write(fd, &v, 8));
	v = UINT64_MAX - 1 - 12;
	show_rw("write to the brim", write(fd, &v, 8));
	v = 1;
	show_rw("write past the brim", write(fd, &v, 8));
	printf("revents full: %#x\n", readable(fd));
	uint64_t two[2] = { 0, 0 };
	show_rw("read 16", read(fd, two, 16));
	printf("value: %llu\n", (unsigned long long)two[0]);
	v = 1;
	write(fd, &v, 8);
	void *volatile bad = (void *)8;
	show_rw("read bad pointer", read(fd, bad, 8));
	show_rw("read after the fault", read(fd, &v, 8));
	show_rw("pread", pread(fd, &v, 8, 0));
	close(fd);

	fd = eventfd(2, EFD_SEMAPHORE | EFD_NONBLOCK);
	for (int i = 0; i < 3; i++) {
		v = 0;
		long r = read(fd, &v, 8);
		printf("semaphore read %d: %s %llu\n", i, r < 0 ? errname(errno) : "ok", (unsigned long long)v);
	}
	close(fd);
	SHOW("eventfd2 bad flags", syscall(SYS_eventfd2, 0, 0x4000));
	SHOW("eventfd2 O_RDWR flag", syscall(SYS_eventfd2, 0, O_RDWR));
	fd = syscall(SYS_eventfd, 9);
	printf("eventfd(9) flags=%#x cloexec=%d\n", fcntl(fd, F_GETFL) & ~O_LARGEFILE, fcntl(fd, F_GETFD));
	v = 0;
	show_rw("read blocking with a count", read(fd, &v, 8));
	printf("value: %llu\n", (unsigned long long)v);
	close(fd);

	/* A blocking read that a child's write ends. */
	fd = eventfd(0, 0);
	fflush(stdout);
	if (fork() == 0) {
		usleep(20000);
		uint64_t one = 42;
		write(fd, &one, 8);
		_exit(0);
	}
	v = 0;
	show_rw("blocking read", read(fd, &v, 8));
	printf("value: %llu\n", (unsigned long long)v);
	wait(NULL);
	close(fd);
}

static void timerfds(void)
{
	SHOW("timerfd_create bad clock", timerfd_create(99, 0));
	SHOW("timerfd_create bad flags", timerfd_create(CLOCK_MONOTONIC, 1));
	SHOW("timerfd_create process cputime", timerfd_create(CLOCK_PROCESS_CPUTIME_ID, 0));
	int fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	printf("timerfd: %s cloexec=%d\n", fd >= 0 ? "ok" : errname(errno), !!(fcntl(fd, F_GETFD) & FD_CLOEXEC));
	uint64_t n;
	show_rw("read unarmed", read(fd, &n, 8));
	struct itimerspec its = { { 0, 0 }, { 0, 0 } }, old;
	SHOW("gettime unarmed", timerfd_gettime(fd, &its));
	printf("unarmed: %ld %ld\n", (long)its.it_value.tv_sec, its.it_value.tv_nsec);
	its = (struct itimerspec){ { 0, 10000000 }, { 0, 10000000 } };
	SHOW("settime 10ms periodic", timerfd_settime(fd, 0, &its, &old));
	printf("old value zero: %d\n", old.it_value.tv_sec == 0 && old.it_value.tv_nsec == 0);
	SHOW("gettime", timerfd_gettime(fd, &its));
	printf("interval: %ld.%09ld, value pending: %d\n", (long)its.it_interval.tv_sec, its.it_interval.tv_nsec,
	       its.it_value.tv_nsec > 0 && its.it_value.tv_nsec <= 10000000);
	usleep(55000);
	n = 0;
	show_rw("read after 55ms", read(fd, &n, 8));
	printf("expirations >= 4: %d\n", n >= 4);
	show_rw("read 4 bytes", read(fd, &n, 4));
	/* Blocking, on a second timer, absolute on CLOCK_REALTIME. */
	int fd2 = timerfd_create(CLOCK_REALTIME, 0);
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	now.tv_nsec += 20000000;
	if (now.tv_nsec >= 1000000000) {
		now.tv_sec++;
		now.tv_nsec -= 1000000000;
	}
	its = (struct itimerspec){ { 0, 0 }, now };
	SHOW("settime ABSTIME", timerfd_settime(fd2, TFD_TIMER_ABSTIME, &its, NULL));
	n = 0;
	show_rw("blocking read", read(fd2, &n, 8));
	printf("expirations: %llu\n", (unsigned long long)n);
	its = (struct itimerspec){ { 0, 0 }, { 0, 5000000 } };
	SHOW("settime CANCEL_ON_SET", timerfd_settime(fd2, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, &its, NULL));
	SHOW("settime bad flags", timerfd_settime(fd, 4, &its, NULL));
	its.it_value.tv_nsec = 1000000000;
	SHOW("settime bad nsec", timerfd_settime(fd, 0, &its, NULL));
	its.it_value.tv_nsec = 0;
	SHOW("settime bad pointer", timerfd_settime(fd, 0, (void *)8, NULL));
	SHOW("settime bad fd", timerfd_settime(99, 0, &its, NULL));
	SHOW("settime not a timerfd", timerfd_settime(1, 0, &its, NULL));
	SHOW("gettime not a timerfd", timerfd_gettime(0, &its));
	SHOW("gettime bad pointer", timerfd_gettime(fd, (void *)8));
	SHOW("disarm", timerfd_settime(fd, 0, &its, NULL));
	show_rw("read disarmed", read(fd, &n, 8));
	close(fd);
	close(fd2);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	eventfds();
	timerfds();
	return 0;
}
