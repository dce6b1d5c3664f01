using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ActorKernel.Calibration;

/// <summary>What a field-reports variant compares: which real reads, against which model target.</summary>
public enum FieldReportRead
{
    /// <summary>openat's path, bpf_probe_read_user_str (str()); model target path, probe.read-size = str.</summary>
    OpenatStr,
    /// <summary>openat's path, bpf_probe_read_user of <see cref="FieldReportVariant.FixedReadBytes"/> (buf()); model probe.read-size = fixed.</summary>
    OpenatFixed,
    /// <summary>execve's filename, every exec of the process.</summary>
    ExecFilename,
    /// <summary>The filename of each process's first system() exec, in the processes where glibc's spawn path did not map the shell literals' page first.</summary>
    ShellFirstUnmapped,
    /// <summary>The same, where glibc's own posix_spawn() path (its sigall_set read) mapped the page before its exec.</summary>
    ShellFirstMappedBySpawn,
    /// <summary>The first system() exec of every process; the model's column is its prediction over the libc placements of a fault-around window.</summary>
    ShellFirstAll,
    /// <summary>The filename of every later system() exec.</summary>
    ShellLater,
}

/// <summary>
/// One variant of the field-reports case (kernel-model.md §1.6-§1.8): calibration/field_reports.c's
/// arguments for one process, the model's --set overrides, what is compared and the probe lines one
/// call makes. The kernel side runs one process per trial (lib-fork: one process forking per trial).
/// </summary>
public sealed record FieldReportVariant(string Name, IReadOnlyList<string> ReproducerArguments, IReadOnlyList<string> ModelOverrides, FieldReportRead Read, int CallsPerProcess)
{
    /// <summary>bpftrace 0.17's largest buf() (BPFTRACE_STRLEN 200): the fixed read's size on both sides.</summary>
    public const int FixedReadBytes = 200;

    /// <summary>openat and system() calls per process: the first and the later ones.</summary>
    public const int Calls = 3;

    private static readonly string Inv = Calls.ToString(CultureInfo.InvariantCulture);

    /// <summary>The reproducer's openat path: 16 bytes with its NUL, 8-byte aligned at the end of its page.</summary>
    public const string AlignedOpenPath = "calib/README.md";

    /// <summary>Its last 10 bytes, <c>"README.md"</c>, ending the same page at an address 6 past a multiple of 8 (the reproducer's <c>rodata-unaligned</c>).</summary>
    public const string UnalignedOpenPath = "README.md";

    private static string[] LiteralModel(string syscall, string touched, int calls, string readSize, string strings, string openPath = AlignedOpenPath) =>
    [
        $"workload.literal-syscall.open-path=\"{openPath}\"",
        "workload.fork-exec.enabled=off",
        "workload.literal-syscall.enabled=on",
        $"workload.literal-syscall.syscall={syscall}",
        $"workload.literal-syscall.strings={strings}",
        $"workload.literal-syscall.touched-before={touched}",
        $"workload.literal-syscall.calls={calls.ToString(CultureInfo.InvariantCulture)}",
        $"probe.read-size={readSize}",
        $"probe.fixed-read-bytes={FixedReadBytes.ToString(CultureInfo.InvariantCulture)}",
    ];

    /// <summary>
    /// The never-read literal at openat (str and fixed reads) and at execve with no fork; <paramref name="strings"/>
    /// (workload.literal-syscall.strings) rodata, lib-rodata (libak_helper.so's), or stack / heap (a copy the process wrote).
    /// </summary>
    public static FieldReportVariant LiteralOpenat(string touched, bool fixedRead, string strings = "rodata") =>
        new($"literal-openat/{touched} read-size={(fixedRead ? "fixed" : "str")}{StringsSuffix(strings)}", ["literal-openat", touched, Inv, strings],
            LiteralModel("openat", touched, Calls, fixedRead ? "fixed" : "str", strings), fixedRead ? FieldReportRead.OpenatFixed : FieldReportRead.OpenatStr, Calls);

