using ActorKernel.Cli;
using ActorKernel.Configuration;
using ActorKernel.Experiments.Planning;

namespace ActorKernel.Fuzz.Tests;

/// <summary>Each input of issue 19 that once crashed, hung or misled, as a named test through the CLI's entry point, in process.</summary>
public sealed class RegressionTests : IDisposable
{
    private readonly Sandbox _box = new();

    public void Dispose() => _box.Dispose();

    [Fact]
    public void NullAsASetValue_NamesTheKey()
    {
        var line = _box.Refused("run", "--set", "workload.fork-exec.execs=null");
        Assert.Contains("invalid value null for actor-kernel.workload.fork-exec.execs in --set", line);
    }

    [Fact]
    public void NullInAFile_NamesTheKeyAndTheFile()
    {
        _box.Write("n.conf", "actor-kernel.workload.fork-exec.execs = null\n");
        Assert.Contains("invalid value null for actor-kernel.workload.fork-exec.execs in n.conf", _box.Refused("run", "n.conf"));
    }

    [Fact]
    public void EmptyPolicyList_IsRefused() =>
        Assert.Contains("invalid value '[]' for experiment.policies in --set", _box.Refused("run", "--set", "experiment.policies=[]"));

    [Fact]
    public void EmptySweepAxis_IsRefused()
    {
        _box.Write("s.conf", "experiment.sweep { \"workload.fork-exec.spawn\" = [] }\n");
        Assert.Contains("invalid value '[]' for experiment.sweep.\"workload.fork-exec.spawn\" in s.conf", _box.Refused("run", "s.conf"));
    }

    [Theory]
    [InlineData("experiment { name = a=b }\n")]
    [InlineData("experiment { name = a:b }\n")]
    public void UnquotedValueWithAnAssignmentCharacter_IsMalformedHocon(string text)
    {
        _box.Write("eq.conf", text);
        Assert.Contains("malformed HOCON in eq.conf", _box.Refused("run", "eq.conf"));
    }

    [Fact]
    public void EtcPasswdAsTheExperimentFile_IsMalformedHocon()
    {
        Assert.Contains("malformed HOCON in /etc/passwd", _box.Refused("run", "/etc/passwd"));
    }

    [Fact]
    public void AFolderAsTheExperimentFile_IsNamedAFolder()
    {
        Directory.CreateDirectory(Path.Combine(_box.Root, "d"));
        Assert.Contains("experiment file 'd' is a folder, not a file", _box.Refused("run", "d"));
    }

    [Fact]
    public void AFileOverTheSizeCap_IsRefusedBeforeParsing()
    {
        _box.Write("big.conf", new string('#', ConfigFile.MaxBytes + 1));
        Assert.Contains("experiment file 'big.conf' is larger than 1 MiB", _box.Refused("run", "big.conf"));
    }

    [Fact]
    public void APlanOverTheRunCap_IsRefusedBeforeExpansion()
    {
        var values = string.Join(", ", Enumerable.Range(1, 4000));
        _box.Write("plan.conf", $$"""
            experiment {
              runs-per-point = 100000
              policies = [nofault, trylock-minor, trylock-vma, sleepable, deferred]
              sweep { "workload.fork-exec.execs" = [{{values}}] }
            }
            """);
        var line = _box.Refused("run", "plan.conf");
        Assert.Contains("2,000,000,000 runs (4,000 sweep points × 5 policies × 100,000 runs per point)", line);
        Assert.Contains($"limit of {PlanLimits.MaxRuns:N0}", line);
    }

    [Theory]
    [InlineData("--runs-per-point", "0", "--runs-per-point expects a whole number from 1 to 100000, got '0'")]
    [InlineData("--runs-per-point", "100001", "--runs-per-point expects a whole number from 1 to 100000, got '100001'")]
    [InlineData("--seed", "4611686018427387905", "--seed expects a whole number from 0 to 2^62, got '4611686018427387905'")]
    public void RunsPerPointAndSeed_StateTheRangeTheSchemaChecks(string option, string value, string message)
    {
        Assert.Equal("actorkernel: error: " + message, _box.Refused("run", option, value));
        Assert.Contains("from 1 to 100000", _box.Refused("run", "--set", "experiment.runs-per-point=100001"));
    }

    [Fact]
    public void DuplicatePolicies_AreRefused() =>
        Assert.Contains("policy 'nofault' is listed twice (items 1 and 2)", _box.Refused("run", "--set", "experiment.policies=[nofault, nofault]"));

    [Fact]
    public void DuplicateSweepValues_AreRefused()
    {
        _box.Write("d.conf", "experiment.sweep { \"workload.fork-exec.spawn\" = [fork, vfork, fork] }\n");
        Assert.Contains("sweep value 'fork' is listed twice (items 1 and 3)", _box.Refused("run", "d.conf"));
    }

