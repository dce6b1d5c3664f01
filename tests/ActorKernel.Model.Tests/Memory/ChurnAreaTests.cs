namespace ActorKernel.Model.Tests.Memory;

public class ChurnAreaTests
{
    [Fact]
    public void Mmap_LaysVmasOutUpwardWithAGuardPage_AndMunmapTakesTheOldest()
    {
        var mm = new AddressSpace(1);
        var churn = new ChurnArea();

        var first = churn.Map(mm)!;
        var second = churn.Map(mm)!;

        Assert.Equal(ChurnArea.BaseAddr, first.StartAddr);
        Assert.Equal((ulong)ChurnArea.VmaPages * Pages.Size, first.EndAddr - first.StartAddr);
        Assert.Equal(first.EndAddr + Pages.Size, second.StartAddr);
        Assert.Equal((VmaKind.AnonPrivate, VmaProt.Read | VmaProt.Write, "churn"), (first.Kind, first.Prot, first.Name));
        Assert.Same(first, mm.FindVma(first.StartAddr));
        Assert.Same(first, churn.Oldest);

        Assert.Same(first, churn.UnmapOldest(mm));
        Assert.Null(mm.FindVma(first.StartAddr));
        Assert.Same(second, churn.Oldest);
        Assert.Equal(1, churn.Count);
    }

    [Fact]
    public void AtMostMaxVmasAreAlive_AnMmapBeyondMapsNothing()
    {
        var mm = new AddressSpace(1);
        var churn = new ChurnArea();
        for (var i = 0; i < ChurnArea.MaxVmas; i++) Assert.NotNull(churn.Map(mm));

        Assert.Null(churn.Map(mm));
        Assert.Equal(ChurnArea.MaxVmas, mm.Vmas.Count);

        // Unmapping frees a slot; the cursor keeps moving up, so no address is reused.
        var oldest = churn.UnmapOldest(mm);
        var next = churn.Map(mm)!;
        Assert.True(next.StartAddr > oldest.StartAddr + (ulong)ChurnArea.MaxVmas * ChurnArea.VmaPages * Pages.Size);
    }

    [Fact]
    public void MunmapWithNothingMapped_BreaksAnInvariant()
    {
        Assert.Null(new ChurnArea().Oldest);
        Assert.Throws<ModelInvariantException>(() => new ChurnArea().UnmapOldest(new AddressSpace(1)));
    }

    [Fact]
    public void TheHeapIsTheVmaNamedHeap()
    {
        var mm = new AddressSpace(1);
        Assert.Null(mm.Heap);
        var heap = Fixtures.AnonVma(Fixtures.Base, 4, name: "[heap]");
        mm.AddVma(Fixtures.AnonVma(Fixtures.Base + 0x10_0000, 2, name: "stack"));
        mm.AddVma(heap);
        Assert.Same(heap, mm.Heap);
    }
}
