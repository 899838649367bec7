/* The VMA list and the memory-map operations on it. The platform call comes
 * first and the list changes only if it succeeded, so the two never differ. */
#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "mm.h"

/* mm/util.c: mmap_base leaves at least 128 MiB for the stack. */
#define MIN_STACK_GAP (128UL << 20)

struct mm *mm_new(void)
{
	struct mm *mm = calloc(1, sizeof *mm);
	if (!mm)
		return NULL;
	mm->as = kernel.platform->new_address_space(kernel.platform);
	if (!mm->as) {
		free(mm);
		return NULL;
	}
	mm->stack_top = kernel.platform->max_user_address;
	mm->mmap_base = page_down(mm->stack_top - MIN_STACK_GAP);
	mm->refs = 1;
	return mm;
}

struct mm *mm_get(struct mm *mm)
{
	atomic_fetch_add(&mm->refs, 1);
	return mm;
}

void mm_put(struct mm *mm)
{
	if (!mm || atomic_fetch_sub(&mm->refs, 1) != 1)
		return;
	kernel.platform->release(mm->as);
	free(mm->vmas);
	free(mm);
}

struct mm *mm_fork(struct mm *parent)
{
	struct mm *mm = calloc(1, sizeof *mm);
	if (!mm)
		return NULL;
	*mm = *parent;
	mm->refs = 1;
	mm->vmas = malloc((parent->cap ? parent->cap : 1) * sizeof *mm->vmas);
	if (mm->vmas)
		memcpy(mm->vmas, parent->vmas, parent->nvmas * sizeof *mm->vmas);
	mm->as = mm->vmas ? kernel.platform->fork(parent->as) : NULL;
	if (!mm->as) {
		free(mm->vmas);
		free(mm);
		return NULL;
	}
	return mm;
}

