/*
 * memory_pressure.c -- the real-kernel side of `actorkernel calibrate --cases memory-pressure`
 * (docs/calibration.md; kernel-model.md §12, docs/memory-pressure.md).
 *
 * Usage: memory_pressure CGROUP_PROCS DATA_FILE HOT_PAGES IDLE_FILE_PAGES IDLE_ANON_PAGES SECONDS INTERVAL_MS
 *
 * The shape of the model's memory-pressure workload, in a memory cgroup whose limit is below its
 * footprint (the caller made the cgroup and removes it):
 *   1. writes DATA_FILE (HOT_PAGES + IDLE_FILE_PAGES pages of 0x5a), fsync()s it and drops it from
 *      the page cache (POSIX_FADV_DONTNEED), so that its pages are read back, clean, by the mapping;
 *   2. joins the cgroup (writes its pid to CGROUP_PROCS): from here on every page it allocates or
 *      reads into the page cache is charged to the cgroup, and charging past memory.max reclaims
 *      from the cgroup alone;
 *   3. maps DATA_FILE read-only (MADV_RANDOM: no readahead) and reads every page; allocates HOT_PAGES anonymous pages and an idle
 *      buffer of IDLE_ANON_PAGES pages and writes both (0x5a);
 *   4. for SECONDS: reads the hot file pages, writes the hot anonymous pages, burns 10 ms of CPU;
 *      every INTERVAL_MS makes one probe round of three write(/dev/null, page, COUNT) calls, one
 *      page of each target in turn, as the model does: COUNT 61 an idle file page
 *      (HOT_PAGES + round % IDLE_FILE_PAGES), 62 an idle anonymous page (round % IDLE_ANON_PAGES),
 *      63 a hot file page (round % HOT_PAGES). /dev/null never reads the buffer, so the probe at
 *      sys_enter_write (memory_pressure.bt) sees each page as reclaim left it: mapped, unmapped and
 *      dropped (a file page), or a swap entry (an anonymous page).
 * Prints "rounds N" at the end.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define PAGE 4096
#define BURST_MS 10
#define PATTERN 0x5a

static volatile unsigned long sink;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static long arg(const char *s, const char *name)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || v < 1) {
		fprintf(stderr, "memory_pressure: %s must be a positive number, got '%s'\n", name, s);
		exit(2);
	}
	return v;
}

static void write_data_file(const char *path, long pages)
{
	char page[PAGE];
	memset(page, PATTERN, sizeof page);
	int fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0600);
	if (fd < 0) { perror("memory_pressure: open data file"); exit(1); }
	for (long i = 0; i < pages; i++)
		if (write(fd, page, PAGE) != PAGE) { perror("memory_pressure: write data file"); exit(1); }
	if (fsync(fd) != 0) { perror("memory_pressure: fsync"); exit(1); }
	posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
	close(fd);
}

static void join_cgroup(const char *procs)
{
	FILE *f = fopen(procs, "w");
	if (f == NULL || fprintf(f, "%d\n", getpid()) < 0 || fclose(f) != 0) {
		perror("memory_pressure: join the cgroup");
		exit(1);
	}
}

int main(int argc, char **argv)
{
	if (argc != 8) {
		fprintf(stderr, "usage: memory_pressure CGROUP_PROCS DATA_FILE HOT_PAGES IDLE_FILE_PAGES IDLE_ANON_PAGES SECONDS INTERVAL_MS\n");
		return 2;
	}
	long hot = arg(argv[3], "HOT_PAGES"), idle_file = arg(argv[4], "IDLE_FILE_PAGES");
	long idle_anon = arg(argv[5], "IDLE_ANON_PAGES"), seconds = arg(argv[6], "SECONDS");
	long interval_ms = arg(argv[7], "INTERVAL_MS");
	long file_pages = hot + idle_file;

	write_data_file(argv[2], file_pages);
	join_cgroup(argv[1]);

	int fd = open(argv[2], O_RDONLY);
	if (fd < 0) { perror("memory_pressure: open data file"); return 1; }
	char *file = mmap(NULL, file_pages * PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
	char *hot_anon = mmap(NULL, hot * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *idle = mmap(NULL, idle_anon * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (file == MAP_FAILED || hot_anon == MAP_FAILED || idle == MAP_FAILED) { perror("memory_pressure: mmap"); return 1; }
	/* No readahead (the model has none): under a limit of a few MiB, readahead windows would evict the
	 * pages just read before they are mapped, and the cgroup would thrash into its OOM killer. */
	if (madvise(file, file_pages * PAGE, MADV_RANDOM) != 0) { perror("memory_pressure: madvise"); return 1; }
	int devnull = open("/dev/null", O_WRONLY);
	if (devnull < 0) { perror("memory_pressure: /dev/null"); return 1; }

	for (long i = 0; i < file_pages; i++) sink += ((volatile char *)file)[i * PAGE];
	memset(hot_anon, PATTERN, hot * PAGE);
	memset(idle, PATTERN, idle_anon * PAGE);

	double start = now(), end = start + seconds, next = start + interval_ms / 1000.0;
	long round = 0;
	while (now() < end) {
		for (long i = 0; i < hot; i++) sink += ((volatile char *)file)[i * PAGE];
		for (long i = 0; i < hot; i++) ((volatile char *)hot_anon)[i * PAGE]++;
		double burst = now() + BURST_MS / 1000.0;
		while (now() < burst) sink++;
		if (now() < next) continue;
		if (write(devnull, file + (hot + round % idle_file) * PAGE, 61) < 0 ||
		    write(devnull, idle + (round % idle_anon) * PAGE, 62) < 0 ||
		    write(devnull, file + (round % hot) * PAGE, 63) < 0) {
			perror("memory_pressure: write /dev/null");
			return 1;
		}
		round++;
		while (next <= now()) next += interval_ms / 1000.0;
	}
	printf("rounds %ld\n", round);
	return 0;
}
