/* Checked access to guest memory: every guest pointer goes through here. */
#ifndef CVISOR_GUEST_MEM_H
#define CVISOR_GUEST_MEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#include "kernel.h"

/* Linux's access_ok(): the range lies in the guest's address space (says
 * nothing about what is mapped there). */
bool guest_range_ok(uint64_t addr, size_t len);
/* All of [addr, addr+len) or -EFAULT. */
int copy_from_guest(struct task *t, void *dst, uint64_t addr, size_t len);
int copy_to_guest(struct task *t, uint64_t addr, const void *src, size_t len);
/* As much as is accessible from the start: bytes moved, or -EFAULT if none
 * (Linux's short reads and writes into partly bad buffers). */
long copy_from_guest_partial(struct task *t, void *dst, uint64_t addr, size_t len);
long copy_to_guest_partial(struct task *t, uint64_t addr, const void *src, size_t len);
/* A NUL-terminated string of at most max bytes (NUL included): its length,
 * -EFAULT, or -ENAMETOOLONG when no NUL is within max. */
long copy_string_from_guest(struct task *t, char *dst, uint64_t addr, size_t max);
/* include/linux/uaccess.h copy_struct_from_user(): a guest struct of
 * usize bytes into one of size (a shorter one zero-filled); a longer one's
 * tail must be zero (-E2BIG). 0 or -EFAULT/-E2BIG. */
long copy_struct_from_guest(struct task *t, void *dst, size_t size, uint64_t addr, size_t usize);
/* include/uapi/linux/uio.h: UIO_MAXIOV */
#define GUEST_UIO_MAXIOV 1024
/* include/linux/fs.h: MAX_RW_COUNT, the most one transfer moves. */
#define GUEST_MAX_RW_COUNT (0x7fffffffL & ~4095L)
/* lib/iov_iter.c import_iovec(): the guest's array of n iovecs at addr into
 * iov (room for GUEST_UIO_MAXIOV): more entries is EINVAL, as is a length
 * that is no valid ssize_t; a buffer failing guest_range_ok is EFAULT. A
 * total past GUEST_MAX_RW_COUNT is trimmed, never refused. The total. */
long import_iovec_from_guest(struct task *t, struct iovec *iov, uint64_t addr, uint64_t n);
/* guest_iov.c: before a read from a host pipe or stream socket into the
 * guest's buffers: -EFAULT when the data queued would reach a part of them
 * the guest cannot write (Linux fails the read, consuming nothing, when
 * the first buffer it holds straddles the hole), else 0. */
long stream_read_fault(struct task *t, int host_fd, const struct iovec *iov, int n, size_t total);

#endif
