namespace ActorKernel.Model.Tests.Memory;

// The fork-skipped record (AddressSpace.ForkSkippedPages): against a SortedSet doing the same operations.
public class VpnSetTests
{
    [Fact]
    public void RandomOperations_MatchSortedSet()
    {
        var rng = new Random(13);
        for (var round = 0; round < 50; round++)
        {
            var set = new VpnSet();
            var expected = new SortedSet<ulong>();
            // A few 2 MiB regions far apart and near each other, as an image's VMAs are.
            ulong[] bases = [0x400, 0x600, 0x7f_0000_0000, 0x7f_0000_0200, 0x7fff_f000];
            for (var op = 0; op < 400; op++)
            {
                var vpn = bases[rng.Next(bases.Length)] + (ulong)rng.Next(1100);
                switch (rng.Next(10))
                {
                    case < 7:
                        Assert.Equal(expected.Add(vpn), set.Add(vpn));
                        break;
                    case < 9:
                        Assert.Equal(expected.Contains(vpn), set.Contains(vpn));
                        break;
                    default:
                        var end = vpn + (ulong)rng.Next(1, 900);
                        set.RemoveRange(vpn, end);
                        expected.RemoveWhere(v => v >= vpn && v < end);
                        break;
                }
                Assert.Equal(expected.Count, set.Count);
            }
            Assert.Equal(expected, set);
            set.Clear();
            Assert.Empty(set);
            Assert.False(set.Contains(bases[0]));
        }
    }

    [Fact]
    public void BitmapsGivenBack_AreEmptyForTheNextSet()
    {
        var first = new VpnSet();
        for (ulong v = 0; v < 2048; v += 3) first.Add(v);
        first.RemoveRange(0, 512);
        first.Clear();

        var second = new VpnSet();
        second.Add(1000);
        second.Add(5);
        Assert.Equal(new ulong[] { 5, 1000 }, second);
        Assert.Equal(2, second.Count);
    }

    // exit_mmap(): the fork-skipped record dies with the mm (its bitmaps go back for the next child).
    [Fact]
    public void Release_EmptiesTheForkSkippedRecord()
    {
        var file = new FileObject("prog", 32);
        var parent = new AddressSpace(1);
        parent.AddVma(Fixtures.FileVma(Fixtures.Base, 16, file, name: "prog .rodata"));
        Fixtures.Read(parent, Fixtures.Addr(Fixtures.Base, 3));
        var child = DupMmap.Begin(parent, 2, Fixtures.Kernel618).RunToCompletion();
        Assert.Equal(16, child.ForkSkippedPages.Count);

        child.Release();

        Assert.Empty(child.ForkSkippedPages);
        Assert.Equal(16, DupMmap.Begin(parent, 3, Fixtures.Kernel618).RunToCompletion().ForkSkippedPages.Count);
    }
}
