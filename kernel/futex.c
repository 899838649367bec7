/* futex(2): waiters keyed by (memory map, address), or for MAP_SHARED
 * memory by (shared object, offset) so that processes meet; they sleep on
 * kernel.wake so a posted signal wakes them like any other kernel sleep. */
#include <errno.h>
#include <time.h>

#include "futex.h"
#include "guest_mem.h"
#include "mm.h"
#include "process.h"
#include "syscalls.h"

/* include/uapi/linux/futex.h */
#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#define FUTEX_REQUEUE 3
#define FUTEX_CMP_REQUEUE 4
#define FUTEX_WAKE_OP 5
#define FUTEX_WAIT_BITSET 9
#define FUTEX_WAKE_BITSET 10
#define FUTEX_PRIVATE_FLAG 128
#define FUTEX_CLOCK_REALTIME 256
#define FUTEX_BITSET_MATCH_ANY 0xffffffffU

struct waiter {
	struct futex_key key;
	uint32_t bitset;
	bool woken;
	struct waiter *next;
};

/* Waiting tasks, guarded by kernel.lock. */
static struct waiter *waiters;

static void unqueue(struct waiter *w)
{
	for (struct waiter **p = &waiters; *p; p = &(*p)->next)
		if (*p == w) {
			*p = w->next;
			return;
		}
}

static bool same_key(const struct futex_key *a, const struct futex_key *b)
{
	return a->mm == b->mm && a->id == b->id && a->off == b->off;
}

/* Wake up to n waiters on key whose bitset meets bitset; with requeue_to,
 * move up to n2 more there instead (kernel.lock held). */
static int wake_locked(const struct futex_key *key, int n, uint32_t bitset,
		       const struct futex_key *requeue_to, int n2)
{
	int woken = 0, moved = 0;
	for (struct waiter *w = waiters; w; w = w->next) {
		if (w->woken || !same_key(&w->key, key) || !(w->bitset & bitset))
			continue;
		if (woken < n) {
			w->woken = true;
			woken++;
		} else if (requeue_to && moved < n2) {
			w->key = *requeue_to;
			moved++;
		}
	}
	if (woken)
		kernel_wake_all();
	return woken + moved;
}

int futex_wake_address(struct task *t, uint64_t addr, int n)
{
	pthread_mutex_lock(&kernel.lock);
	struct futex_key key = mm_futex_key(t->mm, addr, false);
	int r = wake_locked(&key, n, FUTEX_BITSET_MATCH_ANY, NULL, 0);
	pthread_mutex_unlock(&kernel.lock);
	return r;
}

static long futex_wait(struct task *t, uint64_t addr, bool private_op, uint32_t val,
		       const struct timespec *deadline, clockid_t clock, uint32_t bitset)
{
	pthread_mutex_lock(&kernel.lock);
	uint32_t cur;
	long rc = 0;
	if (copy_from_guest(t, &cur, addr, sizeof cur) < 0)
		rc = -EFAULT;
	else if (cur != val)
		rc = -EAGAIN;
	if (rc) {
		pthread_mutex_unlock(&kernel.lock);
		return rc;
	}
	struct waiter w = { .key = mm_futex_key(t->mm, addr, private_op), .bitset = bitset, .next = waiters };
	waiters = &w;
	while (!w.woken) {
		if (deadline) {
			struct timespec now;
			clock_gettime(clock, &now);
			if (now.tv_sec > deadline->tv_sec ||
			    (now.tv_sec == deadline->tv_sec && now.tv_nsec >= deadline->tv_nsec)) {
				rc = -ETIMEDOUT;
				break;
			}
			rc = kernel_sleep_until(t, clock, deadline);
		} else {
			rc = kernel_sleep(t);
		}
		if (rc == -ERESTARTSYS)
			break;
		rc = 0;
	}
	if (w.woken)
		rc = 0;
	unqueue(&w);
	pthread_mutex_unlock(&kernel.lock);
	return rc;
}

/* FUTEX_OP's operation on the old value, and its comparison. */
static bool wake_op(uint32_t encoded, uint32_t old, uint32_t *new)
{
	uint32_t op = (encoded >> 28) & 7, cmp = (encoded >> 24) & 15;
	uint32_t oparg = (encoded >> 12) & 0xfff, cmparg = encoded & 0xfff;
	if (encoded & (8U << 28))
		oparg = 1U << (oparg & 31);
	switch (op) {
	case 0: *new = oparg; break;
	case 1: *new = old + oparg; break;
	case 2: *new = old | oparg; break;
	case 3: *new = old & ~oparg; break;
	default: *new = old ^ oparg; break;
	}
	switch (cmp) {
	case 0: return old == cmparg;
	case 1: return old != cmparg;
	case 2: return (int32_t)old < (int32_t)cmparg;
	case 3: return (int32_t)old <= (int32_t)cmparg;
	case 4: return (int32_t)old > (int32_t)cmparg;
	default: return (int32_t)old >= (int32_t)cmparg;
	}
}

