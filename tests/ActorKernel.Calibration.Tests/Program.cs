namespace ActorKernel.Calibration.Tests;

/// <summary>
/// The test runner never calls this. Tests that need a real child process (a signal, a process exit)
/// start this assembly with `dotnet`: "sysctl-guard-child PATH HOW" runs <see cref="SysctlGuardChild"/>,
/// "cgroup-guard-child NAME" <see cref="CgroupGuardChild"/>.
/// </summary>
public static class Program
{
    public static int Main(string[] args) => args switch
    {
        ["sysctl-guard-child", var path, var how] => SysctlGuardChild.Run(path, how),
        ["cgroup-guard-child", var name] => CgroupGuardChild.Run(name),
        _ => 2,
    };
}

/// <summary>
/// The child of <see cref="MemoryCgroupRestoreTests"/>: makes a real memory cgroup NAME, says "armed PATH"
/// on stdout, and blocks on stdin without disposing it, until a signal ends it.
/// </summary>
public static class CgroupGuardChild
{
    public static int Run(string name)
    {
        var cgroup = MemoryCgroup.Create(MemoryCgroupRoot.Detect()!, name, 4L << 20, swap: false);
        Console.Out.WriteLine($"armed {cgroup.Path}");
        Console.Out.Flush();
        GC.KeepAlive(cgroup);
        Console.In.ReadLine();
        return 3;
    }
}
