/*
 * field_reports.c -- the real-kernel side of `actorkernel calibrate --cases field-reports`
 * (docs/calibration.md, kernel-model.md §1.6-§1.8). Each run is one fresh process (calibrate starts
 * one per trial), traced by calibration/field_reports.bt (comm "field_reports").
 *
 * Usage:
 *   field_reports literal-openat TOUCHED CALLS [STRINGS]
 *       CALLS x openat(AT_FDCWD, path, O_RDONLY, 0421) of a literal in .rodata that the process never
 *       read (mode 0421 marks the calls: syscall(), glibc's openat() passes a mode only with O_CREAT).
 *       The path ends at the end of the last page of its 64 KiB-aligned fault-around window, so the next
 *       page lies in a window nothing touches: a fixed-size read past the NUL reaches a page that is
 *       cached but not mapped. The path is 16 bytes, 8-byte aligned: getname()'s word-at-a-time
 *       strncpy_from_user() reads unaligned words, and a path ending within 8 bytes of the page end
 *       at an unaligned address makes it read into (and fault in) the next page.
 *   field_reports literal-execve TOUCHED [STRINGS]
 *       execve("/bin/true", { "true", NULL }) of literals in .rodata, no fork: the process itself execs.
 *       TOUCHED (both): none | strings-page | window-neighbour, what the process reads before each call.
 *       STRINGS (both): rodata (the default) | lib-rodata (the same layout in libak_helper.so's read-only
 *       data, dlopen()ed) | stack | heap (the process writes a copy there first, so it is mapped).
 *   field_reports shell system|popen CALLS
 *       CALLS x system("true") / popen("true", "r") with the command on the heap; glibc execs /bin/sh with
 *       "sh", "-c" from libc's .rodata. Before the first call it prints
 *         shell-literals window-index W present-before P spawn-maps M
 *       W: the literals' page within its 16-page aligned window (libc's load address is randomised);
 *       P: whether the page was mapped before the first call (/proc/self/pagemap);
 *       M: whether glibc's own posix_spawn() path maps it before its exec: measured in a forked child
 *       (fork copies no PTE of libc's .rodata) renamed so the probe ignores it, which posix_spawn()s
 *       /bin/true and reads its pagemap afterwards.
 *   field_reports lib-fork PARENT_TOUCHES CHILD_TOUCHES TRIALS
 *       TRIALS x libak_helper.so's ak_helper_spawn(): fork, the child execs literals of the library's
 *       .rodata (calibration/ak_helper.c). PARENT_TOUCHES on|off, CHILD_TOUCHES none|window-neighbour.
 *       The library, next to this program, is dlopen()ed in this mode only: linked in, its 64 KiB
 *       alignment would fix libc's load address modulo 64 KiB (two values instead of sixteen) and
 *       skew the shell mode's window index.
 *
 * The .rodata windows (the program's, the library's) are made one order-0 folio per page at start, as
 * calibration/fork_exec.c does and for the same reason (6.18 maps a large folio whole). Nothing here
 * reads libc's .rodata before the first shell call that the program could avoid: /proc/self/maps is
 * parsed by hand, and output is printed after the calls.
 * Build: cc -O1 -shared -fPIC -o libak_helper.so calibration/ak_helper.c
 *        cc -O1 -o field_reports calibration/field_reports.c
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096
#define WINDOW (16 * PAGE)
#define NEIGHBOUR_PAGE 5
#define PROBE_MODE 0421

extern char **environ;

/* The literal windows: a gap window, then the openat window (the path ends at the end of its page 15,
 * 8-byte aligned, the neighbour is page 14), then a window nothing reads (the page past the path), then the execve
 * window (filename and argv[0] on page 0, the neighbour page 5). */
struct ak_windows {
    char gap[WINDOW];
    char open_pages0_13[14 * PAGE];
    char open_neighbour[PAGE];
    char open_page15[PAGE - 16];
    char path[16];
    char past[WINDOW];
    char exec_filename[64];
    char exec_arg0[64];
    char exec_pad0[PAGE - 128];
    char exec_pages1_4[4 * PAGE];
    char exec_neighbour[PAGE];
    char exec_rest[10 * PAGE];
};
__attribute__((section(".rodata.ak"), aligned(65536), used))
static const struct ak_windows ak = { {2}, {0}, {1}, {0}, "calib/README.md", {3}, "/bin/true", "true", {0}, {0}, {1}, {0} };