long sys_futex(struct task *t, SYSCALL_ARGS)
{
	uint64_t addr = a[0], addr2 = a[4];
	int op = (int)a[1];
	int cmd = op & ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);
	uint32_t val = (uint32_t)a[2], val3 = (uint32_t)a[5];
	bool private_op = op & FUTEX_PRIVATE_FLAG;
	if (addr & 3)
		return -EINVAL;
	if ((op & FUTEX_CLOCK_REALTIME) && cmd != FUTEX_WAIT && cmd != FUTEX_WAIT_BITSET)
		return -ENOSYS;
	switch (cmd) {
	case FUTEX_WAIT:
	case FUTEX_WAIT_BITSET: {
		uint32_t bitset = cmd == FUTEX_WAIT ? FUTEX_BITSET_MATCH_ANY : val3;
		if (!bitset)
			return -EINVAL;
		clockid_t clock = op & FUTEX_CLOCK_REALTIME ? CLOCK_REALTIME : CLOCK_MONOTONIC;
		struct timespec deadline, *dp = NULL;
		if (a[3]) {
			/* FUTEX_WAIT's timeout is relative, WAIT_BITSET's absolute. */
			long rc = guest_deadline(t, a[3], clock, cmd == FUTEX_WAIT_BITSET, &deadline);
			if (rc < 0)
				return rc;
			dp = &deadline;
		}
		return futex_wait(t, addr, private_op, val, dp, clock, bitset);
	}
	case FUTEX_WAKE:
	case FUTEX_WAKE_BITSET: {
		uint32_t bitset = cmd == FUTEX_WAKE ? FUTEX_BITSET_MATCH_ANY : val3;
		if (!bitset)
			return -EINVAL;
		pthread_mutex_lock(&kernel.lock);
		struct futex_key key = mm_futex_key(t->mm, addr, private_op);
		int r = wake_locked(&key, (int)(val > INT32_MAX ? INT32_MAX : val), bitset, NULL, 0);
		pthread_mutex_unlock(&kernel.lock);
		return r;
	}
	case FUTEX_REQUEUE:
	case FUTEX_CMP_REQUEUE: {
		if ((int32_t)val < 0 || (int64_t)a[3] < 0 || (addr2 & 3))
			return -EINVAL;
		pthread_mutex_lock(&kernel.lock);
		long r = 0;
		if (cmd == FUTEX_CMP_REQUEUE) {
			uint32_t cur;
			if (copy_from_guest(t, &cur, addr, sizeof cur) < 0)
				r = -EFAULT;
			else if (cur != val3)
				r = -EAGAIN;
		}
		if (r == 0) {
			struct futex_key k1 = mm_futex_key(t->mm, addr, private_op);
			struct futex_key k2 = mm_futex_key(t->mm, addr2, private_op);
			r = wake_locked(&k1, (int)val, FUTEX_BITSET_MATCH_ANY, &k2,
					(int)(a[3] > INT32_MAX ? INT32_MAX : a[3]));
		}
		pthread_mutex_unlock(&kernel.lock);
		return r;
	}
	case FUTEX_WAKE_OP: {
		if (addr2 & 3)
			return -EINVAL;
		pthread_mutex_lock(&kernel.lock);
		uint32_t old, new;
		long r;
		if (copy_from_guest(t, &old, addr2, sizeof old) < 0) {
			r = -EFAULT;
		} else {
			bool hit = wake_op(val3, old, &new);
			if (copy_to_guest(t, addr2, &new, sizeof new) < 0) {
				r = -EFAULT;
			} else {
				struct futex_key k1 = mm_futex_key(t->mm, addr, private_op);
				struct futex_key k2 = mm_futex_key(t->mm, addr2, private_op);
				r = wake_locked(&k1, (int)val, FUTEX_BITSET_MATCH_ANY, NULL, 0);
				if (hit)
					r += wake_locked(&k2, (int)(a[3] > INT32_MAX ? INT32_MAX : a[3]),
							 FUTEX_BITSET_MATCH_ANY, NULL, 0);
			}
		}
		pthread_mutex_unlock(&kernel.lock);
		return r;
	}
	}
	return -ENOSYS;
}

/* include/uapi/linux/futex.h */
#define FUTEX_WAITERS 0x80000000U
#define FUTEX_OWNER_DIED 0x40000000U
#define FUTEX_TID_MASK 0x3fffffffU
#define ROBUST_LIST_LIMIT 2048

/* A robust futex held by the dying task: mark its owner dead and wake one
 * waiter (kernel/futex/core.c handle_futex_death). */
static void futex_owner_died(struct task *t, uint64_t uaddr)
{
	uint32_t val;
	if ((uaddr & 3) || copy_from_guest(t, &val, uaddr, sizeof val) < 0)
		return;
	if ((val & FUTEX_TID_MASK) != (uint32_t)t->tid)
		return;
	uint32_t dead = (val & FUTEX_WAITERS) | FUTEX_OWNER_DIED;
	if (copy_to_guest(t, uaddr, &dead, sizeof dead) == 0 && (val & FUTEX_WAITERS))
		futex_wake_address(t, uaddr, 1);
}

void futex_exit_robust_list(struct task *t)
{
	/* struct robust_list_head: list.next, futex_offset, list_op_pending */
	uint64_t head[3];
	if (!t->robust_list || copy_from_guest(t, head, t->robust_list, sizeof head) < 0)
		return;
	int64_t offset = (int64_t)head[1];
	uint64_t pending = head[2] & ~1ULL, entry = head[0] & ~1ULL;
	for (int n = 0; entry && entry != t->robust_list && n < ROBUST_LIST_LIMIT; n++) {
		uint64_t next;
		if (copy_from_guest(t, &next, entry, sizeof next) < 0)
			return;
		if (entry != pending)
			futex_owner_died(t, entry + (uint64_t)offset);
		entry = next & ~1ULL;
	}
	if (pending)
		futex_owner_died(t, pending + (uint64_t)offset);
}
