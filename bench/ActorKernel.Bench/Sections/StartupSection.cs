using System.Diagnostics;
using System.Runtime.InteropServices;
using ActorKernel.Bench.Infra;

namespace ActorKernel.Bench.Sections;

/// <summary>
/// The README's main job as a user runs it once built: <c>dotnet src/Cli/bin/Release/net10.0/actorkernel.dll run</c>
/// (the built-in experiment, into a fresh folder), timed as a whole process from outside, as <c>farm-bench</c> times it:
/// wall time from start to exit, and the child's user + system CPU from the kernel's own accounting
/// (<c>getrusage(RUSAGE_CHILDREN)</c> after the child is reaped), after one unmeasured run. No peak RSS: .NET starts a
/// child with fork(), and exec() carries the forked copy's resident set into the child's ru_maxrss, so in `all` it read
/// the bench's own size (145 MiB against the 115–118 MiB farm-bench measures); reading the child's VmHWM while it
/// runs slowed it by a third (each read takes its mm's lock). Issue 13's start-up
/// target is ≤ 0.5 s of wall time. The CLI is built in Release first when its dll is missing.
/// </summary>
public static class StartupSection
{
    public const string Name = "startup";

    public static void Run(Harness h)
    {
        var root = BenchEnv.RepoRoot();
        var dll = Path.Combine(root, "src", "Cli", "bin", "Release", "net10.0", "actorkernel.dll");
        if (!File.Exists(dll))
        {
            Console.WriteLine("  building the CLI (Release) first");
            Exec("dotnet", ["build", Path.Combine(root, "src", "Cli"), "-c", "Release", "-v", "q"], root);
        }

        var wall = new List<double>();
        var cpu = new List<double>();
        for (var i = 0; i <= h.Reps; i++)
        {
            var outDir = Path.Combine(Path.GetTempPath(), $"actorkernel-bench-startup-{Environment.ProcessId}-{i}");
            try
            {
                var before = ChildCpuSeconds();
                var sw = Stopwatch.StartNew();
                Exec("dotnet", [dll, "run", "--out", outDir], root);
                var wallS = sw.Elapsed.TotalSeconds;
                var after = ChildCpuSeconds();
                if (i == 0) continue; // the first run warms the file cache and the SDK's host lookups
                wall.Add(wallS);
                cpu.Add(after - before);
            }
            finally
            {
                if (Directory.Exists(outDir)) Directory.Delete(outDir, recursive: true);
            }
        }

        h.Report.Add(ResultRow.FromSamples(Name, "main job (built dll, built-in experiment): wall", "s", wall, TargetKind.AtMost, 0.5,
            note: "whole process, as a user runs it; docs/performance.md, Start-up"));
        h.Report.Add(ResultRow.FromSamples(Name, "main job: CPU (user + system)", "cpu-s", cpu));
    }

    // Output read and thrown away, as farm-bench does; a failure is the bench's failure.
    private static void Exec(string file, IReadOnlyList<string> args, string workingDirectory)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        p.StandardOutput.BaseStream.CopyTo(Stream.Null);
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', args)}: exit {p.ExitCode}: {stderr.Result}");
    }

    private static double ChildCpuSeconds()
    {
        if (getrusage(RusageChildren, out var u) != 0) throw new InvalidOperationException($"getrusage: errno {Marshal.GetLastPInvokeError()}");
        return u.UtimeSec + u.UtimeUsec / 1e6 + u.StimeSec + u.StimeUsec / 1e6;
    }

    private const int RusageChildren = -1;

    // struct rusage on 64-bit Linux: two timevals, then fourteen longs (ru_maxrss in KiB first).
    [StructLayout(LayoutKind.Sequential)]
    private struct Rusage
    {
        public long UtimeSec, UtimeUsec, StimeSec, StimeUsec;
        public long MaxRss, IxRss, IdRss, IsRss, MinFlt, MajFlt, NSwap, InBlock, OuBlock, MsgSnd, MsgRcv, NSignals, NvCsw, NivCsw;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int getrusage(int who, out Rusage usage);
}
