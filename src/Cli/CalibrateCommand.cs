using System.Text;
using ActorKernel.Calibration;
using ActorKernel.Experiments.Results;

namespace ActorKernel.Cli;

/// <summary>`actorkernel calibrate`: check the machine, measure each variant on the real kernel and in the model, print and write the comparison.</summary>
public static class CalibrateCommand
{
    public static int Execute(CalibrateArguments args, CalibrationHost host, TextWriter stdout, TextWriter stderr)
    {
        if (args.Scenario is not null) return CalibrateScenarioCommand.Execute(args.Scenario, args.RequireAgreement, host, stdout, stderr);
        if (args.Random is { } n) return CalibrateRandomCommand.Execute(n, args.Seed, args.OutDir, args.RequireAgreement, host, stdout, stderr);
        var missing = host.Missing();
        if (missing.Count > 0)
            throw new CliError("calibrate cannot run here: " + string.Join("; ", missing));
        var numaIdle = args.Cases.Contains(CalibrationCases.NumaIdle);
        if (numaIdle && host.NumaBalancing is null)
            throw new CliError("--cases numa-idle needs NUMA balancing (CONFIG_NUMA_BALANCING): /proc/sys/kernel/numa_balancing is missing");
        if (numaIdle && host.NumaBalancing == "0" && !args.AllowSysctl)
            throw new CliError("--cases numa-idle needs kernel.numa_balancing on (it is 0): pass --allow-sysctl to set it to 1 for the run and restore it after, or run: sysctl kernel.numa_balancing=1");
        var memoryPressure = args.Cases.Contains(CalibrationCases.MemoryPressure);
        if (memoryPressure && host.MemoryCgroup is null)
            throw new CliError("--cases memory-pressure needs the memory cgroup controller: neither a cgroup v2 hierarchy with memory in its cgroup.subtree_control nor a v1 memory hierarchy is mounted (mount -t cgroup -o memory none /sys/fs/cgroup/memory)");

        var outDir = args.OutDir ?? Path.Combine("out", "calibration");
        var rows = new List<CalibrationRow>();
        var numaRows = new List<NumaIdleRow>();
        var pressureRows = new List<MemoryPressureRow>();
        var fieldRows = new List<FieldReportRow>();
        var archRows = new List<(ArchitectureRow, FailureCount)>();
        var libc = "";
        string bpftraceVersion;
        try
        {
            using var runner = new CalibrationRunner(host, stderr);
            bpftraceVersion = runner.BpftraceVersion();
            foreach (var c in args.Cases)
            {
                if (c == CalibrationCases.NumaIdle)
                {
                    stderr.WriteLine($"{c}: {NumaIdleVariant.All.Count} variants × {args.Seconds} s, real kernel {CalibrationRunner.KernelRelease()} and model");
                    // The sysctl is restored in the scope's Dispose (this finally), on SIGINT/SIGQUIT/SIGTERM/SIGHUP and at process exit.
                    using var sysctl = NumaBalancingSysctl.Enable();
                    numaRows.AddRange(runner.RunNumaIdle(NumaIdleVariant.All, args.Seconds));
                    continue;
                }
                if (c == CalibrationCases.MemoryPressure)
                {
                    stderr.WriteLine($"{c}: {MemoryPressureVariant.All.Count} variants × {args.Seconds} s, real kernel {CalibrationRunner.KernelRelease()} and model");
                    // Each variant's cgroup (and swap file) is removed in its scope's Dispose, on SIGINT/SIGQUIT/SIGTERM/SIGHUP and at process exit.
                    pressureRows.AddRange(runner.RunMemoryPressure(MemoryPressureVariant.All, args.Seconds, host.MemoryCgroup!, args.AllowSwapfile));
                    continue;
                }
                if (c == CalibrationCases.FieldReports)
                {
                    libc = FieldReportRunner.GlibcVersion();
                    var variants = FieldReportVariant.All(args.Trials, libc);
                    stderr.WriteLine($"{c}: {variants.Count} variants × {args.Trials} trials, glibc {libc}, real kernel {CalibrationRunner.KernelRelease()} and model");
                    using var fieldRunner = new FieldReportRunner(host, stderr);
                    fieldRows.AddRange(fieldRunner.Run(variants, args.Trials));
                    archRows.AddRange(ArchitectureRow.All(args.Trials).Select(a => (a, FieldReportRunner.RunModel(a))));
                    continue;
                }
                stderr.WriteLine($"{c}: {CalibrationCases.VariantsOf(c).Count} variants × {args.Trials} trials, real kernel {CalibrationRunner.KernelRelease()} and model");
                rows.AddRange(runner.Run(c, CalibrationCases.VariantsOf(c), args.Trials));
            }
        }
        catch (CalibrationFailed e)
        {
            stderr.WriteLine($"actorkernel: calibration failed: {e.Message}");
            return 1;
        }

        if (rows.Count > 0) stdout.Write(Table(rows));
        if (numaRows.Count > 0) stdout.Write(NumaIdleTable(numaRows));
        if (pressureRows.Count > 0) stdout.Write(MemoryPressureTable(pressureRows));
        if (fieldRows.Count > 0) stdout.Write(FieldReportTable(fieldRows, archRows));
        var json = CalibrationJson.Write(CalibrationRunner.KernelRelease(), bpftraceVersion, args.Trials, rows, numaRows, pressureRows);
        var files = new List<(string, byte[])> { ("calibration.json", Encoding.UTF8.GetBytes(json)) };
        if (fieldRows.Count > 0)
            files.Add(("field-reports.json", Encoding.UTF8.GetBytes(FieldReportJson.Write(CalibrationRunner.KernelRelease(), bpftraceVersion, libc, args.Trials, fieldRows, archRows))));
        OutputFolder.Write(outDir, files);
        var all = rows.Count + numaRows.Count + pressureRows.Count + fieldRows.Count;
        var disagree = rows.Count(r => !r.Agrees) + numaRows.Count(r => !r.Agrees) + pressureRows.Count(r => !r.Agrees) + fieldRows.Count(r => !r.Agrees);
        stdout.WriteLine($"{all - disagree} of {all} variants agree. Wrote {Path.Combine(outDir, "calibration.json")}");
        return disagree > 0 && args.RequireAgreement ? 1 : 0;
    }

