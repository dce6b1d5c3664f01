/*
 * ak_helper.c -- the shared library of `actorkernel calibrate --cases field-reports` (docs/calibration.md):
 * a helper launcher whose exec literals are in the library's own read-only data (kernel-model.md §1.8,
 * workload.fork-exec.strings = lib-rodata). Built at calibrate time next to field_reports.c:
 *   cc -O1 -shared -fPIC -o libak_helper.so calibration/ak_helper.c
 * Its literals sit alone on a 64 KiB-aligned 16-page window of a section of their own (the loader maps
 * a library with p_align 64 KiB at a 64 KiB-aligned base), after a gap window: page 0 holds the
 * filename and argv[1], page 5 is the window neighbour; the next window holds an openat path laid out as
 * field_reports.c's (ak_helper_literal()).
 */
#define _GNU_SOURCE
#include <stddef.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096
#define WINDOW (16 * PAGE)

struct ak_lib_rodata {
    char gap[WINDOW];
    char filename[64];
    char arg1[64];
    char pad0[PAGE - 128];
    char pages1_4[4 * PAGE];
    char neighbour[PAGE];
    char rest[10 * PAGE];
    /* An openat literal laid out as field_reports.c's own: ending at the end of its window's page 15
     * (16 bytes, 8-byte aligned), the neighbour page 14, then a window nothing reads. */
    char open_pages0_13[14 * PAGE];
    char open_neighbour[PAGE];
    char open_page15[PAGE - 16];
    char path[16];
    char past[WINDOW];
};
__attribute__((section(".rodata.ak"), aligned(65536), used))
static const struct ak_lib_rodata ak_lib = { {2}, "/bin/true", "ak-helper", {0}, {0}, {1}, {0}, {0}, {1}, {0}, "calib/README.md", {3} };

static volatile char sink;

/* Through a volatile pointer: the initialiser is known, so a plain read would be folded away. */
static void touch(const volatile char *p) { sink = *p; }

/* The literals' window, for the reproducer's page-cache set-up. */
const void *ak_helper_window(size_t *bytes)
{
    *bytes = sizeof ak_lib;
    return &ak_lib;
}

/* The library's literals for field_reports.c's literal modes (strings = lib-rodata), never read here:
 * WHICH 0 the openat path, 1 its window neighbour, 2 the execve filename, 3 argv[0], 4 the filename's neighbour. */
const char *ak_helper_literal(int which)
{
    switch (which) {
    case 0: return ak_lib.path;
    case 1: return ak_lib.open_neighbour;
    case 2: return ak_lib.filename;
    case 3: return ak_lib.arg1;
    default: return ak_lib.neighbour;
    }
}

/* fork(), then the child execs the library's literals. PARENT_TOUCHES: the library reads them first
 * (as Case 1's parent does); CHILD_TOUCHES 0 none, 1 the window neighbour. Returns the child's exit status. */
int ak_helper_spawn(int parent_touches, int child_touches)
{
    if (parent_touches) { touch(ak_lib.filename); touch(ak_lib.arg1); }
    pid_t pid = fork();
    if (pid == 0) {
        if (child_touches) touch(ak_lib.neighbour);
        char *const argv[] = { (char *)ak_lib.filename, (char *)ak_lib.arg1, NULL };
        char *const envp[] = { NULL };
        execve(ak_lib.filename, argv, envp);
        _exit(127);
    }
    if (pid < 0) return -1;
    int st;
    if (waitpid(pid, &st, 0) < 0) return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}
