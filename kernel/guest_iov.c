/* Reads from a host stream into guest buffers with a hole in them: Linux
 * fails such a read EFAULT and leaves the data queued, but a host read
 * cannot be taken back, so the hole is found first, in the VMA list. */
#include <errno.h>
#include <sys/ioctl.h>
#include <sys/uio.h>

#include "guest_mem.h"
#include "mm.h"

/* Bytes from the start of the buffers that lie in writable guest memory. */
static size_t writable_prefix(struct task *t, const struct iovec *iov, int n, size_t total)
{
	struct mm *mm = t->mm;
	size_t good = 0;
	mm_lock(mm);
	for (int i = 0; i < n && good < total; i++) {
		uint64_t a = (uint64_t)(uintptr_t)iov[i].iov_base;
		uint64_t end = a + (iov[i].iov_len < total - good ? iov[i].iov_len : total - good);
		uint64_t stop = mm_writable_end_locked(mm, a, end);
		good += stop - a;
		if (stop < end)
			break;
	}
	mm_unlock(mm);
	return good;
}

long stream_read_fault(struct task *t, int host_fd, const struct iovec *iov, int n, size_t total)
{
	size_t good = writable_prefix(t, iov, n, total);
	if (good >= total)
		return 0;
	int avail = 0;
	if (ioctl(host_fd, FIONREAD, &avail) < 0 || avail <= 0)
		return 0;
	return (size_t)avail > good ? -EFAULT : 0;
}
