namespace ActorKernel.Model;

/// <summary>
/// A memory cgroup with a limit (memory.max in cgroup v2, memory.limit_in_bytes in v1): page_counter
/// charges of its folios (mm/memcontrol.c try_charge_memcg(), 6.8, 6.18; try_charge() in 4.14).
/// </summary>
public sealed class MemCgroup
{
    public MemCgroup(string name, long limitPages)
    {
        ModelInvariantException.Check(limitPages > 0, $"memcg {name}: limit {limitPages} pages");
        Name = name;
        LimitPages = limitPages;
    }

    public string Name { get; }

    public long LimitPages { get; }

    /// <summary>memory.current, in pages.</summary>
    public long UsagePages { get; internal set; }

    /// <summary>Charges that found the limit reached and reclaimed from this cgroup (memory.events "max").</summary>
    public long MaxEvents { get; internal set; }

    /// <summary>Charges that stayed over the limit after reclaim (the OOM killer would act; not modelled).</summary>
    public long OverLimitCharges { get; internal set; }

    public bool WouldExceed(long pages) => UsagePages + pages > LimitPages;

    public override string ToString() => Name;
}
