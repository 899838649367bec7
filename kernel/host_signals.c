/* Forwarding: one thread waits for the host's SIGINT, SIGQUIT, SIGWINCH
 * (the terminal's: they go to the guest terminal's foreground process
 * group, as a tty sends them) and SIGTERM, SIGHUP (cvisor's own: they go to
 * the guest's init). They count as sent from outside the guest: a guest
 * init without a handler takes the default action, as the program would
 * natively, so Ctrl-C on `cvisor run prog` ends prog. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <time.h>

#include "host_signals.h"
#include "process.h"
#include "signal.h"
#include "task.h"

static const int forwarded[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGWINCH };

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
		bool to_terminal_group = sig == SIGINT || sig == SIGQUIT || sig == SIGWINCH;
		for (bool first = true;; first = false) {
			pthread_mutex_lock(&lock);
			bool taken = true;
			if (target) {
				pthread_mutex_lock(&kernel.lock);
				for (struct thread_group *g = kernel.groups; g; g = g->next_group) {
					if (g->zombie || (to_terminal_group ? g->pgid != kernel.tty_fg_pgrp
									    : g != target->tg))
						continue;
					if (first)
						signal_send_group(g, &info, true);
					else if (g->shared_pending.set & sigbit(sig))
						kick_group(g);
					if (g->shared_pending.set & sigbit(sig))
						taken = false;
				}
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
