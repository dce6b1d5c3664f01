using ActorKernel.Model;
using ActorKernel.TestKit.ScenarioFiles;

namespace ActorKernel.TestKit.Tests.ScenarioFiles;

public sealed class ScenarioFileFormatTests
{
    public static TheoryData<string> Examples() => new(Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "scenarios"), "*.scenario").Select(Path.GetFileName).Order(StringComparer.Ordinal)!);

    private static string Example(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "scenarios", name));

    [Theory]
    [MemberData(nameof(Examples))]
    public void EveryExample_WrittenBack_IsByteIdentical(string name)
    {
        var text = Example(name);

        Assert.Equal(text, ScenarioFileWriter.Write(ScenarioFileParser.Parse(text)));
    }

    [Fact]
    public void Case1_ParsesToItsPlacementsAndSteps()
    {
        var file = ScenarioFileParser.Parse(Example("case1-fork-rodata.scenario"));

        Assert.Equal("6.18", file.Kernel);
        var p = Assert.Single(file.Processes);
        Assert.Equal(new PlacedString("arg1", RegionKind.Rodata, 5, 10, "ak-scenario"), p.Strings[1]);
        Assert.Equal(["path", "arg1"], p.Arrays[0].Targets);
        var steps = Assert.Single(p.Threads).Steps;
        Assert.Equal(new ReadStep("path"), steps[0]);
        var fork = Assert.IsType<SpawnStep>(steps[2]);
        Assert.Equal(SpawnKind.Fork, fork.Kind);
        Assert.Equal(new ExecStep("path", "argv"), Assert.Single(fork.Child));
        Assert.Equal(new ExecStep("path", "argv"), Assert.Single(file.Execs()));
    }

    [Fact]
    public void CommentsBlankLinesAndIndentation_AreIgnored_AndTheWriterGivesTheCanonicalForm()
    {
        var text = "actorkernel-scenario 1\n# a comment\n\nkernel 4.14\nprocess {\n string s  stack 0 0 a b \nthread {\n      sleep 1000us\n }\n}\n";

        var file = ScenarioFileParser.Parse(text);

        Assert.Equal("a b ", file.Processes[0].Strings[0].Text);
        Assert.Equal("actorkernel-scenario 1\nkernel 4.14\nprocess {\n  string s stack 0 0 a b \n  thread {\n    sleep 1ms\n  }\n}\n", ScenarioFileWriter.Write(file));
    }

    [Theory]
    [InlineData("10ms", 10_000_000L)]
    [InlineData("1500us", 1_500_000L)]
    [InlineData("2s", 2_000_000_000L)]
    [InlineData("7ns", 7L)]
    public void Durations_CarryTheirUnit(string text, long ns)
    {
        Assert.Equal(ns, ScenarioSyntax.ParseDuration(text));
        Assert.Equal(text, ScenarioSyntax.Duration(ns));
    }

    private const string Head = "actorkernel-scenario 1\nkernel 6.18\nprocess {\n  string path rodata 5 0 /bin/true\n  array argv stack 28 0 path\n  thread {\n";

    [Theory]
    [InlineData("actorkernel-scenario 2\n", "line 1: expected the header 'actorkernel-scenario 1' (this reader knows version 1 only)")]
    [InlineData("actorkernel-scenario 1\nprocess {\n", "line 2: expected 'kernel PROFILE' (e.g. kernel 6.18)")]
    [InlineData("actorkernel-scenario 1\nkernel 6.18\n", "line 3: expected 'process {' (a scenario has at least one process)")]
    [InlineData(Head + "    sleep 10\n  }\n}\n", "line 7: expected a duration like 10ms (units s, ms, us, ns), not '10'")]
    [InlineData(Head + "    exec argv path\n  }\n}\n", "line 7: expected a string name for the filename, not the array 'argv'")]
    [InlineData(Head + "    read nope\n  }\n}\n", "line 7: expected the name of a string or array placed in the process, not 'nope'")]
    [InlineData(Head + "    exit\n    read path\n  }\n}\n", "line 8: expected '}' after exit (nothing runs after it)")]
    [InlineData(Head + "    fork {\n      exec path argv\n  }\n}\n", "line 11: expected 'string', 'array', 'touched-at-start', 'thread {', 'background-thread {' or '}', got the end of the file")]
    [InlineData(Head + "    sys-write path now\n  }\n}\n", "line 7: expected 'kernel-reads' or nothing after the name, not 'now'")]
    [InlineData(Head + "    sys-openat argv\n  }\n}\n", "line 7: expected a string name for the path, not the array 'argv'")]
    [InlineData(Head + "    signal 9go\n  }\n}\n", "line 7: expected a signal name (a letter or '_', then letters, digits, '_', '-', '.'), not '9go'")]
    [InlineData(Head + "    run-on-cpu -1\n  }\n}\n", "line 7: expected a CPU index (a non-negative integer), not '-1'")]
    [InlineData("actorkernel-scenario 1\nkernel 6.18\nprocess {\n  thread {\n  }\n  touched-at-start rodata 0 1\n", "line 6: expected touched-at-start lines before threads")]
    [InlineData("actorkernel-scenario 1\nkernel 6.18\nprocess {\n  touched-at-start rodata 0 0\n", "line 4: expected a page count of at least 1, not 0")]
    [InlineData("actorkernel-scenario 1\nkernel 6.18\nprocess {\n  touched-at-start rodata 0\n", "line 4: expected 'touched-at-start REGION FIRST COUNT'")]
    [InlineData(Head + "    evict path now\n  }\n}\n", "line 7: expected 'readahead-marker' or nothing after the name, not 'now'")]
    [InlineData("actorkernel-scenario 1\nkernel 6.18\nprocess {\n  string path rodata 5 3 /bin/true\n", "line 4: expected offset 0 (the TestKit packs placements in order on their page: strings, then arrays), not 3")]
    [InlineData("actorkernel-scenario 1\nkernel 6.18\nprocess {\n  string path bogus 5 0 /bin/true\n", "line 4: expected a region (text, rodata, relro, data, bss, heap, stack, libc-text, libc-rodata, libc-data, vdso, lib-text, lib-rodata), not 'bogus'")]
    [InlineData("actorkernel-scenario 1\nkernel 6.18\nprocess {\n  string path rodata 5 0 x\n  string path rodata 5 2 y\n", "line 5: expected a new name ('path' is placed twice)")]
    [InlineData("actorkernel-scenario 1\nkernel 6.18\nprocess {\n  string path rodata 5 4094 xy\n", "line 4: expected offset 0 (the TestKit packs placements in order on their page: strings, then arrays), not 4094")]
    [InlineData("actorkernel-scenario 1\nkernel 6.18\nprocess {\n}\n", "line 4: expected 'thread {' before the end of the process (a process has at least one thread)")]
    public void Mistakes_AreOneLine_NamingTheLineAndWhatWasExpected(string text, string message)
    {
        var e = Assert.Throws<ScenarioFileException>(() => ScenarioFileParser.Parse(text));

        Assert.Equal(message, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}
