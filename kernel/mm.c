/* The VMA list and the memory-map operations on it. The platform call comes
 * first and the list changes only if it succeeded, so the two never differ. */
#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <string.h>

#include "mm.h"

/* mm/util.c: mmap_base leaves at least 128 MiB for the stack. */
#define MIN_STACK_GAP (128UL << 20)

struct vma_name *vma_name_new(const char *path, uint64_t dev, uint64_t ino)
{
	size_t len = strlen(path);
	struct vma_name *n = malloc(sizeof *n + len + 1);
	if (!n)
		return NULL;
	n->refs = 1;
	n->dev = dev;
	n->ino = ino;
	memcpy(n->path, path, len + 1);
	return n;
}

struct vma_name *vma_name_get(struct vma_name *n)
{
	if (n)
		atomic_fetch_add(&n->refs, 1);
	return n;
}

void vma_name_put(struct vma_name *n)
{
	if (n && atomic_fetch_sub(&n->refs, 1) == 1)
		free(n);
}

void mm_lock(const struct mm *mm)
{
	pthread_mutex_lock((pthread_mutex_t *)&mm->lock);
}

void mm_unlock(const struct mm *mm)
{
	pthread_mutex_unlock((pthread_mutex_t *)&mm->lock);
}

static void lock_init(struct mm *mm)
{
	pthread_mutexattr_t a;
	pthread_mutexattr_init(&a);
	pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE);
	pthread_mutex_init(&mm->lock, &a);
	pthread_mutexattr_destroy(&a);
}

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
	lock_init(mm);
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
	for (size_t i = 0; i < mm->nvmas; i++)
		vma_name_put(mm->vmas[i].name);
	pthread_mutex_destroy(&mm->lock);
	free(mm->vmas);
	free(mm);
}

