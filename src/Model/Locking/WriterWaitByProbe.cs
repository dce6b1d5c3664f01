namespace ActorKernel.Model;

/// <summary>
/// The delay a faulting probe imposes on mmap_lock writers: for every writer queued on the lock
/// (kernel/locking/rwsem.c rwsem_down_write_slowpath()), the virtual time during which a probe
/// held the lock for read. The time since the last change is charged before each change, to every
/// writer then queued.
/// </summary>
public sealed class WriterWaitByProbe
{
    // Lookup only (never iterated): queued writer → time a probe held the lock for read meanwhile.
    private readonly Dictionary<long, long> _byWriterNs = new();
    private int _probeReaders;
    private long _accruedUntilNs;

    /// <summary>Probes holding the lock for read now.</summary>
    public int ProbeReaders => _probeReaders;

    /// <summary>
    /// Charge the time since the last change to the queued writers in <paramref name="waiters"/> and to the
    /// <paramref name="spinningWriter"/> (rwsem_optimistic_spin(), not queued); call before every change.
    /// </summary>
    public void Accrue(long nowNs, IReadOnlyList<RwsemWaiter> waiters, long? spinningWriter = null)
    {
        ModelInvariantException.Check(nowNs >= _accruedUntilNs, $"writer-wait accounting: time went backwards ({nowNs} < {_accruedUntilNs} ns)");
        if (_probeReaders > 0 && nowNs > _accruedUntilNs)
        {
            foreach (var w in waiters)
                if (w.Write) _byWriterNs[w.Owner] += nowNs - _accruedUntilNs;
            if (spinningWriter is { } s) _byWriterNs[s] += nowNs - _accruedUntilNs;
        }
        _accruedUntilNs = nowNs;
    }

    /// <summary>A probe got the lock for read.</summary>
    public void ProbeAcquiredRead() => _probeReaders++;

    /// <summary>A probe released its read hold.</summary>
    public void ProbeReleasedRead()
    {
        ModelInvariantException.Check(_probeReaders > 0, "writer-wait accounting: a probe released a read hold it did not have");
        _probeReaders--;
    }

    /// <summary>Writer <paramref name="owner"/> joined the wait list.</summary>
    public void WriterQueued(long owner) => _byWriterNs.Add(owner, 0);

    /// <summary>Writer <paramref name="owner"/> got the lock: how long of its wait a probe held it for read (0 if it never queued).</summary>
    public long WriterGranted(long owner) => _byWriterNs.Remove(owner, out var ns) ? ns : 0;
}
