using System.Globalization;
using ActorKernel.Experiments.Explain;
using ActorKernel.Experiments.Session;
using ActorKernel.Model;

namespace ActorKernel.Experiments.Tests.Explain;

/// <summary>explain's chains for the seed's Case 1 and Case 2 and a trylock-minor contention failure: their key facts.</summary>
public sealed class ExplainSessionTests
{
    private static string Experiment(string name)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ActorKernel.sln"))) dir = dir.Parent;
        return Path.Combine(dir!.FullName, "config", "experiments", name + ".conf");
    }

    private static ReadExplanation Explain(ExperimentSession s, int run, ReadSelector select) =>
        ExplainSession.Explain(s, s.Plan.Runs[run], ExplainSession.Record(s.Plan.Runs[run]), select, s.Plan.Runs);

    [Fact]
    public void Case1_NamesTheForkStepThatSkippedThePte_AndWhy()
    {
        // Run 0: spawn=fork strings=rodata child-touches=none.
        var s = ExperimentSession.Prepare(null, new[] { "workload.fork-exec.execs=2" });
        var e = Explain(s, 0, ReadSelector.FirstFailed);
        Assert.False(e.Ok);
        Assert.Equal("fork-skipped-pte", e.Cause);
        Assert.Equal("probe-read", e.Chain[0].Kind);
        var skip = Assert.Single(e.Chain, l => l.Kind == "fork-skipped-pte");
        Assert.Matches(@"dup_mmap\(\) of mm 1 into mm \d+ did not copy the parent's present PTE", skip.Text);
        Assert.Contains("copy_page_range() skipped VMA prog .rodata", skip.Text);
        Assert.Contains("vma_needs_copy() was false: the VMA has no anon_vma", skip.Text);
        Assert.StartsWith("mm", skip.Actor);
        Assert.Contains(e.Chain, l => l.Kind == "child-touched" && l.Text.Contains("touched no page of prog .rodata", StringComparison.Ordinal));
        // In the parent, a fault had made the page present before the fork; newest first means it comes last.
        Assert.Contains("in the parent: a fault (handle_mm_fault()) mapped the page present", e.Chain[^1].Text);
        Assert.True(e.Chain.Zip(e.Chain.Skip(1)).All(p => p.First.AtNs >= p.Second.AtNs), "newest first");
    }

    [Fact]
    public void Case2_NamesTheScanPassThatMadeThePteProtNone()
    {
        var s = ExperimentSession.Prepare(Experiment("numa-idle"), new[] { "workload.numa-idle.duration-s=4" });
        var run = s.Plan.Runs.Single(r => r.Point.Select(p => p.Value).SequenceEqual(new[] { "2", "1" })).Run;
        var recorded = ExplainSession.Record(s.Plan.Runs[run]);
        var e = ExplainSession.Explain(s, s.Plan.Runs[run], recorded, new ReadSelector(null, "idle-buffer"), s.Plan.Runs);
        Assert.Equal("numa-protnone", e.Cause);
        Assert.Equal("idle-buffer", e.Target);
        var protnone = Assert.Single(e.Chain, l => l.Text.StartsWith("change_prot_numa() made the PTE PROT_NONE", StringComparison.Ordinal));
        var first = recorded.Record.Metrics!.ScanPasses[0];
        Assert.Contains("in NUMA scan pass 1 of the run", protnone.Text);
        Assert.InRange(protnone.AtNs, first.StartNs, first.EndNs);
        Assert.True(e.AtNs > first.EndNs, "the read fails after the pass");
    }

    [Fact]
    public void ArmV80UnderPressure_NamesTheAgingThatMadeThePteOld()
    {
        var s = ExperimentSession.Prepare(Experiment("memory-pressure-arm64"), new[] { "workload.memory-pressure.duration-s=12" });
        var spec = s.Plan.Runs.Single(r => r.Policy.Name == "nofault" && r.Point.Select(p => p.Value).SequenceEqual(new[] { "241", "off" }));
        var e = ExplainSession.Explain(s, spec, ExplainSession.Record(spec), ReadSelector.FirstFailed, s.Plan.Runs);
        Assert.Equal("pte-old", e.Cause);
        Assert.Equal("idle-file", e.Target);
        var aged = Assert.Single(e.Chain, l => l.Text.StartsWith("made old by aging at", StringComparison.Ordinal));
        Assert.Contains("folio_referenced() cleared the PTE's young bit", aged.Text);
        Assert.StartsWith("kswapd", aged.Actor);
        Assert.True(aged.AtNs < e.AtNs);
        Assert.All(e.OtherPolicies, o => Assert.Contains("resolved the fault in place", o.Outcome));
    }

    [Fact]
    public void TrylockMinorContention_NamesTheLockHolderAndSinceWhen_AndTheOtherPolicies()
    {
        var s = ExperimentSession.Prepare(Experiment("seed-proposal"), new[]
        {
            "experiment.runs-per-point=1", "experiment.sweep.\"workload.mmap-churn.ops-per-s\"=[150000]",
        });
        var spec = s.Plan.Runs.Single(r => r.Policy.Name == "trylock-minor");
        var e = ExplainSession.Explain(s, spec, ExplainSession.Record(spec), ReadSelector.FirstFailed, s.Plan.Runs);
        Assert.Equal("mmap-lock-contended", e.Cause);
        var lockLink = Assert.Single(e.Chain, l => l.Kind == "mmap-lock");
        Assert.Matches(@"mmap_read_trylock\(\) by probe on CPU \d+ failed on mmap-sem\d+'s mmap_lock: held for write by task \d+ since \d+\.\d{9} s", lockLink.Text);
        var since = double.Parse(System.Text.RegularExpressions.Regex.Match(lockLink.Text, @"since (\d+\.\d+) s").Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.True(since * 1e9 <= e.AtNs + 1);
        Assert.Equal(new[] { "nofault", "trylock-vma", "sleepable", "deferred" }, e.OtherPolicies.Select(o => o.Policy));
        Assert.StartsWith("ok", e.OtherPolicies.Single(o => o.Policy == "sleepable").Outcome);
        Assert.Contains("not-mapped", e.OtherPolicies.Single(o => o.Policy == "nofault").Outcome);
    }

    [Fact]
    public void RecordingOff_IsTheDefault_AndAnInstalledLogIsThisThreadsOnly()
    {
        Assert.Null(ProvenanceLog.Current);
        var log = new ProvenanceLog();
        using (ProvenanceLog.Install(log))
        {
            Assert.Same(log, ProvenanceLog.Current);
            ProvenanceLog? other = log;
            var t = new Thread(() => other = ProvenanceLog.Current);
            t.Start();
            t.Join();
            Assert.Null(other);
        }
        Assert.Null(ProvenanceLog.Current);
    }

    [Fact]
    public void ARecordedRun_HasTheSameResultsAsAnUnrecordedOne()
    {
        var s = ExperimentSession.Prepare(null, new[] { "workload.fork-exec.execs=2" });
        using var runner = new ActorKernel.Experiments.Running.ExperimentRunner(1);
        var plain = ActorKernel.Experiments.Running.ExperimentRunner.Execute(runner.Lanes[0], s.Plan.Runs[0]);
        var recorded = ExplainSession.Record(s.Plan.Runs[0]).Record;
        Assert.Equal(plain.Events, recorded.Events);
        Assert.Equal(plain.VirtualTimeNs, recorded.VirtualTimeNs);
        Assert.Equal(plain.Metrics!.ByCause, recorded.Metrics!.ByCause);
    }
}
