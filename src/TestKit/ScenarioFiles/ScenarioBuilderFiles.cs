using ActorKernel.Model;
using ActorKernel.TestKit.ScenarioFiles;

namespace ActorKernel.TestKit;

/// <summary>A scenario built with the process DSL, as a scenario file (docs/scenarios.md).</summary>
public sealed partial class ScenarioBuilder
{
    private const string KernelKey = "kernel.profile";

    /// <summary>
    /// This scenario as a scenario file: its kernel profile and its own processes. Only what the file
    /// can say may have been set: Kernel(…) and Process(…); seed and probe policy are not part of it.
    /// </summary>
    public ScenarioFile ToScenarioFile()
    {
        if (_hoconFile is not null || _forkExec || _otherWorkload || _probeReader is not null)
            throw new InvalidOperationException("only Kernel(...) and Process(...) scenarios can be saved as scenario files (no HOCON file, built-in workloads or probe reader)");
        var keys = _overrides.SelectMany(o => o()).ToList();
        var other = keys.FirstOrDefault(kv => kv.Key != KernelKey);
        if (other.Key is not null) throw new InvalidOperationException($"'{other.Key}={other.Value}' has no scenario-file form: only Kernel(...) does");
        var kernel = keys.Count > 0 ? keys[^1].Value.Trim('"')
            : throw new InvalidOperationException("a scenario file names its kernel profile: call Kernel(...) first");
        var unsaved = _processes.SelectMany(p => p.Threads).Select(t => t.Program.WithoutFileForm).FirstOrDefault(c => c is not null);
        if (unsaved is not null) throw new InvalidOperationException($"{unsaved}(...) has no scenario-file form yet (docs/scenarios.md lists the steps)");
        if (_processes.Count == 0) throw new InvalidOperationException("a scenario file has at least one process: call Process(...)");
        return new ScenarioFile(kernel, _processes.Select(ToFile).ToArray());
    }

    // Offsets as ScenarioWorkload packs them: in order on each page, strings first, then arrays.
    private static ScenarioProcess ToFile(ProcessBuilder p)
    {
        var packed = new Dictionary<(RegionKind, int), int>();
        int Next(RegionKind region, int page, int lengthBytes)
        {
            var at = packed.GetValueOrDefault((region, page));
            packed[(region, page)] = at + lengthBytes;
            return at;
        }
        var strings = p.Strings.Select(s =>
        {
            var placed = new PlacedString(s.Name, s.Region, s.Page, 0, s.Text);
            return placed with { OffsetBytes = Next(s.Region, s.Page, placed.LengthBytes) };
        }).ToArray();
        var arrays = p.Arrays.Select(a =>
        {
            var placed = new PlacedArray(a.Name, a.Region, a.Page, 0, a.Targets);
            return placed with { OffsetBytes = Next(a.Region, a.Page, placed.LengthBytes) };
        }).ToArray();
        return new ScenarioProcess(strings, arrays, p.Threads.Select(t => new ScenarioThread(!t.Main, t.Program.Recorded.ToArray())).ToArray())
        {
            StartTouches = p.StartTouches.Select(t => new StartTouch(t.Region, t.FirstPage, t.Pages)).ToArray(),
        };
    }
}
