using System.Globalization;
using System.Text;
using ActorKernel.Model;
using ActorKernel.TestKit.ScenarioFiles;

namespace ActorKernel.Calibration;

/// <summary>
/// What calibration/scenario_runner.c can run, and the header it is built with. The runner reads the
/// scenario file at run time; only the bytes that must be in its executable's file before it runs
/// come from the header: the .rodata strings (file-backed and read-only, like the model's) and the
/// relro pointer arrays (relocated by ld.so, then read-only).
/// </summary>
public static class ScenarioRunnerHeader
{
    private static readonly ImageLayout Layout = new() { RegionAlignBytes = ScenarioFileRun.RegionAlignBytes };

    private static readonly RegionKind[] Runnable = [RegionKind.Rodata, RegionKind.Relro, RegionKind.Data, RegionKind.Bss, RegionKind.Heap, RegionKind.Stack];

    /// <summary>Why the runner cannot run <paramref name="file"/> on the real kernel: the first reason, or null when it can.</summary>
    public static string? Unsupported(ScenarioFile file)
    {
        if (file.Processes.Count != 1) return $"the real-kernel runner runs one process, this scenario has {file.Processes.Count}";
        var p = file.Processes[0];
        var byName = p.Strings.ToDictionary(s => s.Name, s => s.Region, StringComparer.Ordinal);
        foreach (var a in p.Arrays) byName[a.Name] = a.Region;
        foreach (var (name, region, page) in p.Strings.Select(s => (s.Name, s.Region, s.Page)).Concat(p.Arrays.Select(a => (a.Name, a.Region, a.Page))))
        {
            if (!Runnable.Contains(region)) return $"'{name}' is in {ScenarioSyntax.Word(region)}: the runner places strings in {string.Join(", ", Runnable.Select(ScenarioSyntax.Word))} only";
            if (page >= Pages(region)) return $"'{name}' is on page {page} of {ScenarioSyntax.Word(region)}, which has {Pages(region)} pages";
        }
        if (p.Strings.FirstOrDefault(s => s.Region == RegionKind.Relro) is { } rs) return $"string '{rs.Name}' is in relro: the runner places only pointer arrays there";
        if (p.Strings.FirstOrDefault(s => s.Text.Length == 0) is { } es) return $"string '{es.Name}' is empty: the probe tells a failed read by an empty string";
        foreach (var a in p.Arrays)
        {
            if (a.Region == RegionKind.Rodata) return $"array '{a.Name}' is in rodata: a pointer array needs relocations in a PIE binary (use relro)";
            if (a.Targets.Count > 15) return $"array '{a.Name}' has {a.Targets.Count} strings; the runner takes 15";
            if (a.Region == RegionKind.Relro && a.Targets.FirstOrDefault(t => byName[t] is not (RegionKind.Rodata or RegionKind.Data or RegionKind.Bss)) is { } t)
                return $"relro array '{a.Name}' points at '{t}': relro arrays point at rodata, data or bss strings only";
        }
        if (p.StartTouches.Count > 0) return "touched-at-start: the runner does not read pages before the scenario starts";
        foreach (var step in p.Threads.SelectMany(t => Flatten(t.Steps)))
        {
            switch (step)
            {
                case HoldMmapLockStep: return "hold-mmap-lock has no real-kernel form (user space cannot hold the mmap_lock)";
                case SysWriteStep or SysOpenatStep: return $"{(step is SysWriteStep ? "sys-write" : "sys-openat")}: the runner and its probe compare execve reads only";
                case ComputeStep or RunOnCpuStep or SignalStep or WaitForStep: return $"{Word(step)}: the runner runs one thread per process and has no CPU placement";
                case WriteStep w when byName[w.Name] is RegionKind.Rodata or RegionKind.Relro: return $"write {w.Name}: it is read-only";
                case ReadPageStep r when !Runnable.Contains(r.Region): return $"read-page {ScenarioSyntax.Word(r.Region)}: the runner has {string.Join(", ", Runnable.Select(ScenarioSyntax.Word))} only";
                case ReadPageStep r when r.Page >= Pages(r.Region): return $"read-page {ScenarioSyntax.Word(r.Region)} {r.Page}: the region has {Pages(r.Region)} pages";
            }
        }
        return null;
    }