    /// <summary>
    /// The fixed-size read of a path that ends its page unaligned (<see cref="UnalignedOpenPath"/>): getname()'s last word
    /// read reaches the next page and maps it (lib/strncpy_from_user.c), so only the first call's read runs into a
    /// page that is not mapped.
    /// </summary>
    public static FieldReportVariant LiteralOpenatUnalignedFixed(string touched) =>
        new($"literal-openat/{touched} read-size=fixed path={UnalignedOpenPath} (unaligned)", ["literal-openat", touched, Inv, "rodata-unaligned"],
            LiteralModel("openat", touched, Calls, "fixed", "rodata", UnalignedOpenPath), FieldReportRead.OpenatFixed, Calls);

    public static FieldReportVariant LiteralExecve(string touched, int trials, string strings = "rodata") =>
        new($"literal-execve/{touched}{StringsSuffix(strings)}", ["literal-execve", touched, strings], LiteralModel("execve", touched, trials, "str", strings),
            FieldReportRead.ExecFilename, 1);

    private static string StringsSuffix(string strings) => strings == "rodata" ? "" : $" strings={strings}";

    /// <summary>system() (or popen()) with libc-version <paramref name="libc"/> (this machine's glibc): the model's fork-exec with spawn = system (popen).</summary>
    public static FieldReportVariant Shell(FieldReportRead read, string libc, int execs, string shell = "system") =>
        new($"{shell} libc={libc} " + read switch
            {
                FieldReportRead.ShellFirstUnmapped => "first call, spawn path left the literals unmapped",
                FieldReportRead.ShellFirstMappedBySpawn => "first call, spawn path mapped the literals",
                FieldReportRead.ShellFirstAll => "first call, all processes (model: each libc placement in a window)",
                _ => "later calls",
            },
            ["shell", shell, Inv],
            [$"workload.fork-exec.spawn={shell}", $"workload.fork-exec.libc-version={libc}", "workload.fork-exec.child-touches=none",
             $"workload.fork-exec.execs={execs.ToString(CultureInfo.InvariantCulture)}"],
            read, Calls);

    /// <summary>Strings in a shared library's .rodata after fork (libak_helper.so, workload.fork-exec.strings = lib-rodata).</summary>
    public static FieldReportVariant LibFork(bool parentTouches, string childTouches, int trials) =>
        new($"lib-fork/{childTouches}" + (parentTouches ? "" : " parent-touches=off"),
            ["lib-fork", parentTouches ? "on" : "off", childTouches, trials.ToString(CultureInfo.InvariantCulture)],
            ["workload.fork-exec.spawn=fork", "workload.fork-exec.strings=lib-rodata", $"workload.fork-exec.child-touches={childTouches}",
             $"workload.fork-exec.parent-touches-strings={(parentTouches ? "on" : "off")}", $"workload.fork-exec.execs={trials.ToString(CultureInfo.InvariantCulture)}"],
            FieldReportRead.ExecFilename, trials);

    /// <summary>Whether one reproducer process makes the whole trial set (lib-fork) or each trial is a process of its own.</summary>
    public bool OneProcess => ReproducerArguments[0] == "lib-fork";

    public bool IsShell => IsShellFirstCall || Read == FieldReportRead.ShellLater;

    /// <summary>A first-call row: compared process by process, the model run with libc where the process had it.</summary>
    public bool IsShellFirstCall => Read is FieldReportRead.ShellFirstUnmapped or FieldReportRead.ShellFirstMappedBySpawn or FieldReportRead.ShellFirstAll;

