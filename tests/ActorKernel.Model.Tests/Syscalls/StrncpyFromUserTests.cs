namespace ActorKernel.Model.Tests.Syscalls;

// lib/strncpy_from_user.c do_strncpy_from_user() (6.18): unsafe_get_user() of an unsigned long at src + res, res += 8,
// until has_zero() finds the NUL in the word just read.
public class StrncpyFromUserTests
{
    [Theory]
    [InlineData(1, 8)]
    [InlineData(8, 8)]
    [InlineData(9, 16)]
    [InlineData(10, 16)] // "README.md" and its NUL: two words, 6 bytes past the NUL
    [InlineData(16, 16)] // "calib/README.md": two whole words, nothing past the NUL
    public void TheWordLoop_ReadsWholeWordsUpToTheOneHoldingTheNul(int stringBytes, int bytesRead) =>
        Assert.Equal(bytesRead, StrncpyFromUser.BytesRead(stringBytes));

    // A 10-byte path that ends its page, unaligned: its second word reads 6 bytes of the next page.
    [Fact]
    public void AnUnalignedPathEndingItsPage_IsReadIntoTheNextPage()
    {
        const ulong pageEnd = 0x7000;
        var addr = pageEnd - 10;
        Assert.True(addr + (ulong)StrncpyFromUser.BytesRead(10) > pageEnd);
        Assert.Equal(pageEnd, pageEnd - 16 + (ulong)StrncpyFromUser.BytesRead(16));
    }
}
