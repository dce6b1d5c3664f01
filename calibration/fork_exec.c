/*
 * fork_exec.c -- the real-kernel side of `actorkernel calibrate` for the fork-exec case
 * (docs/calibration.md, kernel-model.md §1 and §8).
 *
 * Usage: fork_exec SPAWN STRINGS CHILD_TOUCHES PARENT_TOUCHES ARGV_ARRAY CACHE TRIALS [PLACEMENT]
 *   SPAWN          fork | vfork | posix-spawn
 *   STRINGS        rodata | stack | heap | data     where the filename and argv strings live
 *   CHILD_TOUCHES  none | strings-page | window-neighbour | far-page   (fork only)
 *   PARENT_TOUCHES on | off     the parent reads the strings before each spawn
 *   ARGV_ARRAY     stack | relro                    where the argv pointer array lives (relro needs STRINGS rodata)
 *   CACHE          warm | cold | readahead-marker   the strings page's page-cache state, re-established
 *                                                   before each spawn (not warm needs STRINGS rodata)
 *   TRIALS         1 .. 100000
 *   PLACEMENT      fixed (default) | fresh-window-per-exec: trial k uses the strings at the start of
 *                  the (k mod FRESH_WINDOWS)-th 16-page window of its own after the strings window,
 *                  which nothing else reads (needs STRINGS rodata, CHILD_TOUCHES none, ARGV_ARRAY
 *                  stack, CACHE warm; the parent's reads with PARENT_TOUCHES on read that window)
 *
 * Each trial spawns a child that execve()s "/bin/true" with argv {"/bin/true", "ak-calibrate", NULL};
 * a probe at sys_enter_execve (calibration/execve.bt) reads the filename and argv[0] with page faults
 * disabled. The strings in .rodata sit on their own 64 KiB-aligned 16-page window, so nothing the
 * compiler or libc generates reads that window: only what the variant asks for touches it.
 *
 * The page cache of that window is made page-by-page at start (like the model's, which has no large
 * folios): the linker's writes can leave a large folio there, and 6.18's fault-around maps a large
 * folio whole while posix_fadvise(DONTNEED) can only drop it whole. With CACHE not warm it prints
 * one line at the end, "strings-page-cache CACHE set K/TRIALS": in how many cycles the state was
 * really established (checked with mincore(), and for the marker with /proc/self/pagemap).
 * Build: cc -O1 -o fork_exec calibration/fork_exec.c
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096
#define WINDOW (16 * PAGE)
#define NEIGHBOUR_PAGE 5
/* Windows of fresh-window-per-exec; the model side sets image.rodata-pages = 44 + 16 * this
 * (CalibrationVariant.FreshWindows, ModelFreshFirstPage), so both wrap around after the same number of execs. */
#define FRESH_WINDOWS 32

/* The strings window: page 0 holds the filename and argv strings, page 5 is the "window
 * neighbour" (same aligned 16-page fault-around window). */
struct ro_window {
    char filename[64];
    char arg1[64];
    char pad0[PAGE - 128];
    char pages1_4[4 * PAGE];
    char neighbour[PAGE];
    char rest[10 * PAGE];
};

/* One object, so the order is fixed: the far window 32 pages before the strings, then a gap window
 * (the page just before the strings page is its last: the readahead marker is set through it). */
struct ro_ak {
    char far[WINDOW];
    char gap[WINDOW];
    struct ro_window ro;
    /* fresh-window-per-exec: one 64 KiB-aligned window per exec, the strings on its first page. */
    struct ro_window fresh[FRESH_WINDOWS];
};
__attribute__((section(".rodata.ak"), aligned(65536), used))
static const struct ro_ak ak = { {3}, {2}, { "/bin/true", "ak-calibrate", {0}, {0}, {1}, {0} },
    { [0 ... FRESH_WINDOWS - 1] = { "/bin/true", "ak-calibrate", {0}, {0}, {1}, {0} } } };

