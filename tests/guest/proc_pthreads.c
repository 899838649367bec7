/* pthreads as both libcs use them: detach, cancel, rwlock, barrier, TLS,
 * once, keys; and a fork tree ten deep. */
#include "guest.h"
#include <pthread.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static __thread int tls_value = 7;
static pthread_barrier_t barrier;
static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static pthread_key_t key;
static int once_runs, shared_value, destructor_runs;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int detached_done;

static void once_fn(void)
{
	once_runs++;
}

static void destructor(void *p)
{
	(void)p;
	__atomic_add_fetch(&destructor_runs, 1, __ATOMIC_SEQ_CST);
}

static void *tls_thread(void *arg)
{
	tls_value = (int)(long)arg;
	pthread_once(&once, once_fn);
	pthread_setspecific(key, arg);
	pthread_barrier_wait(&barrier);
	pthread_rwlock_rdlock(&rw);
	int v = shared_value;
	pthread_rwlock_unlock(&rw);
	return (void *)(long)(tls_value * 100 + v);
}

static void *detached(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&lock);
	detached_done = 1;
	pthread_cond_signal(&cond);
	pthread_mutex_unlock(&lock);
	return NULL;
}

static void *cancellable(void *arg)
{
	(void)arg;
	for (;;)
		pause(); /* a cancellation point */
	return NULL;
}

static int fork_tree(int depth)
{
	if (depth == 0)
		return 1;
	pid_t c = fork();
	if (c == 0)
		_exit(fork_tree(depth - 1));
	int st;
	waitpid(c, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) + 1 : 0;
}

int main(void)
{
	pthread_key_create(&key, destructor);
	pthread_barrier_init(&barrier, NULL, 5);
	pthread_rwlock_wrlock(&rw);
	shared_value = 3;
	pthread_rwlock_unlock(&rw);
	pthread_t t[4];
	for (long i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, tls_thread, (void *)(i + 1));
	pthread_barrier_wait(&barrier);
	long sum = 0;
	for (int i = 0; i < 4; i++) {
		void *r;
		pthread_join(t[i], &r);
		sum += (long)r;
	}
	printf("TLS and rwlock: sum=%ld main tls=%d once=%d destructors=%d\n", sum, tls_value, once_runs,
	       destructor_runs);

	pthread_t d;
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_mutex_lock(&lock);
	pthread_create(&d, &attr, detached, NULL);
	while (!detached_done)
		pthread_cond_wait(&cond, &lock);
	pthread_mutex_unlock(&lock);
	printf("detached thread ran\n");

	pthread_t c;
	pthread_create(&c, NULL, cancellable, NULL);
	printf("pthread_cancel: %d\n", pthread_cancel(c));
	void *res;
	pthread_join(c, &res);
	printf("joined a cancelled thread: %d\n", res == PTHREAD_CANCELED);

	printf("fork tree ten deep: %d levels\n", fork_tree(10));
	return 0;
}
