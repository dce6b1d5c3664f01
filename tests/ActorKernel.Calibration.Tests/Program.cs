namespace ActorKernel.Calibration.Tests;

/// <summary>
/// The test runner never calls this. Tests that need a real child process (a signal, a process exit)
/// start this assembly with `dotnet`: "sysctl-guard-child PATH HOW" runs <see cref="SysctlGuardChild"/>.
/// </summary>
public static class Program
{
    public static int Main(string[] args) =>
        args is ["sysctl-guard-child", var path, var how] ? SysctlGuardChild.Run(path, how) : 2;
}
