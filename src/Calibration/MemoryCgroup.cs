namespace ActorKernel.Calibration;

/// <summary>Where memory cgroups can be made: the cgroup v2 hierarchy with the memory controller enabled for its children, or the v1 memory hierarchy.</summary>
/// <param name="Path">The hierarchy's root directory.</param>
/// <param name="V2">cgroup v2 (memory.max, memory.swap.max) rather than v1 (memory.limit_in_bytes, memory.swappiness).</param>
public sealed record MemoryCgroupRoot(string Path, bool V2)
{
    public string Version => V2 ? "v2" : "v1";

    /// <summary>
    /// From /proc/mounts lines: a cgroup2 mount whose cgroup.subtree_control lists memory (a child made
    /// there gets the controller), else a v1 cgroup mount with the memory option; null when neither.
    /// <paramref name="readFile"/> reads a file, null when it cannot.
    /// </summary>
    public static MemoryCgroupRoot? Find(IEnumerable<string> mounts, Func<string, string?> readFile)
    {
        var fields = mounts.Select(l => l.Split(' ')).Where(f => f.Length >= 4).ToArray();
        foreach (var f in fields.Where(f => f[2] == "cgroup2"))
            if (readFile(System.IO.Path.Combine(f[1], "cgroup.subtree_control"))?.Split(' ', StringSplitOptions.TrimEntries).Contains("memory") == true)
                return new MemoryCgroupRoot(f[1], true);
        var v1 = fields.FirstOrDefault(f => f[2] == "cgroup" && f[3].Split(',').Contains("memory"));
        return v1 is null ? null : new MemoryCgroupRoot(v1[1], false);
    }

    public static MemoryCgroupRoot? Detect()
    {
        try
        {
            return Find(File.ReadLines("/proc/mounts"), ReadOrNull);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string? ReadOrNull(string path)
    {
        try { return File.ReadAllText(path).Trim(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }
}

/// <summary>
/// A memory cgroup made for one calibration variant: a limit below the reproducer's footprint, swap
/// allowed or not. Disposing removes it (rmdir, once its tasks have exited) — also on Ctrl-C, SIGTERM
/// and at process exit (<see cref="RestoringScope"/>).
/// </summary>
public sealed class MemoryCgroup : IDisposable
{
    private readonly RestoringScope _scope;

    private MemoryCgroup(string path)
    {
        Path = path;
        _scope = new RestoringScope(Remove);
    }

    public string Path { get; }

    /// <summary>The file a process writes its pid to, to join the cgroup.</summary>
    public string ProcsPath => System.IO.Path.Combine(Path, "cgroup.procs");

    /// <summary>
    /// Makes <paramref name="name"/> under <paramref name="root"/> with memory.max (v1 memory.limit_in_bytes)
    /// of <paramref name="limitBytes"/>; without <paramref name="swap"/>, memory.swap.max 0 (v1: memory.swappiness
    /// 0, which makes the cgroup's own reclaim file-only: get_scan_count()). The cgroup is removed again if a
    /// file cannot be written.
    /// </summary>
    public static MemoryCgroup Create(MemoryCgroupRoot root, string name, long limitBytes, bool swap)
    {
        var path = System.IO.Path.Combine(root.Path, name);
        try { Directory.CreateDirectory(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CalibrationFailed($"cannot create the memory cgroup {path}: {e.Message}");
        }
        var cgroup = new MemoryCgroup(path);
        try
        {
            cgroup.Write(root.V2 ? "memory.max" : "memory.limit_in_bytes", limitBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
            // v2 has memory.swap.max only with swap accounting; without it and without swap there is nothing to forbid.
            if (root.V2 && File.Exists(System.IO.Path.Combine(path, "memory.swap.max"))) cgroup.Write("memory.swap.max", swap ? "max" : "0");
            if (!root.V2 && !swap) cgroup.Write("memory.swappiness", "0");
        }
        catch
        {
            cgroup.Dispose();
            throw;
        }
        return cgroup;
    }

    public void Dispose() => _scope.Dispose();

    private void Write(string file, string value)
    {
        var full = System.IO.Path.Combine(Path, file);
        try { File.WriteAllText(full, value); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CalibrationFailed($"cannot write {full}: {e.Message}");
        }
    }

    // rmdir fails with EBUSY while an exiting task is still listed: retry for a few seconds.
    private void Remove()
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            try
            {
                if (Directory.Exists(Path)) Directory.Delete(Path);
                return;
            }
            catch (IOException) when (attempt < 49)
            {
                Thread.Sleep(100);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"actorkernel: could not remove the memory cgroup {Path}: {e.Message}; remove it with: rmdir {Path}");
                return;
            }
        }
    }
}
