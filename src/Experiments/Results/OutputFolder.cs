using System.Diagnostics;
using System.Text;
using ActorKernel.Experiments.Journal;

namespace ActorKernel.Experiments.Results;

/// <summary>
/// An ActorKernel output folder: a folder holding <see cref="ManifestName"/>, the list of the files
/// ActorKernel wrote in it, and nothing but those files (regular files; no links, no subfolders).
/// Only such a folder, or an empty one, is ever replaced; anything else is refused with one line
/// before anything is written.
/// </summary>
/// <remarks>
/// A folder is replaced in one step: the new files go to the sibling <c>.NAME.actorkernel-tmp</c>
/// (list first, then each file, flushed to disk), which <c>renameat2(RENAME_EXCHANGE)</c> swaps with
/// the folder; the old content, now in the sibling, is then removed file by listed file. A process
/// killed at any instant leaves the old folder or the new one at the path, and at most that sibling,
/// which the next run removes (it holds only ActorKernel's files). Where the file system cannot swap,
/// the old folder is renamed to <c>.NAME.actorkernel-old</c> before the new one is renamed in; a kill
/// between the two renames leaves no folder at the path, and the next run names the -old sibling
/// instead of guessing.
/// </remarks>
public static class OutputFolder
{
    /// <summary>The list of the files ActorKernel wrote in an output folder (hidden: a dot file).</summary>
    public const string ManifestName = ".actorkernel-files";

    /// <summary>The first line of <see cref="ManifestName"/>; the names follow, one a line.</summary>
    public const string ManifestFormat = "actorkernel/output-files/v1";

    /// <summary>Suffix of the sibling a new folder is written in before it replaces the old one.</summary>
    public const string TempSuffix = ".actorkernel-tmp";

    /// <summary>Suffix of the sibling holding the old folder while it is swapped out, where the file system has no atomic swap.</summary>
    public const string OldSuffix = ".actorkernel-old";

    /// <summary>
    /// Test hook, read only here: <c>kill-after=K</c> SIGKILLs the process after the K-th step of
    /// creating or replacing an output folder (counted from process start); <c>no-exchange</c> takes
    /// the two-rename path as on a file system without RENAME_EXCHANGE. Comma-separated.
    /// </summary>
    public const string TestHookVariable = "ACTORKERNEL_TEST_OUTPUT_HOOK";

    /// <summary>NAME_MAX of Linux file systems, in bytes.</summary>
    private const int NameMaxBytes = 255;

    /// <summary>PATH_MAX of Linux less its NUL, in bytes.</summary>
    private const int PathMaxBytes = 4095;

    /// <summary>The longest folder name whose siblings (".NAME" and the longest suffix) still fit NAME_MAX.</summary>
    public const int MaxNameBytes = NameMaxBytes - 1 - 16;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private static readonly Hook TestHook = Hook.Parse(Environment.GetEnvironmentVariable(TestHookVariable));
    private static int _steps;

    /// <summary>The sibling <c>.NAME{suffix}</c> of folder <paramref name="full"/> (a full path).</summary>
    public static string Sibling(string full, string suffix) =>
        Path.Combine(Path.GetDirectoryName(full)!, "." + Path.GetFileName(full) + suffix);

    /// <summary>
    /// Refuse (<see cref="JournalError"/>) a path no output folder can be made at: empty, too long,
    /// a symbolic link, an existing non-folder (a file, /dev/null), under a non-folder, or where this
    /// user may not write (read-only file system included). Reads only. Returns the full path.
    /// </summary>
    public static string CheckLocation(string dir)
    {
        if (dir.Length == 0) throw new JournalError("the output folder is an empty string; give a folder name");
        if (dir.Contains('\0')) throw new JournalError("the output folder name contains a NUL character");
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(dir));
        var name = Path.GetFileName(full);
        if (name.Length == 0) throw new JournalError($"cannot write results to the root directory {full}; give a folder below it");
        var nameBytes = Encoding.UTF8.GetByteCount(name);
        if (nameBytes > MaxNameBytes)
            throw new JournalError($"the output folder name {Shorten(name)} is {nameBytes} bytes; at most {MaxNameBytes} fit (file names are at most {NameMaxBytes}, " +
                                   $"and ActorKernel writes beside it in .NAME{TempSuffix}): give a shorter --out or experiment.name");
        foreach (var part in full.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var bytes = Encoding.UTF8.GetByteCount(part);
            if (bytes > NameMaxBytes)
                throw new JournalError($"the path {Shorten(dir)} has a folder name of {bytes} bytes ({Shorten(part)}); names are at most {NameMaxBytes}");
        }
        if (Encoding.UTF8.GetByteCount(full) + 1 + TempSuffix.Length > PathMaxBytes)
            throw new JournalError($"the output folder path {Shorten(full)} is longer than the {PathMaxBytes} bytes a path may have");

