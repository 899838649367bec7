/* Signals from the host (Ctrl-C, kill of cvisor) forwarded to the guest. */
#ifndef CVISOR_HOST_SIGNALS_H
#define CVISOR_HOST_SIGNALS_H

#include "kernel.h"

/* The host signal that breaks a task's thread out of a blocking host call
 * (it has an empty handler without SA_RESTART, so the call fails EINTR). */
#define KICK_SIGNAL SIGUSR1

/* Block the forwarded signals in every thread to come and start the
 * thread that receives them. Call before any other thread exists. */
int host_signals_start(void);
/* Route forwarded signals to t (the guest's init) until it is gone. */
void host_signals_attach(struct task *t);
void host_signals_detach(void);

#endif
