#ifndef CVISOR_HOST_WAIT_H
#define CVISOR_HOST_WAIT_H

struct task;

/* t is about to block on host_fd (a pipe, a socket) until events: spread t
 * and spin briefly first (host_wait.c). Returns with the fd ready, a
 * signal hinted, or the spin spent; the caller's blocking call follows. */
void host_wait_spin(struct task *t, int host_fd, short events);

#endif