struct mm *mm_fork(struct mm *parent)
{
	struct mm *mm = calloc(1, sizeof *mm);
	if (!mm)
		return NULL;
	/* The list and the host's copy taken together: no other thread
	 * changes the parent's map meanwhile. */
	mm_lock(parent);
	*mm = *parent;
	lock_init(mm);
	mm->refs = 1;
	mm->vmas = malloc((parent->cap ? parent->cap : 1) * sizeof *mm->vmas);
	if (mm->vmas)
		memcpy(mm->vmas, parent->vmas, parent->nvmas * sizeof *mm->vmas);
	mm->as = mm->vmas ? kernel.platform->fork(parent->as) : NULL;
	if (mm->as)
		for (size_t i = 0; i < mm->nvmas; i++)
			vma_name_get(mm->vmas[i].name);
	mm_unlock(parent);
	if (!mm->as) {
		pthread_mutex_destroy(&mm->lock);
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
	vma_name_put(mm->vmas[i].name);
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
	if (rc == 0) {
		vma_name_get(tail.name);
		mm->vmas[i].end = addr;
	}
	return rc;
}

static bool vma_mergeable(const struct vma *a, const struct vma *b)
{
	return a->end == b->start && a->prot == b->prot && a->flags == b->flags &&
	       a->host_fd == b->host_fd && a->shared_id == b->shared_id && a->name == b->name &&
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

static uint64_t mm_mapped_bytes_locked(const struct mm *mm, uint64_t start, uint64_t end)
{
	uint64_t n = 0;
	for (size_t i = vma_index(mm, start); i < mm->nvmas && mm->vmas[i].start < end; i++) {
		uint64_t s = mm->vmas[i].start > start ? mm->vmas[i].start : start;
		uint64_t e = mm->vmas[i].end < end ? mm->vmas[i].end : end;
		n += e - s;
	}
	return n;
}

/* --memory and RLIMIT_AS: whether `more` bytes fit under both. */
static bool mm_charge_ok_locked(const struct mm *mm, uint64_t more)
{
	uint64_t limit = kernel.memory_limit;
	if (mm->as_limit && (!limit || mm->as_limit < limit))
		limit = mm->as_limit;
	if (!limit || !more)
		return true;
	uint64_t total = mm_mapped_bytes(mm, 0, UINT64_MAX);
	return total <= limit && more <= limit - total;
}

/* arch/x86/kernel/sys_x86_64.c: MAP_32BIT takes the legacy window
 * [1 GiB, 2 GiB), searched bottom-up; 0 if it is full. */
#define MAP_32BIT_LOW 0x40000000ULL
#define MAP_32BIT_HIGH 0x80000000ULL

static uint64_t find_free_area_32bit(const struct mm *mm, uint64_t len)
{
	uint64_t start = MAP_32BIT_LOW;
	for (size_t i = vma_index(mm, start); start <= MAP_32BIT_HIGH && MAP_32BIT_HIGH - start >= len; i++) {
		if (i == mm->nvmas || mm->vmas[i].start >= start + len)
			return start;
		if (mm->vmas[i].end > start)
			start = mm->vmas[i].end;
	}
	return 0;
}

static long mm_get_unmapped_area_locked(struct mm *mm, uint64_t addr, uint64_t len, int flags)
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
	/* A hint is taken, rounded down (x86), when the range there is free
	 * (and, for MAP_32BIT, below 2 GiB). */
	bool low = flags & LINUX_MAP_32BIT;
	uint64_t end = low ? MAP_32BIT_HIGH : max;
	addr = page_down(addr);
	if (addr >= LINUX_MMAP_MIN_ADDR && len <= end && addr <= end - len && range_free(mm, addr, addr + len))
		return (long)addr;
	addr = low ? find_free_area_32bit(mm, len) : find_free_area(mm, len);
	return addr ? (long)addr : -ENOMEM;
}

static bool mm_range_free_locked(const struct mm *mm, uint64_t start, uint64_t len)
{
	return range_free(mm, start, start + len);
}

/* A shared mapping's object: the host file's identity, or a fresh id for
 * shared anonymous memory (fork keeps it, so parent and child agree). */
static uint64_t shared_object_id(int host_fd)
{
	static atomic_uint_fast64_t next_anon = 1;
	struct stat st;
	if (host_fd >= 0 && fstat(host_fd, &st) == 0)
		return ((uint64_t)st.st_dev << 44) ^ (uint64_t)st.st_ino ^ (1ULL << 63);
	return atomic_fetch_add(&next_anon, 1);
}

static struct futex_key mm_futex_key_locked(struct mm *mm, uint64_t addr, bool private_op)
{
	size_t i = vma_index(mm, addr);
	if (!private_op && i < mm->nvmas && mm->vmas[i].start <= addr && mm->vmas[i].shared_id) {
		const struct vma *v = &mm->vmas[i];
		return (struct futex_key){ NULL, v->shared_id, addr - v->start + v->offset };
	}
	return (struct futex_key){ mm, 0, addr };
}

long mm_map(struct mm *mm, uint64_t addr, uint64_t len, int prot, int flags,
	    int host_fd, uint64_t offset)
{
	return mm_map_named(mm, addr, len, prot, flags, host_fd, offset, NULL);
}

static long mm_map_named_locked(struct mm *mm, uint64_t addr, uint64_t len, int prot, int flags,
				int host_fd, uint64_t offset, struct vma_name *name)
{
	len = page_up(len);
	if (len == 0)
		return -ENOMEM;
	long r = mm_get_unmapped_area(mm, addr, len, flags);
	if (r < 0)
		return r;
	addr = (uint64_t)r;
	if (!mm_charge_ok(mm, len - mm_mapped_bytes(mm, addr, addr + len)))
		return -ENOMEM;
	int pflags = flags & (LINUX_MAP_SHARED | LINUX_MAP_PRIVATE | LINUX_MAP_NORESERVE |
			      LINUX_MAP_POPULATE | LINUX_MAP_GROWSDOWN | LINUX_MAP_STACK);
	long rc = kernel.platform->map(mm->as, addr, len, prot, pflags, host_fd, offset);
	if (rc < 0)
		return rc;
	struct vma v = {
		.start = addr, .end = addr + len, .prot = prot,
		.flags = flags & (LINUX_MAP_TYPE | LINUX_MAP_ANONYMOUS | LINUX_MAP_GROWSDOWN),
		.host_fd = host_fd, .offset = host_fd >= 0 ? offset : 0,
		.shared_id = (flags & LINUX_MAP_TYPE) == LINUX_MAP_SHARED ? shared_object_id(host_fd) : 0,
		.name = host_fd >= 0 ? name : NULL,
	};
	rc = vmas_remove_range(mm, addr, addr + len);
	if (rc == 0) {
		size_t i = vma_index(mm, addr);
		rc = vma_insert_at(mm, i, &v);
		if (rc == 0) {
			vma_name_get(v.name);
			merge_around(mm, i, i);
		}
	}
	if (rc < 0) {
		/* Out of kernel memory: undo in the guest too. */
		kernel.platform->unmap(mm->as, addr, len);
		vmas_remove_range(mm, addr, addr + len);
		return rc;
	}
	return (long)addr;
}

static long mm_unmap_locked(struct mm *mm, uint64_t addr, uint64_t len)
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

static long mm_protect_locked(struct mm *mm, uint64_t start, uint64_t len, int prot, bool growsdown)
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

static uint64_t mm_brk_locked(struct mm *mm, uint64_t addr)
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

/* The VMA holding addr, or NULL. */
static const struct vma *vma_at(const struct mm *mm, uint64_t addr)
{
	size_t i = vma_index(mm, addr);
	return i < mm->nvmas && mm->vmas[i].start <= addr ? &mm->vmas[i] : NULL;
}

static bool mm_range_mapped_locked(const struct mm *mm, uint64_t start, uint64_t end)
{
	return mm_mapped_bytes(mm, start, end) == end - start;
}

/* The flags mremap understands (include/uapi/linux/mman.h). */
#define MREMAP_MAYMOVE 1
#define MREMAP_FIXED 2
#define MREMAP_DONTUNMAP 4

/* mm/mremap.c, in its order of checks. */
static long mm_remap_locked(struct mm *mm, uint64_t addr, uint64_t old_len, uint64_t new_len, int flags,
			    uint64_t new_addr)
{
	uint64_t max = kernel.platform->max_user_address;
	if (flags & ~(MREMAP_FIXED | MREMAP_MAYMOVE | MREMAP_DONTUNMAP))
		return -EINVAL;
	if ((flags & MREMAP_FIXED) && !(flags & MREMAP_MAYMOVE))
		return -EINVAL;
	/* MREMAP_DONTUNMAP moves the pages and leaves the old range mapped
	 * (empty): a move of the same length only. */
	bool keep_old = flags & MREMAP_DONTUNMAP;
	if (keep_old && (!(flags & MREMAP_MAYMOVE) || old_len != new_len))
		return -EINVAL;
	if (addr & (LINUX_PAGE_SIZE - 1))
		return -EINVAL;
	old_len = page_up(old_len);
	new_len = page_up(new_len);
	if (!new_len)
		return -EINVAL;
	const struct vma *v = vma_at(mm, addr);
	/* mremap_to() checks new_addr for DONTUNMAP too, FIXED or not. */
	if (flags & (MREMAP_FIXED | MREMAP_DONTUNMAP)) {
		if (new_addr & (LINUX_PAGE_SIZE - 1))
			return -EINVAL;
		if (new_len > max || new_addr > max - new_len)
			return -EINVAL;
		if (new_addr < addr + old_len && addr < new_addr + new_len)
			return -EINVAL;
	} else if (old_len >= new_len && !keep_old) {
		/* Shrink in place (or nothing). */
		if (old_len > new_len) {
			long rc = mm_unmap(mm, addr + new_len, old_len - new_len);
			if (rc < 0)
				return rc;
		}
		return (long)addr;
	}
	if (!v)
		return -EFAULT;
	if (old_len > v->end - addr)
		return -EFAULT;
	if (!old_len && !(v->flags & LINUX_MAP_SHARED))
		return -EINVAL; /* a zero-length "copy" is for shared mappings only */
	struct vma moved = *v;
	if (!mm_charge_ok(mm, keep_old ? new_len : new_len > old_len ? new_len - old_len : 0))
		return -ENOMEM;
	/* Grow in place when the VMA ends there and room follows. */
	if (!(flags & MREMAP_FIXED) && !keep_old && addr + old_len == v->end &&
	    addr + new_len <= max && range_free(mm, v->end, addr + new_len)) {
		long rc = kernel.platform->remap(mm->as, addr, old_len, new_len, addr, false);
		if (rc < 0)
			return rc;
		size_t i = vma_index(mm, addr);
		mm->vmas[i].end = addr + new_len;
		merge_around(mm, i, i);
		return (long)addr;
	}
	if (!(flags & MREMAP_MAYMOVE))
		return -ENOMEM;
	if (!(flags & MREMAP_FIXED)) {
		long where = mm_get_unmapped_area(mm, keep_old ? new_addr : 0, new_len, 0);
		if (where < 0)
			return where;
		new_addr = (uint64_t)where;
	}
	long rc = kernel.platform->remap(mm->as, addr, old_len, new_len, new_addr, keep_old);
	if (rc < 0)
		return rc;
	moved.offset += moved.host_fd >= 0 ? addr - moved.start : 0;
	moved.start = new_addr;
	moved.end = new_addr + new_len;
	vma_name_get(moved.name); /* the old VMA's goes with it, or is shared */
	if ((!keep_old && (rc = vmas_remove_range(mm, addr, addr + old_len)) < 0) ||
	    (rc = vmas_remove_range(mm, new_addr, new_addr + new_len)) < 0) {
		vma_name_put(moved.name);
		return rc;
	}
	size_t i = vma_index(mm, new_addr);
	if ((rc = vma_insert_at(mm, i, &moved)) < 0) {
		vma_name_put(moved.name);
		return rc;
	}
	merge_around(mm, i, i);
	return (long)new_addr;
}

/* Every operation on the list holds mm->lock (recursive: they call one
 * another), so threads of one process and /proc readers of another see
 * it whole. */

uint64_t mm_mapped_bytes(const struct mm *mm, uint64_t start, uint64_t end)
{
	mm_lock(mm);
	uint64_t r = mm_mapped_bytes_locked(mm, start, end);
	mm_unlock(mm);
	return r;
}

bool mm_charge_ok(const struct mm *mm, uint64_t more)
{
	mm_lock(mm);
	bool r = mm_charge_ok_locked(mm, more);
	mm_unlock(mm);
	return r;
}

long mm_get_unmapped_area(struct mm *mm, uint64_t addr, uint64_t len, int flags)
{
	mm_lock(mm);
	long r = mm_get_unmapped_area_locked(mm, addr, len, flags);
	mm_unlock(mm);
	return r;
}

bool mm_range_free(const struct mm *mm, uint64_t start, uint64_t len)
{
	mm_lock(mm);
	bool r = mm_range_free_locked(mm, start, len);
	mm_unlock(mm);
	return r;
}

struct futex_key mm_futex_key(struct mm *mm, uint64_t addr, bool private_op)
{
	mm_lock(mm);
	struct futex_key r = mm_futex_key_locked(mm, addr, private_op);
	mm_unlock(mm);
	return r;
}

long mm_unmap(struct mm *mm, uint64_t addr, uint64_t len)
{
	mm_lock(mm);
	long r = mm_unmap_locked(mm, addr, len);
	mm_unlock(mm);
	return r;
}

long mm_protect(struct mm *mm, uint64_t start, uint64_t len, int prot, bool growsdown)
{
	mm_lock(mm);
	long r = mm_protect_locked(mm, start, len, prot, growsdown);
	mm_unlock(mm);
	return r;
}

uint64_t mm_brk(struct mm *mm, uint64_t addr)
{
	mm_lock(mm);
	uint64_t r = mm_brk_locked(mm, addr);
	mm_unlock(mm);
	return r;
}

bool mm_range_mapped(const struct mm *mm, uint64_t start, uint64_t end)
{
	mm_lock(mm);
	bool r = mm_range_mapped_locked(mm, start, end);
	mm_unlock(mm);
	return r;
}

uint64_t mm_writable_end_locked(const struct mm *mm, uint64_t start, uint64_t end)
{
	for (size_t i = vma_index(mm, start); start < end && i < mm->nvmas && mm->vmas[i].start <= start &&
					       (mm->vmas[i].prot & LINUX_PROT_WRITE); i++)
		start = mm->vmas[i].end < end ? mm->vmas[i].end : end;
	return start;
}

long mm_map_named(struct mm *mm, uint64_t addr, uint64_t len, int prot, int flags,
		  int host_fd, uint64_t offset, struct vma_name *name)
{
	mm_lock(mm);
	long r = mm_map_named_locked(mm, addr, len, prot, flags, host_fd, offset, name);
	mm_unlock(mm);
	return r;
}

long mm_remap(struct mm *mm, uint64_t addr, uint64_t old_len, uint64_t new_len, int flags,
	      uint64_t new_addr)
{
	mm_lock(mm);
	long r = mm_remap_locked(mm, addr, old_len, new_len, flags, new_addr);
	mm_unlock(mm);
	return r;
}
