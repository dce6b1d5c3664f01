using System.Diagnostics;
using System.Runtime.InteropServices;

namespace ActorKernel.Calibration.Tests;

/// <summary>
/// The child process of <see cref="NumaBalancingSysctlRestoreTests"/>: enables the sysctl scope on a
/// fake sysctl file, says so on stdout ("armed VALUE", the value it then reads back), and ends the way
/// it is told without ever disposing the scope: "wait" blocks on stdin until a signal ends it,
/// "exit" calls Environment.Exit.
/// </summary>
public static class SysctlGuardChild
{
    public static int Run(string path, string how)
    {
        var scope = NumaBalancingSysctl.Enable(path);
        Console.Out.WriteLine($"armed {NumaBalancingSysctl.Read(path)}");
        Console.Out.Flush();
        GC.KeepAlive(scope);
        switch (how)
        {
            case "wait":
                Console.In.ReadLine();
                return 3; // stdin closed without a signal: the test failed to end us
            case "exit":
                Environment.Exit(0);
                return 0;
            default:
                return 2;
        }
    }

    /// <summary>Starts this test assembly as the child: `dotnet ActorKernel.Calibration.Tests.dll sysctl-guard-child PATH HOW`.</summary>
    public static Process Start(string path, string how) => StartChild("sysctl-guard-child", path, how);

    /// <summary>Starts this test assembly as a child with <paramref name="args"/> (see Program.Main), stdin, stdout and stderr redirected.</summary>
    public static Process StartChild(params string[] args)
    {
        var psi = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        psi.ArgumentList.Add(typeof(SysctlGuardChild).Assembly.Location);
        foreach (var a in args) psi.ArgumentList.Add(a);
        return Process.Start(psi) ?? throw new InvalidOperationException($"the {args[0]} did not start");
    }

    // The SDK tells child processes which host runs them; the test host itself is usually that host.
    private static string DotnetHost()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)) return host;
        if (Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet") return self;
        return "dotnet";
    }

    [DllImport("libc", SetLastError = true)]
    public static extern int kill(int pid, int sig);
}
