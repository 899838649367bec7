/* Memory syscalls: brk, mmap, munmap, mprotect, with mm/mmap.c's checks in
 * mm/mmap.c's order (the order decides which errno a bad call gets). */
#include <errno.h>
#include <fcntl.h>

#include "fdtable.h"
#include "vfs.h"
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

struct vma_name *vma_name_of(struct task *t, struct file *f)
{
	if (!f->path.dentry || !f->inode)
		return NULL;
	char buf[VFS_PATH_MAX];
	pthread_mutex_lock(&vfs.lock);
	long n = vfs_d_path(t, f->path, buf, sizeof buf);
	uint64_t dev = f->inode->sb->dev, ino = f->inode->ino;
	pthread_mutex_unlock(&vfs.lock);
	return n < 0 ? NULL : vma_name_new(buf, dev, ino);
}

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
	struct file *f = NULL;
	if (!(flags & LINUX_MAP_ANONYMOUS)) {
		f = fd_get(t, (int)a[4]);
		if (!f || (f->flags & O_PATH))
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
	int rc = check_map_type(flags, f != NULL);
	if (rc < 0)
		return rc;
	if (f) {
		/* do_mmap(): a shared writable map needs a writable file (and
		 * not an append-only one); any map a readable one; and the file
		 * must be mappable at all (not a directory or a pipe). */
		int type = flags & LINUX_MAP_TYPE;
		bool shared = type == LINUX_MAP_SHARED || type == LINUX_MAP_SHARED_VALIDATE;
		if (shared && (prot & LINUX_PROT_WRITE) && (!f->writable || (f->flags & O_APPEND)))
			return -EACCES;
		if (!f->readable)
			return -EACCES;
		if (host_fd < 0)
			return -ENODEV;
	}
	if ((flags & LINUX_MAP_TYPE) == LINUX_MAP_SHARED_VALIDATE)
		flags = (flags & ~LINUX_MAP_TYPE) | LINUX_MAP_SHARED;
	struct vma_name *name = f && host_fd >= 0 ? vma_name_of(t, f) : NULL;
	long r = mm_map_named(t->mm, (uint64_t)where, len, prot & PROT_RWX, flags | LINUX_MAP_FIXED,
			      host_fd, host_fd >= 0 ? off : 0, name);
	vma_name_put(name);
	return r;
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

long sys_mremap(struct task *t, SYSCALL_ARGS)
{
	return mm_remap(t->mm, a[0], a[1], a[2], (int)a[3], a[4]);
}

/* A range argument checked as mm/madvise.c and mm/msync.c do: 0 and
 * *end set, 1 for an empty range (nothing to do), or -errno. */
static long page_range(uint64_t start, uint64_t len, uint64_t *end, long overflow_err)
{
	if (start & (LINUX_PAGE_SIZE - 1))
		return -EINVAL;
	uint64_t plen = page_up(len);
	if (len && !plen)
		return overflow_err;
	*end = start + plen;
	if (*end < start)
		return overflow_err;
	return *end == start ? 1 : 0;
}

/* include/uapi/asm-generic/mman-common.h */
#define MADV_DONTNEED 4
#define MADV_HWPOISON 100
#define MADV_SOFT_OFFLINE 101

static bool madvise_valid(int advice)
{
	return (advice >= 0 && advice <= 4) || (advice >= 8 && advice <= 25) ||
	       advice == MADV_HWPOISON || advice == MADV_SOFT_OFFLINE;
}

long sys_madvise(struct task *t, SYSCALL_ARGS)
{
	int advice = (int)a[2];
	if (!madvise_valid(advice))
		return -EINVAL;
	uint64_t end;
	long rc = page_range(a[0], a[1], &end, -EINVAL);
	if (rc)
		return rc > 0 ? 0 : rc;
	/* Poisoning would reach the host's memory: never. */
	if (advice == MADV_HWPOISON || advice == MADV_SOFT_OFFLINE)
		return -EPERM;
	/* The host carries out the advice (DONTNEED zero-fills, WIPEONFORK
	 * holds for our host-level fork...) on the mapped parts; holes make
	 * it ENOMEM, after the rest is done. */
	struct mm *mm = t->mm;
	mm_lock(mm);
	bool hole = !mm_range_mapped(mm, a[0], end);
	for (uint64_t cur = a[0]; cur < end;) {
		size_t i = 0;
		while (i < mm->nvmas && mm->vmas[i].end <= cur)
			i++;
		if (i == mm->nvmas || mm->vmas[i].start >= end)
			break;
		uint64_t s = mm->vmas[i].start > cur ? mm->vmas[i].start : cur;
		uint64_t e = mm->vmas[i].end < end ? mm->vmas[i].end : end;
		rc = kernel.platform->advise(mm->as, s, e - s, advice);
		if (rc < 0)
			break;
		cur = e;
	}
	mm_unlock(mm);
	return rc < 0 ? rc : hole ? -ENOMEM : 0;
}

#define MS_ASYNC 1
#define MS_INVALIDATE 2
#define MS_SYNC 4

long sys_msync(struct task *t, SYSCALL_ARGS)
{
	int flags = (int)a[2];
	if (flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC))
		return -EINVAL;
	if (a[0] & (LINUX_PAGE_SIZE - 1))
		return -EINVAL;
	if ((flags & MS_ASYNC) && (flags & MS_SYNC))
		return -EINVAL;
	uint64_t end;
	long rc = page_range(a[0], a[1], &end, -ENOMEM);
	if (rc)
		return rc > 0 ? 0 : rc;
	/* Shared file mappings are the host's page cache already. */
	return mm_range_mapped(t->mm, a[0], end) ? 0 : -ENOMEM;
}

long sys_mincore(struct task *t, SYSCALL_ARGS)
{
	uint64_t start = a[0], len = a[1];
	if (start & (LINUX_PAGE_SIZE - 1))
		return -EINVAL;
	uint64_t max = kernel.platform->max_user_address;
	if (len > max || start > max - len)
		return -ENOMEM;
	if (!mm_range_mapped(t->mm, start, start + page_up(len)))
		return -ENOMEM;
	/* The host fills the guest's vector itself, checking it. */
	return kernel.platform->mincore(t->mm->as, start, len, a[2]);
}

/* mm/mlock.c: cvisor does not pin memory; the calls check what Linux
 * checks and succeed. */
static long lock_range(struct task *t, uint64_t start, uint64_t len)
{
	uint64_t end = page_up(start + len);
	start = page_down(start);
	if (end < start)
		return -EINVAL;
	return mm_range_mapped(t->mm, start, end) ? 0 : -ENOMEM;
}

long sys_mlock(struct task *t, SYSCALL_ARGS)
{
	return lock_range(t, a[0], a[1]);
}

#define MLOCK_ONFAULT 1

long sys_mlock2(struct task *t, SYSCALL_ARGS)
{
	if (a[2] & ~(uint64_t)MLOCK_ONFAULT)
		return -EINVAL;
	return lock_range(t, a[0], a[1]);
}

long sys_munlock(struct task *t, SYSCALL_ARGS)
{
	return lock_range(t, a[0], a[1]);
}

#define MCL_CURRENT 1
#define MCL_FUTURE 2
#define MCL_ONFAULT 4

long sys_mlockall(struct task *t, SYSCALL_ARGS)
{
	(void)t;
	uint64_t flags = a[0];
	if (!flags || (flags & ~(uint64_t)(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT)) ||
	    flags == MCL_ONFAULT)
		return -EINVAL;
	return 0;
}

long sys_munlockall(struct task *t, SYSCALL_ARGS)
{
	(void)t;
	(void)a;
	return 0;
}
