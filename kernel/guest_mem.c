/* Checked guest-memory helpers over the platform's address-space I/O. */
#include <errno.h>
#include <limits.h>
#include <string.h>

#include "guest_mem.h"
#include "mm.h"

/* Ranges past the guest's address space (the stub page and above) or
 * wrapping around are EFAULT before any host call. */
bool guest_range_ok(uint64_t addr, size_t len)
{
	uint64_t max = kernel.platform->max_user_address;
	return addr <= max && len <= max - addr;
}

long copy_from_guest_partial(struct task *t, void *dst, uint64_t addr, size_t len)
{
	if (len == 0)
		return 0;
	if (!guest_range_ok(addr, len))
		return -EFAULT;
	return kernel.platform->read(t->mm->as, addr, dst, len);
}

long copy_to_guest_partial(struct task *t, uint64_t addr, const void *src, size_t len)
{
	if (len == 0)
		return 0;
	if (!guest_range_ok(addr, len))
		return -EFAULT;
	return kernel.platform->write(t->mm->as, addr, src, len);
}

int copy_from_guest(struct task *t, void *dst, uint64_t addr, size_t len)
{
	long n = copy_from_guest_partial(t, dst, addr, len);
	return n == (long)len ? 0 : -EFAULT;
}

int copy_to_guest(struct task *t, uint64_t addr, const void *src, size_t len)
{
	long n = copy_to_guest_partial(t, addr, src, len);
	return n == (long)len ? 0 : -EFAULT;
}

long copy_string_from_guest(struct task *t, char *dst, uint64_t addr, size_t max)
{
	size_t done = 0;
	while (done < max) {
		/* Never read across a page we do not need: the string may end
		 * just before an unmapped page. */
		size_t chunk = 4096 - ((addr + done) & 4095);
		if (chunk > max - done)
			chunk = max - done;
		if (copy_from_guest(t, dst + done, addr + done, chunk) < 0)
			return -EFAULT;
		char *nul = memchr(dst + done, 0, chunk);
		if (nul)
			return nul - dst;
		done += chunk;
	}
	return -ENAMETOOLONG;
}

long copy_struct_from_guest(struct task *t, void *dst, size_t size, uint64_t addr, size_t usize)
{
	memset(dst, 0, size);
	if (copy_from_guest(t, dst, addr, usize < size ? usize : size) < 0)
		return -EFAULT;
	for (size_t off = size; off < usize; off += 8) {
		uint64_t word = 0;
		size_t n = usize - off < 8 ? usize - off : 8;
		if (copy_from_guest(t, &word, addr + off, n) < 0)
			return -EFAULT;
		if (word)
			return -E2BIG;
	}
	return 0;
}

long import_iovec_from_guest(struct task *t, struct iovec *iov, uint64_t addr, uint64_t n)
{
	if (n == 0)
		return 0;
	if (n > GUEST_UIO_MAXIOV)
		return -EINVAL;
	size_t bytes = n * sizeof *iov;
	if (!guest_range_ok(addr, bytes))
		return -EFAULT;
	long got = copy_from_guest_partial(t, iov, addr, bytes);
	/* Entries are read in order: a bad length stops the copy before a
	 * fault further on does. */
	for (long i = 0; i < got / (long)sizeof *iov; i++)
		if ((ssize_t)iov[i].iov_len < 0)
			return -EINVAL;
	if (got != (long)bytes)
		return -EFAULT;
	/* A lone buffer is capped before its check (import_ubuf), several
	 * are checked whole. */
	if (n == 1 && iov[0].iov_len > GUEST_MAX_RW_COUNT)
		iov[0].iov_len = GUEST_MAX_RW_COUNT;
	size_t total = 0;
	for (uint64_t i = 0; i < n; i++) {
		if (!guest_range_ok((uint64_t)(uintptr_t)iov[i].iov_base, iov[i].iov_len))
			return -EFAULT;
		if (iov[i].iov_len > GUEST_MAX_RW_COUNT - total)
			iov[i].iov_len = GUEST_MAX_RW_COUNT - total;
		total += iov[i].iov_len;
	}
	return (long)total;
}
