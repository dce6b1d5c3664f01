namespace ActorKernel.Calibration.Tests;

/// <summary>
/// kernel.numa_balancing is put back however calibrate ends, not only through Dispose: each test runs
/// the scope in a real child process on a fake sysctl file, waits until the child says the file holds
/// 1, ends the child the way a user or the system would, and reads the file back. The child says when
/// it is armed, so nothing here depends on timing (the wait for exit is only a guard against a hang).
/// </summary>
public sealed class NumaBalancingSysctlRestoreTests : IDisposable
{
    private const int Sighup = 1;
    private const int Sigint = 2;
    private const int Sigquit = 3;
    private const int Sigterm = 15;
    private static readonly TimeSpan Guard = TimeSpan.FromMinutes(1);

    private readonly string _path = Path.GetTempFileName();

    public NumaBalancingSysctlRestoreTests() => File.WriteAllText(_path, "0\n");

    public void Dispose() => File.Delete(_path);

    [Theory]
    [InlineData(Sigint)]  // Ctrl-C
    [InlineData(Sigquit)] // Ctrl-\
    [InlineData(Sigterm)] // kill, systemd stop: the runtime ends the process without AppDomain.ProcessExit
    [InlineData(Sighup)]  // the terminal or ssh session went away
    public void ASignal_RestoresThePreviousValue(int signal)
    {
        using var child = SysctlGuardChild.Start(_path, "wait");
        AssertArmed(child);

        Assert.Equal(0, SysctlGuardChild.kill(child.Id, signal));
        Assert.True(child.WaitForExit(Guard), "the child did not end on the signal");

        Assert.Equal("0", File.ReadAllText(_path).Trim());
    }

    [Fact]
    public void ProcessExit_WithoutDispose_RestoresThePreviousValue()
    {
        using var child = SysctlGuardChild.Start(_path, "exit");
        AssertArmed(child);

        Assert.True(child.WaitForExit(Guard), "the child did not exit");

        Assert.Equal(0, child.ExitCode);
        Assert.Equal("0", File.ReadAllText(_path).Trim());
    }

    private static void AssertArmed(System.Diagnostics.Process child)
    {
        var line = child.StandardOutput.ReadLine();
        // stderr is read only on failure: reading it to the end waits for the child to exit.
        if (line != "armed 1")
            Assert.Fail($"the child said '{line}'; stderr: {child.StandardError.ReadToEnd()}");
    }
}
