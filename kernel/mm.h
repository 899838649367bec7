/* A guest memory map: the authoritative VMA list, mirrored into the
 * platform's address space by every change. */
#ifndef CVISOR_MM_H
#define CVISOR_MM_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel.h"

/* What /proc/PID/maps names a file mapping with: the file's path when it
 * was mapped and its identity. Shared by the pieces of split VMAs and by
 * forked maps, so refcounted. */
struct vma_name {
	_Atomic int refs;
	uint64_t dev, ino;
	char path[];
};
struct vma_name *vma_name_new(const char *path, uint64_t dev, uint64_t ino);
struct vma_name *vma_name_get(struct vma_name *n);
/* sys_mm.c: the name of a mapping of f (its path as t sees it), or NULL
 * (takes vfs.lock). */
struct file;
struct vma_name *vma_name_of(struct task *t, struct file *f);
void vma_name_put(struct vma_name *n);

struct vma {
	uint64_t start, end;  /* [start, end), page aligned */
	int prot;             /* LINUX_PROT_* */
	int flags;            /* LINUX_MAP_SHARED/PRIVATE, ANONYMOUS, GROWSDOWN */
	int host_fd;          /* backing host fd for file mappings, else -1 */
	uint64_t offset;      /* file offset of start */
	uint64_t shared_id;   /* MAP_SHARED: the object all its mappers share */
	struct vma_name *name; /* file mappings: for /proc/PID/maps; or NULL */
};

struct mm {
	_Atomic int refs;     /* tasks using it (threads, CLONE_VM children) */
	pthread_mutex_t lock; /* the list: mm_* take it; readers use mm_lock */
	struct address_space *as;
	struct vma *vmas;     /* sorted by start, never overlapping */
	size_t nvmas, cap;
	uint64_t mmap_base;   /* top-down allocation starts below this */
	uint64_t start_brk, brk;
	uint64_t stack_top;
	/* Where exec put argv and envp ([start, end)) and the initial sp:
	 * /proc/PID/cmdline, environ, stat and maps' [stack]. */
	uint64_t arg_start, arg_end, env_start, env_end, start_stack;
	uint64_t start_code, end_code, start_data, end_data;
	uint64_t as_limit;    /* RLIMIT_AS of the process mapping it; 0: none */
};

/* A new, empty memory map (a new address space); NULL with errno set. */
struct mm *mm_new(void);
struct mm *mm_get(struct mm *mm);
/* Hold the list still to read it (recursive; after kernel.lock and
 * vfs.lock when those are held). */
void mm_lock(const struct mm *mm);
void mm_unlock(const struct mm *mm);
/* Drop a reference; the last one releases the address space. */
void mm_put(struct mm *mm);
/* A copy-on-write copy (fork). */
struct mm *mm_fork(struct mm *parent);

/* Where a mapping of len (page aligned) goes: addr itself with
 * LINUX_MAP_FIXED (checked as Linux), else the hint if free, else top-down
 * below mmap_base. The address or -errno. */
long mm_get_unmapped_area(struct mm *mm, uint64_t addr, uint64_t len, int flags);
bool mm_range_free(const struct mm *mm, uint64_t start, uint64_t len);
/* Map (replacing what was there with LINUX_MAP_FIXED): the address or
 * -errno. The caller validated flags and prot. */
long mm_map(struct mm *mm, uint64_t addr, uint64_t len, int prot, int flags,
	    int host_fd, uint64_t offset);
/* The same for a file mapping named name (a reference is taken). */
long mm_map_named(struct mm *mm, uint64_t addr, uint64_t len, int prot, int flags,
		  int host_fd, uint64_t offset, struct vma_name *name);
long mm_unmap(struct mm *mm, uint64_t addr, uint64_t len);
/* mprotect(2) of a checked, page-aligned, non-empty range. */
long mm_protect(struct mm *mm, uint64_t start, uint64_t len, int prot, bool growsdown);
/* mremap(2): the new address or -errno. */
long mm_remap(struct mm *mm, uint64_t addr, uint64_t old_len, uint64_t new_len, int flags,
	      uint64_t new_addr);
/* Bytes of [start, end) that are mapped; whether all of it is. */
uint64_t mm_mapped_bytes(const struct mm *mm, uint64_t start, uint64_t end);
bool mm_range_mapped(const struct mm *mm, uint64_t start, uint64_t end);
/* Where writable memory from start stops (end at most); mm_lock held. */
uint64_t mm_writable_end_locked(const struct mm *mm, uint64_t start, uint64_t end);
/* --memory and RLIMIT_AS: whether more bytes may be mapped. */
bool mm_charge_ok(const struct mm *mm, uint64_t more);
/* What a futex at addr is keyed by: the shared object and offset for a
 * MAP_SHARED mapping (so processes meet), else this mm and addr. */
struct futex_key {
	const void *mm;       /* NULL for shared objects */
	uint64_t id, off;
};
struct futex_key mm_futex_key(struct mm *mm, uint64_t addr, bool private_op);
/* An rlimit as a byte limit for as_limit: infinity is none (0). */
static inline uint64_t rlimit_bytes(uint64_t cur)
{
	return cur == LINUX_RLIM_INFINITY ? 0 : (cur ? cur : 1);
}
/* brk(2): the new break, or the old one when the change is refused. */
uint64_t mm_brk(struct mm *mm, uint64_t addr);

static inline uint64_t page_up(uint64_t x)
{
	return (x + LINUX_PAGE_SIZE - 1) & ~(LINUX_PAGE_SIZE - 1);
}
static inline uint64_t page_down(uint64_t x)
{
	return x & ~(LINUX_PAGE_SIZE - 1);
}

#endif
