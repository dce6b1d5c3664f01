namespace ActorKernel.Model;

/// <summary>What <see cref="FaultModel.Handle"/> did.</summary>
/// <param name="Class">The classification it acted on.</param>
/// <param name="PagesMapped">PTEs installed or restored, including fault-around neighbours.</param>
/// <param name="Major">I/O was needed.</param>
/// <param name="NumaNode">Node of the faulting page's frame afterwards (-1 when nothing is mapped).</param>
/// <param name="FaultAroundPages">Pages mapped by do_fault_around() (0 when it did not run).</param>
/// <param name="Migrated">do_numa_page() migrated the page.</param>
public readonly record struct FaultOutcome(FaultClass Class, int PagesMapped, bool Major, int NumaNode, int FaultAroundPages, bool Migrated)
{
    public static FaultOutcome Nothing(FaultClass c) => new(c, 0, false, -1, 0, false);
}