/* argv array in .data.rel.ro (RELRO: written by the dynamic loader's relocations, then made
 * read-only), on a window of its own so reading it never maps the strings page. A pointer array
 * cannot sit in .rodata proper in a PIE binary (it needs relocations), so argv-array=rodata is
 * refused rather than faked. */
struct ro_argv_window { const char *const argv[3]; char pad[WINDOW - 3 * sizeof(char *)]; };
__attribute__((section(".data.rel.ro.ak"), aligned(65536), used))
static const struct ro_argv_window relro_argv = { { ak.ro.filename, ak.ro.arg1, NULL }, {0} };

static char data_filename[64] = "/bin/true";
static char data_arg1[64] = "ak-calibrate";

static volatile char sink;

static void touch(const volatile char *p) { sink = *p; }

static int exe_fd = -1;     /* the executable, for posix_fadvise and the marker check's mapping */
static off_t ak_file_off;   /* file offset of ak (from /proc/self/maps) */

static void die(const char *what)
{
    fprintf(stderr, "fork_exec: %s\n", what);
    exit(1);
}

static off_t file_off(const void *addr) { return ak_file_off + ((const char *)addr - (const char *)&ak); }

/* mincore() on the process's own mapping: 1 when the page is in the page cache (or mapped). */
static int resident(const void *addr)
{
    unsigned char v = 0;
    if (mincore((void *)((uintptr_t)addr & ~(uintptr_t)(PAGE - 1)), PAGE, &v) != 0) die("mincore failed");
    return v & 1;
}

static void find_ak_offset(void)
{
    FILE *maps = fopen("/proc/self/maps", "r");
    if (!maps) die("cannot read /proc/self/maps");
    char line[512];
    uintptr_t a = (uintptr_t)&ak;
    int found = 0;
    while (fgets(line, sizeof line, maps)) {
        unsigned long start, end, off;
        if (sscanf(line, "%lx-%lx %*s %lx", &start, &end, &off) == 3 && a >= start && a < end) {
            ak_file_off = (off_t)(off + (a - start));
            found = 1;
            break;
        }
    }
    fclose(maps);
    if (!found) die("the .rodata.ak window is not in /proc/self/maps");
}

/* Make the page cache of .rodata.ak one order-0 folio per page, all cached, no marker: drop it
 * (nothing maps it yet) and read it back a page at a time with readahead off (POSIX_FADV_RANDOM). */
static void page_cache_per_page(void)
{
    exe_fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
    if (exe_fd < 0) die("cannot open /proc/self/exe");
    find_ak_offset();
    /* The linker's pages may still be dirty: DONTNEED only drops clean ones. */
    if (fsync(exe_fd) != 0) die("fsync of the executable failed");
    posix_fadvise(exe_fd, ak_file_off, sizeof ak, POSIX_FADV_DONTNEED);
    for (size_t p = 0; p < sizeof ak; p += PAGE)
        if (resident((const char *)&ak + p))
            die("could not drop the .rodata.ak page cache (a large folio reaching outside it?)");
    int rfd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
    if (rfd < 0) die("cannot open /proc/self/exe");
    posix_fadvise(rfd, 0, 0, POSIX_FADV_RANDOM);
    char buf[PAGE];
    for (size_t p = 0; p < sizeof ak; p += PAGE)
        if (pread(rfd, buf, PAGE, ak_file_off + (off_t)p) != PAGE) die("cannot read .rodata.ak back");
    close(rfd);
}

/* Is PG_readahead set on the strings page? Map its window elsewhere, touch the neighbour page:
 * fault-around maps every cached page of the window except one carrying the marker
 * (mm/filemap.c next_uptodate_folio()); /proc/self/pagemap then shows whether the strings page
 * got a PTE. Touching the neighbour does not clear the marker (only a fault on the page does). */
