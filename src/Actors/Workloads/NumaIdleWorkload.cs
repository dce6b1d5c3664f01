using ActorKernel.Actors.Configuration;
using ActorKernel.Actors.Tasks;
using ActorKernel.Model;

namespace ActorKernel.Actors.Workloads;

/// <summary>
/// The seed's Case 2 (kernel-model.md §1, §8): one process, <c>threads</c> threads of which
/// <c>busy-threads</c> burn CPU and keep writing their hot pages, the others sleep. An idle
/// buffer was written once at start; the argv/env page at the top of the stack is never touched
/// again. Every probe interval a sleeping thread (or, with none, a busy one) calls write(2) on the
/// idle buffer and openat(2) on a path; probes at sys_enter_write read the buffer and the
/// arg-start page, at sys_enter_openat the path, which the kernel then copies in (repairing it).
/// Settings: actor-kernel.workload.numa-idle.
/// </summary>
public sealed class NumaIdleWorkload : IWorkload
{
    /// <summary>Where the workload maps its buffers (anonymous mmaps below glibc).</summary>
    public const ulong BuffersBase = 0x7fff_e000_0000;

    /// <summary>Bytes each probe read takes from a buffer (a tracer's fixed-size copy).</summary>
    public const int ReadBytes = 64;

    private readonly NumaIdleSettings _w;

    public NumaIdleWorkload(NumaIdleSettings settings)
    {
        _w = settings;
    }

    /// <summary>The process image after start-up: the program, its hot, idle and path buffers written once, all on node 0.</summary>
    public static NumaIdleImage BuildImage(int mmId, ActorKernelSettings s)
    {
        var w = s.Workload.NumaIdle;
        var layout = s.Image;
        var image = ProcessImage.Build(mmId, layout, new FileObject("prog", layout.ProgFilePages), new FileObject("libc.so.6", layout.LibcFilePages));
        image.PopulateTypical();
        var hot = AddBuffer(image.Mm, BuffersBase, w.HotPages, "[anon: hot]");
        var idle = AddBuffer(image.Mm, hot.EndAddr + 16 * Pages.Size, w.IdleBufferPages, "[anon: idle buffer]");
        var path = AddBuffer(image.Mm, idle.EndAddr + 16 * Pages.Size, w.KernelTouchedPages, "[anon: path buffer]");
        var stack = image.RegionOf(RegionKind.Stack);
        return new NumaIdleImage(image, hot, idle, path, stack.Addr(stack.Pages - 1, 0x100));
    }

    private static Vma AddBuffer(AddressSpace mm, ulong start, int pages, string name)
    {
        var vma = new Vma(start, start + (ulong)pages * Pages.Size, VmaKind.AnonPrivate, VmaProt.Read | VmaProt.Write, name);
        mm.AddVma(vma);
        for (ulong vpn = vma.StartVpn; vpn < vma.EndVpn; vpn++)
            FaultModel.Handle(mm, Pages.AddrOf(vpn), AccessKind.Write, FaultOptions.Default);
        return vma;
    }

    /// <summary>write(2) and openat(2) entries; this model has no syscall-exit read for them, so no deferred point.</summary>
    public WorkloadProbes Probes { get; } = new("numa-idle",
        [new ProbedAttachPoint(Tracepoint.SysEnterWrite, null), new ProbedAttachPoint(Tracepoint.SysEnterOpenat, null)]);

    public void Start(IWorkloadHost host)
    {
        var img = BuildImage(host.NextMmId(), host.Settings);
        var endNs = host.Sim.NowNs + SimTime.SToNs(_w.DurationS);
        var prober = _w.BusyThreads < _w.Threads ? _w.BusyThreads : 0;
        var threads = new List<(IEnumerable<TaskOp>, bool)>();
        for (var i = 0; i < _w.Threads; i++)
        {
            var program = i < _w.BusyThreads
                ? BusyProgram(host, img, endNs, i, i == prober)
                : SleepingProgram(host, img, endNs, i == prober);
            threads.Add((program, true));
        }
        host.CreateProcess(img.Image.Mm, threads);
    }

