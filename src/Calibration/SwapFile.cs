using System.Diagnostics;

namespace ActorKernel.Calibration;

/// <summary>
/// A temporary swap file for the memory-pressure case (--allow-swapfile): written with zeros (a swap
/// file must have no holes), mode 0600, mkswap, swapon. Disposing swapoffs and deletes it — ALWAYS: also
/// on error, Ctrl-C, SIGTERM and at process exit (<see cref="RestoringScope"/>).
/// </summary>
public sealed class SwapFile : IDisposable
{
    private readonly RestoringScope _scope;
    private bool _on;

    private SwapFile(string path)
    {
        Path = path;
        _scope = new RestoringScope(Remove);
    }

    public string Path { get; }

    /// <summary>Whether any swap is active (/proc/swaps lists an area).</summary>
    public static bool AnyActive(string swaps = "/proc/swaps")
    {
        try { return File.ReadLines(swaps).Skip(1).Any(l => l.Trim().Length > 0); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
    }

    /// <summary>Creates and enables a swap file of <paramref name="mb"/> MiB at <paramref name="path"/> (on a disk file system: swapon refuses tmpfs).</summary>
    public static SwapFile Create(string path, int mb)
    {
        var swap = new SwapFile(path);
        try
        {
            using (var f = new FileStream(path, FileMode.CreateNew, FileAccess.Write))
            {
                var zeros = new byte[1 << 20];
                for (var i = 0; i < mb; i++) f.Write(zeros);
                f.Flush(flushToDisk: true);
            }
            if (OperatingSystem.IsLinux()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            Run("mkswap", path);
            Run("swapon", path);
            swap._on = true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            swap.Dispose();
            throw new CalibrationFailed($"cannot create the swap file {path}: {e.Message}");
        }
        catch
        {
            swap.Dispose();
            throw;
        }
        return swap;
    }

    public void Dispose() => _scope.Dispose();

    private void Remove()
    {
        try
        {
            if (_on) Run("swapoff", Path);
            _on = false;
            if (File.Exists(Path)) File.Delete(Path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CalibrationFailed)
        {
            Console.Error.WriteLine($"actorkernel: could not remove the swap file {Path}: {e.Message}; remove it with: swapoff {Path}; rm {Path}");
        }
    }

    private static void Run(string program, string path)
    {
        // Root's PATH may lack the sbin directories util-linux installs these in.
        var exe = CalibrationHost.Which(program) ?? new[] { "/usr/sbin", "/sbin" }.Select(d => System.IO.Path.Combine(d, program)).FirstOrDefault(File.Exists)
            ?? throw new CalibrationFailed($"{program} is not installed (util-linux)");
        var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(path);
        using var p = Process.Start(psi) ?? throw new CalibrationFailed($"{program} did not start");
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            p.Kill(entireProcessTree: true);
            throw new CalibrationFailed($"{program} {path} did not finish within 120 s");
        }
        p.WaitForExit();
        if (p.ExitCode != 0)
            throw new CalibrationFailed($"{program} {path} failed (exit {p.ExitCode}): {(error.Result + output.Result).Trim()}");
    }
}
