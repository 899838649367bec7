/* Control-message buffers, pure (see cmsg.h). */
#include <string.h>

#include "cmsg.h"

const struct cmsghdr *cmsg_next(const char *buf, size_t len, size_t *off, bool *bad)
{
	*bad = false;
	if (*off > len || len - *off < sizeof(struct cmsghdr))
		return NULL;
	const struct cmsghdr *c = (const struct cmsghdr *)(buf + *off);
	if (c->cmsg_len < sizeof *c || c->cmsg_len > len - *off) {
		*bad = true;
		return NULL;
	}
	*off += CMSG_ALIGN(c->cmsg_len);
	return c;
}

void cmsg_put(char *buf, size_t cap, size_t *used, int *flags, int type, const void *data, size_t len)
{
	size_t room = cap - *used;
	if (room < sizeof(struct cmsghdr)) {
		*flags |= MSG_CTRUNC;
		return;
	}
	size_t cmlen = CMSG_LEN(len);
	if (room < cmlen) {
		*flags |= MSG_CTRUNC;
		cmlen = room;
	}
	struct cmsghdr h = { .cmsg_len = cmlen, .cmsg_level = SOL_SOCKET, .cmsg_type = type };
	memcpy(buf + *used, &h, sizeof h);
	memcpy(buf + *used + sizeof h, data, cmlen - sizeof h);
	cmlen = CMSG_SPACE(len) < room ? CMSG_SPACE(len) : room;
	*used += cmlen;
}
