/* uname and getrandom. */
#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include "guest_mem.h"
#include "syscalls.h"

long sys_uname(struct task *t, SYSCALL_ARGS)
{
	return copy_to_guest(t, a[0], &kernel.uts, sizeof kernel.uts);
}

/* include/linux/fs.h: import_ubuf() caps one call here. */
#define MAX_RW_COUNT (0x7fffffffUL & ~4095UL)

long sys_getrandom(struct task *t, SYSCALL_ARGS)
{
	unsigned int flags = (unsigned int)a[2];
	if (flags & ~(LINUX_GRND_NONBLOCK | LINUX_GRND_RANDOM | LINUX_GRND_INSECURE))
		return -EINVAL;
	if ((flags & (LINUX_GRND_RANDOM | LINUX_GRND_INSECURE)) == (LINUX_GRND_RANDOM | LINUX_GRND_INSECURE))
		return -EINVAL;
	size_t len = a[1] < MAX_RW_COUNT ? a[1] : MAX_RW_COUNT;
	if (!guest_range_ok(a[0], len))
		return -EFAULT;
	size_t done = 0;
	while (done < len) {
		size_t chunk = len - done < TASK_SCRATCH_SIZE ? len - done : TASK_SCRATCH_SIZE;
		ssize_t n = getrandom(t->scratch, chunk, flags & LINUX_GRND_NONBLOCK);
		if (n < 0)
			return done ? (long)done : -errno;
		long c = copy_to_guest_partial(t, a[0] + done, t->scratch, (size_t)n);
		if (c < 0)
			return done ? (long)done : c;
		done += (size_t)c;
		if (c < n)
			break;
	}
	return (long)done;
}