static volatile char sink;
static char maps[1 << 16];

static void die(const char *what)
{
    fprintf(stderr, "field_reports: %s\n", what);
    exit(1);
}

static uintptr_t hex(const char **p)
{
    uintptr_t v = 0;
    for (;; (*p)++) {
        int c = **p;
        if (c >= '0' && c <= '9') v = v * 16 + (uintptr_t)(c - '0');
        else if (c >= 'a' && c <= 'f') v = v * 16 + (uintptr_t)(c - 'a' + 10);
        else return v;
    }
}

/* The mapping holding ADDR (or, with ADDR 0, the first r--p mapping at a non-zero offset whose path ends
 * in NAME): start, end, file offset, path. Parsed by hand: sscanf would read libc's .rodata. */
static int find_mapping(uintptr_t addr, const char *name, uintptr_t *start, uintptr_t *end, uintptr_t *off, char *path)
{
    int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
    if (fd < 0) die("cannot read /proc/self/maps");
    size_t n = 0;
    ssize_t r;
    while ((r = read(fd, maps + n, sizeof maps - 1 - n)) > 0) n += (size_t)r;
    close(fd);
    maps[n] = 0;
    for (const char *l = maps; *l;) {
        const char *e = l;
        while (*e && *e != '\n') e++;
        const char *p = l;
        uintptr_t s = hex(&p); p++;
        uintptr_t t = hex(&p); p++;
        const char *perms = p; p += 5;
        uintptr_t o = hex(&p);
        const char *slash = p;
        while (slash < e && *slash != '/') slash++;
        size_t plen = (size_t)(e - slash), nlen = name ? strlen(name) : 0;
        int hit = addr ? (addr >= s && addr < t)
                       : (o != 0 && !memcmp(perms, "r--p", 4) && plen >= nlen && !memcmp(e - nlen, name, nlen));
        if (hit && slash < e) {
            *start = s; *end = t; *off = o;
            memcpy(path, slash, plen); path[plen] = 0;
            return 1;
        }
        l = *e ? e + 1 : e;
    }
    return 0;
}

static int present(const void *addr)
{
    int pm = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
    uint64_t e = 0;
    if (pm < 0 || pread(pm, &e, 8, (off_t)((uintptr_t)addr / PAGE * 8)) != 8) die("cannot read /proc/self/pagemap");
    close(pm);
    return (int)(e >> 63);
}

static int resident(const void *addr)
{
    unsigned char v = 0;
    if (mincore((void *)((uintptr_t)addr & ~(uintptr_t)(PAGE - 1)), PAGE, &v) != 0) die("mincore failed");
    return v & 1;
}

/* One order-0 folio per page over [addr, addr+len) of a file mapping nothing maps yet (fork_exec.c). */
static void page_cache_per_page(const void *addr, size_t len)
{
    uintptr_t s, e, o;
    char path[4096];
    if (!find_mapping((uintptr_t)addr, NULL, &s, &e, &o, path)) die("the literals' window is not in /proc/self/maps");
    off_t off = (off_t)(o + ((uintptr_t)addr - s));
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) die("cannot open the literals' file");
    if (fsync(fd) != 0) die("fsync failed");
    posix_fadvise(fd, off, (off_t)len, POSIX_FADV_DONTNEED);
    for (size_t p = 0; p < len; p += PAGE)
        if (resident((const char *)addr + p)) die("could not drop the literals' page cache (a large folio reaching outside it?)");
    posix_fadvise(fd, 0, 0, POSIX_FADV_RANDOM);
    char buf[PAGE];
    for (size_t p = 0; p < len; p += PAGE)
        if (pread(fd, buf, PAGE, off + (off_t)p) != PAGE) die("cannot read the literals' file back");
    close(fd);
}

static void touched(const char *mode, const volatile char *strings, const volatile char *neighbour)
{
    if (!strcmp(mode, "none")) return;
    if (!strcmp(mode, "strings-page")) { sink = *strings; return; }
    if (!strcmp(mode, "window-neighbour")) { sink = *neighbour; return; }
    fprintf(stderr, "field_reports: bad TOUCHED '%s'\n", mode);
    exit(2);
}