    private IEnumerable<TaskOp> BusyProgram(IWorkloadHost host, NumaIdleImage img, long endNs, int index, bool probes)
    {
        var sim = host.Sim;
        var m = host.Settings.Machine;
        var nextProbeNs = sim.NowNs + SimTime.MsToNs(_w.ProbeIntervalMs);
        var migrateNs = SimTime.MsToNs(_w.BusyMigrateIntervalMs);
        var nextMigrateNs = sim.NowNs + migrateNs;
        var round = 0;
        var node = 0;
        var hotBytes = (int)(img.Hot.EndAddr - img.Hot.StartAddr);
        while (sim.NowNs < endNs)
        {
            yield return new TouchOp(img.Hot.StartAddr, hotBytes, AccessKind.Write);
            yield return new ComputeOp(SimTime.MsToNs(_w.BusyBurstMs));
            if (probes && sim.NowNs >= nextProbeNs)
            {
                foreach (var op in ProbedSyscalls(img, round++)) yield return op;
                nextProbeNs += SimTime.MsToNs(_w.ProbeIntervalMs);
            }
            if (migrateNs > 0 && sim.NowNs >= nextMigrateNs && m.NumaNodes > 1)
            {
                // sched_setaffinity to the same CPU slot on the next node.
                node = (node + 1) % m.NumaNodes;
                yield return new MoveToCpuOp(node * m.CpusPerNode + index % m.CpusPerNode);
                nextMigrateNs += migrateNs;
            }
        }
    }

    private IEnumerable<TaskOp> SleepingProgram(IWorkloadHost host, NumaIdleImage img, long endNs, bool probes)
    {
        var sim = host.Sim;
        if (!probes)
        {
            yield return new SleepOp(endNs - sim.NowNs);
            yield break;
        }
        var round = 0;
        var intervalNs = SimTime.MsToNs(_w.ProbeIntervalMs);
        while (true)
        {
            var wake = sim.NowNs - sim.NowNs % intervalNs + intervalNs;
            if (wake >= endNs) break;
            yield return new SleepOp(wake - sim.NowNs);
            foreach (var op in ProbedSyscalls(img, round++)) yield return op;
        }
        if (sim.NowNs < endNs) yield return new SleepOp(endNs - sim.NowNs);
    }

    // write(fd_devnull, idle + page*4096, 64): the probe reads the buffer (and the command line at
    // arg_start); /dev/null never reads it. openat(AT_FDCWD, path): getname() copies it right after.
    private IEnumerable<TaskOp> ProbedSyscalls(NumaIdleImage img, int round)
    {
        var writeReads = new List<SyscallPointer>();
        if (_w.ReadIdleBuffer)
            writeReads.Add(new SyscallPointer(NumaIdleTargets.IdleBuffer, img.Idle.StartAddr + (ulong)(round % _w.IdleBufferPages) * Pages.Size, ReadBytes));
        if (_w.ReadArgStart)
            writeReads.Add(new SyscallPointer(NumaIdleTargets.ArgStart, img.ArgStartAddr, ReadBytes));
        if (writeReads.Count > 0)
            yield return new SyscallOp(Tracepoint.SysEnterWrite, new SyscallArgs(writeReads, Array.Empty<SyscallPointer>()));
        if (_w.ReadKernelTouchedBuffer)
        {
            var path = new SyscallPointer(NumaIdleTargets.KernelTouchedBuffer, img.Path.StartAddr + (ulong)(round % _w.KernelTouchedPages) * Pages.Size, ReadBytes);
            yield return new SyscallOp(Tracepoint.SysEnterOpenat, new SyscallArgs(new[] { path }, new[] { path }));
        }
    }
}

/// <summary>The numa-idle process image and where its buffers are.</summary>
public sealed record NumaIdleImage(ProcessImage Image, Vma Hot, Vma Idle, Vma Path, ulong ArgStartAddr);
