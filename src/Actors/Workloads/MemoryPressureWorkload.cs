using ActorKernel.Actors.Configuration;
using ActorKernel.Actors.Tasks;
using ActorKernel.Model;

namespace ActorKernel.Actors.Workloads;

/// <summary>
/// A long-running traced process under memory pressure (docs/memory-pressure.md). It maps a data file
/// (the first hot-pages hot, the next idle-file-pages idle) and two anonymous buffers (hot and idle);
/// at start it reads the whole file (page-cache fills) and writes both buffers, then loops: touch the
/// hot file pages and the hot buffer, burn <see cref="BurstMs"/> of CPU, and every probe interval call
/// write(2), at whose sys_enter_write the probe reads one page of each target in turn. A hog process
/// allocates hog-mb of anonymous memory evenly over hog-ramp-s and keeps it; with cgroup-limit-mb the
/// traced process runs in a memory cgroup with that memory.max. Settings: actor-kernel.workload.memory-pressure.
/// </summary>
public sealed class MemoryPressureWorkload : IWorkload
{
    /// <summary>Where the traced process maps its data file and buffers (below glibc).</summary>
    public const ulong BuffersBase = 0x7ffd_0000_0000;

    /// <summary>Where the hog maps its buffer (its own process; below the image's heap is far away).</summary>
    public const ulong HogBase = 0x6000_0000_0000;

    /// <summary>CPU the traced process burns between two touches of its hot set, in ms.</summary>
    public const long BurstMs = 10;

    /// <summary>How often the hog allocates its next slice, in ms.</summary>
    public const long HogStepMs = 100;

    /// <summary>Bytes each probe read takes (a tracer's fixed-size copy).</summary>
    public const int ReadBytes = 64;

    // One user access covers at most this many pages (its length is an int of bytes).
    private const long MaxTouchPages = 65_536;

    private readonly MemoryPressureSettings _w;

    public MemoryPressureWorkload(MemoryPressureSettings settings)
    {
        _w = settings;
    }

    /// <summary>write(2)'s entry; the model has no syscall-exit read for it, so no deferred point.</summary>
    public WorkloadProbes Probes { get; } = new("memory-pressure", [new ProbedAttachPoint(Tracepoint.SysEnterWrite, null)]);

    /// <summary>The traced process's image: the program, the data file mapping and the two buffers (not yet touched).</summary>
    public static MemoryPressureImage BuildImage(int mmId, ActorKernelSettings s)
    {
        var w = s.Workload.MemoryPressure;
        var layout = s.Image;
        var image = ProcessImage.Build(mmId, layout, new FileObject("prog", layout.ProgFilePages), new FileObject("libc.so.6", layout.LibcFilePages));
        image.PopulateTypical();
        var data = new FileObject("data.bin", w.HotPages + w.IdleFilePages, PageCacheState.NotCached);
        var file = new Vma(BuffersBase, BuffersBase + (ulong)data.Pages * Pages.Size, VmaKind.FilePrivate, VmaProt.Read, "data.bin", data);
        image.Mm.AddVma(file);
        var hot = Anon(image.Mm, Align(file.EndAddr), w.HotPages, "[anon: hot]");
        var idle = Anon(image.Mm, Align(hot.EndAddr), w.IdleAnonPages, "[anon: idle]");
        return new MemoryPressureImage(image, file, hot, idle, w.HotPages);
    }

    public void Start(IWorkloadHost host)
    {
        var endNs = host.Sim.NowNs + SimTime.SToNs(_w.DurationS);
        var img = BuildImage(host.NextMmId(), host.Settings);
        if (host.Memory is { } memory)
        {
            var cgroup = _w.CgroupLimitMb > 0 ? new MemCgroup("memory-pressure", _w.CgroupLimitMb << (20 - Pages.Shift)) : null;
            memory.RegisterMm(img.Image.Mm, cgroup, chargeExisting: true);
        }
        var threads = new List<(IEnumerable<TaskOp>, bool)> { (TracedProgram(host, img, endNs), true) };
        host.CreateProcess(img.Image.Mm, threads);
        if (_w.HogMb == 0) return;
        var hogPages = _w.HogMb << (20 - Pages.Shift);
        var hog = new AddressSpace(host.NextMmId());
        var buffer = new Vma(HogBase, HogBase + (ulong)hogPages * Pages.Size, VmaKind.AnonPrivate, VmaProt.Read | VmaProt.Write, "[anon: hog]");
        hog.AddVma(buffer);
        host.CreateProcess(hog, [(HogProgram(host, buffer, endNs), true)]);
    }

