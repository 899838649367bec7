/* libFuzzer harness: control-message buffers (kernel/cmsg.c). The input
 * is a guest's msg_control walked as sendmsg does; then its messages are
 * put into a receiver's buffer of a size the input picks, as recvmsg
 * does, and that buffer must walk cleanly again. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cmsg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	size_t cap = (size_t)data[0] << 2 | (data[1] & 3);
	data += 2;
	size -= 2;
	/* msg_control as the kernel copies it: aligned. */
	char *buf = malloc(size ? size : 1);
	char *out = malloc(cap ? cap : 1);
	if (!buf || !out)
		abort();
	memcpy(buf, data, size);
	size_t off = 0, used = 0;
	bool bad;
	int flags = 0, n = 0;
	for (const struct cmsghdr *c; (c = cmsg_next(buf, size, &off, &bad)); n++) {
		size_t dlen = c->cmsg_len - CMSG_LEN(0);
		if ((const char *)c < buf || (const char *)c + c->cmsg_len > buf + size || off > size + 7)
			abort();
		cmsg_put(out, cap, &used, &flags, c->cmsg_type, CMSG_DATA(c), dlen);
		if (used > cap)
			abort();
	}
	/* What was built walks to its end without a bad message... */
	size_t off2 = 0;
	int m = 0;
	for (const struct cmsghdr *c; (c = cmsg_next(out, used, &off2, &bad)); m++)
		if (c->cmsg_level != SOL_SOCKET)
			abort();
	/* ...unless a cut left a header alone at the end. */
	if (bad && !(flags & MSG_CTRUNC))
		abort();
	if (!(flags & MSG_CTRUNC) && m != n)
		abort();
	free(buf);
	free(out);
	return 0;
}