/* The address of libc's "/bin/sh" literal: searched in the file (pread: nothing is mapped by it) over
 * libc's read-only data mapping, so no libc build's layout is assumed. */
static const char *shell_literal(void)
{
    uintptr_t s, e, o;
    char path[4096];
    if (!find_mapping(0, "libc.so.6", &s, &e, &o, path)) die("libc's read-only data mapping is not in /proc/self/maps");
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) die("cannot open libc");
    size_t len = e - s;
    char *copy = malloc(len);
    if (!copy || pread(fd, copy, len, (off_t)o) != (ssize_t)len) die("cannot read libc");
    close(fd);
    static const char needle[] = "/bin/sh";
    for (size_t i = 1; i + sizeof needle <= len; i++)
        if (copy[i - 1] == 0 && !memcmp(copy + i, needle, sizeof needle)) { free(copy); return (const char *)(s + i); }
    die("no \"/bin/sh\" literal in libc's read-only data");
    return NULL;
}

/* Does glibc's posix_spawn() path map PAGE before its exec? In a forked child (no PTE of libc's
 * .rodata is copied), renamed so the probe ignores its spawn. */
static int spawn_maps(const char *page)
{
    pid_t pid = fork();
    if (pid == 0) {
        prctl(PR_SET_NAME, "ak_spawn_check");
        char *const argv[] = { "true", NULL };
        pid_t c;
        if (posix_spawn(&c, "/bin/true", NULL, NULL, argv, environ) != 0) _exit(2);
        waitpid(c, NULL, 0);
        _exit(present(page));
    }
    int st;
    if (pid < 0 || waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) > 1) die("the spawn check failed");
    return WEXITSTATUS(st);
}

static int count(const char *s, int max)
{
    int n = atoi(s);
    if (n < 1 || n > max) { fprintf(stderr, "field_reports: bad count '%s'\n", s); exit(2); }
    return n;
}

/* libak_helper.so, next to this program, dlopen()ed (the lib-fork and lib-rodata modes only). */
static void *helper(void)
{
    char lib[4096];
    ssize_t n = readlink("/proc/self/exe", lib, sizeof lib - 32);
    if (n <= 0) die("cannot read /proc/self/exe");
    lib[n] = 0;
    strcpy(strrchr(lib, '/') + 1, "libak_helper.so");
    void *h = dlopen(lib, RTLD_NOW);
    if (!h) die("cannot dlopen libak_helper.so next to the program");
    const void *(*ak_helper_window)(size_t *) = (const void *(*)(size_t *))dlsym(h, "ak_helper_window");
    if (!ak_helper_window) die("libak_helper.so lacks its functions");
    size_t bytes;
    const void *w = ak_helper_window(&bytes);
    if ((uintptr_t)w % WINDOW) die("libak_helper.so's window is not 64 KiB-aligned (the loader ignored p_align)");
    page_cache_per_page(w, bytes);
    return h;
}

/* The literal-mode strings: the program's .rodata literal, the library's, or a copy the process writes on the
 * stack or heap (BUF, 64 bytes). WHICH as ak_helper_literal(): 0 path, 1 its neighbour, 2 filename, 3 argv[0], 4 its neighbour. */
static const char *literal(const char *strings, int which, char *stack, char **heap)
{
    static const char *(*lib_literal)(int);
    const char *rodata[] = { ak.path, ak.open_neighbour, ak.exec_filename, ak.exec_arg0, ak.exec_neighbour };
    if (!strcmp(strings, "rodata")) return rodata[which];
    /* "README.md": the path's last 10 bytes, ending the page 6 bytes past a multiple of 8, so getname()'s
     * word-at-a-time copy (lib/strncpy_from_user.c) reads its last word from the next page. */
    if (!strcmp(strings, "rodata-unaligned")) return which == 0 ? ak.path + 6 : rodata[which];
    if (!strcmp(strings, "lib-rodata")) {
        if (!lib_literal && !(lib_literal = (const char *(*)(int))dlsym(helper(), "ak_helper_literal"))) die("libak_helper.so lacks ak_helper_literal");
        return lib_literal(which);
    }
    /* A copy the process writes (its text comes from the program's ordinary .rodata, never from the
     * 64 KiB-aligned literal windows): the probe reads the copy, which the write mapped. */
    static const char *const text[] = { "calib/README.md", "", "/bin/true", "true", "" };
    char *buf = !strcmp(strings, "stack") ? stack : !strcmp(strings, "heap") ? (*heap ? *heap : (*heap = malloc(64))) : NULL;
    if (!buf) { fprintf(stderr, "field_reports: bad STRINGS '%s'\n", strings); exit(2); }
    for (size_t i = 0; i < 64; i++) if (!(buf[i] = text[which][i])) break;
    return buf;
}

