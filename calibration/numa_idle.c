/*
 * numa_idle.c -- the real-kernel side of `actorkernel calibrate --cases numa-idle`
 * (docs/calibration.md; kernel-model.md §1, the NUMA case, and §8).
 *
 * Usage: numa_idle THREADS BUSY SECONDS INTERVAL_MS
 *
 * A process with THREADS threads (the main thread included) of which BUSY burn CPU in a loop; the
 * others sleep. At start it allocates an idle buffer of 64 pages, filled with a non-zero byte
 * pattern (0x5a) once, and a path buffer of 4 pages, each holding a path that does not exist.
 * Then, for SECONDS, every INTERVAL_MS the main thread makes one probe round, as the model's
 * numa-idle workload does:
 *   write(/dev/null, idle + page*4096, 64), cycling through the idle pages. /dev/null's write never
 *     reads the buffer, so a probe at sys_enter_write sees each page's PTE as NUMA balancing left
 *     it: present, or PROT_NONE (a hint PTE) after a scan. The same probe reads mm->arg_start (the
 *     command line at the top of the stack), which nothing touches after start-up (see run()).
 *   openat(AT_FDCWD, path + page*4096, O_RDONLY, 0421), cycling through the path pages: the probe
 *     at sys_enter_openat reads the path, then getname() copies it, faulting a hint PTE back.
 *     Mode 0421 (273; ignored without O_CREAT) marks these calls for the probe.
 * The main thread itself sleeps between rounds: it is one of the sleeping threads unless
 * BUSY == THREADS, in which case it is the busy one and the rounds are made between its bursts.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define IDLE_PAGES 64
#define PATH_PAGES 4
#define PROBE_MODE 0421
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

/* The probe rounds. Called below a gap of two pages in main's frame, so neither this loop's frames
 * nor libc's calls from it touch the page of the command line at the top of the stack
 * (mm->arg_start): like the model's workload, nothing touches it after start-up. */
static __attribute__((noinline)) int run(int main_busy, double seconds, int interval, char *idle, char *path, int fd, const char *arg_start)
{
	char here;
	if ((uintptr_t)&here / PAGE >= (uintptr_t)arg_start / PAGE - 1) {
		fprintf(stderr, "numa_idle: the probe loop's stack is on the command line's page\n");
		return 1;
	}
	double start = now(), next = start;
	unsigned long round = 0, i = 0;
	while (now() - start < seconds) {
		if (now() >= next) {
			if (write(fd, idle + (round % IDLE_PAGES) * PAGE, 64) != 64) {
				perror("write");
				return 1;
			}
			/* syscall(): glibc's openat() passes the mode only with O_CREAT/O_TMPFILE. */
			int f = syscall(SYS_openat, AT_FDCWD, path + (round % PATH_PAGES) * PAGE, O_RDONLY, PROBE_MODE);
			if (f >= 0)
				close(f);
			round++;
			next += interval / 1000.0;
		}
		if (main_busy)
			sink += i++;
		else
			usleep(1000);
	}
	return 0;
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
	char *path = mmap(NULL, PATH_PAGES * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (idle == MAP_FAILED || path == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	memset(idle, 0x5a, IDLE_PAGES * PAGE);
	for (int p = 0; p < PATH_PAGES; p++)
		snprintf(path + p * PAGE, PAGE, "/nonexistent-ak-calibrate/p%d", p);
	int fd = open("/dev/null", O_WRONLY);
	if (fd < 0) {
		perror("/dev/null");
		return 1;
	}
	/* The main thread is a sleeper (it only makes the probe rounds) unless every thread is busy. */
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
	volatile char gap[2 * PAGE];
	gap[0] = 0;
	int rc = run(main_busy, seconds, interval, idle, path, fd, argv[0]);
	stop = 1;
	for (int i = 0; i < others; i++)
		pthread_join(tids[i], NULL);
	return rc + gap[0];
}
