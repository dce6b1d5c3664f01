/*
 * fork_exec.c -- the real-kernel side of `actorkernel calibrate` for the fork-exec case
 * (docs/calibration.md, kernel-model.md §1 and §8).
 *
 * Usage: fork_exec SPAWN STRINGS CHILD_TOUCHES PARENT_TOUCHES ARGV_ARRAY TRIALS
 *   SPAWN          fork | vfork | posix-spawn
 *   STRINGS        rodata | stack | heap | data     where the filename and argv strings live
 *   CHILD_TOUCHES  none | strings-page | window-neighbour | far-page   (fork only)
 *   PARENT_TOUCHES on | off     the parent reads the strings before each spawn
 *   ARGV_ARRAY     stack | relro                    where the argv pointer array lives (relro needs STRINGS rodata)
 *   TRIALS         1 .. 100000
 *
 * Each trial spawns a child that execve()s "/bin/true" with argv {"/bin/true", "ak-calibrate", NULL};
 * a probe at sys_enter_execve (calibration/execve.bt) reads the filename and argv[0] with page faults
 * disabled. The strings in .rodata sit on their own 64 KiB-aligned 16-page window, so nothing the
 * compiler or libc generates reads that window: only what the variant asks for touches it.
 * Build: cc -O1 -o fork_exec calibration/fork_exec.c
 */
#define _GNU_SOURCE
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096
#define WINDOW (16 * PAGE)

/* The strings window: page 0 holds the filename and argv strings, page 5 is the "window
 * neighbour" (same aligned 16-page fault-around window). The far window starts 32 pages on. */
struct ro_window {
    char filename[64];
    char arg1[64];
    char pad0[PAGE - 128];
    char pages1_4[4 * PAGE];
    char neighbour[PAGE];
    char rest[10 * PAGE];
};
__attribute__((section(".rodata.ak"), aligned(65536), used))
static const struct ro_window ro = { "/bin/true", "ak-calibrate", {0}, {0}, {1}, {0} };

__attribute__((section(".rodata.ak"), aligned(65536), used))
static const char ro_gap[WINDOW] = { 2 };

__attribute__((section(".rodata.ak"), aligned(65536), used))
static const char ro_far[WINDOW] = { 3 };

/* argv array in .data.rel.ro (RELRO: written by the dynamic loader's relocations, then made
 * read-only), on a window of its own so reading it never maps the strings page. A pointer array
 * cannot sit in .rodata proper in a PIE binary (it needs relocations), so argv-array=rodata is
 * refused rather than faked. */
struct ro_argv_window { const char *const argv[3]; char pad[WINDOW - 3 * sizeof(char *)]; };
__attribute__((section(".data.rel.ro.ak"), aligned(65536), used))
static const struct ro_argv_window relro_argv = { { ro.filename, ro.arg1, NULL }, {0} };

static char data_filename[64] = "/bin/true";
static char data_arg1[64] = "ak-calibrate";

static volatile char sink;

static void touch(const volatile char *p) { sink = *p; }

int main(int argc, char **argv)
{
    if (argc != 7) {
        fprintf(stderr, "usage: fork_exec SPAWN STRINGS CHILD_TOUCHES PARENT_TOUCHES ARGV_ARRAY TRIALS\n");
        return 2;
    }
    const char *spawn = argv[1], *strings = argv[2], *child = argv[3], *ptouch = argv[4], *arr = argv[5];
    int trials = atoi(argv[6]);
    if (trials < 1 || trials > 100000) { fprintf(stderr, "fork_exec: bad TRIALS\n"); return 2; }

    /* Where the strings live. */
    char stack_filename[64], stack_arg1[64];
    const char *fn, *a1;
    if (!strcmp(strings, "rodata")) { fn = ro.filename; a1 = ro.arg1; }
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

    const volatile char *child_page = NULL;
    if (!strcmp(child, "none")) child_page = NULL;
    else if (!strcmp(child, "strings-page")) child_page = (const volatile char *)fn;
    else if (!strcmp(child, "window-neighbour")) child_page = (const volatile char *)ro.neighbour;
    else if (!strcmp(child, "far-page")) child_page = (const volatile char *)ro_far;
    else { fprintf(stderr, "fork_exec: bad CHILD_TOUCHES '%s'\n", child); return 2; }
    int parent_touches = !strcmp(ptouch, "on");
    char *const envp[] = { NULL };

    for (int t = 0; t < trials; t++) {
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
    sink = ro_gap[0] * 0;
    return 0;
}
