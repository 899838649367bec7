/* Sixteen threads hammer one counter through a futex-based mutex for ten
 * seconds: the total must be exactly the sum of what each one added. */
#include "guest.h"
#include <pthread.h>
#include <time.h>

#define THREADS 16
#define SECONDS 10

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;
static struct timespec end;

static void *hammer(void *arg)
{
	(void)arg;
	long mine = 0;
	for (;;) {
		for (int i = 0; i < 1000; i++) {
			pthread_mutex_lock(&lock);
			counter++;
			pthread_mutex_unlock(&lock);
			mine++;
		}
		struct timespec now;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec > end.tv_sec || (now.tv_sec == end.tv_sec && now.tv_nsec >= end.tv_nsec))
			break;
	}
	return (void *)mine;
}

int main(void)
{
	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_sec += SECONDS;
	pthread_t t[THREADS];
	for (int i = 0; i < THREADS; i++)
		pthread_create(&t[i], NULL, hammer, NULL);
	long sum = 0;
	for (int i = 0; i < THREADS; i++) {
		void *r;
		pthread_join(t[i], &r);
		sum += (long)r;
	}
	printf("%d threads for %d s: total matches the sum=%d, some work done=%d\n", THREADS, SECONDS,
	       counter == sum, sum > THREADS * 1000);
	return 0;
}