/* Index of the first VMA that ends after addr. */
static size_t vma_index(const struct mm *mm, uint64_t addr)
{
	size_t lo = 0, hi = mm->nvmas;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (mm->vmas[mid].end <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool range_free(const struct mm *mm, uint64_t start, uint64_t end)
{
	size_t i = vma_index(mm, start);
	return i == mm->nvmas || mm->vmas[i].start >= end;
}

static int vma_insert_at(struct mm *mm, size_t i, const struct vma *v)
{
	if (mm->nvmas == mm->cap) {
		size_t cap = mm->cap ? mm->cap * 2 : 16;
		struct vma *n = realloc(mm->vmas, cap * sizeof *n);
		if (!n)
			return -ENOMEM;
		mm->vmas = n;
		mm->cap = cap;
	}
	memmove(&mm->vmas[i + 1], &mm->vmas[i], (mm->nvmas - i) * sizeof *v);
	mm->vmas[i] = *v;
	mm->nvmas++;
	return 0;
}

static void vma_remove_at(struct mm *mm, size_t i)
{
	memmove(&mm->vmas[i], &mm->vmas[i + 1], (mm->nvmas - i - 1) * sizeof mm->vmas[0]);
	mm->nvmas--;
}

/* Make start and end VMA boundaries, splitting the VMAs that straddle them. */
static int split_at(struct mm *mm, uint64_t addr)
{
	size_t i = vma_index(mm, addr);
	if (i == mm->nvmas || mm->vmas[i].start >= addr)
		return 0;
	struct vma tail = mm->vmas[i];
	tail.start = addr;
	if (tail.host_fd >= 0)
		tail.offset += addr - mm->vmas[i].start;
	int rc = vma_insert_at(mm, i + 1, &tail);
	if (rc == 0)
		mm->vmas[i].end = addr;
	return rc;
}

static bool vma_mergeable(const struct vma *a, const struct vma *b)
{
	return a->end == b->start && a->prot == b->prot && a->flags == b->flags &&
	       a->host_fd == b->host_fd &&
	       (a->host_fd < 0 || a->offset + (a->end - a->start) == b->offset);
}

/* Merge VMAs in [from, to] with their neighbours where Linux would. */
static void merge_around(struct mm *mm, size_t from, size_t to)
{
	if (from > 0)
		from--;
	for (size_t i = from; i + 1 < mm->nvmas && i <= to;) {
		if (vma_mergeable(&mm->vmas[i], &mm->vmas[i + 1])) {
			mm->vmas[i].end = mm->vmas[i + 1].end;
			vma_remove_at(mm, i + 1);
			if (to > 0)
				to--;
		} else {
			i++;
		}
	}
}

/* Drop [start, end) from the list (the platform already unmapped it). */
static int vmas_remove_range(struct mm *mm, uint64_t start, uint64_t end)
{
	int rc = split_at(mm, start);
	if (rc == 0)
		rc = split_at(mm, end);
	if (rc < 0)
		return rc;
	size_t i = vma_index(mm, start);
	while (i < mm->nvmas && mm->vmas[i].start < end)
		vma_remove_at(mm, i);
	return 0;
}

/* Top-down first fit below mmap_base, as Linux's default layout; 0 if none. */
static uint64_t find_free_area(const struct mm *mm, uint64_t len)
{
	uint64_t top = mm->mmap_base;
	size_t i = vma_index(mm, top);
	if (i < mm->nvmas && mm->vmas[i].start < top)
		top = mm->vmas[i].start;
	for (;;) {
		uint64_t floor = i > 0 ? mm->vmas[i - 1].end : 0;
		if (floor < LINUX_MMAP_MIN_ADDR)
			floor = LINUX_MMAP_MIN_ADDR;
		if (top >= floor && top - floor >= len)
			return top - len;
		if (i == 0)
			return 0;
		top = mm->vmas[--i].start;
	}
}

long mm_get_unmapped_area(struct mm *mm, uint64_t addr, uint64_t len, int flags)
{
	uint64_t max = kernel.platform->max_user_address;
	if (len > max)
		return -ENOMEM;
	if (flags & LINUX_MAP_FIXED) {
		if (addr > max - len)
			return -ENOMEM;
		if (addr & (LINUX_PAGE_SIZE - 1))
			return -EINVAL;
		if (addr < LINUX_MMAP_MIN_ADDR)
			return -EPERM;
		return (long)addr;
	}
	/* A hint is taken, rounded down (x86), when the range there is free. */
	addr = page_down(addr);
	if (addr >= LINUX_MMAP_MIN_ADDR && addr <= max - len && range_free(mm, addr, addr + len))
		return (long)addr;
	addr = find_free_area(mm, len);
	return addr ? (long)addr : -ENOMEM;
}

bool mm_range_free(const struct mm *mm, uint64_t start, uint64_t len)
{
	return range_free(mm, start, start + len);
}

long mm_map(struct mm *mm, uint64_t addr, uint64_t len, int prot, int flags,
	    int host_fd, uint64_t offset)
{
	len = page_up(len);
	if (len == 0)
		return -ENOMEM;
	long r = mm_get_unmapped_area(mm, addr, len, flags);
	if (r < 0)
		return r;
	addr = (uint64_t)r;
	int pflags = flags & (LINUX_MAP_SHARED | LINUX_MAP_PRIVATE | LINUX_MAP_NORESERVE |
			      LINUX_MAP_POPULATE | LINUX_MAP_GROWSDOWN | LINUX_MAP_STACK);
	long rc = kernel.platform->map(mm->as, addr, len, prot, pflags, host_fd, offset);
	if (rc < 0)
		return rc;
	struct vma v = {
		.start = addr, .end = addr + len, .prot = prot,
		.flags = flags & (LINUX_MAP_TYPE | LINUX_MAP_ANONYMOUS | LINUX_MAP_GROWSDOWN),
		.host_fd = host_fd, .offset = host_fd >= 0 ? offset : 0,
	};
	rc = vmas_remove_range(mm, addr, addr + len);
	if (rc == 0) {
		size_t i = vma_index(mm, addr);
		rc = vma_insert_at(mm, i, &v);
		if (rc == 0)
			merge_around(mm, i, i);
	}
	if (rc < 0) {
		/* Out of kernel memory: undo in the guest too. */
		kernel.platform->unmap(mm->as, addr, len);
		vmas_remove_range(mm, addr, addr + len);
		return rc;
	}
	return (long)addr;
}

long mm_unmap(struct mm *mm, uint64_t addr, uint64_t len)
{
	uint64_t max = kernel.platform->max_user_address;
	if ((addr & (LINUX_PAGE_SIZE - 1)) || len == 0)
		return -EINVAL;
	len = page_up(len);
	if (len > max || addr > max - len)
		return -EINVAL;
	long rc = kernel.platform->unmap(mm->as, addr, len);
	if (rc < 0)
		return rc;
	return vmas_remove_range(mm, addr, addr + len);
}

/* Set prot on [start, end), all inside one VMA, which is at index i. */
static long protect_in_vma(struct mm *mm, uint64_t start, uint64_t end, int prot)
{
	long rc = kernel.platform->protect(mm->as, start, end - start, prot);
	if (rc < 0)
		return rc;
	if ((rc = split_at(mm, start)) < 0 || (rc = split_at(mm, end)) < 0)
		return rc;
	size_t i = vma_index(mm, start);
	mm->vmas[i].prot = prot;
	merge_around(mm, i, i);
	return 0;
}

long mm_protect(struct mm *mm, uint64_t start, uint64_t len, int prot, bool growsdown)
{
	uint64_t end = start + len;
	size_t i = vma_index(mm, start);
	if (i == mm->nvmas)
		return -ENOMEM;
	if (growsdown) {
		/* PROT_GROWSDOWN: down to the start of a grows-down VMA. */
		if (mm->vmas[i].start >= end)
			return -ENOMEM;
		if (!(mm->vmas[i].flags & LINUX_MAP_GROWSDOWN))
			return -EINVAL;
		start = mm->vmas[i].start;
	} else if (mm->vmas[i].start > start) {
		return -ENOMEM;
	}
	/* VMA by VMA, as Linux: a hole stops the walk with ENOMEM after the
	 * VMAs before it were changed. */
	uint64_t cur = start;
	while (cur < end) {
		i = vma_index(mm, cur);
		if (i == mm->nvmas || mm->vmas[i].start > cur)
			return -ENOMEM;
		uint64_t piece_end = mm->vmas[i].end < end ? mm->vmas[i].end : end;
		long rc = protect_in_vma(mm, cur, piece_end, prot);
		if (rc < 0)
			return rc;
		cur = piece_end;
	}
	return 0;
}

/* mm/mmap.c: the gap kept below a grows-down VMA (stack_guard_gap). */
#define STACK_GUARD_GAP (256UL * LINUX_PAGE_SIZE)

uint64_t mm_brk(struct mm *mm, uint64_t addr)
{
	if (addr < mm->start_brk)
		return mm->brk;
	uint64_t old_top = page_up(mm->brk), new_top = page_up(addr);
	if (new_top == 0 || addr > kernel.platform->max_user_address)
		return mm->brk;
	if (new_top < old_top) {
		if (mm_unmap(mm, new_top, old_top - new_top) < 0)
			return mm->brk;
	} else if (new_top > old_top) {
		/* Linux keeps a page free above the break (and the guard gap
		 * below a stack). */
		size_t i = vma_index(mm, old_top);
		if (i < mm->nvmas) {
			const struct vma *next = &mm->vmas[i];
			uint64_t gap = next->flags & LINUX_MAP_GROWSDOWN ? STACK_GUARD_GAP : 0;
			if (next->start < gap || new_top + LINUX_PAGE_SIZE > next->start - gap)
				return mm->brk;
		}
		long r = mm_map(mm, old_top, new_top - old_top, LINUX_PROT_READ | LINUX_PROT_WRITE,
				LINUX_MAP_PRIVATE | LINUX_MAP_ANONYMOUS | LINUX_MAP_FIXED, -1, 0);
		if (r < 0)
			return mm->brk;
	}
	mm->brk = addr;
	return addr;
}