    /// <summary>The case's variants for <paramref name="trials"/> trials and this machine's glibc <paramref name="libc"/> ("2.36").</summary>
    public static IReadOnlyList<FieldReportVariant> All(int trials, string libc) =>
    [
        LiteralOpenat("none", false),
        LiteralOpenat("strings-page", false),
        LiteralOpenat("window-neighbour", false),
        LiteralOpenat("none", true),
        LiteralOpenat("window-neighbour", true),
        LiteralOpenatUnalignedFixed("none"),
        LiteralOpenatUnalignedFixed("window-neighbour"),
        LiteralExecve("none", trials),
        LiteralExecve("strings-page", trials),
        LiteralExecve("window-neighbour", trials),
        LiteralOpenat("none", false, "lib-rodata"),
        LiteralOpenat("window-neighbour", false, "lib-rodata"),
        LiteralOpenat("none", true, "lib-rodata"),
        LiteralExecve("none", trials, "lib-rodata"),
        LiteralExecve("window-neighbour", trials, "lib-rodata"),
        LiteralOpenat("none", false, "stack"),
        LiteralOpenat("none", false, "heap"),
        LiteralExecve("none", trials, "stack"),
        LiteralExecve("none", trials, "heap"),
        Shell(FieldReportRead.ShellFirstUnmapped, libc, 1),
        Shell(FieldReportRead.ShellFirstMappedBySpawn, libc, 1),
        Shell(FieldReportRead.ShellFirstAll, libc, 1),
        Shell(FieldReportRead.ShellLater, libc, Calls),
        // popen()'s own jump-table reads make the reproducer's spawn-maps (a bare posix_spawn()) no guide: all processes, one row.
        Shell(FieldReportRead.ShellFirstAll, libc, 1, "popen"),
        Shell(FieldReportRead.ShellLater, libc, Calls, "popen"),
        LibFork(true, "none", trials),
        LibFork(true, "window-neighbour", trials),
        LibFork(false, "window-neighbour", trials),
    ];
}

/// <summary>One probe line of calibration/field_reports.bt.</summary>
public abstract record FieldReportProbeLine(int Pid);

/// <summary>openat's path read with str(): "openat PID str_ok=0|1".</summary>
public sealed record OpenatStrLine(int Pid, bool Ok) : FieldReportProbeLine(Pid);

/// <summary>openat's path read with buf(): "openat-fixed PID BYTES"; ok unless the buffer starts with a NUL (the helper zeroes it on -EFAULT).</summary>
public sealed record OpenatFixedLine(int Pid, bool Ok) : FieldReportProbeLine(Pid);

/// <summary>"exec PID filename_ok=0|1 argv0_ok=0|1 argv1_ok=0|1".</summary>
public sealed record FieldExecLine(int Pid, bool FilenameOk, bool Argv0Ok, bool Argv1Ok) : FieldReportProbeLine(Pid);

/// <summary>field_reports.c's own line for the shell mode: where the literals' page sits and whether glibc's spawn path maps it.</summary>
public sealed record ShellLiterals(int WindowIndex, bool PresentBefore, bool SpawnMaps);

/// <summary>Parses calibration/field_reports.bt's and calibration/field_reports.c's output; other lines are ignored.</summary>
public static partial class FieldReportOutput
{
    [GeneratedRegex(@"^openat (\d+) str_ok=([01])\s*$")]
    private static partial Regex OpenatStr();

    [GeneratedRegex(@"^openat-fixed (\d+) (.*)$")]
    private static partial Regex OpenatFixed();

    [GeneratedRegex(@"^exec (\d+) filename_ok=([01]) argv0_ok=([01]) argv1_ok=([01])\s*$")]
    private static partial Regex Exec();

    [GeneratedRegex(@"^shell-literals window-index (\d+) present-before ([01]) spawn-maps ([01])\s*$", RegexOptions.Multiline)]
    private static partial Regex Shell();

