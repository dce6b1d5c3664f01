using System.Globalization;

namespace ActorKernel.Calibration;

/// <summary>The memory-pressure case: calibration/memory_pressure.c in a fresh memory cgroup under calibration/memory_pressure.bt, and the model.</summary>
public sealed partial class CalibrationRunner
{
    private string? _pressureReproducer;
    private string? _pressureScript;

    /// <summary>
    /// Each variant on the real kernel (for <paramref name="seconds"/>, in a memory cgroup made for it and
    /// always removed) and in the model; every read of both sides, by target. A variant with swap runs on
    /// the machine's swap, or on a temporary swap file when <paramref name="allowSwapfile"/> (always
    /// disabled and deleted after); without either it is skipped, and said so.
    /// </summary>
    public IReadOnlyList<MemoryPressureRow> RunMemoryPressure(IReadOnlyList<MemoryPressureVariant> variants, int seconds, MemoryCgroupRoot root, bool allowSwapfile)
    {
        PrepareMemoryPressure();
        var rows = new List<MemoryPressureRow>();
        foreach (var v in variants)
        {
            var needSwapFile = v.Swap && !SwapFile.AnyActive();
            if (needSwapFile && !allowSwapfile)
            {
                _progress.WriteLine($"  {v.Name}: skipped, this machine has no swap (pass --allow-swapfile to create a temporary {MemoryPressureVariant.SwapMb} MiB swap file)");
                continue;
            }
            _progress.WriteLine($"  {v.Name}: real kernel, {seconds} s, memory cgroup {root.Version}");
            var real = MeasureMemoryPressure(v, seconds, root, needSwapFile);
            _progress.WriteLine($"  {v.Name}: model");
            rows.Add(MemoryPressureRow.Of(v, seconds, root.Version, real, RunMemoryPressureModel(v, seconds)));
        }
        return rows;
    }

    /// <summary>The model's reads for the variant, from its timeline (one round per bucket, stamped with the bucket's start), each failed read with its cause.</summary>
    public static IReadOnlyList<MemoryPressureRead> RunMemoryPressureModel(MemoryPressureVariant v, int seconds)
    {
        var metrics = RunModelOnce("calibrate-memory-pressure", v.ModelOverrides(seconds), $"memory-pressure {v.Name}");
        var reads = new List<MemoryPressureRead>();
        foreach (var b in metrics.Timeline)
        {
            var atMs = b.StartNs / 1_000_000;
            foreach (var (target, t) in b.ByTarget)
            {
                foreach (var (cause, n) in t.ByCause)
                    for (var i = 0; i < n; i++) reads.Add(new MemoryPressureRead(target, atMs, false, cause));
                for (var i = t.Failed; i < t.Reads; i++) reads.Add(new MemoryPressureRead(target, atMs, true));
            }
        }
        return reads;
    }

    private void PrepareMemoryPressure()
    {
        if (_pressureReproducer is not null) return;
        var source = Path.Combine(_work, "memory_pressure.c");
        File.WriteAllText(source, Resource("ActorKernel.calibration.memory_pressure.c"));
        _pressureScript = Path.Combine(_work, "memory_pressure.bt");
        File.WriteAllText(_pressureScript, Resource("ActorKernel.calibration.memory_pressure.bt"));
        // Named memory_pressure: the script filters on that comm.
        var binary = Path.Combine(_work, "memory_pressure");
        var (code, output) = RunToEnd(_host.CcPath!, ["-O1", "-o", binary, source], TimeSpan.FromMinutes(2));
        if (code != 0)
            throw new CalibrationFailed($"cc could not build calibration/memory_pressure.c (exit {code}): {FirstLine(output)}");
        _pressureReproducer = binary;
    }

    private List<MemoryPressureRead> MeasureMemoryPressure(MemoryPressureVariant v, int seconds, MemoryCgroupRoot root, bool swapFile)
    {
        // On the disk, not in /tmp: a tmpfs file's pages are shmem, swap-backed, and a swap file cannot live there.
        var tag = $"actorkernel-calibrate-{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}";
        var dataFile = Path.Combine("/var/tmp", tag + "-data.bin");
        using var swap = swapFile ? SwapFile.Create(Path.Combine("/var/tmp", tag + "-swap"), MemoryPressureVariant.SwapMb) : null;
        using var cgroup = MemoryCgroup.Create(root, tag, (long)v.LimitMb << 20, v.Swap);
        try
        {
            using var bpftrace = new BpftraceSession<MemoryPressureRead>(_host.BpftracePath!, _pressureScript!, MemoryPressureProbeOutput.ParseLine);
            bpftrace.WaitAttached();
            var (code, output) = RunToEnd(_pressureReproducer!, v.ReproducerArguments(cgroup.ProcsPath, dataFile, seconds), ReproducerTimeout);
            if (code != 0)
                throw new CalibrationFailed($"the memory-pressure reproducer failed on {v.Name} (exit {code}{(code == 137 ? ", killed: the cgroup's OOM killer?" : "")}): {FirstLine(output)}");
            // Each round is three reads (idle-file, idle-anon, hot).
            bpftrace.WaitFor(3 * (seconds * 1000 / MemoryPressureVariant.IntervalMs), TimeSpan.FromSeconds(3));
            return bpftrace.Observations();
        }
        finally
        {
            if (File.Exists(dataFile)) File.Delete(dataFile);
        }
    }
}
