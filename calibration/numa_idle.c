/*
 * numa_idle.c -- the real-kernel side of `actorkernel calibrate --cases numa-idle`
 * (docs/calibration.md; kernel-model.md §1, the NUMA case, and §8).
 *
 * Usage: numa_idle THREADS BUSY SECONDS INTERVAL_MS
 *
 * A process with THREADS threads (the main thread included) of which BUSY burn CPU in a loop; the
 * others sleep. At start it allocates an idle buffer of 64 pages and fills it with a non-zero byte
 * pattern (0x5a) once. Then, for SECONDS, every INTERVAL_MS the main thread calls
 * write(/dev/null, idle + page*4096, 64), cycling through the pages. /dev/null's write never reads
 * the buffer, so a probe at sys_enter_write sees each page's PTE as NUMA balancing left it: present,
 * or PROT_NONE (a hint PTE) after a scan. The main thread itself sleeps between writes: it is one
 * of the sleeping threads unless BUSY == THREADS, in which case it is the busy one and the probe
 * writes are made between its bursts.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define IDLE_PAGES 64
#define PAGE 4096

static volatile int stop;
static volatile unsigned long sink;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void *busy(void *arg)
{
	(void)arg;
	/* Burn CPU and keep a small hot buffer of its own touched. */
	static __thread char hot[16 * PAGE];
	unsigned long i = 0;
	while (!stop) {
		hot[(i * 64) % sizeof hot]++;
		sink += i++;
	}
	return NULL;
}

static void *sleeper(void *arg)
{
	(void)arg;
	while (!stop)
		usleep(100 * 1000);
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc != 5) {
		fprintf(stderr, "usage: numa_idle THREADS BUSY SECONDS INTERVAL_MS\n");
		return 2;
	}
	int threads = atoi(argv[1]), nbusy = atoi(argv[2]);
	double seconds = atof(argv[3]);
	int interval = atoi(argv[4]);
	if (threads < 1 || nbusy < 0 || nbusy > threads || seconds <= 0 || interval < 1) {
		fprintf(stderr, "numa_idle: bad arguments\n");
		return 2;
	}
	char *idle = mmap(NULL, IDLE_PAGES * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (idle == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	memset(idle, 0x5a, IDLE_PAGES * PAGE);
	int fd = open("/dev/null", O_WRONLY);
	if (fd < 0) {
		perror("/dev/null");
		return 1;
	}
	/* The main thread is a sleeper (it only writes every interval) unless every thread is busy. */
	int main_busy = nbusy == threads;
	pthread_t tids[1024];
	int others = threads - 1;
	if (others > 1024) others = 1024;
	int busy_others = main_busy ? nbusy - 1 : nbusy;
	for (int i = 0; i < others; i++) {
		if (pthread_create(&tids[i], NULL, i < busy_others ? busy : sleeper, NULL) != 0) {
			perror("pthread_create");
			return 1;
		}
	}
	double start = now(), next = start;
	unsigned long page = 0, i = 0;
	while (now() - start < seconds) {
		if (now() >= next) {
			if (write(fd, idle + (page % IDLE_PAGES) * PAGE, 64) != 64) {
				perror("write");
				return 1;
			}
			page++;
			next += interval / 1000.0;
		}
		if (main_busy)
			sink += i++;
		else
			usleep(1000);
	}
	stop = 1;
	for (int i = 0; i < others; i++)
		pthread_join(tids[i], NULL);
	return 0;
}
