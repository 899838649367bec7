/* futex beyond one process: waits and wakes across fork on MAP_SHARED
 * memory; a process-shared mutex; robust mutexes whose owner died; futex
 * errors and timeouts. */
#include "guest.h"
#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#include <pthread.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>

static long futex(uint32_t *uaddr, int op, uint32_t val, const struct timespec *ts)
{
	return syscall(SYS_futex, uaddr, op, val, ts, NULL, 0);
}

static pthread_mutex_t robust;

static void *die_holding(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&robust);
	return NULL; /* exits with the lock held */
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	uint32_t *shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	shared[0] = 0;
	pid_t c = fork();
	if (c == 0) {
		/* Wait (shared futex) until the parent flips the word. */
		while (__atomic_load_n(&shared[0], __ATOMIC_SEQ_CST) == 0)
			futex(&shared[0], FUTEX_WAIT, 0, NULL);
		_exit(shared[0] == 1 ? 0 : 1);
	}
	/* Give the child every chance to be asleep, then wake it. */
	struct timespec d = { 0, 20 * 1000 * 1000 };
	nanosleep(&d, NULL);
	__atomic_store_n(&shared[0], 1, __ATOMIC_SEQ_CST);
	futex(&shared[0], FUTEX_WAKE, 1, NULL);
	int st;
	waitpid(c, &st, 0);
	printf("shared futex across fork: child woke and exited %d\n", WEXITSTATUS(st));

	/* A process-shared mutex in shared memory. */
	pthread_mutex_t *m = (pthread_mutex_t *)(shared + 16);
	pthread_mutexattr_t ma;
	pthread_mutexattr_init(&ma);
	pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED);
	pthread_mutex_init(m, &ma);
	long *counter = (long *)(shared + 256);
	*counter = 0;
	for (int i = 0; i < 2; i++)
		if (fork() == 0) {
			for (int j = 0; j < 2000; j++) {
				pthread_mutex_lock(m);
				(*counter)++;
				pthread_mutex_unlock(m);
			}
			_exit(0);
		}
	wait(NULL);
	wait(NULL);
	printf("process-shared mutex: counter=%ld\n", *counter);

	/* A robust mutex whose owner thread died holding it. */
	pthread_mutexattr_t ra;
	pthread_mutexattr_init(&ra);
	pthread_mutexattr_setrobust(&ra, PTHREAD_MUTEX_ROBUST);
	pthread_mutex_init(&robust, &ra);
	pthread_t t;
	pthread_create(&t, NULL, die_holding, NULL);
	pthread_join(t, NULL);
	int r = pthread_mutex_lock(&robust);
	printf("robust mutex after its owner died: %s\n", r == EOWNERDEAD ? "EOWNERDEAD" : errname(r));
	printf("made consistent: %d\n", pthread_mutex_consistent(&robust));
	pthread_mutex_unlock(&robust);

	/* Errors and timeouts. */
	uint32_t word = 5;
	SHOW("FUTEX_WAIT value changed", futex(&word, FUTEX_WAIT, 4, NULL));
	struct timespec shortt = { 0, 10 * 1000 * 1000 };
	SHOW("FUTEX_WAIT timeout", futex(&word, FUTEX_WAIT, 5, &shortt));
	SHOW("FUTEX_WAIT unaligned", futex((uint32_t *)((char *)&word + 1), FUTEX_WAIT, 5, NULL));
	SHOW("FUTEX_WAIT bad address", futex((uint32_t *)8, FUTEX_WAIT, 5, NULL));
	struct timespec bad = { 0, -1 };
	SHOW("FUTEX_WAIT bad timeout", futex(&word, FUTEX_WAIT, 5, &bad));
	printf("FUTEX_WAKE nobody: %ld\n", futex(&word, FUTEX_WAKE, 1, NULL));
	SHOW("unknown op", futex(&word, 99, 0, NULL));
	return 0;
}
