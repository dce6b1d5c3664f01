using ActorKernel.Actors.Metrics;
using ActorKernel.Model;
using Akka.Actor;

namespace ActorKernel.Actors.Memory;

/// <summary>
/// The mm's side of page reclaim (docs/memory-pressure.md): after each access, new pages are charged
/// (which may wake kswapd or make the task reclaim directly, delaying it) and known pages marked
/// accessed; at exit the mm's anonymous pages are freed. Nothing happens in runs without a memory model.
/// </summary>
public sealed partial class MmActor
{
    private MemoryModel? _memory;
    private IReadOnlyList<IActorRef> _kswapds = Array.Empty<IActorRef>();
    private long _memoryVersionReported = -1;

    private void AttachMemory(AttachMemory a)
    {
        _memory = a.Model;
        _kswapds = a.Kswapds;
    }

    /// <summary>The PTEs of a range that hold swap entries before an access (so the access can tell a swap-in).</summary>
    private bool[]? SwappedBefore(ulong addr, int lengthBytes)
    {
        if (_memory is null) return null;
        var first = Pages.Vpn(addr);
        var last = Pages.Vpn(addr + (ulong)lengthBytes - 1);
        var swapped = new bool[last - first + 1];
        for (var vpn = first; vpn <= last; vpn++) swapped[vpn - first] = _mm.GetPte(vpn).State == PteState.Swapped;
        return swapped;
    }

    /// <summary>Settle the pages of an access with the memory model; returns the direct-reclaim time the accessing task spends.</summary>
    private long SettleMemory(ulong addr, int lengthBytes, int node, bool[]? swappedBefore)
    {
        if (_memory is null || lengthBytes <= 0) return 0;
        var first = Pages.Vpn(addr);
        var last = Pages.Vpn(addr + (ulong)lengthBytes - 1);
        long scanned = 0;
        for (var vpn = first; vpn <= last; vpn++)
        {
            var r = _memory.Settle(_mm, vpn, node, swappedBefore?[vpn - first] ?? false);
            scanned += r.Reclaim.Scanned;
            if (r.WakeKswapd) _kswapds[node].Tell(new WakeKswapd(node));
        }
        ReportMemory();
        return scanned * _settings.Costs.ReclaimNsPerPage;
    }

    private void ReleaseMemory()
    {
        if (_memory is null) return;
        _memory.ReleaseMm(_mm);
        ReportMemory();
    }

    private void ReportMemory()
    {
        if (_memory!.Version == _memoryVersionReported) return;
        _memoryVersionReported = _memory.Version;
        _metrics.Tell(MemorySampled.Of(_sim.NowNs, _memory));
    }
}
