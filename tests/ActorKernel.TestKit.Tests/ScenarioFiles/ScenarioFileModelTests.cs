using ActorKernel.Model;
using ActorKernel.TestKit.ScenarioFiles;

namespace ActorKernel.TestKit.Tests.ScenarioFiles;

/// <summary>Scenario files in the model: loaded through the TestKit's public DSL, saved back from it, run read by read.</summary>
public sealed class ScenarioFileModelTests : ScenarioTestKit
{
    private static ScenarioFile Example(string name) => ScenarioFileParser.ParseFile(Path.Combine(AppContext.BaseDirectory, "scenarios", name));

    [Theory]
    [MemberData(nameof(ScenarioFileFormatTests.Examples), MemberType = typeof(ScenarioFileFormatTests))]
    public void EveryExample_ThroughTheTestKitAndBack_IsByteIdentical(string name)
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "scenarios", name));

        var saved = Scenario().Load(ScenarioFileParser.Parse(text)).ToScenarioFile();

        Assert.Equal(text, ScenarioFileWriter.Write(saved));
    }

    [Fact]
    public void AScenarioWrittenWithTheDsl_SavesAsAFile_ThatLoadsToTheSameRun()
    {
        var built = Scenario().Kernel("6.8").Process(p => p
            .String("path", RegionKind.Rodata, 5, "/bin/true")
            .String("arg", RegionKind.Stack, 28, "x")
            .PointerArray("argv", RegionKind.Stack, 28, "path", "arg")
            .Thread(t => t.Read("path").Vfork(c => c.Sleep(2_000).Exec("path", "argv")).WaitChild().Fork(c => c.Exit()).WaitChild()));

        var text = ScenarioFileWriter.Write(built.ToScenarioFile());

        Assert.Equal("""
            actorkernel-scenario 1
            kernel 6.8
            process {
              string path rodata 5 0 /bin/true
              string arg stack 28 0 x
              array argv stack 28 2 path arg
              thread {
                read path
                vfork {
                  sleep 2us
                  exec path argv
                }
                wait-child
                fork {
                  exit
                }
                wait-child
              }
            }

            """.ReplaceLineEndings("\n"), text);
        var direct = Reads(ScenarioFileRun.ExecveReads(Sys, built.ToScenarioFile()));
        Assert.Equal(direct, Reads(ScenarioFileRun.ExecveReads(Sys, ScenarioFileParser.Parse(text))));
    }

    [Fact]
    public void SavingWhatTheFormatCannotSay_Throws()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Scenario().Kernel("6.18").ForkExec(("execs", "1")).ToScenarioFile());
        Assert.Contains("only Kernel(...) and Process(...)", e.Message);
        Assert.Throws<InvalidOperationException>(() => Scenario().Kernel("6.18").Process(p => p.Thread(t => t.Exit().WaitChild())));
    }

    [Theory]
    [InlineData("Signal")]
    [InlineData("WaitFor")]
    public void SavingASignalTheFormatCannotName_Throws_NamingTheCall_EvenInsideAForkedChild(string call)
    {
        Action<ProgramBuilder> step = call switch
        {
            "Signal" => t => t.Signal("go now"),
            _ => t => t.WaitFor("go now"),
        };
        var builder = Scenario().Kernel("6.18").Process(p => p
            .String("path", RegionKind.Rodata, 5, "/bin/true")
            .Thread(t => t.Fork(child => step(child)).WaitChild()));
        var e = Assert.Throws<InvalidOperationException>(() => builder.ToScenarioFile());
        Assert.StartsWith(call + "(...)", e.Message);
    }

    [Fact]
    public void TheSyscallComputeCpuSignalAndStartTouchSteps_RoundTrip_ToTheSameRun()
    {
        var built = Scenario().Kernel("6.18").Process(p => p
            .String("path", RegionKind.Rodata, 5, "/etc/hostname")
            .String("buf", RegionKind.Heap, 3, "hello")
            .TouchedAtStart(RegionKind.LibcRodata, 2, 3)
            .Thread(t => t.RunOnCpu(0).SysOpenat("path").Compute(5L.Microseconds()).SysWrite("buf", kernelReads: true).Signal("go").SysWrite("path"))
            .BackgroundThread(t => t.WaitFor("go").SysOpenat("path").BlockForever()));

        var text = ScenarioFileWriter.Write(built.ToScenarioFile());

        Assert.Equal("""
            actorkernel-scenario 1
            kernel 6.18
            process {
              string path rodata 5 0 /etc/hostname
              string buf heap 3 0 hello
              touched-at-start libc-rodata 2 3
              thread {
                run-on-cpu 0
                sys-openat path
                compute 5us
                sys-write buf kernel-reads
                signal go
                sys-write path
              }
              background-thread {
                wait-for go
                sys-openat path
                block-forever
              }
            }

            """.ReplaceLineEndings("\n"), text);
        var reloaded = ScenarioFileParser.Parse(text);
        Assert.Equal(text, ScenarioFileWriter.Write(Scenario().Load(reloaded).ToScenarioFile()));
        Assert.Equal(AllReads(built), AllReads(Scenario().Load(reloaded)));
    }

    [Fact]
    public void Repeat_IsSavedUnrolled()
    {
        var file = Scenario().Kernel("6.18").Process(p => p
            .String("path", RegionKind.Rodata, 5, "/bin/true")
            .Thread(t => t.Repeat(3, b => b.Read("path")).Sleep(1000))).ToScenarioFile();
        Assert.Equal([new ReadStep("path"), new ReadStep("path"), new ReadStep("path"), new SleepStep(1000)], file.Processes[0].Threads[0].Steps);
    }

    [Fact]
    public void Case1_TheForkedChildsExecReads_FailOnRodata_TheStackArrayIsRead()
    {
        using var s = Scenario().Load(Example("case1-fork-rodata.scenario")).Build();

        s.ExpectProbeReadFailure(ProbeTargets.Filename, FailureCause.ForkSkippedPte);
        s.ExpectProbeReadOk(ProbeTargets.ArgvArray);
        s.ExpectProbeReadFailure(ProbeTargets.Argv, FailureCause.ForkSkippedPte);
        s.ExpectProbeReadFailure(ProbeTargets.Argv, FailureCause.ForkSkippedPte);
    }

    [Fact]
    public void Vfork_TheChildOnTheParentsPageTable_ReadsEverything()
    {
        var reads = ScenarioFileRun.ExecveReads(Sys, Example("vfork-rodata.scenario"));

        Assert.Equal([ProbeTargets.Filename, ProbeTargets.ArgvArray, ProbeTargets.Argv, ProbeTargets.Argv], reads.Select(r => r.Target));
        Assert.All(reads, r => Assert.True(r.Ok, $"{r.Target} failed with {r.Cause}"));
    }

    [Fact]
    public void ChildTouchesTheWindow_FaultAroundMapsTheStringsPage_TheExecReadsSucceed()
    {
        var reads = ScenarioFileRun.ExecveReads(Sys, Example("fork-child-touches.scenario"));

        Assert.Equal(4, reads.Count);
        Assert.All(reads, r => Assert.True(r.Ok, $"{r.Target} failed with {r.Cause}"));
    }

    [Fact]
    public void EvictedStringsPage_TheChildsNeighbourTouchCannotMapIt_TheFilenameReadFails()
    {
        var reads = ScenarioFileRun.ExecveReads(Sys, Example("fork-cold-relro.scenario"));

        Assert.False(reads.Single(r => r.Target == ProbeTargets.Filename).Ok);
        Assert.True(reads.Single(r => r.Target == ProbeTargets.ArgvArray).Ok);
    }

    private static string[] AllReads(ScenarioBuilder builder)
    {
        using var s = builder.Seed(1).Build();
        s.Finish();
        var reads = Reads(s.ProbeReads.ToArray());
        Assert.Contains(reads, r => r.StartsWith("buf True", StringComparison.Ordinal));
        return reads;
    }

    private static string[] Reads(IReadOnlyList<Actors.Metrics.ProbeReadCompleted> reads) =>
        reads.Select(r => $"{r.Target} {r.Ok} {r.Cause} {r.AtNs}").ToArray();
}
