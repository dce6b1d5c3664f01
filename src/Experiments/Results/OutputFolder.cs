namespace ActorKernel.Experiments.Results;

/// <summary>
/// Writes an output folder all at once: files go to a sibling temporary folder that is
/// renamed into place at the end, so a failure never leaves a half-written folder behind.
/// </summary>
public static class OutputFolder
{
    public static void Write(string dir, IReadOnlyList<(string Name, byte[] Content)> files)
    {
        var full = Path.GetFullPath(dir);
        var parent = Path.GetDirectoryName(full) ?? throw new IOException($"cannot write results to the root directory {full}");
        Directory.CreateDirectory(parent);
        var tmp = Path.Combine(parent, $".{Path.GetFileName(full)}.tmp-{Environment.ProcessId}");
        try
        {
            if (Directory.Exists(tmp)) Directory.Delete(tmp, recursive: true);
            Directory.CreateDirectory(tmp);
            foreach (var (name, content) in files) File.WriteAllBytes(Path.Combine(tmp, name), content);
            if (Directory.Exists(full)) Directory.Delete(full, recursive: true);
            Directory.Move(tmp, full);
        }
        catch
        {
            if (Directory.Exists(tmp)) Directory.Delete(tmp, recursive: true);
            throw;
        }
    }
}
