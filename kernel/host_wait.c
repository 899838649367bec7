/* Waiting on a host fd for a guest call that would block. A signal for the
 * task reaches its host thread as a kick (signal_kick: the hint, then
 * KICK_SIGNAL) that interrupts the blocking host call; one that lands just
 * before the call is spent, and the call would sleep through the signal.
 * So the wait holds KICK_SIGNAL back, checks for signals, and sleeps in
 * ppoll, which lets a held-back kick in atomically. Before that it spins a
 * while (spin_wait.c), which the answer from a task on another CPU usually
 * ends. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/socket.h>
#include <sys/time.h>

#include "host_signals.h"
#include "host_wait.h"
#include "kernel.h"
#include "signal.h"
#include "spin_wait.h"

/* Not when a kick interrupted the poll (EINTR): that is no readiness. */
static bool fd_ready(void *arg)
{
	return poll(arg, 1, 0) > 0;
}

static bool task_signalled(struct task *t)
{
	pthread_mutex_lock(&kernel.lock);
	bool pending = signal_pending_locked(t);
	pthread_mutex_unlock(&kernel.lock);
	return pending;
}

long host_fd_wait(struct task *t, int host_fd, short events)
{
	struct pollfd p = { .fd = host_fd, .events = events };
	if (fd_ready(&p))
		return 0;
	if (spin_wait_worthwhile(t) && spin_wait(t, SPIN_WAIT_NS, fd_ready, &p))
		return 0;
	/* A socket's receive timeout is the host call's to keep. */
	struct timeval rcvtimeo;
	socklen_t len = sizeof rcvtimeo;
	if (getsockopt(host_fd, SOL_SOCKET, SO_RCVTIMEO, &rcvtimeo, &len) == 0 &&
	    (rcvtimeo.tv_sec || rcvtimeo.tv_usec))
		return 0;
	sigset_t kick, old, unkicked;
	sigemptyset(&kick);
	sigaddset(&kick, KICK_SIGNAL);
	pthread_sigmask(SIG_BLOCK, &kick, &old);
	unkicked = old;
	sigdelset(&unkicked, KICK_SIGNAL);
	long rc = 0;
	for (;;) {
		if (task_signalled(t)) {
			rc = -ERESTARTSYS;
			break;
		}
		/* Ready, or an error the call itself will report; EINTR is
		 * a kick, looked at above. */
		int n = ppoll(&p, 1, NULL, &unkicked);
		if (n > 0 || (n < 0 && errno != EINTR))
			break;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return rc;
}