int main(int argc, char **argv)
{
    if (argc < 3) { fprintf(stderr, "usage: field_reports literal-openat|literal-execve|shell|lib-fork ...\n"); return 2; }
    const char *mode = argv[1];
    if (!strcmp(mode, "literal-openat") && (argc == 4 || argc == 5)) {
        int calls = count(argv[3], 100000);
        const char *strings = argc == 5 ? argv[4] : "rodata";
        char stack_path[64], stack_neighbour[64];
        char *heap_path = NULL, *heap_neighbour = NULL;
        page_cache_per_page(&ak, sizeof ak);
        const char *path = literal(strings, 0, stack_path, &heap_path);
        const char *neighbour = literal(strings, 1, stack_neighbour, &heap_neighbour);
        for (int i = 0; i < calls; i++) {
            touched(argv[2], path, neighbour);
            int fd = (int)syscall(SYS_openat, AT_FDCWD, path, O_RDONLY, PROBE_MODE);
            if (fd >= 0) close(fd);
        }
        return 0;
    }
    if (!strcmp(mode, "literal-execve") && (argc == 3 || argc == 4)) {
        const char *strings = argc == 4 ? argv[3] : "rodata";
        char stack_filename[64], stack_arg0[64], stack_neighbour[64];
        char *heap_filename = NULL, *heap_arg0 = NULL, *heap_neighbour = NULL;
        page_cache_per_page(&ak, sizeof ak);
        const char *filename = literal(strings, 2, stack_filename, &heap_filename);
        const char *arg0 = literal(strings, 3, stack_arg0, &heap_arg0);
        touched(argv[2], filename, literal(strings, 4, stack_neighbour, &heap_neighbour));
        char *av[] = { (char *)arg0, NULL };
        char *const envp[] = { NULL };
        execve(filename, av, envp);
        die("execve failed");
    }
    if (!strcmp(mode, "shell") && argc == 4) {
        int popen_ = !strcmp(argv[2], "popen");
        if (!popen_ && strcmp(argv[2], "system")) { fprintf(stderr, "field_reports: bad shell '%s'\n", argv[2]); return 2; }
        int calls = count(argv[3], 1000);
        const char *lit = shell_literal();
        int window_index = (int)(((uintptr_t)lit / PAGE) % 16);
        int before = present(lit);
        int maps_it = spawn_maps(lit);
        char *command = strdup("true");
        for (int i = 0; i < calls; i++) {
            if (popen_) {
                FILE *f = popen(command, "r");
                if (!f || pclose(f) != 0) die("popen failed");
            } else if (system(command) != 0) die("system failed");
        }
        printf("shell-literals window-index %d present-before %d spawn-maps %d\n", window_index, before, maps_it);
        return 0;
    }
    if (!strcmp(mode, "lib-fork") && argc == 5) {
        int parent = !strcmp(argv[2], "on");
        int child = !strcmp(argv[3], "window-neighbour");
        if ((!parent && strcmp(argv[2], "off")) || (!child && strcmp(argv[3], "none"))) { fprintf(stderr, "field_reports: bad lib-fork arguments\n"); return 2; }
        int trials = count(argv[4], 100000);
        int (*ak_helper_spawn)(int, int) = (int (*)(int, int))dlsym(helper(), "ak_helper_spawn");
        if (!ak_helper_spawn) die("libak_helper.so lacks its functions");
        for (int t = 0; t < trials; t++)
            if (ak_helper_spawn(parent, child) != 0) die("the library's child failed");
        return 0;
    }
    fprintf(stderr, "field_reports: bad arguments for '%s'\n", mode);
    return 2;
}
