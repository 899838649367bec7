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
#include "process.h"
#include "signal.h"
#include "task.h"

static const int forwarded[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct task *target;

static void on_kick(int sig)
{
	(void)sig;
}

/* Wake whichever thread of g can take a pending signal (kernel.lock held). */
static void kick_group(struct thread_group *g)
{
	for (struct task *t = g->threads; t; t = t->next_in_group)
		signal_kick(t);
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
		struct linux_siginfo info = signal_info_user(sig, LINUX_SI_USER, NULL);
		for (bool first = true;; first = false) {
			pthread_mutex_lock(&lock);
			bool taken = true;
			if (target) {
				pthread_mutex_lock(&kernel.lock);
				struct thread_group *g = target->tg;
				if (first)
					signal_send_group(g, &info, true);
				else if (g->shared_pending.set & sigbit(sig))
					kick_group(g);
				taken = g->zombie || !(g->shared_pending.set & sigbit(sig));
				pthread_mutex_unlock(&kernel.lock);
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
