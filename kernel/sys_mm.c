/* Memory syscalls: brk, mmap, munmap, mprotect, with mm/mmap.c's checks in
 * mm/mmap.c's order (the order decides which errno a bad call gets). */
#include <errno.h>

#include "fdtable.h"
#include "mm.h"
#include "syscalls.h"

#define PROT_RWX (LINUX_PROT_READ | LINUX_PROT_WRITE | LINUX_PROT_EXEC)
/* The flags MAP_SHARED_VALIDATE accepts (LEGACY_MAP_MASK | MAP_SYNC). */
#define MAP_LEGACY (LINUX_MAP_SHARED | LINUX_MAP_PRIVATE | LINUX_MAP_FIXED | LINUX_MAP_ANONYMOUS | \
		    LINUX_MAP_DENYWRITE | LINUX_MAP_EXECUTABLE | LINUX_MAP_UNINITIALIZED | \
		    LINUX_MAP_GROWSDOWN | LINUX_MAP_LOCKED | LINUX_MAP_NORESERVE | \
		    LINUX_MAP_POPULATE | LINUX_MAP_NONBLOCK | LINUX_MAP_STACK | LINUX_MAP_HUGETLB | \
		    LINUX_MAP_32BIT | (0x3fU << 26))
#define MAP_VALIDATE_OK (MAP_LEGACY | LINUX_MAP_SYNC | LINUX_MAP_FIXED_NOREPLACE)

long sys_brk(struct task *t, SYSCALL_ARGS)
{
	return (long)mm_brk(t->mm, a[0]);
}

/* do_mmap's MAP_TYPE check, which comes after the address is chosen. */
static int check_map_type(int flags, bool file)
{
	switch (flags & LINUX_MAP_TYPE) {
	case LINUX_MAP_SHARED:
	case LINUX_MAP_PRIVATE:
		return 0;
	case LINUX_MAP_SHARED_VALIDATE:
		if (!file)
			return -EINVAL;
		return flags & ~MAP_VALIDATE_OK ? -EOPNOTSUPP : 0;
	}
	return -EINVAL;
}

long sys_mmap(struct task *t, SYSCALL_ARGS)
{
	uint64_t addr = a[0], len = a[1], off = a[5];
	int prot = (int)a[2], flags = (int)a[3];
	if (off & (LINUX_PAGE_SIZE - 1))
		return -EINVAL;
	int host_fd = -1;
	if (!(flags & LINUX_MAP_ANONYMOUS)) {
		struct file *f = fd_get(t, (int)a[4]);
		if (!f)
			return -EBADF;
		host_fd = f->host_fd;
	}
	if (len == 0)
		return -EINVAL;
	len = page_up(len);
	if (len == 0)
		return -ENOMEM;
	if ((off >> 12) + (len >> 12) < (off >> 12))
		return -EOVERFLOW;
	if (flags & LINUX_MAP_FIXED_NOREPLACE)
		flags |= LINUX_MAP_FIXED;
	long where = mm_get_unmapped_area(t->mm, addr, len, flags);
	if (where < 0)
		return where;
	if ((flags & LINUX_MAP_FIXED_NOREPLACE) && !mm_range_free(t->mm, (uint64_t)where, len))
		return -EEXIST;
	int rc = check_map_type(flags, host_fd >= 0);
	if (rc < 0)
		return rc;
	if ((flags & LINUX_MAP_TYPE) == LINUX_MAP_SHARED_VALIDATE)
		flags = (flags & ~LINUX_MAP_TYPE) | LINUX_MAP_SHARED;
	return mm_map(t->mm, (uint64_t)where, len, prot & PROT_RWX, flags | LINUX_MAP_FIXED,
		      host_fd, host_fd >= 0 ? off : 0);
}

long sys_munmap(struct task *t, SYSCALL_ARGS)
{
	return mm_unmap(t->mm, a[0], a[1]);
}

long sys_mprotect(struct task *t, SYSCALL_ARGS)
{
	uint64_t start = a[0], len = a[1];
	int prot = (int)a[2];
	int grows = prot & (LINUX_PROT_GROWSDOWN | LINUX_PROT_GROWSUP);
	if (grows == (LINUX_PROT_GROWSDOWN | LINUX_PROT_GROWSUP))
		return -EINVAL;
	if (start & (LINUX_PAGE_SIZE - 1))
		return -EINVAL;
	if (len == 0)
		return 0;
	len = page_up(len);
	if (len == 0 || start + len <= start)
		return -ENOMEM;
	prot &= ~grows;
	if (prot & ~(PROT_RWX | LINUX_PROT_SEM))
		return -EINVAL;
	if (grows & LINUX_PROT_GROWSUP)
		return -EINVAL; /* x86 has no grows-up VMAs */
	return mm_protect(t->mm, start, len, prot & PROT_RWX, grows != 0);
}
