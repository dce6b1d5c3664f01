using ActorKernel.Configuration;
using ActorKernel.Model;

namespace ActorKernel.TestKit.Tests.Scenarios;

/// <summary>Everything checkable before the run fails at Build(), as one line: the CLI's message for keys and policies.</summary>
public sealed class BuildValidationTests : ScenarioTestKit
{
    private static void Strings(ProcessBuilder p) => p
        .String("path", RegionKind.Rodata, 5, "/usr/bin/true")
        .PointerArray("argv", RegionKind.Stack, 28, "path");

    [Fact]
    public void SleepableOnKernel4_14_FailsAtBuild_WithTheCliMessage()
    {
        var e = Assert.Throws<ConfigError>(() => Scenario().Kernel(KernelVersion.Linux4_14).Policy(ProbePolicy.Sleepable).ForkExec(("execs", "1")).Build());

        var context = new PolicyContext(new KernelProfile { Name = "4.14" }, Tracepoint.SysEnterExecve, []);
        Assert.StartsWith("policy sleepable is not available at sys_enter_execve on kernel profile 4.14", e.Message);
        Assert.DoesNotContain("\n", e.Message);
        Assert.NotNull(ProbePolicy.Sleepable.Unavailable(context));
    }

    [Fact]
    public void TrylockVmaOnKernel4_14_FailsAtBuild()
    {
        var e = Assert.Throws<ConfigError>(() => Scenario().Kernel("4.14").Policy(ProbePolicy.TrylockVma).Process(p => Strings(p.Thread(t => t.Read("path")))).Build());
        Assert.Contains("no per-VMA locks", e.Message);
    }

    [Fact]
    public void DeferredWithAWriteSyscall_FailsAtBuild_NamingTheAttachPoint()
    {
        var e = Assert.Throws<ConfigError>(() => Scenario().Policy(ProbePolicy.Deferred)
            .Process(p => p.String("buf", RegionKind.Heap, 1, "x").Thread(t => t.SysWrite("buf"))).Build());
        Assert.Contains("sys_enter_write", e.Message);
    }

    [Fact]
    public void AnUnknownKernelProfile_IsAConfigError()
    {
        var e = Assert.Throws<ConfigError>(() => Scenario().Kernel("5.0").Build());
        Assert.Contains("kernel.profile", e.Message);
    }

    [Theory]
    [InlineData("unknown", "Read(\"nope\"): nothing called 'nope' is placed in the process (placed: argv, path)")]
    [InlineData("page", "String(\"far\"): page 99 is outside Rodata, which has pages 0..63")]
    [InlineData("twice", "String(\"path\"): 'path' is placed twice in the process")]
    [InlineData("array", "Exec(\"path\", \"path\"): 'path' is a string, not a pointer array")]
    [InlineData("full", "String(\"big\"): 4097 bytes do not fit on page 5 of Rodata after the 14 bytes already placed there (4096 per page)")]
    [InlineData("cpu", "RunOnCpu(4): the machine has CPUs 0..3")]
    [InlineData("signal", "WaitFor(\"go\"): no thread of the scenario raises 'go' (Signal(\"go\"))")]
    [InlineData("target", "PointerArray(\"bad\"): nothing called 'ghost' is placed in the process (placed: argv, path)")]
    public void AScenarioMistake_FailsAtBuild_AsOneLine(string mistake, string message)
    {
        var builder = Scenario().Machine(2, 2).Process(p =>
        {
            Strings(p);
            switch (mistake)
            {
                case "unknown": p.Thread(t => t.Read("nope")); break;
                case "page": p.String("far", RegionKind.Rodata, 99, "x"); break;
                case "twice": p.String("path", RegionKind.Heap, 1, "x"); break;
                case "array": p.Thread(t => t.Fork(c => c.Exec("path", "path"))); break;
                case "full": p.String("big", RegionKind.Rodata, 5, new string('x', 4096)); break;
                case "cpu": p.Thread(t => t.RunOnCpu(4)); break;
                case "signal": p.Thread(t => t.WaitFor("go")); break;
                case "target": p.PointerArray("bad", RegionKind.Stack, 2, "ghost"); break;
            }
        });

        var e = Assert.Throws<ScenarioError>(() => builder.Build());

        Assert.Equal("scenario process 1: " + message, e.Message);
    }

    [Fact]
    public void ADurationThatIsNoWholeNumberOfItsKeysUnit_FailsAtBuild()
    {
        var e = Assert.Throws<ScenarioError>(() => Scenario().ForkExec(new ForkExecOptions { CycleInterval = 1500.Nanoseconds() }).Build());
        Assert.Equal("ForkExecOptions.CycleInterval is 1.5 µs: it must be a whole number of µs", e.Message);
    }
}
