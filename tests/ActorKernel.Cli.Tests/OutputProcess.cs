using System.Diagnostics;

namespace ActorKernel.Cli.Tests;

/// <summary>
/// One `actorkernel` process run to its end, optionally under a wrapper (setpriv to run as another
/// user, unshare to see a read-only mount) and with extra environment (the output folder's test
/// hook); bounded by <see cref="CliProcess.Bound"/>.
/// </summary>
internal static class OutputProcess
{
    public static (int Code, string Out, string Err) Run(IReadOnlyList<string> args, IReadOnlyList<string>? wrapper = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var command = (wrapper ?? []).Concat([DotnetHost, Path.Combine(AppContext.BaseDirectory, "actorkernel.dll")]).Concat(args).ToArray();
        var info = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in command.Skip(1)) info.ArgumentList.Add(a);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) info.Environment[key] = value;
        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(CliProcess.Bound))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{string.Join(' ', command)} did not exit within {CliProcess.Bound.TotalSeconds} s");
        }
        p.WaitForExit();
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>The dotnet host running the tests (absolute, so a wrapper running as another user finds it).</summary>
    public static string DotnetHost => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? Environment.ProcessPath ?? "dotnet";

    /// <summary>Where <paramref name="program"/> is on PATH, or null.</summary>
    public static string? OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, program)).FirstOrDefault(File.Exists);
}

/// <summary>A fact that needs to start processes as user nobody (root and setpriv); skipped with the reason otherwise.</summary>
public sealed class AsNobodyFactAttribute : FactAttribute
{
    public AsNobodyFactAttribute()
    {
        if (Environment.UserName != "root") Skip = "needs root, to run actorkernel as user nobody";
        else if (OutputProcess.OnPath("setpriv") is null) Skip = "needs setpriv (util-linux), to run actorkernel as user nobody";
    }

    /// <summary>Run the wrapped command as nobody (uid and gid 65534), HOME somewhere it may write.</summary>
    public static readonly string[] Wrapper = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "env", "HOME=/tmp"];
}

/// <summary>A fact that needs a private read-only mount (unshare -m and mount, as root); skipped with the reason otherwise.</summary>
public sealed class ReadOnlyMountFactAttribute : FactAttribute
{
    public ReadOnlyMountFactAttribute()
    {
        if (Environment.UserName != "root") Skip = "needs root, to mount a read-only tmpfs in a private mount namespace";
        else if (OutputProcess.OnPath("unshare") is null) Skip = "needs unshare (util-linux)";
        else
        {
            using var p = Process.Start("unshare", ["-m", "true"]);
            p.WaitForExit();
            if (p.ExitCode != 0) Skip = "unshare -m is not permitted here (no CAP_SYS_ADMIN)";
        }
    }
}
