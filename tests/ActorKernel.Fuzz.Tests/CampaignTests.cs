using ActorKernel.Configuration;
using ActorKernel.Experiments.Session;
using CsCheck;
using Xunit.Abstractions;

namespace ActorKernel.Fuzz.Tests;

/// <summary>
/// The campaign of issue 19 as tests: generated bad command lines, <c>--set</c> values and mutated
/// experiment files go through <see cref="Cli.CliMain.Run(string[], TextWriter, TextWriter)"/>, the CLI's own
/// entry point, and each must keep the promise (<see cref="Sandbox.Refused"/>). A generated input that
/// happens to be valid is only prepared (load, validate, expand: <see cref="ExperimentSession.Prepare"/>),
/// which must then succeed without writing anything; nothing is run. The cases follow from one
/// campaign seed (<see cref="CampaignSeed"/>): each test prints it, and a failing case prints the
/// commands that replay the campaign and the case.
/// </summary>
public sealed class CampaignTests(ITestOutputHelper output) : IDisposable
{
    /// <summary>Cases per generator (three generators: over 1,000 cases a run); ACTORKERNEL_FUZZ_CASES sets another number, e.g. for a long local campaign.</summary>
    private static readonly int Cases = int.TryParse(Environment.GetEnvironmentVariable("ACTORKERNEL_FUZZ_CASES"), out var n) && n > 0 ? n : 350;

    private readonly Sandbox _box = new();

    public void Dispose() => _box.Dispose();

    /// <summary>An option the command does not have (never a real one: real options have no "zz").</summary>
    private static readonly Gen<string> UnknownOption = Gen.String[Gen.Char["abcdefghij-"], 0, 8].Select(s => "--zz" + s);

    private static readonly Dictionary<string, string[]> NumericOptions = new(StringComparer.Ordinal)
    {
        ["run"] = ["--seed", "--runs-per-point", "--parallel", "--min-workers", "--slots"],
        ["pagemap"] = ["--pid", "--run", "--seed", "--at"],
        ["calibrate"] = ["--trials", "--seconds"],
        ["worker"] = ["--slots", "--port"],
    };

    private static readonly Dictionary<string, string[][]> GoodOptions = new(StringComparer.Ordinal)
    {
        ["run"] = [["--seed", "3"], ["--runs-per-point", "1"], ["--parallel", "1"], ["--set", "workload.fork-exec.execs=2"], ["--out", "o"], ["--check-determinism"]],
        ["pagemap"] = [["--at", "1s"], ["--run", "0"], ["--seed", "1"], ["--set", "workload.fork-exec.execs=2"]],
        ["calibrate"] = [["--trials", "2"], ["--cases", "fork-exec"], ["--out", "o"]],
        ["worker"] = [["--join", "127.0.0.1:9"], ["--slots", "1"], ["--host", "127.0.0.1"]],
    };

    /// <summary>A numeric option with a value that is no number in its range: hostile text, negative, huge, or a unit it does not take.</summary>
    private static Gen<string[]> BadNumber(string command) =>
        Gen.Select(Gen.OneOf(NumericOptions[command]), Gen.OneOf(Inputs.HostileText.Where(t => !long.TryParse(t, out _) && !t.StartsWith("--", StringComparison.Ordinal)),
                Gen.OneOf("-1", "99999999999999999999", "4611686018427387905", "1e3", "0x10", " 1", "1 ", "", "5 s", "1.5")),
            (o, v) => new[] { o, v })
        // --at takes any whole number of nanoseconds up to 2^63: a large plain number is a valid time there.
        .Where(ov => !(ov[0] == "--at" && long.TryParse(ov[1], System.Globalization.NumberStyles.None, null, out _)));