    [Fact]
    public void ControlAndBidiCharacters_AreEscapedInMessages()
    {
        var line = _box.Refused("run", "--set", "experiment.name=a\u0007b\u202Ec\u0000d");
        Assert.Contains(@"'a\u0007b\u202Ec\u0000d'", line);
        _box.Write("nul.conf", "actor-kernel.work\u0000load = 1\n");
        Assert.Contains(@"\u0000", _box.Refused("run", "nul.conf"));
    }

    [Fact]
    public void ABrokenSetValue_NamesTheKey_AndQuotesOnlyWhatWasTyped()
    {
        var line = _box.Refused("run", "--set", "workload.fork-exec.execs=[1");
        Assert.Equal("actorkernel: error: malformed value '[1' for actor-kernel.workload.fork-exec.execs in --set: the '[' is never closed", line);
        Assert.DoesNotContain("}", line);
    }

    [Fact]
    public void AKeyWithoutItsBlock_SuggestsTheKeyWithThatName() =>
        Assert.EndsWith("did you mean 'actor-kernel.workload.fork-exec.spawn'?", _box.Refused("run", "--set", "spawn=vfork"));

    [Theory]
    [InlineData("a = [\\1]")]
    [InlineData("a = [:]")]
    [InlineData("a = [$]")]
    [InlineData("a.| = 1")]
    [InlineData("a = {b = |}")]
    public void CharactersAkkasReaderLoopsOn_AreRefusedBeforeIt(string text)
    {
        _box.Write("h.conf", "experiment { " + text + " }\n");
        Assert.Contains("malformed HOCON in h.conf", Sandbox.Bounded(() => _box.Refused("run", "h.conf"), text));
    }

    [Fact]
    public void BareActorkernel_PrintsTheUsageOnStderr_Exit2()
    {
        var (code, stdout, stderr) = Sandbox.Run();
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.StartsWith("actorkernel — ", stderr);
        Assert.Contains("Usage:", stderr);
    }

    [Theory]
    [InlineData("run", "--help")]
    [InlineData("run", "-h")]
    [InlineData("pagemap", "--help")]
    [InlineData("calibrate", "-h")]
    [InlineData("worker", "--help")]
    [InlineData("help", "run")]
    public void EveryCommandHasItsOwnHelp_OnStdout_Exit0(string command, string ask)
    {
        var name = command == "help" ? ask : command;
        var (code, stdout, stderr) = Sandbox.Run(command, ask);
        Assert.Equal(0, code);
        Assert.Equal("", stderr);
        Assert.StartsWith($"Usage:\n  actorkernel {name} ", stdout);
        Assert.DoesNotContain("\n  actorkernel ", stdout[10..]);
        Assert.Contains("Exit status:", stdout);
    }

    [Fact]
    public void Parallel_IsDocumented_InTheHelpAndInConfigurationMd()
    {
        Assert.Contains("--parallel N: run N runs at once", CliMain.CommandHelp("run"));
        Assert.Contains("`--parallel N`", File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "docs", "configuration.md")));
    }

    [Fact]
    public void TheFileNotFoundExampleInConfigurationMd_IsTheRealMessage()
    {
        var line = _box.Refused("run", "my.conf");
        var docs = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "docs", "configuration.md"));
        Assert.Contains(line["actorkernel: error: ".Length..], docs);
    }

    [Fact]
    public void PagemapOfAPidNotInTheRun_Exit2_NamingThePidsThatExist()
    {
        _box.Write("p.conf", "actor-kernel.workload.fork-exec.execs = 2\n");
        var line = _box.Refused("pagemap", "p.conf", "--at", "1ms", "--pid", "999");
        Assert.Matches(@"^actorkernel: error: --pid 999: no such process in run 0 at 0\.001000000 s; processes then: \d+(, \d+)*$", line);
    }

    [Fact]
    public void TheProgressLine_SaysRunsPerPoint_AndTheModelledProfile_AndLatenciesAreVirtual()
    {
        _box.Write("tiny.conf", "actor-kernel.workload.fork-exec.execs = 2\nexperiment { name = tiny, runs-per-point = 2 }\n");
        var (code, stdout, stderr) = Sandbox.Run("run", "tiny.conf", "--out", "o");
        Assert.True(code == 0, stderr);
        Assert.StartsWith("tiny: 2 runs (1 points × 1 policies × 2 runs per point) on the modelled kernel profile 6.18, ", stderr);
        Assert.DoesNotContain("seeds", stderr);
        Assert.Contains("Latencies are virtual time", stdout);
    }
}
