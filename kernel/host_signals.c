/* Forwarding: one thread waits for the host's SIGINT, SIGQUIT, SIGTSTP,
 * SIGWINCH (the terminal's: they go to the guest terminal's foreground
 * process group, as a tty sends them) and SIGTERM, SIGHUP (cvisor's own:
 * they go to the guest's init). They count as sent from outside the guest:
 * a guest init without a handler takes the default action, as the program
 * would natively, so Ctrl-C on `cvisor run prog` ends prog. cvisor itself
 * never stops for Ctrl-Z: a guest shell stops its job; only when the guest
 * init stopped (Ctrl-Z on `cvisor run prog`) does cvisor stop on the host
 * too, for the host's shell, and continue init once continued. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <time.h>
#include <unistd.h>

#include "host_signals.h"
#include "process.h"
#include "signal.h"
#include "task.h"

static const int forwarded[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGTSTP, SIGWINCH };

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

/* The guest's init stopped (it took a forwarded SIGTSTP): the program the
 * host's shell started is stopped, so cvisor stops; the host's SIGCONT
 * continues cvisor, and cvisor continues init's process group. */
static void stop_with_init(void)
{
	pthread_mutex_lock(&lock);
	bool stopped = false;
	int pgid = 0;
	if (target) {
		pthread_mutex_lock(&kernel.lock);
		stopped = kernel.init->stopped;
		pgid = kernel.init->pgid;
		pthread_mutex_unlock(&kernel.lock);
	}
	pthread_mutex_unlock(&lock);
	if (!stopped)
		return;
	kill(getpid(), SIGSTOP); /* returns once the host continued us */
	struct linux_siginfo info = signal_info_user(SIGCONT, LINUX_SI_USER, NULL);
	pthread_mutex_lock(&lock);
	if (target) {
		pthread_mutex_lock(&kernel.lock);
		for (struct thread_group *g = kernel.groups; g; g = g->next_group)
			if (!g->zombie && g->pgid == pgid)
				signal_send_group(g, &info, true);
		pthread_mutex_unlock(&kernel.lock);
	}
	pthread_mutex_unlock(&lock);
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
		bool to_terminal_group = sig == SIGINT || sig == SIGQUIT || sig == SIGTSTP || sig == SIGWINCH;
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
					/* A stopped process takes it once continued. */
					if ((g->shared_pending.set & sigbit(sig)) && !g->stopped)
						taken = false;
				}
				pthread_mutex_unlock(&kernel.lock);
			}
			pthread_mutex_unlock(&lock);
			if (taken)
				break;
			nanosleep(&(struct timespec){ 0, 20 * 1000 * 1000 }, NULL);
		}
		if (sig == SIGTSTP)
			stop_with_init();
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
