/* Memory syscalls: brk, mmap, munmap, mprotect. */
#include <errno.h>

#include "fdtable.h"
#include "mm.h"
#include "syscalls.h"

#define PROT_KNOWN (LINUX_PROT_READ | LINUX_PROT_WRITE | LINUX_PROT_EXEC | LINUX_PROT_SEM | \
		    LINUX_PROT_GROWSDOWN | LINUX_PROT_GROWSUP)
/* The flags MAP_SHARED_VALIDATE accepts (mm/mmap.c LEGACY_MAP_MASK + SYNC etc.). */
#define MAP_KNOWN (LINUX_MAP_TYPE | LINUX_MAP_FIXED | LINUX_MAP_ANONYMOUS | LINUX_MAP_32BIT | \
		   LINUX_MAP_GROWSDOWN | LINUX_MAP_DENYWRITE | LINUX_MAP_EXECUTABLE | \
		   LINUX_MAP_LOCKED | LINUX_MAP_NORESERVE | LINUX_MAP_POPULATE | LINUX_MAP_NONBLOCK | \
		   LINUX_MAP_STACK | LINUX_MAP_HUGETLB | LINUX_MAP_SYNC | LINUX_MAP_FIXED_NOREPLACE | \
		   LINUX_MAP_UNINITIALIZED | (0x3fU << 26))

long sys_brk(struct task *t, SYSCALL_ARGS)
{
	return (long)mm_brk(t->mm, a[0]);
}

long sys_mmap(struct task *t, SYSCALL_ARGS)
{
	uint64_t addr = a[0], len = a[1], off = a[5];
	int prot = (int)a[2], flags = (int)a[3];
	if (off & (LINUX_PAGE_SIZE - 1))
		return -EINVAL;
	if (len == 0)
		return -EINVAL;
	if (page_up(len) == 0)
		return -ENOMEM;
	if ((off >> 12) + (page_up(len) >> 12) < (off >> 12))
		return -EOVERFLOW;
	switch (flags & LINUX_MAP_TYPE) {
	case LINUX_MAP_SHARED:
	case LINUX_MAP_PRIVATE:
		break;
	case LINUX_MAP_SHARED_VALIDATE:
		if (flags & ~MAP_KNOWN)
			return -EOPNOTSUPP;
		flags = (flags & ~LINUX_MAP_TYPE) | LINUX_MAP_SHARED;
		break;
	default:
		return -EINVAL;
	}
	if ((flags & LINUX_MAP_FIXED) && (addr & (LINUX_PAGE_SIZE - 1)))
		return -EINVAL;
	int host_fd = -1;
	if (!(flags & LINUX_MAP_ANONYMOUS)) {
		struct file *f = fd_get(t, (int)a[4]);
		if (!f)
			return -EBADF;
		host_fd = f->host_fd;
	} else {
		off = 0;
	}
	return mm_map(t->mm, addr, len, prot & (LINUX_PROT_READ | LINUX_PROT_WRITE | LINUX_PROT_EXEC),
		      flags, host_fd, off);
}

long sys_munmap(struct task *t, SYSCALL_ARGS)
{
	return mm_unmap(t->mm, a[0], a[1]);
}

long sys_mprotect(struct task *t, SYSCALL_ARGS)
{
	int prot = (int)a[2];
	if ((prot & ~PROT_KNOWN) ||
	    (prot & (LINUX_PROT_GROWSDOWN | LINUX_PROT_GROWSUP)) == (LINUX_PROT_GROWSDOWN | LINUX_PROT_GROWSUP))
		return -EINVAL;
	return mm_protect(t->mm, a[0], a[1], prot & (LINUX_PROT_READ | LINUX_PROT_WRITE | LINUX_PROT_EXEC));
}
