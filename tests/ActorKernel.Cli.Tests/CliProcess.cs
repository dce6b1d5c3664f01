using System.Diagnostics;
using System.Text.RegularExpressions;

namespace ActorKernel.Cli.Tests;

/// <summary>
/// An `actorkernel` process started by a test (the build next to the test assembly, run with
/// the same dotnet host). Output lines are collected as they come; every wait is bounded, and
/// the process is killed when the test disposes it, whatever happened.
/// </summary>
internal sealed class CliProcess : IDisposable
{
    /// <summary>The longest any single wait may take; a stuck cluster fails the test instead of hanging CI.</summary>
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(120);

    private readonly Process _process;
    private readonly List<string> _lines = new();

    private CliProcess(Process process)
    {
        _process = process;
    }

    public static CliProcess Start(params string[] args) => Start(args, new Dictionary<string, string>());

    /// <summary>Starts the CLI with <paramref name="environment"/> added to this process's environment.</summary>
    public static CliProcess Start(string[] args, IReadOnlyDictionary<string, string> environment)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "actorkernel.dll");
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var (name, value) in environment) info.Environment[name] = value;
        var p = new Process { StartInfo = info };
        var cli = new CliProcess(p);
        p.OutputDataReceived += (_, e) => cli.Add(e.Data);
        p.ErrorDataReceived += (_, e) => cli.Add(e.Data);
        p.Start();
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return cli;
    }

    public int Pid => _process.Id;

    /// <summary>Everything printed so far, stdout and stderr interleaved.</summary>
    public string Output
    {
        get
        {
            lock (_lines) return string.Join('\n', _lines);
        }
    }

    /// <summary>Wait for a line matching <paramref name="pattern"/>; returns the match.</summary>
    public Match WaitForLine(string pattern)
    {
        var re = new Regex(pattern);
        var deadline = DateTime.UtcNow + Bound;
        while (DateTime.UtcNow < deadline)
        {
            lock (_lines)
            {
                foreach (var l in _lines)
                    if (re.Match(l) is { Success: true } m) return m;
            }
            if (_process.HasExited)
            {
                _process.WaitForExit();
                lock (_lines)
                    foreach (var l in _lines)
                        if (re.Match(l) is { Success: true } m) return m;
                throw new Xunit.Sdk.XunitException($"process exited ({_process.ExitCode}) before printing /{pattern}/:\n{Output}");
            }
            Thread.Sleep(20);
        }
        throw new TimeoutException($"no line /{pattern}/ within {Bound.TotalSeconds} s:\n{Output}");
    }

    /// <summary>Wait for the process to exit; returns its exit status.</summary>
    public int WaitForExit()
    {
        if (!_process.WaitForExit(Bound))
            throw new TimeoutException($"process did not exit within {Bound.TotalSeconds} s:\n{Output}");
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: no handler runs, nothing is flushed that was not flushed already.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    /// <summary>SIGINT, as Ctrl-C in a terminal sends it.</summary>
    public void Interrupt() => Signal("-INT");

    /// <summary>SIGTERM, as `kill PID` sends it.</summary>
    public void Terminate() => Signal("-TERM");

    private void Signal(string signal)
    {
        using var kill = Process.Start("kill", [signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        _process.Dispose();
    }

    private void Add(string? line)
    {
        if (line is null) return;
        lock (_lines) _lines.Add(line);
    }

    /// <summary>Wait until <paramref name="path"/> has at least <paramref name="lines"/> complete lines.</summary>
    public static void WaitForLines(string path, int lines, CliProcess owner)
    {
        var deadline = DateTime.UtcNow + Bound;
        while (DateTime.UtcNow < deadline)
        {
            if (File.Exists(path) && CountLines(path) >= lines) return;
            if (owner._process.HasExited)
                throw new Xunit.Sdk.XunitException($"process exited ({owner._process.ExitCode}) before {path} had {lines} lines:\n{owner.Output}");
            Thread.Sleep(10);
        }
        throw new TimeoutException($"{path} did not reach {lines} lines within {Bound.TotalSeconds} s:\n{owner.Output}");
    }

    public static int CountLines(string path)
    {
        using var s = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        return new StreamReader(s).ReadToEnd().Count(c => c == '\n');
    }
}