    private IEnumerable<TaskOp> TracedProgram(IWorkloadHost host, MemoryPressureImage img, long endNs)
    {
        var sim = host.Sim;
        yield return new TouchOp(img.File.StartAddr, (int)(img.File.EndAddr - img.File.StartAddr), AccessKind.Read);
        yield return new TouchOp(img.Hot.StartAddr, (int)(img.Hot.EndAddr - img.Hot.StartAddr), AccessKind.Write);
        yield return new TouchOp(img.Idle.StartAddr, (int)(img.Idle.EndAddr - img.Idle.StartAddr), AccessKind.Write);
        var intervalNs = SimTime.MsToNs(_w.ProbeIntervalMs);
        var nextProbeNs = sim.NowNs + intervalNs;
        var round = 0;
        var hotFileBytes = img.HotFilePages * Pages.Size;
        while (sim.NowNs < endNs)
        {
            yield return new TouchOp(img.File.StartAddr, hotFileBytes, AccessKind.Read);
            yield return new TouchOp(img.Hot.StartAddr, (int)(img.Hot.EndAddr - img.Hot.StartAddr), AccessKind.Write);
            yield return new ComputeOp(SimTime.MsToNs(BurstMs));
            if (sim.NowNs < nextProbeNs) continue;
            yield return new SyscallOp(Tracepoint.SysEnterWrite, new SyscallArgs(ProbeReads(img, round++), Array.Empty<SyscallPointer>()));
            nextProbeNs += intervalNs * Math.Max(1, (sim.NowNs - nextProbeNs) / intervalNs + 1);
        }
    }

    // write(fd_devnull, …): the probe reads one page of each target in turn; /dev/null never reads them.
    private IReadOnlyList<SyscallPointer> ProbeReads(MemoryPressureImage img, int round)
    {
        var idleFile = img.File.StartAddr + (ulong)(img.HotFilePages + round % _w.IdleFilePages) * Pages.Size;
        var idleAnon = img.Idle.StartAddr + (ulong)(round % _w.IdleAnonPages) * Pages.Size;
        var hot = img.File.StartAddr + (ulong)(round % img.HotFilePages) * Pages.Size;
        return
        [
            new SyscallPointer(MemoryPressureTargets.IdleFile, idleFile, ReadBytes),
            new SyscallPointer(MemoryPressureTargets.IdleAnon, idleAnon, ReadBytes),
            new SyscallPointer(MemoryPressureTargets.Hot, hot, ReadBytes),
        ];
    }

    // The hog writes an equal slice of its buffer every HogStepMs until it is all allocated, then holds it.
    private IEnumerable<TaskOp> HogProgram(IWorkloadHost host, Vma buffer, long endNs)
    {
        var sim = host.Sim;
        var steps = Math.Max(1, _w.HogRampS * 1000L / HogStepMs);
        var pages = buffer.PageCount;
        long done = 0;
        for (long step = 1; step <= steps && sim.NowNs < endNs; step++)
        {
            var upTo = pages * step / steps;
            while (done < upTo)
            {
                var slice = Math.Min(upTo - done, MaxTouchPages);
                yield return new TouchOp(buffer.StartAddr + (ulong)done * Pages.Size, (int)(slice * Pages.Size), AccessKind.Write);
                done += slice;
            }
            if (step < steps) yield return new SleepOp(SimTime.MsToNs(HogStepMs));
        }
        if (sim.NowNs < endNs) yield return new SleepOp(endNs - sim.NowNs);
    }

    // The next region starts one aligned 64 KiB region past the end of the previous one (a guard gap).
    private static ulong Align(ulong addr)
    {
        const ulong align = 64 * 1024;
        return (addr + align - 1) / align * align + align;
    }

    private static Vma Anon(AddressSpace mm, ulong start, int pages, string name)
    {
        var vma = new Vma(start, start + (ulong)pages * Pages.Size, VmaKind.AnonPrivate, VmaProt.Read | VmaProt.Write, name);
        mm.AddVma(vma);
        return vma;
    }
}

/// <summary>The memory-pressure process image and where its data file and buffers are.</summary>
/// <param name="Image">The program and libc, populated as after start-up.</param>
/// <param name="File">The data file mapping: hot pages first, then the idle ones.</param>
/// <param name="Hot">The hot anonymous buffer.</param>
/// <param name="Idle">The idle anonymous buffer.</param>
/// <param name="HotFilePages">The first pages of <paramref name="File"/> are the hot ones.</param>
public sealed record MemoryPressureImage(ProcessImage Image, Vma File, Vma Hot, Vma Idle, int HotFilePages);
