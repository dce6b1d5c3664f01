using System.Globalization;
using ActorKernel.Model;

namespace ActorKernel.TestKit.ScenarioFiles;

/// <summary>
/// Reads the scenario format (docs/scenarios.md). Every problem is a <see cref="ScenarioFileException"/>
/// naming the line and what was expected there. Besides the syntax it checks what the TestKit would
/// otherwise reject later: names placed once, names used where placed, offsets as the TestKit packs them.
/// </summary>
public static class ScenarioFileParser
{
    /// <summary>Read a scenario file from disk (a missing or unreadable file is a line-0 error).</summary>
    public static ScenarioFile ParseFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new ScenarioFileException(0, $"cannot read scenario file '{path}': {e.Message}");
        }
        return Parse(text);
    }

    public static ScenarioFile Parse(string text)
    {
        var lines = text.Split('\n');
        if (lines.Length > 0 && lines[^1].Length == 0) lines = lines[..^1];
        return new Reader(lines).File();
    }

    private sealed class Reader
    {
        private readonly string[] _lines;
        private int _next;

        public Reader(string[] lines)
        {
            _lines = lines;
        }

        // The line of the last token read (1-based).
        private int Line => _next;

        public ScenarioFile File()
        {
            if (_lines.Length == 0 || _lines[0] != ScenarioFile.Header)
                throw new ScenarioFileException(1, $"expected the header '{ScenarioFile.Header}'" + (_lines.Length > 0 && _lines[0].StartsWith("actorkernel-scenario ", StringComparison.Ordinal) ? $" (this reader knows version {ScenarioFile.Version} only)" : ""));
            _next = 1;
            var kernel = Next("'kernel PROFILE'");
            if (kernel is not ["kernel", var profile]) throw Expected("'kernel PROFILE' (e.g. kernel 6.18)");
            var processes = new List<ScenarioProcess>();
            while (TryNext(out var words))
            {
                if (words is not ["process", "{"]) throw Expected("'process {'");
                processes.Add(Process());
            }
            if (processes.Count == 0) throw new ScenarioFileException(Line + 1, "expected 'process {' (a scenario has at least one process)");
            return new ScenarioFile(profile, processes);
        }

        private ScenarioProcess Process()
        {
            var strings = new List<PlacedString>();
            var arrays = new List<PlacedArray>();
            var threads = new List<ScenarioThread>();
            var touches = new List<StartTouch>();
            var names = new Dictionary<string, bool>(StringComparer.Ordinal); // name -> is an array
            var packed = new Dictionary<(RegionKind, int), int>();
            while (true)
            {
                var words = Next("'string', 'array', 'touched-at-start', 'thread {', 'background-thread {' or '}'");
                switch (words)
                {
                    case ["}"]:
                        if (threads.Count == 0) throw Expected("'thread {' before the end of the process (a process has at least one thread)");
                        return new ScenarioProcess(strings, arrays, threads) { StartTouches = touches };
                    case ["string", ..]:
                    {
                        if (arrays.Count > 0 || threads.Count > 0) throw Expected("strings before arrays and threads (the TestKit packs strings first)");
                        var (name, region, page, offset, _) = Placement(words, "string NAME REGION PAGE OFFSET TEXT", withRest: true);
                        var text = TextAfter(5);
                        if (!ScenarioSyntax.IsText(text)) throw Expected("string text without control characters");
                        var s = new PlacedString(name, region, page, offset, text);
                        Place(names, packed, name, false, region, page, offset, s.LengthBytes);
                        strings.Add(s);
                        break;
                    }
                    case ["array", ..]:
                    {
                        if (threads.Count > 0 || touches.Count > 0) throw Expected("arrays before touched-at-start lines and threads");
                        var (name, region, page, offset, targets) = Placement(words, "array NAME REGION PAGE OFFSET STRING...", withRest: false);
                        if (targets.Length == 0) throw Expected("at least one string name after the offset");
                        foreach (var t in targets)
                            if (!names.TryGetValue(t, out var isArray) || isArray) throw Expected($"the name of a string placed above, not '{t}'");
                        var a = new PlacedArray(name, region, page, offset, targets);
                        Place(names, packed, name, true, region, page, offset, a.LengthBytes);
                        arrays.Add(a);
                        break;
                    }
                    case ["touched-at-start", var r, var first, var count]:
                    {
                        if (threads.Count > 0) throw Expected("touched-at-start lines before threads");
                        var region = ScenarioSyntax.Region(r) ?? throw Expected($"a region ({string.Join(", ", ScenarioSyntax.Regions.Select(x => x.Word))}), not '{r}'");
                        var pages = Number(count, "a page count");
                        if (pages < 1) throw Expected("a page count of at least 1, not 0");
                        touches.Add(new StartTouch(region, Number(first, "a page number"), pages));
                        break;
                    }
                    case ["touched-at-start", ..]:
                        throw Expected("'touched-at-start REGION FIRST COUNT'");
                    case ["thread", "{"]:
                        threads.Add(new ScenarioThread(false, Steps(names)));
                        break;
                    case ["background-thread", "{"]:
                        threads.Add(new ScenarioThread(true, Steps(names)));
                        break;
                    default:
                        throw Expected("'string', 'array', 'touched-at-start', 'thread {', 'background-thread {' or '}'");
                }
            }
        }

        private void Place(Dictionary<string, bool> names, Dictionary<(RegionKind, int), int> packed, string name, bool isArray,
            RegionKind region, int page, int offset, int lengthBytes)
        {
            if (!names.TryAdd(name, isArray)) throw Expected($"a new name ('{name}' is placed twice)");
            var at = packed.GetValueOrDefault((region, page));
            if (offset != at)
                throw Expected($"offset {at.ToString(CultureInfo.InvariantCulture)} (the TestKit packs placements in order on their page: strings, then arrays), not {offset.ToString(CultureInfo.InvariantCulture)}");
            if (offset + lengthBytes > Pages.Size) throw Expected($"a placement that fits its page ({lengthBytes.ToString(CultureInfo.InvariantCulture)} bytes at offset {offset.ToString(CultureInfo.InvariantCulture)} cross the page end)");
            packed[(region, page)] = at + lengthBytes;
        }

        private (string Name, RegionKind Region, int Page, int Offset, string[] Targets) Placement(string[] words, string form, bool withRest)
        {
            if (words.Length < 5) throw Expected($"'{form}'");
            var name = words[1];
            if (!ScenarioSyntax.IsName(name)) throw Expected($"a name (a letter or '_', then letters, digits, '_', '-', '.'), not '{name}'");
            var region = ScenarioSyntax.Region(words[2]) ?? throw Expected($"a region ({string.Join(", ", ScenarioSyntax.Regions.Select(r => r.Word))}), not '{words[2]}'");
            var page = Number(words[3], "a page number");
            var offset = Number(words[4], "an offset in the page");
            return (name, region, page, offset, withRest ? [] : words[5..]);
        }

        private List<ScenarioStep> Steps(Dictionary<string, bool> names)
        {
            var steps = new List<ScenarioStep>();
            while (true)
            {
                var words = Next("a step or '}'");
                if (steps.Count > 0 && steps[^1] is ExitStep && words is not ["}"]) throw Expected("'}' after exit (nothing runs after it)");
                switch (words)
                {
                    case ["}"]:
                        return steps;
                    case ["read", var n]:
                        steps.Add(new ReadStep(Placed(names, n, null)));
                        break;
                    case ["write", var n]:
                        steps.Add(new WriteStep(Placed(names, n, null)));
                        break;
                    case ["read-page", var r, var p]:
                        steps.Add(new ReadPageStep(ScenarioSyntax.Region(r) ?? throw Expected($"a region, not '{r}'"), Number(p, "a page number")));
                        break;
                    case ["fork", "{"]:
                        steps.Add(new SpawnStep(SpawnKind.Fork, Steps(names)));
                        break;
                    case ["vfork", "{"]:
                        steps.Add(new SpawnStep(SpawnKind.Vfork, Steps(names)));
                        break;
                    case ["exec", var f, var a]:
                        steps.Add(new ExecStep(Placed(names, f, false), Placed(names, a, true)));
                        break;
                    case ["wait-child"]:
                        steps.Add(new WaitChildStep());
                        break;
                    case ["sleep", var d]:
                        steps.Add(new SleepStep(ScenarioSyntax.ParseDuration(d) ?? throw Expected($"a duration like 10ms (units s, ms, us, ns), not '{d}'")));
                        break;
                    case ["evict", var n]:
                        steps.Add(new EvictStep(Placed(names, n, null), false));
                        break;
                    case ["evict", var n, var m]:
                        if (m != "readahead-marker") throw Expected($"'readahead-marker' or nothing after the name, not '{m}'");
                        steps.Add(new EvictStep(Placed(names, n, null), true));
                        break;
                    case ["hold-mmap-lock", var mode, var d]:
                        if (mode is not ("read" or "write")) throw Expected($"'read' or 'write', not '{mode}'");
                        steps.Add(new HoldMmapLockStep(mode == "write", ScenarioSyntax.ParseDuration(d) ?? throw Expected($"a duration like 10ms (units s, ms, us, ns), not '{d}'")));
                        break;
                    case ["sys-write", var n]:
                        steps.Add(new SysWriteStep(Placed(names, n, null), false));
                        break;
                    case ["sys-write", var n, var k]:
                        if (k != "kernel-reads") throw Expected($"'kernel-reads' or nothing after the name, not '{k}'");
                        steps.Add(new SysWriteStep(Placed(names, n, null), true));
                        break;
                    case ["sys-openat", var n]:
                        steps.Add(new SysOpenatStep(Placed(names, n, false, "for the path")));
                        break;
                    case ["compute", var d]:
                        steps.Add(new ComputeStep(ScenarioSyntax.ParseDuration(d) ?? throw Expected($"a duration like 10ms (units s, ms, us, ns), not '{d}'")));
                        break;
                    case ["run-on-cpu", var c]:
                        steps.Add(new RunOnCpuStep(Number(c, "a CPU index")));
                        break;
                    case ["signal", var n]:
                        steps.Add(new SignalStep(SignalName(n)));
                        break;
                    case ["wait-for", var n]:
                        steps.Add(new WaitForStep(SignalName(n)));
                        break;
                    case ["block-forever"]:
                        steps.Add(new BlockForeverStep());
                        break;
                    case ["exit"]:
                        steps.Add(new ExitStep());
                        break;
                    default:
                        throw Expected("a step (read, write, read-page, fork {, vfork {, exec, wait-child, sleep, evict, hold-mmap-lock, sys-write, sys-openat, compute, run-on-cpu, signal, wait-for, block-forever, exit) or '}', "
                            + $"not '{string.Join(' ', words)}'");
                }
            }
        }

        // A name placed in the process; isArray null: either kind.
        private string Placed(Dictionary<string, bool> names, string name, bool? isArray, string stringRole = "for the filename")
        {
            if (!names.TryGetValue(name, out var array)) throw Expected($"the name of a string or array placed in the process, not '{name}'");
            if (isArray is { } want && want != array) throw Expected(want ? $"an array name for argv, not the string '{name}'" : $"a string name {stringRole}, not the array '{name}'");
            return name;
        }

        private string SignalName(string word) =>
            ScenarioSyntax.IsName(word) ? word : throw Expected($"a signal name (a letter or '_', then letters, digits, '_', '-', '.'), not '{word}'");

        private int Number(string word, string what) =>
            word.All(char.IsAsciiDigit) && int.TryParse(word, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : throw Expected($"{what} (a non-negative integer), not '{word}'");

        // The raw text after the first <paramref name="words"/> space-separated words of the current line, one space dropped.
        private string TextAfter(int words)
        {
            var line = _lines[_next - 1].TrimStart(' ');
            var at = 0;
            for (var w = 0; w < words; w++)
            {
                while (at < line.Length && line[at] == ' ') at++;
                while (at < line.Length && line[at] != ' ') at++;
            }
            return at < line.Length ? line[(at + 1)..] : "";
        }

        private string[] Next(string expected) => TryNext(out var w) ? w : throw new ScenarioFileException(_lines.Length + 1, $"expected {expected}, got the end of the file");

        // The next line that is not blank or a comment, split into words; false at the end of the file.
        private bool TryNext(out string[] words)
        {
            while (_next < _lines.Length)
            {
                var line = _lines[_next++];
                if (line.Contains('\t') || line.Contains('\r')) throw Expected("spaces only (no tabs or carriage returns)");
                var trimmed = line.Trim(' ');
                if (trimmed.Length == 0 || trimmed.StartsWith('#')) continue;
                words = trimmed.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return true;
            }
            words = [];
            return false;
        }

        private ScenarioFileException Expected(string what) => new(Line, "expected " + what);
    }
}
