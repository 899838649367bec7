/* Control-message buffers (msg_control), parsed and built without I/O
 * (tools/fuzz feeds them any bytes): the walk net/core/scm.c makes over a
 * sender's cmsgs, and put_cmsg() for a receiver's buffer. */
#ifndef CVISOR_CMSG_H
#define CVISOR_CMSG_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

/* The control message at *off in buf[0, len) (8-byte aligned), *off moved
 * past it; NULL at the end, or with *bad set at one whose cmsg_len does
 * not fit (Linux: EINVAL). */
const struct cmsghdr *cmsg_next(const char *buf, size_t len, size_t *off, bool *bad);
/* net/core/scm.c put_cmsg(): append one SOL_SOCKET message of type with
 * len bytes of data to buf (cap bytes, *used of them taken), cut to fit
 * with MSG_CTRUNC in *flags. */
void cmsg_put(char *buf, size_t cap, size_t *used, int *flags, int type, const void *data, size_t len);

#endif
