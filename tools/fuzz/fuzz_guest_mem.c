/* libFuzzer harness: the syscall layer's decoding of guest-supplied memory
 * (kernel/guest_mem.c: structs with a size of the guest's choosing,
 * strings, partial copies, iovec arrays) over a fake guest address space:
 * a few pages at GUEST_BASE, some of them unmapped, filled by the input. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "guest_mem.h"
#include "mm.h"

#define MAX_USER 0x7ffffffef000UL
#define GUEST_BASE 0x7ffffffe7000UL /* the window ends at MAX_USER */
#define PAGES 8
#define PAGE 4096UL

struct kernel kernel;
static unsigned char mem[PAGES * PAGE];
static unsigned mapped; /* bit i: page i of the window is accessible */

static bool accessible(uint64_t a)
{
	return a >= GUEST_BASE && a - GUEST_BASE < sizeof mem && (mapped >> ((a - GUEST_BASE) / PAGE) & 1);
}

/* The platform's I/O contract: bytes moved up to the first inaccessible
 * page, or -EFAULT if none. */
static long fake_io(uint64_t addr, void *buf, size_t len, bool write)
{
	if (addr >= MAX_USER || len > MAX_USER - addr)
		abort(); /* guest_mem must have refused it */
	size_t done = 0;
	while (done < len && accessible(addr + done)) {
		uint64_t a = addr + done;
		size_t chunk = PAGE - (a % PAGE);
		if (chunk > len - done)
			chunk = len - done;
		if (write)
			memcpy(mem + (a - GUEST_BASE), (char *)buf + done, chunk);
		else
			memcpy((char *)buf + done, mem + (a - GUEST_BASE), chunk);
		done += chunk;
	}
	return done ? (long)done : -EFAULT;
}

static long fake_read(struct address_space *as, uint64_t addr, void *buf, size_t len)
{
	(void)as;
	return fake_io(addr, buf, len, false);
}

static long fake_write(struct address_space *as, uint64_t addr, const void *buf, size_t len)
{
	(void)as;
	return fake_io(addr, (void *)buf, len, true);
}

static struct platform fake = {
	.name = "fuzz", .max_user_address = MAX_USER, .read = fake_read, .write = fake_write,
};

struct input {
	const uint8_t *p;
	size_t n;
};

static uint64_t take(struct input *in, size_t bytes)
{
	uint64_t v = 0;
	for (size_t i = 0; i < bytes && in->n; i++, in->p++, in->n--)
		v |= (uint64_t)*in->p << (8 * i);
	return v;
}

/* An address: mostly in or near the window, sometimes anything. */
static uint64_t take_addr(struct input *in)
{
	uint8_t kind = (uint8_t)take(in, 1);
	if (kind & 0x80)
		return take(in, 8);
	return GUEST_BASE - PAGE + take(in, 2) % ((PAGES + 2) * PAGE);
}

/* A length: small, page-ish, or anything. */
static uint64_t take_len(struct input *in)
{
	uint8_t kind = (uint8_t)take(in, 1);
	if (kind < 0xc0)
		return take(in, 2) % (3 * PAGE);
	return take(in, 8);
}

static void fuzz_struct(struct task *t, struct input *in)
{
	size_t size = take(in, 2) % 1024;
	uint64_t addr = take_addr(in), usize = take_len(in);
	unsigned char dst[1024];
	memset(dst, 0xa5, sizeof dst);
	long r = copy_struct_from_guest(t, dst, size, addr, usize);
	if (r != 0 && r != -EFAULT && r != -E2BIG)
		abort();
	if (r == 0) {
		/* What the guest did not give is zero; a longer struct's
		 * tail was zero. */
		for (size_t i = usize < size ? usize : size; i < size; i++)
			if (dst[i])
				abort();
		for (uint64_t i = size; i < usize; i++)
			if (!accessible(addr + i) || mem[addr + i - GUEST_BASE])
				abort();
	}
	for (size_t i = size; i < sizeof dst; i++)
		if (dst[i] != 0xa5)
			abort();
}

static void fuzz_string(struct task *t, struct input *in)
{
	uint64_t addr = take_addr(in);
	size_t max = take(in, 2) % (3 * PAGE) + 1;
	char *dst = malloc(max);
	if (!dst)
		return;
	long r = copy_string_from_guest(t, dst, addr, max);
	if (r >= 0 && ((size_t)r >= max || dst[r] || strlen(dst) != (size_t)r))
		abort();
	if (r < 0 && r != -EFAULT && r != -ENAMETOOLONG)
		abort();
	free(dst);
}

static void fuzz_partial(struct task *t, struct input *in)
{
	uint64_t addr = take_addr(in);
	size_t len = take(in, 2) % (3 * PAGE);
	bool write = take(in, 1) & 1;
	unsigned char *buf = calloc(1, len + 1);
	if (!buf)
		return;
	long r = write ? copy_to_guest_partial(t, addr, buf, len) : copy_from_guest_partial(t, buf, addr, len);
	if (r < -EFAULT || (r > 0 && (size_t)r > len) || (r == -EFAULT && len == 0))
		abort();
	free(buf);
}

static void fuzz_iovec(struct task *t, struct input *in)
{
	uint64_t addr = take_addr(in);
	uint64_t n = take(in, 1) & 1 ? take(in, 8) : take(in, 2) % (GUEST_UIO_MAXIOV + 8);
	static struct iovec iov[GUEST_UIO_MAXIOV];
	long r = import_iovec_from_guest(t, iov, addr, n);
	if (r < 0) {
		if (r != -EFAULT && r != -EINVAL)
			abort();
		return;
	}
	if (r > GUEST_MAX_RW_COUNT || n > GUEST_UIO_MAXIOV)
		abort();
	uint64_t sum = 0;
	for (uint64_t i = 0; i < n; i++) {
		if ((ssize_t)iov[i].iov_len < 0 || !guest_range_ok((uint64_t)(uintptr_t)iov[i].iov_base, iov[i].iov_len))
			abort();
		sum += iov[i].iov_len;
	}
	if (sum != (uint64_t)r)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct address_space *as;
	static struct mm mm;
	static struct task task;
	kernel.platform = &fake;
	mm.as = as;
	task.mm = &mm;
	struct input in = { data, size };
	uint8_t op = (uint8_t)take(&in, 1);
	mapped = (unsigned)take(&in, 1);
	/* The rest of the input is the window's contents, repeated. */
	size_t hdr = size - in.n;
	if (in.n > 32) {
		size_t chunk = in.n - 32;
		for (size_t i = 0; i < sizeof mem; i += chunk)
			memcpy(mem + i, data + hdr + 32, chunk < sizeof mem - i ? chunk : sizeof mem - i);
	} else {
		memset(mem, 0, sizeof mem);
	}
	switch (op % 4) {
	case 0: fuzz_struct(&task, &in); break;
	case 1: fuzz_string(&task, &in); break;
	case 2: fuzz_partial(&task, &in); break;
	case 3: fuzz_iovec(&task, &in); break;
	}
	return 0;
}