    /// <summary>
    /// The numa-idle table, a line per variant and read target: which reads are counted, real and
    /// model failures with their outcome, when the first read failed on each side (ms since the
    /// process started) and whether that is within one scan period, agreement on the outcome.
    /// </summary>
    public static string NumaIdleTable(IReadOnlyList<NumaIdleRow> rows)
    {
        string[] headers = ["numa-idle variant", "read", "counted", "real failed", "model failed", "first failure real / model", "within a period", "agree"];
        static string Ms(long? ms) => ms is { } v ? $"{v} ms" : "-";
        var cells = rows.SelectMany(r => r.Targets.Select(t => new[]
        {
            r.Variant.Name, t.Target, NumaIdleComparison.Window(t.Target),
            $"{t.RealCount} ({t.RealOutcome})", $"{t.ModelCount} ({t.ModelOutcome})",
            $"{Ms(t.RealFirstFailureMs)} / {Ms(t.ModelFirstFailureMs)}",
            t.FirstFailuresWithinScanPeriod switch { true => "yes", false => "no", null => "-" },
            t.Agrees ? "yes" : "NO",
        })).ToArray();
        return Format(headers, cells);
    }

    /// <summary>
    /// The memory-pressure table, a line per variant and read target: real and model failures from
    /// <see cref="MemoryPressureComparison.SettleMs"/> with their outcome, the model's causes, when the
    /// first read failed on each side (ms since the process started), agreement on the outcome.
    /// </summary>
    public static string MemoryPressureTable(IReadOnlyList<MemoryPressureRow> rows)
    {
        string[] headers = ["memory-pressure variant", "read", "real failed", "model failed", "model causes", "first failure real / model", "agree"];
        static string Ms(long? ms) => ms is { } v ? $"{v} ms" : "-";
        var cells = rows.SelectMany(r => r.Targets.Select(t => new[]
        {
            $"{r.Variant.Name} (cgroup {r.CgroupVersion})", t.Target,
            $"{t.RealCount} ({t.RealOutcome})", $"{t.ModelCount} ({t.ModelOutcome})", t.ModelCauses,
            $"{Ms(t.RealFirstFailureMs)} / {Ms(t.ModelFirstFailureMs)}",
            t.Agrees ? "yes" : "NO",
        })).ToArray();
        return Format(headers, cells);
    }

    /// <summary>
    /// The field-reports table: variant, real and model failures, agreement; then the architecture rows,
    /// model only, "modelled, not measurable here".
    /// </summary>
    public static string FieldReportTable(IReadOnlyList<FieldReportRow> rows, IReadOnlyList<(ArchitectureRow Row, FailureCount Model)> architectures)
    {
        string[] headers = ["field-reports variant", "real failed", "model failed", "agree"];
        var cells = rows.Select(r => new[]
        {
            r.Variant.Name, r.Real.ToString(), r.Model.ToString(), r.Agrees ? "yes" : "NO",
        }).Concat(architectures.Select(a => new[] { a.Row.Name, "modelled, not measurable here", a.Model.ToString(), "-" })).ToArray();
        return Format(headers, cells);
    }

    private static string Format(string[] headers, string[][] cells)
    {
        var widths = headers.Select((h, i) => Math.Max(h.Length, cells.Length == 0 ? 0 : cells.Max(c => c[i].Length))).ToArray();
        var sb = new StringBuilder();
        void Line(IReadOnlyList<string> c) => sb.AppendLine(string.Join("  ", c.Select((x, i) => x.PadRight(widths[i]))).TrimEnd());
        Line(headers);
        Line(widths.Select(w => new string('-', w)).ToArray());
        foreach (var c in cells) Line(c);
        return sb.ToString();
    }

    /// <summary>
    /// A plain-text table: variant, real filename failures, real argv[0] failures, model filename
    /// failures, agreement; with a cold or readahead-marker variant, also in how many cycles the
    /// reproducer really set that cache state ("-" for warm).
    /// </summary>
    public static string Table(IReadOnlyList<CalibrationRow> rows)
    {
        var withCache = rows.Any(r => r.RealCacheSet is not null);
        string[] headers = withCache
            ? ["variant", "real filename failed", "real argv0 failed", "real cache set", "model filename failed", "agree"]
            : ["variant", "real filename failed", "real argv0 failed", "model filename failed", "agree"];
        var cells = rows.Select(r => withCache
            ? new[] { r.Variant.Name, r.RealFilename.ToString(), r.RealArgv0.ToString(), r.RealCacheSet?.ToString() ?? "-", r.ModelFilename.ToString(), r.Agrees ? "yes" : "NO" }
            : new[] { r.Variant.Name, r.RealFilename.ToString(), r.RealArgv0.ToString(), r.ModelFilename.ToString(), r.Agrees ? "yes" : "NO" }).ToArray();
        return Format(headers, cells);
    }
}
