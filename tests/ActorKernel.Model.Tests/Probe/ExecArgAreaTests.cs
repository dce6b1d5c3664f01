namespace ActorKernel.Model.Tests.Probe;

/// <summary>fs/exec.c copy_strings(): the new mm's argument area is present when sched_process_exec fires.</summary>
public sealed class ExecArgAreaTests
{
    [Fact]
    public void EveryArgument_IsReadableWithoutAFault_AndHoldsTheSameBytes()
    {
        var area = ExecArgArea.Build(7, "/usr/bin/true", new[] { "true", "--arg1", "--arg2" });
        Assert.True(ProbeRead.Walk(area.Mm, area.FilenameAddr, 14).Ok);
        Assert.True(ProbeRead.Walk(area.Mm, area.ArgvArrayAddr, 32).Ok);
        foreach (var (addr, len) in area.Argv) Assert.True(ProbeRead.Walk(area.Mm, addr, len).Ok);
        Assert.Equal("/usr/bin/true", area.StringAt(area.FilenameAddr));
        Assert.Equal("--arg2", area.StringAt(area.Argv[2].Addr));
    }
}
