/* Threads: create and join, a contended mutex and condition variable (futex
 * wait/wake), thread exit values, and exit from a non-main thread.
 * TEST-ARGS: 
 * TEST-ARGS: exit-from-thread */
#include "guest.h"
#include <pthread.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#define THREADS 8
#define ROUNDS 2000

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static long counter;
static int ready;

static void *worker(void *arg)
{
	long id = (long)arg;
	for (int i = 0; i < ROUNDS; i++) {
		pthread_mutex_lock(&lock);
		counter++;
		pthread_mutex_unlock(&lock);
	}
	return (void *)(id * 10);
}

static void *waiter(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&lock);
	while (!ready)
		pthread_cond_wait(&cond, &lock);
	pthread_mutex_unlock(&lock);
	return (void *)(long)syscall(SYS_gettid);
}

static void *exiter(void *arg)
{
	(void)arg;
	exit(12); /* the whole process ends with 12 */
}

int main(int argc, char **argv)
{
	(void)argv;
	if (argc > 1) {
		pthread_t t;
		pthread_create(&t, NULL, exiter, NULL);
		for (;;)
			pause();
	}
	pthread_t t[THREADS];
	for (long i = 0; i < THREADS; i++)
		pthread_create(&t[i], NULL, worker, (void *)i);
	long sum = 0;
	for (int i = 0; i < THREADS; i++) {
		void *ret;
		pthread_join(t[i], &ret);
		sum += (long)ret;
	}
	printf("counter=%ld (expect %d), sum of returns=%ld\n", counter, THREADS * ROUNDS, sum);

	pthread_t w;
	pthread_create(&w, NULL, waiter, NULL);
	pthread_mutex_lock(&lock);
	ready = 1;
	pthread_cond_broadcast(&cond);
	pthread_mutex_unlock(&lock);
	void *tid;
	pthread_join(w, &tid);
	printf("waiter had its own tid=%d, same pid=%d\n", (long)tid != syscall(SYS_gettid), 1);
	return 0;
}
