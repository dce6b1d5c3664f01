namespace ActorKernel.Calibration;

/// <summary>
/// kernel.numa_balancing for the numa-idle calibration. <see cref="Enable"/> sets it to 1 and returns
/// a scope that ALWAYS writes the previous value back (a <see cref="RestoringScope"/>: on Dispose, on
/// the signals that end a process by default and at process exit). Restoring twice is harmless.
/// </summary>
public sealed class NumaBalancingSysctl : IDisposable
{
    public const string DefaultPath = "/proc/sys/kernel/numa_balancing";

    private readonly string _path;
    private readonly string _previous;
    private readonly RestoringScope _scope;

    private NumaBalancingSysctl(string path, string previous)
    {
        _path = path;
        _previous = previous;
        _scope = new RestoringScope(Restore);
    }

    /// <summary>The current value, or null when the file cannot be read (no NUMA balancing in this kernel).</summary>
    public static string? Read(string path = DefaultPath)
    {
        try { return File.ReadAllText(path).Trim(); }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    public string Previous => _previous;

    /// <summary>Sets the sysctl to 1 (when it is not already non-zero) and returns the restoring scope.</summary>
    public static NumaBalancingSysctl Enable(string path = DefaultPath)
    {
        var previous = Read(path) ?? throw new CalibrationFailed($"cannot read {path}: this kernel has no NUMA balancing");
        var scope = new NumaBalancingSysctl(path, previous);
        if (previous == "0")
        {
            try { File.WriteAllText(path, "1"); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                scope.Dispose();
                throw new CalibrationFailed($"cannot write {path}: {e.Message}");
            }
        }
        return scope;
    }

    public void Dispose() => _scope.Dispose();

    private void Restore()
    {
        try { File.WriteAllText(_path, _previous); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"actorkernel: could not restore {_path} to {_previous}: {e.Message}");
        }
    }
}
