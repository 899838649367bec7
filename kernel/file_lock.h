/* Advisory file locks, as fs/locks.c keeps them: POSIX record locks
 * (owned by an fd table, Linux's current->files), OFD locks (owned by the
 * open file) and flock locks (owned by the open file). They live in a
 * side table keyed by inode (or by the host object for files without
 * one), guarded by a mutex of their own.
 *
 * Lock order: vfs.lock, then the lock table's mutex, then kernel.lock.
 * Nothing sleeps holding the table's mutex. */
#ifndef CVISOR_FILE_LOCK_H
#define CVISOR_FILE_LOCK_H

#include <stdint.h>

struct task;
struct file;
struct fdtable;

/* fcntl F_GETLK/F_SETLK/F_SETLKW and their F_OFD_ forms on f, the
 * struct flock at arg: 0 or -errno. */
long file_lock_fcntl(struct task *t, struct file *f, int cmd, uint64_t arg);
/* flock(2) on f: 0 or -errno. */
long file_lock_flock(struct task *t, struct file *f, unsigned int cmd);
/* owner closes an fd on f (close, dup2 over it, exec, its last
 * reference to the table): owner's POSIX locks on f's inode go. */
void file_lock_close(struct file *f, struct fdtable *owner);
/* The last reference to f went: its OFD and flock locks go. */
void file_lock_release(struct file *f);

#endif
