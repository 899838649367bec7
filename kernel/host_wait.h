#ifndef CVISOR_HOST_WAIT_H
#define CVISOR_HOST_WAIT_H

struct task;

/* t is about to block on host_fd (a pipe, a socket, a tty) until events:
 * wait for them first, spinning a while, then asleep where a signal sent
 * to t cannot be missed (host_wait.c). 0 once ready (the blocking call
 * that follows may still block if another reader took the data first), or
 * -ERESTARTSYS for a signal. */
long host_fd_wait(struct task *t, int host_fd, short events);

#endif