        if (LinkTarget(full) is { } target)
            throw new JournalError($"{dir} is a symbolic link (to {target}); give the folder itself, not a link");
        if (File.Exists(full))
            throw new JournalError($"{dir} exists and is not a folder; give a folder for the results");
        if (Directory.Exists(full))
        {
            RequireWritable(dir, Path.GetDirectoryName(full)!);
            RequireWritable(dir, full);
            return full;
        }
        var ancestor = Path.GetDirectoryName(full)!;
        while (!Directory.Exists(ancestor))
        {
            if (File.Exists(ancestor) || LinkTarget(ancestor) is not null)
                throw new JournalError($"cannot create {dir}: {ancestor} is not a folder");
            ancestor = Path.GetDirectoryName(ancestor)!;
        }
        RequireWritable(dir, ancestor);
        return full;
    }

    /// <summary>
    /// What is in folder <paramref name="full"/>: null when it does not exist or is empty; the names
    /// its list holds when it is an ActorKernel output folder. Anything else is refused with a
    /// <see cref="JournalError"/> naming what ActorKernel did not write. Reads only.
    /// </summary>
    public static IReadOnlyList<string>? Inspect(string full)
    {
        if (LinkTarget(full) is { } target)
            throw new JournalError($"{full} is a symbolic link (to {target}), not an ActorKernel output folder; remove it or choose another output folder");
        if (!Directory.Exists(full))
        {
            if (File.Exists(full)) throw new JournalError($"{full} is not a folder; remove it or choose another output folder");
            return null;
        }
        FileSystemInfo[] entries;
        try
        {
            entries = new DirectoryInfo(full).GetFileSystemInfos().OrderBy(e => e.Name, StringComparer.Ordinal).ToArray();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new JournalError($"cannot read {full}: {e.Message}");
        }
        // Nothing, or only the list (a kill right after it was written): nothing to lose.
        if (entries.All(e => e.Name == ManifestName && e is FileInfo && e.LinkTarget is null)) return null;
        var listed = ReadManifest(full, entries);
        foreach (var e in entries)
        {
            if (e.Name == ManifestName) continue;
            if (e.LinkTarget is not null || e is not FileInfo)
                throw new JournalError($"{full} holds {e.Name}, a {(e.LinkTarget is not null ? "symbolic link" : "folder")}; ActorKernel writes only regular files there: " +
                                       $"move {e.Name} away or choose another output folder");
            if (!listed.Contains(e.Name, StringComparer.Ordinal))
                throw new JournalError($"{full} holds {e.Name}, which ActorKernel did not write (an output folder holds only the files listed in its {ManifestName}); " +
                                       $"move {e.Name} away or choose another output folder");
        }
        return listed;
    }

    /// <summary>
    /// Refuse what an interrupted replacement of <paramref name="full"/> can leave beside it that is
    /// not ActorKernel's to remove; return the siblings to remove when the run goes ahead (the
    /// temporary folder, and the old folder once the new one is in place). Reads only.
    /// </summary>
    public static IReadOnlyList<string> CheckLeftovers(string full)
    {
        var leftovers = new List<string>();
        var old = Sibling(full, OldSuffix);
        if (Present(old))
        {
            // Killed between the two renames: no folder at the path, and which of the two the user wants is theirs to say.
            if (!Directory.Exists(full))
                throw new JournalError($"{old} holds the previous {Path.GetFileName(full)}, left by an interrupted replacement: rename it back to {full}, then run again");
            leftovers.Add(Ours(old, "the folder the previous output is moved aside to"));
        }
        var tmp = Sibling(full, TempSuffix);
        if (Present(tmp)) leftovers.Add(Ours(tmp, "ActorKernel's temporary folder"));
        return leftovers;
    }

    private static bool Present(string path) => Directory.Exists(path) || File.Exists(path) || LinkTarget(path) is not null;

    private static string Ours(string sibling, string what)
    {
        try
        {
            Inspect(sibling);
        }
        catch (JournalError e)
        {
            throw new JournalError($"{sibling} is in the way of {what}: {e.Message}");
        }
        return sibling;
    }

    /// <summary>
    /// Write <paramref name="files"/> as the output folder <paramref name="dir"/>, replacing it when it
    /// is an ActorKernel output folder; refuse (<see cref="JournalError"/>, nothing written) any other.
    /// </summary>
    public static void Write(string dir, IReadOnlyList<(string Name, byte[] Content)> files)
    {
        var full = CheckLocation(dir);
        Inspect(full);
        foreach (var leftover in CheckLeftovers(full)) Remove(leftover);
        Replace(full, files, null);
    }

    /// <summary>
    /// Replace folder <paramref name="full"/> (checked: absent, empty or ActorKernel's) with
    /// <paramref name="files"/> as described on the class, then remove <paramref name="alsoRemove"/>
    /// (the folder a replacing sweep kept its journal in). Throws <see cref="JournalError"/> when the
    /// file system refuses.
    /// </summary>
    public static void Replace(string full, IReadOnlyList<(string Name, byte[] Content)> files, string? alsoRemove)
    {
        var tmp = Sibling(full, TempSuffix);
        var swapped = false;
        try
        {
            if (Directory.Exists(tmp)) Remove(tmp);
            Directory.CreateDirectory(tmp);
            Step("temporary folder created");
            WriteManifest(tmp, files.Select(f => f.Name).ToArray());
            foreach (var (name, content) in files)
            {
                WriteFile(Path.Combine(tmp, name), content);
                Step($"{name} written");
            }
            if (!Directory.Exists(full))
            {
                Directory.Move(tmp, full);
                swapped = true;
                Step("new folder renamed into place");
            }
            else if (!TestHook.NoExchange && Posix.TryExchange(tmp, full))
            {
                swapped = true;
                Step("new folder swapped with the old one");
                Remove(tmp);
                Step("old folder removed");
            }
            else
            {
                var old = Sibling(full, OldSuffix);
                Directory.Move(full, old);
                Step("old folder renamed aside");
                Directory.Move(tmp, full);
                swapped = true;
                Step("new folder renamed into place");
                Remove(old);
                Step("old folder removed");
            }
            if (alsoRemove is not null)
            {
                Remove(alsoRemove);
                Step("sweep folder removed");
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (!swapped) TryRemove(tmp);
            throw new JournalError($"cannot write {full}: {e.Message}");
        }
    }

    /// <summary>Create folder <paramref name="full"/> (if absent) listing <paramref name="names"/>, before any of those files is written.</summary>
    public static void Create(string full, IReadOnlyList<string> names)
    {
        Directory.CreateDirectory(full);
        Step($"{Path.GetFileName(full)} created");
        WriteManifest(full, names);
    }

    /// <summary>
    /// Remove ActorKernel folder <paramref name="full"/>: the files its list names, the list, then
    /// the folder, which fails (nothing else removed) when something else was put in it meanwhile.
    /// </summary>
    public static void Remove(string full)
    {
        try
        {
            var manifest = Path.Combine(full, ManifestName);
            if (File.Exists(manifest))
            {
                foreach (var name in ReadManifestNames(manifest))
                {
                    var path = Path.Combine(full, name);
                    if (File.Exists(path) && LinkTarget(path) is null) File.Delete(path);
                }
                File.Delete(manifest);
            }
            Directory.Delete(full, recursive: false);
        }
        catch (IOException) when (Directory.Exists(full) && Directory.EnumerateFileSystemEntries(full).Any())
        {
            throw new JournalError($"{full} holds files ActorKernel did not write, so it was left in place; move them away and remove it");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DecoderFallbackException or FormatException)
        {
            throw new JournalError($"cannot remove {full}: {e.Message}");
        }
    }

    /// <summary>The test hook's step counter (see <see cref="TestHookVariable"/>): a no-op unless the hook is set.</summary>
    public static void Step(string what)
    {
        if (TestHook.KillAfter is not { } k) return;
        var step = Interlocked.Increment(ref _steps);
        if (step != k) return;
        Console.Error.WriteLine($"actorkernel: {TestHookVariable}: SIGKILL after step {step} ({what})");
        Console.Error.Flush();
        Process.GetCurrentProcess().Kill();
    }

    private static IReadOnlyList<string> ReadManifest(string full, IReadOnlyList<FileSystemInfo> entries)
    {
        var manifest = entries.FirstOrDefault(e => e.Name == ManifestName);
        if (manifest is not FileInfo || manifest.LinkTarget is not null)
        {
            var first = entries.First(e => e.Name != ManifestName);
            throw new JournalError($"{full} is not an ActorKernel output folder (it has no {ManifestName}, and holds {first.Name}" +
                                   $"{(entries.Count > 1 ? $" and {entries.Count - 1} more" : "")}); choose another output folder or empty it");
        }
        try
        {
            return ReadManifestNames(manifest.FullName);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DecoderFallbackException or FormatException)
        {
            throw new JournalError($"{full} is not an ActorKernel output folder: its {ManifestName} cannot be read ({e.Message}); choose another output folder");
        }
    }

    private static IReadOnlyList<string> ReadManifestNames(string path)
    {
        using var stream = Posix.OpenRegularForRead(path) ?? throw new FormatException("not a regular file");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var lines = StrictUtf8.GetString(buffer.ToArray()).Split('\n');
        // Written before the files it names; a kill while writing it leaves a prefix, which names no file yet.
        if (!ManifestFormat.StartsWith(lines[0], StringComparison.Ordinal) || (lines.Length > 1 && lines[0] != ManifestFormat))
            throw new FormatException($"its first line is not {ManifestFormat}");
        var names = lines.Skip(1).Where(l => l.Length > 0).ToArray();
        if (names.FirstOrDefault(n => n.Contains('/') || n is "." or ".." or ManifestName) is { } bad)
            throw new FormatException($"it names '{bad}'");
        return names;
    }

    private static void WriteManifest(string full, IReadOnlyList<string> names)
    {
        WriteFile(Path.Combine(full, ManifestName), Encoding.UTF8.GetBytes(string.Join('\n', names.Prepend(ManifestFormat)) + "\n"));
        Step($"{ManifestName} written");
    }

    // Flushed to disk before the folder is swapped in, so a machine crash after the swap cannot leave empty files.
    private static void WriteFile(string path, byte[] content)
    {
        using var f = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
        f.Write(content);
        f.Flush(flushToDisk: true);
    }

    private static void TryRemove(string full)
    {
        try
        {
            if (Directory.Exists(full)) Remove(full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JournalError)
        {
            // The next run names or removes it; the error being reported matters more.
        }
    }

    private static void RequireWritable(string dir, string folder)
    {
        if (Posix.WhyNotWritable(folder) is { } why)
            throw new JournalError($"cannot write {dir}: {folder}: {why}");
    }

    /// <summary>Where symbolic link <paramref name="path"/> points, or null when it is not a link (or not there).</summary>
    public static string? LinkTarget(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string Shorten(string s) => s.Length <= 48 ? $"'{s}'" : $"'{s[..48]}…'";

    private sealed record Hook(int? KillAfter, bool NoExchange)
    {
        public static Hook Parse(string? value)
        {
            int? killAfter = null;
            var noExchange = false;
            foreach (var part in (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (part == "no-exchange") noExchange = true;
                else if (part.StartsWith("kill-after=", StringComparison.Ordinal) && int.TryParse(part["kill-after=".Length..], out var k) && k > 0) killAfter = k;
                else throw new InvalidOperationException($"{TestHookVariable}: unknown setting '{part}'");
            }
            return new Hook(killAfter, noExchange);
        }
    }
}
