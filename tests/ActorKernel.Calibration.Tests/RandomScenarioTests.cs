using ActorKernel.Model;
using ActorKernel.TestKit.ScenarioFiles;

namespace ActorKernel.Calibration.Tests;

/// <summary>calibrate --random's parts without the real kernel: the generator, the shrinker, the interval, the report.</summary>
public sealed class RandomScenarioTests
{
    [Fact]
    public void TheSameSeed_GivesTheSameScenarios_AnotherSeedOthers()
    {
        var a = Enumerable.Range(0, 20).Select(i => ScenarioFileWriter.Write(RandomScenarios.Generate(7, i))).ToArray();
        var b = Enumerable.Range(0, 20).Select(i => ScenarioFileWriter.Write(RandomScenarios.Generate(7, i))).ToArray();
        var c = Enumerable.Range(0, 20).Select(i => ScenarioFileWriter.Write(RandomScenarios.Generate(8, i))).ToArray();

        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.True(a.Distinct().Count() > 15, "twenty scenarios of one seed should mostly differ");
    }

    [Fact]
    public void EveryGeneratedScenario_IsAValidFile_TheRunnerCanRun()
    {
        foreach (var i in Enumerable.Range(0, 300))
        {
            var file = RandomScenarios.Generate(1, i);
            var text = ScenarioFileWriter.Write(file);

            Assert.Equal(text, ScenarioFileWriter.Write(ScenarioFileParser.Parse(text)));
            Assert.Null(ScenarioRunnerHeader.Unsupported(file));
            Assert.NotEmpty(file.Execs());
        }
    }

    [Fact]
    public async Task GeneratedScenarios_RunInTheModel()
    {
        var system = ScenarioCalibration.ModelSystem();
        try
        {
            foreach (var i in Enumerable.Range(0, 10))
            {
                var file = RandomScenarios.Generate(3, i);
                Assert.Equal(file.Execs().Count(), ScenarioCalibration.RunModel(system, file).Count);
            }
        }
        finally
        {
            await system.Terminate();
        }
    }

    [Fact]
    public void Shrinking_KeepsOnlyWhatTheDisagreementNeeds_AndDropsUnusedPlacements()
    {
        var file = ScenarioFileParser.Parse("""
            actorkernel-scenario 1
            kernel 6.18
            process {
              string path rodata 3 0 /bin/true
              string other rodata 9 0 other
              array argv stack 2 0 path
              thread {
                read other
                sleep 1ms
                read path
                fork {
                  read-page rodata 4
                  exec path argv
                }
                wait-child
                vfork {
                  exec path argv
                }
                wait-child
              }
            }

            """.ReplaceLineEndings("\n"));
        // The "disagreement": a vfork child execs after the parent read the strings.
        static bool Disagrees(ScenarioFile f)
        {
            var steps = f.Processes[0].Threads[0].Steps;
            var read = steps.ToList().FindIndex(s => s == new ReadStep("path"));
            var vfork = steps.ToList().FindIndex(s => s is SpawnStep { Kind: SpawnKind.Vfork } v && v.Child.OfType<ExecStep>().Any());
            return read >= 0 && vfork > read;
        }

        var shrunk = ScenarioShrinker.Shrink(file, Disagrees);

        Assert.Equal("""
            actorkernel-scenario 1
            kernel 6.18
            process {
              string path rodata 0 0 /bin/true
              array argv stack 0 0 path
              thread {
                read path
                vfork {
                  exec path argv
                }
                wait-child
              }
            }

            """.ReplaceLineEndings("\n"), ScenarioFileWriter.Write(shrunk));
    }

    [Fact]
    public void Shrinking_MovesPlacementsAndReadPagesToTheLowestPageThatStillDisagrees()
    {
        var file = ScenarioFileParser.Parse("""
            actorkernel-scenario 1
            kernel 6.18
            process {
              string path rodata 9 0 /bin/true
              string other rodata 12 0 other
              array argv stack 2 0 path
              thread {
                fork {
                  read-page rodata 14
                  exec path argv
                }
                wait-child
              }
            }

            """.ReplaceLineEndings("\n"));
        // The "disagreement": the child reads a page at or above the strings' page, which is above 2.
        static bool Disagrees(ScenarioFile f)
        {
            var path = f.Processes[0].Strings.Single(s => s.Name == "path").Page;
            var spawn = f.Processes[0].Threads[0].Steps.OfType<SpawnStep>().SingleOrDefault();
            return path > 2 && spawn?.Child.OfType<ReadPageStep>().Any(r => r.Page >= path) == true;
        }

        var shrunk = ScenarioShrinker.Shrink(file, Disagrees);

        Assert.Equal("""
            actorkernel-scenario 1
            kernel 6.18
            process {
              string path rodata 3 0 /bin/true
              array argv stack 0 0 path
              thread {
                fork {
                  read-page rodata 3
                  exec path argv
                }
                wait-child
              }
            }

            """.ReplaceLineEndings("\n"), ScenarioFileWriter.Write(shrunk));
    }

    [Theory]
    [InlineData(0, 0, 0.0, 1.0)]
    [InlineData(10, 10, 0.7225, 1.0)]
    [InlineData(50, 100, 0.4038, 0.5962)]
    [InlineData(990, 1000, 0.9817, 0.9946)]
    public void WilsonInterval_MatchesTheFormula(int successes, int trials, double low, double high)
    {
        var (l, h) = WilsonInterval.Of(successes, trials);

        Assert.Equal(low, l, 3);
        Assert.Equal(high, h, 3);
    }

    [Fact]
    public void TheReport_CountsDisagreementsByKind_AndGivesATestToPaste()
    {
        var file = RandomScenarios.Generate(1, 0);
        var ok = new ScenarioReadOutcome(true, true, null);
        var failed = new ScenarioReadOutcome(true, false, null);
        var agree = new RandomScenarioResult(0, file, [new ScenarioReadRow(1, "filename", ok, ok)], null, null);
        var disagree = new RandomScenarioResult(1, file, [new ScenarioReadRow(1, "filename", ok, ok), new ScenarioReadRow(1, "argv[1]", failed, ok)], file, [new ScenarioReadRow(1, "argv[1]", failed, ok)]);

        var summary = RandomCalibrationReport.Summary(5, 3, [agree, disagree], "6.18.44", TimeSpan.FromSeconds(2));
        var test = RandomCalibrationReport.TestKitTest(5, disagree);

        Assert.Contains("random scenarios: seed 5, 2 of 3 run", summary);
        Assert.Contains("agree: 1 of 2 (50.0%; 95% Wilson interval 9.5% to 90.5%)", summary);
        Assert.Contains("      1  argv[i] real failed / model ok  (scenarios 1)", summary);
        Assert.Contains("public void RandomSeed5Scenario1_ProbeReadsAsOnTheRealKernel()", test);
        Assert.Contains("Assert.Equal(new[] { false }", test);
        Assert.Contains(ScenarioFileWriter.Write(file).Split('\n')[3], test);
    }
}