static int marker_set(void)
{
    char *reserve = mmap(NULL, 2 * WINDOW, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (reserve == MAP_FAILED) die("mmap failed");
    char *w = (char *)(((uintptr_t)reserve + WINDOW - 1) & ~(uintptr_t)(WINDOW - 1));
    if (mmap(w, WINDOW, PROT_READ, MAP_PRIVATE | MAP_FIXED, exe_fd, file_off(&ak.ro)) == MAP_FAILED) die("mmap of the executable failed");
    touch(w + NEIGHBOUR_PAGE * PAGE);
    int pm = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
    uint64_t e = 0, n = 0;
    if (pm < 0 || pread(pm, &e, 8, (off_t)((uintptr_t)w / PAGE * 8)) != 8
        || pread(pm, &n, 8, (off_t)((uintptr_t)(w + NEIGHBOUR_PAGE * PAGE) / PAGE * 8)) != 8)
        die("cannot read /proc/self/pagemap");
    close(pm);
    munmap(reserve, 2 * WINDOW);
    return (n >> 63) && !(e >> 63);
}

/* kernel-model.md §8 / the model's AdviseOp: evict the strings page; a page some PTE maps cannot
 * be evicted (mm/truncate.c mapping_evict_folio()), so it stays warm. Returns whether it left. */
static int evict_strings_page(void)
{
    posix_fadvise(exe_fd, file_off(ak.ro.filename), PAGE, POSIX_FADV_DONTNEED);
    return !resident(ak.ro.filename);
}

/* Evict the strings page and read it back by readahead so it carries PG_readahead. A read that
 * misses the page cache right after a read of the page before it starts an initial readahead window
 * at the missed page, and the marker goes on the page just after the request (mm/readahead.c
 * page_cache_sync_ra(): async_size = size - req_count): so read the (evicted) page before the
 * strings page right after the one before that, with a fresh file (fresh readahead state). */
static int mark_strings_page(void)
{
    const char *before = ak.ro.filename - PAGE;
    posix_fadvise(exe_fd, file_off(before), PAGE, POSIX_FADV_DONTNEED);
    if (!evict_strings_page()) return 0;
    int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
    if (fd < 0) die("cannot open /proc/self/exe");
    char buf[PAGE];
    if (pread(fd, buf, PAGE, file_off(before - PAGE)) != PAGE || pread(fd, buf, PAGE, file_off(before)) != PAGE)
        die("cannot read the executable");
    close(fd);
    return resident(ak.ro.filename) && marker_set();
}

int main(int argc, char **argv)
{
    if (argc != 8 && argc != 9) {
        fprintf(stderr, "usage: fork_exec SPAWN STRINGS CHILD_TOUCHES PARENT_TOUCHES ARGV_ARRAY CACHE TRIALS [PLACEMENT]\n");
        return 2;
    }
    const char *spawn = argv[1], *strings = argv[2], *child = argv[3], *ptouch = argv[4], *arr = argv[5], *cache = argv[6];
    int trials = atoi(argv[7]);
    if (trials < 1 || trials > 100000) { fprintf(stderr, "fork_exec: bad TRIALS\n"); return 2; }

    /* Where the strings live. */
    char stack_filename[64], stack_arg1[64];
    const char *fn, *a1;
    if (!strcmp(strings, "rodata")) { fn = ak.ro.filename; a1 = ak.ro.arg1; }
    else if (!strcmp(strings, "stack")) {
        strcpy(stack_filename, "/bin/true"); strcpy(stack_arg1, "ak-calibrate");
        fn = stack_filename; a1 = stack_arg1;
    } else if (!strcmp(strings, "heap")) {
        char *h = malloc(128);
        strcpy(h, "/bin/true"); strcpy(h + 64, "ak-calibrate");
        fn = h; a1 = h + 64;
    } else if (!strcmp(strings, "data")) { fn = data_filename; a1 = data_arg1; }
    else { fprintf(stderr, "fork_exec: bad STRINGS '%s'\n", strings); return 2; }

    /* Where the argv array lives. */
    char *stack_argv[3];
    char *const *av;
    if (!strcmp(arr, "stack")) {
        stack_argv[0] = (char *)fn; stack_argv[1] = (char *)a1; stack_argv[2] = NULL;
        av = stack_argv;
    } else if (!strcmp(arr, "relro")) {
        if (strcmp(strings, "rodata")) { fprintf(stderr, "fork_exec: argv-array %s needs strings rodata\n", arr); return 2; }
        av = (char *const *)relro_argv.argv;
    } else { fprintf(stderr, "fork_exec: bad ARGV_ARRAY '%s'\n", arr); return 2; }

    int cold = !strcmp(cache, "cold"), marker = !strcmp(cache, "readahead-marker");
    if (!cold && !marker && strcmp(cache, "warm")) { fprintf(stderr, "fork_exec: bad CACHE '%s'\n", cache); return 2; }
    if ((cold || marker) && strcmp(strings, "rodata")) { fprintf(stderr, "fork_exec: cache %s needs strings rodata\n", cache); return 2; }

    const volatile char *child_page = NULL;
    if (!strcmp(child, "none")) child_page = NULL;
    else if (!strcmp(child, "strings-page")) child_page = (const volatile char *)fn;
    else if (!strcmp(child, "window-neighbour")) child_page = (const volatile char *)ak.ro.neighbour;
    else if (!strcmp(child, "far-page")) child_page = (const volatile char *)ak.far;
    else { fprintf(stderr, "fork_exec: bad CHILD_TOUCHES '%s'\n", child); return 2; }
    int parent_touches = !strcmp(ptouch, "on");
    const char *placement = argc == 9 ? argv[8] : "fixed";
    int fresh = !strcmp(placement, "fresh-window-per-exec");
    if (!fresh && strcmp(placement, "fixed")) { fprintf(stderr, "fork_exec: bad PLACEMENT '%s'\n", placement); return 2; }
    if (fresh && (strcmp(strings, "rodata") || child_page || strcmp(arr, "stack") || cold || marker)) {
        fprintf(stderr, "fork_exec: placement %s needs strings rodata, child-touches none, argv-array stack, cache warm\n", placement);
        return 2;
    }
    char *const envp[] = { NULL };

    if (!strcmp(strings, "rodata")) page_cache_per_page();

    int established = 0;
    for (int t = 0; t < trials; t++) {
        /* The model's cycle: cache state, then the parent's reads, then the spawn. */
        if (fresh) {
            /* The cycle's own window; the argv array on the stack is rewritten every cycle. */
            fn = ak.fresh[t % FRESH_WINDOWS].filename; a1 = ak.fresh[t % FRESH_WINDOWS].arg1;
            stack_argv[0] = (char *)fn; stack_argv[1] = (char *)a1;
        }
        if (cold) established += evict_strings_page();
        else if (marker) established += mark_strings_page();
        if (parent_touches) { touch(fn); touch(a1); }
        pid_t pid;
        if (!strcmp(spawn, "fork")) {
            pid = fork();
            if (pid == 0) {
                if (child_page) touch(child_page);
                execve(fn, av, envp);
                _exit(127);
            }
        } else if (!strcmp(spawn, "vfork")) {
            pid = vfork();
            if (pid == 0) {
                if (child_page) touch(child_page);
                execve(fn, av, envp);
                _exit(127);
            }
        } else if (!strcmp(spawn, "posix-spawn")) {
            if (posix_spawn(&pid, fn, NULL, NULL, av, envp) != 0) pid = -1;
        } else { fprintf(stderr, "fork_exec: bad SPAWN '%s'\n", spawn); return 2; }
        if (pid < 0) { perror("fork_exec: spawn"); return 1; }
        int st;
        waitpid(pid, &st, 0);
        if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) { fprintf(stderr, "fork_exec: child failed\n"); return 1; }
    }
    if (cold || marker) printf("strings-page-cache %s set %d/%d\n", cache, established, trials);
    return 0;
}
