using ActorKernel.Model;
using ActorKernel.TestKit.ScenarioFiles;

namespace ActorKernel.Calibration;

/// <summary>
/// Random scenarios for `calibrate --random N [--seed S]` (grammar and weights: docs/scenarios.md,
/// "Random scenarios"). Seeded: the same seed gives the same scenarios, in the same order; scenario i
/// depends only on the seed and i. Every scenario is one the real-kernel runner can run.
/// </summary>
public static class RandomScenarios
{
    /// <summary>The kernel profile random scenarios name: the one closest to the kernels measured (6.18).</summary>
    public const string Kernel = "6.18";

    public static ScenarioFile Generate(ulong seed, int index)
    {
        var rng = new Random(SplitMix(Mix(seed) ^ (ulong)index));
        int Pick(params int[] weights)
        {
            var r = rng.Next(weights.Sum());
            for (var i = 0; i < weights.Length; i++)
            {
                if (r < weights[i]) return i;
                r -= weights[i];
            }
            return weights.Length - 1;
        }
        var rodataPage = rng.Next(16);
        // path: rodata 6, data 1, heap 1, stack 1
        var pathRegion = new[] { RegionKind.Rodata, RegionKind.Data, RegionKind.Heap, RegionKind.Stack }[Pick(6, 1, 1, 1)];
        var pathPage = pathRegion == RegionKind.Rodata ? rodataPage : 0;
        // arg1: with path 3, rodata on another page 1, stack 1
        var (argRegion, argPage) = Pick(3, 1, 1) switch
        {
            0 => (pathRegion, pathPage),
            1 => (RegionKind.Rodata, rng.Next(16)),
            _ => (RegionKind.Stack, 1),
        };
        var otherPage = rng.Next(16);
        // argv: stack 3, heap 1, relro 1 (relro only when both strings are in rodata or data)
        var staticTargets = pathRegion is RegionKind.Rodata or RegionKind.Data && argRegion is RegionKind.Rodata or RegionKind.Data;
        var arrayRegion = new[] { RegionKind.Stack, RegionKind.Heap, RegionKind.Relro }[Pick(3, 1, staticTargets ? 1 : 0)];
        var strings = new List<(string, RegionKind, int, string)> { ("path", pathRegion, pathPage, "/bin/true"), ("arg1", argRegion, argPage, "ak-random"), ("other", RegionKind.Rodata, otherPage, "other") };
        var process = Pack(strings, [("argv", arrayRegion, arrayRegion == RegionKind.Relro ? 0 : 2, ["path", "arg1"])], []);

        ScenarioStep ReadStepOf(bool parent) => (parent ? Pick(3, 2, 2, 1, 1, 1) : Pick(3, 2, 2, 0, 0, 1)) switch
        {
            0 => new ReadStep("path"),
            1 => new ReadStep("other"),
            2 => new ReadPageStep(RegionKind.Rodata, rng.Next(16)),
            3 => new EvictStep("path", false),
            4 => new EvictStep("path", true),
            _ => new SleepStep(1_000_000),
        };
        var steps = new List<ScenarioStep>();
        var spawns = 1 + Pick(3, 1);
        for (var s = 0; s < spawns; s++)
        {
            for (var i = Pick(2, 3, 2, 1); i > 0; i--) steps.Add(ReadStepOf(parent: true));
            var child = new List<ScenarioStep>();
            for (var i = Pick(4, 2, 1); i > 0; i--) child.Add(ReadStepOf(parent: false));
            child.Add(new ExecStep("path", "argv"));
            steps.Add(new SpawnStep(Pick(3, 2) == 0 ? SpawnKind.Fork : SpawnKind.Vfork, child));
            steps.Add(new WaitChildStep());
        }
        return new ScenarioFile(Kernel, [process with { Threads = [new ScenarioThread(false, steps)] }]);
    }

    // A 64-bit mix (SplitMix64's finaliser) folded to System.Random's 31-bit seed: neighbouring (seed, index) pairs get unrelated streams.
    private static int SplitMix(ulong x) => (int)(Mix(x) & 0x7fff_ffff);

    private static ulong Mix(ulong x)
    {
        x += 0x9E37_79B9_7F4A_7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58_476D_1CE4_E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D0_49BB_1331_11EBUL;
        return x ^ (x >> 31);
    }

    /// <summary>Placements at the offsets the TestKit packs them to (in order on each page: strings, then arrays).</summary>
    public static ScenarioProcess Pack(IEnumerable<(string Name, RegionKind Region, int Page, string Text)> strings,
        IEnumerable<(string Name, RegionKind Region, int Page, string[] Targets)> arrays, IReadOnlyList<ScenarioThread> threads)
    {
        var packed = new Dictionary<(RegionKind, int), int>();
        int Next(RegionKind region, int page, int lengthBytes)
        {
            var at = packed.GetValueOrDefault((region, page));
            packed[(region, page)] = at + lengthBytes;
            return at;
        }
        var placedStrings = strings.Select(s =>
        {
            var p = new PlacedString(s.Name, s.Region, s.Page, 0, s.Text);
            return p with { OffsetBytes = Next(s.Region, s.Page, p.LengthBytes) };
        }).ToArray();
        var placedArrays = arrays.Select(a =>
        {
            var p = new PlacedArray(a.Name, a.Region, a.Page, 0, a.Targets);
            return p with { OffsetBytes = Next(a.Region, a.Page, p.LengthBytes) };
        }).ToArray();
        return new ScenarioProcess(placedStrings, placedArrays, threads);
    }
}