    public static FieldReportProbeLine? ParseLine(string line)
    {
        static int I(Group g) => int.Parse(g.Value, CultureInfo.InvariantCulture);
        var m = OpenatStr().Match(line);
        if (m.Success) return new OpenatStrLine(I(m.Groups[1]), m.Groups[2].Value == "1");
        m = OpenatFixed().Match(line);
        if (m.Success) return new OpenatFixedLine(I(m.Groups[1]), m.Groups[2].Value.Length > 0 && !m.Groups[2].Value.StartsWith(@"\x00", StringComparison.Ordinal));
        m = Exec().Match(line);
        if (m.Success) return new FieldExecLine(I(m.Groups[1]), m.Groups[2].Value == "1", m.Groups[3].Value == "1", m.Groups[4].Value == "1");
        return null;
    }

    public static ShellLiterals? ParseShell(string output)
    {
        var m = Shell().Match(output.Replace("\r", "", StringComparison.Ordinal));
        return m.Success ? new ShellLiterals(int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), m.Groups[2].Value == "1", m.Groups[3].Value == "1") : null;
    }

    /// <summary>
    /// The real reads a variant compares, from each process's probe lines (in order) and, for the shell,
    /// its own line. Failed / total; the shell's first-call rows count only the processes of their kind.
    /// </summary>
    /// <summary>
    /// The first system() call of each process a first-call row counts: its literals' window index and whether the
    /// probe lost the filename. Processes whose page was mapped before the first call (present-before) count in none.
    /// </summary>
    public static IReadOnlyList<(int WindowIndex, bool Lost)> FirstCalls(FieldReportRead read, IReadOnlyList<(IReadOnlyList<FieldReportProbeLine> Lines, ShellLiterals? Shell)> processes)
    {
        var result = new List<(int, bool)>();
        foreach (var (lines, shell) in processes)
        {
            var first = lines.OfType<FieldExecLine>().FirstOrDefault();
            if (shell is null || first is null || shell.PresentBefore) continue;
            if (read == FieldReportRead.ShellFirstAll || shell.SpawnMaps == (read == FieldReportRead.ShellFirstMappedBySpawn))
                result.Add((shell.WindowIndex, !first.FilenameOk));
        }
        return result;
    }

    public static FailureCount Count(FieldReportRead read, IReadOnlyList<(IReadOnlyList<FieldReportProbeLine> Lines, ShellLiterals? Shell)> processes)
    {
        int failed = 0, total = 0;
        void Add(bool ok)
        {
            total++;
            if (!ok) failed++;
        }
        foreach (var (lines, shell) in processes)
        {
            var execs = lines.OfType<FieldExecLine>().ToList();
            switch (read)
            {
                case FieldReportRead.OpenatStr:
                    foreach (var l in lines.OfType<OpenatStrLine>()) Add(l.Ok);
                    break;
                case FieldReportRead.OpenatFixed:
                    foreach (var l in lines.OfType<OpenatFixedLine>()) Add(l.Ok);
                    break;
                case FieldReportRead.ExecFilename:
                    foreach (var e in execs) Add(e.FilenameOk);
                    break;
                case FieldReportRead.ShellFirstUnmapped or FieldReportRead.ShellFirstMappedBySpawn or FieldReportRead.ShellFirstAll:
                    foreach (var first in FirstCalls(read, [(lines, shell)])) Add(!first.Lost);
                    break;
                case FieldReportRead.ShellLater:
                    foreach (var e in execs.Skip(1)) Add(e.FilenameOk);
                    break;
            }
        }
        return new FailureCount(failed, total);
    }
}

/// <summary>
/// One field-reports variant, both sides. A first-call row agrees when every process agrees
/// (<paramref name="ProcessAgreement"/>: the model run with libc where that process had it, docs/calibration.md);
/// the others by the fork-exec rule on the fractions.
/// </summary>
public sealed record FieldReportRow(FieldReportVariant Variant, FailureCount Real, FailureCount Model, IReadOnlyList<ShellLiterals> Shell,
    IReadOnlyList<bool>? ProcessAgreement = null)
{
    public bool Agrees => ProcessAgreement is { } perProcess ? perProcess.All(a => a) : CalibrationComparison.Agrees(Real, Model);
}

