/* Waits on another process, and signals that come while they start. Each
 * trial: the peer says it is about to block (a pipe read, a socket read, a
 * futex wait), and the test signals it a few microseconds later, varied
 * from trial to trial, so that the signal lands before, while and after the
 * wait begins. The peer's handler makes the wait's condition true, so a
 * signal taken before the wait ends it with data, one taken during it with
 * EINTR: either is right, a wait that misses the signal never returns.
 * Round trips first check that every byte arrives once, in order. */
#include "guest.h"
#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define TRIALS 300
#define ROUND_TRIPS 2000

enum wait_kind { PIPE_READ, SOCKET_READ, FUTEX_WAIT_ };
static const char *const kind_names[] = { "pipe read", "socket read", "futex wait" };

static int data_rd = -1, data_wr = -1; /* what the peer waits on */
static volatile uint32_t word;

static void on_usr1(int sig)
{
	(void)sig;
	if (data_wr >= 0) {
		char c = 'h';
		if (write(data_wr, &c, 1) != 1)
			_exit(3);
	} else {
		word = 1;
		syscall(SYS_futex, &word, FUTEX_WAKE, 1, NULL, NULL, 0);
	}
}

static void spin_us(long us)
{
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	do
		clock_gettime(CLOCK_MONOTONIC, &b);
	while ((b.tv_sec - a.tv_sec) * 1000000L + (b.tv_nsec - a.tv_nsec) / 1000 < us);
}

/* One wait of the peer's: 'd' ended by data, 'i' by EINTR, 'x' otherwise. */
static char peer_wait(enum wait_kind kind)
{
	char c;
	if (kind == FUTEX_WAIT_) {
		long r = syscall(SYS_futex, &word, FUTEX_WAIT, 0, NULL, NULL, 0);
		if (r == 0 || (r < 0 && errno == EAGAIN))
			return word == 1 ? 'd' : 'x';
		return r < 0 && errno == EINTR ? 'i' : 'x';
	}
	long r = read(data_rd, &c, 1);
	if (r == 1)
		return 'd';
	if (r < 0 && errno == EINTR)
		return read(data_rd, &c, 1) == 1 ? 'i' : 'x'; /* the handler's byte */
	return 'x';
}

/* TRIALS signalled waits of one kind; the number that went wrong. */
static int trials(enum wait_kind kind)
{
	int ready[2], outcome[2], data[2];
	if (pipe(ready) < 0 || pipe(outcome) < 0)
		return -1;
	if (kind == SOCKET_READ ? socketpair(AF_UNIX, SOCK_STREAM, 0, data) : pipe(data))
		return -1;
	pid_t peer = fork();
	if (peer == 0) {
		struct sigaction sa = { .sa_handler = on_usr1 }; /* no SA_RESTART */
		sigemptyset(&sa.sa_mask);
		sigaction(SIGUSR1, &sa, NULL);
		data_rd = data[0];
		data_wr = kind == FUTEX_WAIT_ ? -1 : data[1];
		for (int i = 0; i < TRIALS; i++) {
			word = 0;
			char r = 'r', o;
			if (write(ready[1], &r, 1) != 1)
				_exit(2);
			o = peer_wait(kind);
			if (write(outcome[1], &o, 1) != 1)
				_exit(2);
		}
		_exit(0);
	}
	int bad = 0;
	for (int i = 0; i < TRIALS; i++) {
		char c;
		if (read(ready[0], &c, 1) != 1)
			return -1;
		spin_us(i % 80);
		kill(peer, SIGUSR1);
		if (read(outcome[0], &c, 1) != 1)
			return -1;
		bad += c != 'd' && c != 'i';
	}
	int st;
	waitpid(peer, &st, 0);
	close(ready[0]), close(ready[1]), close(outcome[0]), close(outcome[1]);
	close(data[0]), close(data[1]);
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? bad : -1;
}

/* ROUND_TRIPS of a counter between two processes; false on a wrong value. */
static int round_trips(int use_socket)
{
	int to[2], back[2];
	if (use_socket) {
		int sv[2];
		if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
			return 0;
		to[0] = back[1] = sv[1];
		to[1] = back[0] = sv[0];
	} else if (pipe(to) < 0 || pipe(back) < 0) {
		return 0;
	}
	pid_t c = fork();
	if (c == 0) {
		close(to[1]); /* the parent's ends, or EOF never comes */
		if (!use_socket)
			close(back[0]);
		for (uint32_t v; read(to[0], &v, sizeof v) == sizeof v;) {
			v = v * 3 + 1;
			if (write(back[1], &v, sizeof v) != sizeof v)
				_exit(1);
		}
		_exit(0);
	}
	int ok = 1;
	for (uint32_t i = 0; i < ROUND_TRIPS && ok; i++) {
		uint32_t v = i;
		ok = write(to[1], &v, sizeof v) == sizeof v && read(back[0], &v, sizeof v) == sizeof v &&
		     v == i * 3 + 1;
	}
	close(to[1]);
	if (!use_socket)
		close(to[0]), close(back[0]), close(back[1]);
	else
		close(back[0]);
	int st;
	waitpid(c, &st, 0);
	return ok && WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

static pid_t worker;

static void on_alarm(int sig)
{
	(void)sig;
	kill(worker, SIGKILL);
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	/* Under cvisor this is init, which ignores what it does not handle:
	 * the work runs in a child, and a hung one is killed. */
	worker = fork();
	if (worker == 0) {
		printf("pipe round trips: %s\n", round_trips(0) ? "ok" : "wrong");
		printf("socket round trips: %s\n", round_trips(1) ? "ok" : "wrong");
		for (int k = PIPE_READ; k <= FUTEX_WAIT_; k++)
			printf("%s signalled as it starts: %d trials, %d wrong\n", kind_names[k], TRIALS,
			       trials(k));
		_exit(0);
	}
	signal(SIGALRM, on_alarm);
	alarm(60);
	int st;
	while (waitpid(worker, &st, 0) < 0 && errno == EINTR)
		;
	if (WIFSIGNALED(st))
		printf("worker killed by signal %d (a wait hung)\n", WTERMSIG(st));
	else
		printf("worker exit %d\n", WEXITSTATUS(st));
	return 0;
}
