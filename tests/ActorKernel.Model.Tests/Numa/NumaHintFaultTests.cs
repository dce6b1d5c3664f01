namespace ActorKernel.Model.Tests.Numa;

/// <summary>mm/memory.c do_numa_page() and should_numa_migrate_memory().</summary>
public sealed class NumaHintFaultTests
{
    private static (AddressSpace Mm, Vma Vma, ulong Vpn) Hinted(int homeNode)
    {
        var mm = new AddressSpace(1);
        var vma = Fixtures.AnonVma(Fixtures.Base, 4);
        mm.AddVma(vma);
        mm.SetPte(vma.StartVpn, Pte.Anon(true, homeNode) with { State = PteState.ProtNone });
        return (mm, vma, vma.StartVpn);
    }

    [Fact]
    public void DoNumaPage_LocalPage_RestoredNotMigrated()
    {
        var (mm, vma, vpn) = Hinted(homeNode: 0);
        var d = NumaHintFault.Decide(new MmNumaState(), vma, vpn, mm.GetPte(vpn), taskId: 1, cpuNode: 0, Fixtures.Kernel618);
        Assert.Equal(new NumaHintDecision(-1, true, true), d);
        var o = FaultModel.Handle(mm, Pages.AddrOf(vpn), AccessKind.Read, new FaultOptions { MigrateToNode = d.MigrateToNode });
        Assert.Equal(PteState.Present, mm.GetPte(vpn).State);
        Assert.False(o.Migrated);
    }

    [Fact]
    public void DoNumaPage_RemotePage_FirstFaultMigratesToTheFaultingNode()
    {
        var (mm, vma, vpn) = Hinted(homeNode: 0);
        var d = NumaHintFault.Decide(new MmNumaState(), vma, vpn, mm.GetPte(vpn), 1, cpuNode: 1, Fixtures.Kernel618);
        Assert.Equal(1, d.MigrateToNode);
        Assert.False(d.Local);
        FaultModel.Handle(mm, Pages.AddrOf(vpn), AccessKind.Read, new FaultOptions { MigrateToNode = d.MigrateToNode });
        Assert.Equal(1, mm.GetPte(vpn).HomeNode);
    }

    [Fact]
    public void ShouldNumaMigrateMemory_PreviousFaultFromAnotherNode_DoesNotMigrate()
    {
        // Two-stage filter: migrate only after two consecutive faults from the same node.
        var (mm, vma, vpn) = Hinted(homeNode: 0);
        var state = new MmNumaState();
        state.XchgLastCpupid(vpn, new CpuPid(TaskId: 2, Node: 2));
        var d = NumaHintFault.Decide(state, vma, vpn, mm.GetPte(vpn), 1, cpuNode: 1, Fixtures.Kernel618);
        Assert.Equal(-1, d.MigrateToNode);
        Assert.False(d.Private);
    }
}
