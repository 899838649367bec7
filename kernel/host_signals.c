/* Forwarding: one thread waits for the host's SIGINT, SIGTERM, SIGHUP and
 * SIGQUIT and posts them to the guest's init, which takes the default
 * action. The guest program is treated as the ordinary process it would be
 * natively, not as a namespace init that ignores unhandled signals: Ctrl-C
 * on `cvisor run prog` ends prog. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <time.h>

#include "host_signals.h"
#include "task.h"

static const int forwarded[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct task *target;

static void on_kick(int sig)
{
	(void)sig;
}

static void *forwarder(void *unused)
{
	(void)unused;
	sigset_t set;
	sigemptyset(&set);
	for (size_t i = 0; i < sizeof forwarded / sizeof forwarded[0]; i++)
		sigaddset(&set, forwarded[i]);
	for (;;) {
		int sig = sigwaitinfo(&set, NULL);
		if (sig < 0)
			continue;
		/* Kick until the task took it: a kick that lands just before
		 * the task blocks in a host call would otherwise be lost. */
		for (;;) {
			pthread_mutex_lock(&lock);
			bool taken = true;
			if (target) {
				task_post_signal(target, sig);
				taken = task_signal_taken(target, sig);
			}
			pthread_mutex_unlock(&lock);
			if (taken)
				break;
			nanosleep(&(struct timespec){ 0, 20 * 1000 * 1000 }, NULL);
		}
	}
	return NULL;
}

int host_signals_start(void)
{
	struct sigaction sa = { .sa_handler = on_kick };
	sigemptyset(&sa.sa_mask);
	if (sigaction(KICK_SIGNAL, &sa, NULL) < 0)
		return -errno;
	sigset_t set;
	sigemptyset(&set);
	for (size_t i = 0; i < sizeof forwarded / sizeof forwarded[0]; i++)
		sigaddset(&set, forwarded[i]);
	int rc = pthread_sigmask(SIG_BLOCK, &set, NULL);
	if (rc)
		return -rc;
	pthread_t thread;
	rc = pthread_create(&thread, NULL, forwarder, NULL);
	if (rc)
		return -rc;
	pthread_detach(thread);
	return 0;
}

void host_signals_attach(struct task *t)
{
	pthread_mutex_lock(&lock);
	target = t;
	pthread_mutex_unlock(&lock);
}

void host_signals_detach(void)
{
	host_signals_attach(NULL);
}