    private static string Word(ScenarioStep step) => step switch
    {
        ComputeStep => "compute",
        RunOnCpuStep => "run-on-cpu",
        SignalStep => "signal",
        _ => "wait-for",
    };

    /// <summary>ak_scenario.h: AK_RODATA_INIT (the rodata region's bytes) and AK_RELRO_INIT (the relro region's pointers).</summary>
    public static string Generate(ScenarioFile file)
    {
        var p = file.Processes[0];
        var strings = p.Strings.ToDictionary(s => s.Name, StringComparer.Ordinal);
        var rodata = p.Strings.Where(s => s.Region == RegionKind.Rodata)
            .Select(s => $"[{Offset(s.Page, s.OffsetBytes)}] = " + string.Join(", ", Encoding.UTF8.GetBytes(s.Text).Append((byte)0).Select(b => b.ToString(CultureInfo.InvariantCulture))));
        var relro = p.Arrays.Where(a => a.Region == RegionKind.Relro)
            .SelectMany(a => a.Targets.Select((t, k) => $"[{(Offset(a.Page, a.OffsetBytes) / 8 + k).ToString(CultureInfo.InvariantCulture)}] = {Address(strings[t])}"));
        return "/* Generated by actorkernel calibrate --scenario from the scenario file; see calibration/scenario_runner.c. */\n"
            + $"#define AK_RODATA_WINDOW_OFFSET_PAGES {RodataWindowOffsetPages().ToString(CultureInfo.InvariantCulture)}\n"
            + $"#define AK_RODATA_INIT {Init(rodata)}\n"
            + $"#define AK_RELRO_INIT {Init(relro)}\n";
    }

    /// <summary>
    /// Where the model's rodata region starts in its 16-page fault-around window (the model's image
    /// layout decides: region alignment and the pages before it), so the runner places its own there.
    /// </summary>
    public static int RodataWindowOffsetPages()
    {
        var image = ProcessImage.Build(1, Layout, new FileObject("prog", Layout.ProgFilePages), new FileObject("libc.so.6", Layout.LibcFilePages));
        var windowPages = (ulong)(FaultOptions.DefaultFaultAroundBytes / Model.Pages.Size);
        return (int)(image.RegionOf(RegionKind.Rodata).StartAddr / (ulong)Model.Pages.Size % windowPages);
    }

    private static string Init(IEnumerable<string> entries)
    {
        var list = entries.ToList();
        return list.Count == 0 ? "{ 0 }" : "{ " + string.Join(", ", list) + " }";
    }

    private static string Address(PlacedString s) => s.Region switch
    {
        RegionKind.Rodata => $"ak_ro.pages + {Offset(s.Page, s.OffsetBytes)}",
        RegionKind.Data => $"ak_data + {Offset(s.Page, s.OffsetBytes)}",
        _ => $"ak_bss + {Offset(s.Page, s.OffsetBytes)}",
    };

    private static int Offset(int page, int offset) => page * Model.Pages.Size + offset;

    private static int Pages(RegionKind r) => r switch
    {
        RegionKind.Rodata => Layout.RodataPages,
        RegionKind.Relro => Layout.RelroPages,
        RegionKind.Data => Layout.DataPages,
        RegionKind.Bss => Layout.BssPages,
        RegionKind.Heap => Layout.HeapPages,
        _ => Layout.StackPages,
    };

    private static IEnumerable<ScenarioStep> Flatten(IEnumerable<ScenarioStep> steps) =>
        steps.SelectMany(s => s is SpawnStep sp ? new[] { s }.Concat(Flatten(sp.Child)) : [s]);
}