    /// <summary>A command line with one mistake among good options: an unknown option, a bad number, a value missing at the end, or an unknown command.</summary>
    private static readonly Gen<string[]> BadCommandLine =
        Gen.OneOf("run", "pagemap", "calibrate", "worker").SelectMany(command =>
            Gen.Select(
                Gen.Shuffle(GoodOptions[command], 0, GoodOptions[command].Length),
                Gen.Frequency<string[]>(
                    (3, UnknownOption.Select(o => new[] { o })),
                    (3, BadNumber(command)),
                    (1, Gen.OneOf(NumericOptions[command]).Select(o => new[] { o }))),
                Gen.Int[0, 100],
                (good, bad, at) =>
                {
                    var tokens = good.SelectMany(g => g).ToList();
                    // A missing value is only missing at the end; anything else goes anywhere between options.
                    var slot = bad.Length == 1 && !bad[0].StartsWith("--zz", StringComparison.Ordinal) ? good.Length : at % (good.Length + 1);
                    var index = good.Take(slot).Sum(g => g.Length);
                    tokens.InsertRange(index, bad);
                    var file = command == "pagemap" ? new[] { "exp.conf" } : [];
                    return (string[])[command, .. file, .. tokens];
                }))
        .Where(args => !args.Contains("--help") && !args.Contains("-h"));

    [Fact]
    public void GeneratedBadCommandLines_AreRefused_WithOneLine_AndNothingWritten()
    {
        _box.Write("exp.conf", Inputs.Experiments[0]);
        var cases = 0;
        var ran = CampaignSeed.Sample(BadCommandLine, args =>
        {
            _box.Refused(args);
            cases++;
        }, Cases, Sandbox.Describe, output.WriteLine);
        output.WriteLine($"{cases} command lines refused");
        Assert.Equal(ran, cases);
    }

    [Fact]
    public void GeneratedSetValues_AreRefused_WithOneLine_OrPrepareWithoutWriting()
    {
        var (refused, valid) = (0, 0);
        var ran = CampaignSeed.Sample(Inputs.Assignment.Array[1, 3], sets =>
        {
            if (Outcome(null, sets) is null) { valid++; return; }
            _box.Refused(["run", .. sets.SelectMany(s => new[] { "--set", s }), "--out", "o"]);
            refused++;
        }, Cases, sets => Sandbox.Describe(sets), output.WriteLine);
        output.WriteLine($"{refused} --set cases refused, {valid} valid (prepared only)");
        Assert.Equal(ran, refused + valid);
        Assert.True(ran < Cases || refused > Cases / 2, $"only {refused} of {Cases} generated --set cases were bad: the generator has gone soft");
    }

    [Fact]
    public void GeneratedExperimentFiles_AreRefused_WithOneLine_OrPrepareWithoutWriting()
    {
        var (refused, valid) = (0, 0);
        var ran = CampaignSeed.Sample(Inputs.ExperimentFile, text =>
        {
            var path = _box.Write("exp.conf", text);
            if (Outcome(path, []) is null) { valid++; return; }
            _box.Refused("run", "exp.conf", "--out", "o");
            refused++;
        }, Cases, Saved, output.WriteLine);
        output.WriteLine($"{refused} experiment files refused, {valid} valid (prepared only)");
        Assert.Equal(ran, refused + valid);
        Assert.True(ran < Cases || refused > Cases / 2, $"only {refused} of {Cases} mutated files were bad: the mutations have gone soft");
    }

    // A failing file is kept whole for replay; the message shows where and its start.
    private static string Saved(string text)
    {
        var dir = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "actorkernel-fuzz-failures")).FullName;
        var path = Path.Combine(dir, Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)))[..16] + ".conf");
        File.WriteAllText(path, text);
        return $"{path}: {UserText.Escape(UserText.Shorten(text, 300))}";
    }

    // Prepares as the run command does: null when the input is valid (and then nothing may have been
    // written), the user error otherwise. Any other exception fails the case.
    private UserError? Outcome(string? file, IReadOnlyList<string> sets)
    {
        var before = _box.Snapshot();
        var error = Sandbox.Bounded<UserError?>(() =>
        {
            try
            {
                ExperimentSession.Prepare(file, sets);
                return null;
            }
            catch (UserError e)
            {
                return e;
            }
        }, file is null ? Sandbox.Describe(sets) : Saved(File.ReadAllText(file)));
        if (error is not null) return error;
        Assert.True(before.SequenceEqual(_box.Snapshot()), "preparing a valid experiment changed the folder");
        return null;
    }
}