/// <summary>
/// An architecture the model covers and this x86-64 machine cannot measure (kernel-model.md §1.5): the
/// model's prediction for a forked child's heap strings, shown as "modelled, not measurable here".
/// </summary>
public sealed record ArchitectureRow(string Name, IReadOnlyList<string> ModelOverrides, string Source)
{
    /// <summary>Old PTEs after fork: the hardware access flag decides (x86-64 sets it; ARMv8.0 arm64 and s390x fault).</summary>
    public static IReadOnlyList<ArchitectureRow> All(int trials)
    {
        string[] Heap(string arch, string young) =>
        [
            $"machine.arch={arch}", $"machine.hw-pte-young={young}", "workload.fork-exec.spawn=fork", "workload.fork-exec.strings=heap",
            "workload.fork-exec.child-touches=none", $"workload.fork-exec.execs={trials.ToString(CultureInfo.InvariantCulture)}",
        ];
        return
        [
            new("fork/heap/none machine.arch=arm64 hw-pte-young=off", Heap("arm64", "off"),
                "arch/arm64/include/asm/pgtable.h arch_has_hw_pte_young = cpu_has_hw_af; mm/memory.c __copy_present_ptes() pte_mkold (6.18)"),
            new("fork/heap/none machine.arch=arm64 hw-pte-young=on", Heap("arm64", "on"),
                "arch/arm64/include/asm/cpufeature.h cpu_has_hw_af() (ID_AA64MMFR1_EL1.HAFDBS, ARMv8.1+)"),
            new("fork/heap/none machine.arch=s390x", Heap("s390x", "off"),
                "arch/s390/include/asm/pgtable.h pte_mkold() sets _PAGE_INVALID (6.18.2)"),
        ];
    }
}

/// <summary>field-reports.json: the field-reports case's variants, both sides, and the architecture rows.</summary>
public static class FieldReportJson
{
    public const string Schema = "actorkernel/calibration-field-reports/v1";

    public static string Write(string kernelRelease, string bpftraceVersion, string libc, int trials, IReadOnlyList<FieldReportRow> rows, IReadOnlyList<(ArchitectureRow Row, FailureCount Model)> architectures)
    {
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("schema", Schema);
            w.WriteString("kernel", kernelRelease);
            w.WriteString("bpftrace", bpftraceVersion);
            w.WriteString("glibc", libc);
            w.WriteNumber("trials", trials);
            w.WriteNumber("fixedReadBytes", FieldReportVariant.FixedReadBytes);
            w.WriteStartArray("variants");
            foreach (var r in rows)
            {
                w.WriteStartObject();
                w.WriteString("variant", r.Variant.Name);
                w.WriteString("read", r.Variant.Read.ToString());
                Count(w, "real", r.Real);
                Count(w, "model", r.Model);
                w.WriteBoolean("agree", r.Agrees);
                if (r.ProcessAgreement is { } perProcess)
                {
                    w.WriteNumber("processes", perProcess.Count);
                    w.WriteNumber("processesAgreeing", perProcess.Count(a => a));
                }
                if (r.Shell.Count > 0)
                {
                    w.WriteStartArray("shellLiterals");
                    foreach (var s in r.Shell)
                    {
                        w.WriteStartObject();
                        w.WriteNumber("windowIndex", s.WindowIndex);
                        w.WriteBoolean("presentBefore", s.PresentBefore);
                        w.WriteBoolean("spawnMaps", s.SpawnMaps);
                        w.WriteEndObject();
                    }
                    w.WriteEndArray();
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("architectures");
            foreach (var (row, model) in architectures)
            {
                w.WriteStartObject();
                w.WriteString("variant", row.Name);
                w.WriteString("real", "modelled, not measurable here");
                Count(w, "model", model);
                w.WriteString("source", row.Source);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static void Count(Utf8JsonWriter w, string name, FailureCount c)
    {
        w.WriteStartObject(name);
        w.WriteNumber("failed", c.Failed);
        w.WriteNumber("trials", c.Trials);
        w.WriteEndObject();
    }
}
