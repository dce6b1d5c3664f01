using System.Text.Json;
using System.Text.RegularExpressions;
using ActorKernel.Experiments.Explain;
using ActorKernel.Experiments.Session;
using ActorKernel.Experiments.Trace;

namespace ActorKernel.Experiments.Tests.Trace;

/// <summary>
/// trace.json against the Chrome Trace Event format's rules (strict B/E nesting per track, bound async
/// and flow ids, a name on every track, time order per track) for the seed's Case 1, Case 2 and a
/// trylock-minor contention run, and the flows from each failed read's cause.
/// </summary>
public sealed class ChromeTraceTests
{
    private static string Experiment(string name)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ActorKernel.sln"))) dir = dir.Parent;
        return Path.Combine(dir!.FullName, "config", "experiments", name + ".conf");
    }

    private static string Trace(ExperimentSession s, int run) =>
        ChromeTrace.Write(s.Experiment.Name, s.Plan.Runs[run], ExplainSession.Record(s.Plan.Runs[run]));

    private sealed record Ev(string Ph, int Pid, int Tid, long Ns, string Name, string Cat, JsonElement Raw);

    // Checks the format's rules and returns the events (metadata excluded).
    private static List<Ev> Validate(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var processes = new HashSet<int>();
        var threads = new HashSet<(int, int)>();
        var events = new List<Ev>();
        foreach (var e in doc.RootElement.GetProperty("traceEvents").EnumerateArray())
        {
            var ph = e.GetProperty("ph").GetString()!;
            var pid = e.GetProperty("pid").GetInt32();
            var tid = e.GetProperty("tid").GetInt32();
            if (ph == "M")
            {
                Assert.False(string.IsNullOrEmpty(e.GetProperty("args").GetProperty("name").GetString()));
                if (e.GetProperty("name").GetString() == "process_name") Assert.True(processes.Add(pid), $"pid {pid} named twice");
                else Assert.True(threads.Add((pid, tid)), $"tid {pid}/{tid} named twice");
                continue;
            }
            var ts = e.GetProperty("ts").GetRawText();
            Assert.Matches(@"^\d+\.\d{3}$", ts);
            var ns = long.Parse(ts.Replace(".", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture);
            events.Add(new Ev(ph, pid, tid, ns, e.GetProperty("name").GetString()!, e.TryGetProperty("cat", out var c) ? c.GetString()! : "", e.Clone()));
        }
        Assert.NotEmpty(events);
        foreach (var e in events)
        {
            Assert.True(processes.Contains(e.Pid), $"pid {e.Pid} has no process_name");
            Assert.True(threads.Contains((e.Pid, e.Tid)), $"tid {e.Pid}/{e.Tid} has no thread_name");
        }
        foreach (var track in events.GroupBy(e => (e.Pid, e.Tid)))
        {
            var list = track.ToList();
            Assert.True(list.Zip(list.Skip(1)).All(p => p.First.Ns <= p.Second.Ns), $"track {track.Key}: time goes backwards");
            var stack = new Stack<string>();
            foreach (var e in list)
            {
                // A flow's ends bind to the enclosing slice (or, for a start on a page table, the instant marking the change).
                if (e.Ph is "s" or "f")
                    Assert.True(stack.Count > 0 || (e.Ph == "s" && list.Any(m => m.Ph == "i" && m.Ns == e.Ns)), $"track {track.Key}: flow {e.Ph} at {e.Ns} has no enclosing slice");
                if (e.Ph == "B") stack.Push(e.Name);
                if (e.Ph == "E")
                {
                    Assert.True(stack.Count > 0, $"track {track.Key}: E '{e.Name}' at {e.Ns} without a B");
                    Assert.Equal(stack.Pop(), e.Name);
                }
            }
            Assert.True(stack.Count == 0, $"track {track.Key}: {stack.Count} slice(s) never end");
        }
        foreach (var a in events.Where(e => e.Ph is "b" or "e").GroupBy(e => (e.Pid, e.Cat, e.Raw.GetProperty("id").GetInt64())))
        {
            Assert.Equal(new[] { "b", "e" }, a.Select(e => e.Ph));
            Assert.True(a.First().Ns <= a.Last().Ns);
        }
        foreach (var f in events.Where(e => e.Ph is "s" or "f").GroupBy(e => e.Raw.GetProperty("id").GetInt64()))
        {
            Assert.Equal(new[] { "s", "f" }, f.Select(e => e.Ph));
            Assert.True(f.First().Ns <= f.Last().Ns, $"flow {f.Key} goes back in time");
            var end = f.Last();
            Assert.Equal("e", end.Raw.GetProperty("bp").GetString());
            Assert.Contains(events, r => r.Ph == "i" && r.Pid == end.Pid && r.Tid == end.Tid && r.Ns == end.Ns && r.Cat.StartsWith("probe-read-failed:", StringComparison.Ordinal));
        }
        return events;
    }

    private static string ThreadName(string json, int pid, int tid) =>
        Regex.Match(json, $"\"ph\":\"M\",\"pid\":{pid},\"tid\":{tid},\"name\":\"thread_name\",\"args\":{{\"name\":\"([^\"]+)\"").Groups[1].Value;

    private static string ProcessName(string json, int pid) =>
        Regex.Match(json, $"\"ph\":\"M\",\"pid\":{pid},\"tid\":0,\"name\":\"process_name\",\"args\":{{\"name\":\"([^\"]+)\"").Groups[1].Value;

    [Fact]
    public void Case1_FlowsFromTheForkSkip_ToEachFailedRead_AndTheSameSeedGivesTheSameBytes()
    {
        var s = ExperimentSession.Prepare(null, new[] { "workload.fork-exec.execs=2" });
        var json = Trace(s, 0);
        Assert.Equal(json, Trace(s, 0));
        var events = Validate(json);
        var failed = events.Where(e => e.Ph == "i" && e.Cat == "probe-read-failed:fork-skipped-pte").ToList();
        Assert.NotEmpty(failed);
        Assert.Equal(failed.Count, events.Count(e => e.Ph == "f"));
        // Each arrow starts in dup_mmap()'s write hold on the parent's mmap_lock, at the instant the page table marks the skip.
        var starts = events.Where(e => e.Ph == "s").ToList();
        Assert.All(starts, st =>
        {
            Assert.True(st.Pid >= 100, $"flow from pid {st.Pid}");
            Assert.Matches(@"^fork handler of fork \d+ \(dup_mmap\)$", ThreadName(json, st.Pid, st.Tid));
            Assert.Contains(events, m => m.Ph == "i" && m.Pid == 3 && m.Ns == st.Ns
                && m.Name.StartsWith("dup_mmap(): copy_page_range() skipped prog .rodata", StringComparison.Ordinal));
        });
        Assert.Contains(events, e => e.Ph == "B" && e.Pid == 1 && e.Name == "execve()");
        Assert.Contains(events, e => e.Ph == "B" && e.Pid == 1 && e.Name.StartsWith("fork", StringComparison.Ordinal));
        Assert.Contains(events, e => e.Ph == "B" && e.Pid >= 100 && e.Name == "holds for write");
        Assert.Contains(events, e => e.Ph == "C" && e.Name.EndsWith("present PTEs", StringComparison.Ordinal));
        Assert.Matches("^mmap_lock of mm \\d+$", ProcessName(json, 100));
        // The probe's programs run on a CPU while the exec'ing task waits; the faults land on the tasks that took them.
        Assert.Equal("CPUs", ProcessName(json, 5));
        Assert.Contains(events, e => e.Ph == "B" && e.Pid == 5 && e.Cat == "bpf" && e.Name.StartsWith("BPF at sys_enter_execve (task ", StringComparison.Ordinal));
        Assert.Matches("^cpu \\d+: BPF programs$", ThreadName(json, 5, events.First(e => e.Pid == 5 && e.Cat == "bpf").Tid));
        var faults = events.Where(e => e.Ph == "i" && e.Cat == "fault").ToList();
        Assert.NotEmpty(faults);
        Assert.All(faults, f =>
        {
            Assert.Equal(1, f.Pid);
            Assert.Equal($"task {f.Tid}", ThreadName(json, 1, f.Tid));
            Assert.StartsWith("page fault: ", f.Name);
        });
    }

    [Fact]
    public void Case2_FlowsFromTheScanPass_AndCountsProtNonePtes()
    {
        var s = ExperimentSession.Prepare(Experiment("numa-idle"), new[] { "workload.numa-idle.duration-s=4" });
        var run = s.Plan.Runs.Single(r => r.Point.Select(p => p.Value).SequenceEqual(new[] { "2", "1" })).Run;
        var json = Trace(s, run);
        var events = Validate(json);
        Assert.Contains(events, e => e.Cat == "probe-read-failed:numa-protnone");
        var pass = events.First(e => e.Ph == "B" && e.Pid == 4 && e.Name.StartsWith("scan pass", StringComparison.Ordinal));
        var fromPass = events.Where(e => e.Ph == "s" && e.Pid == 4).ToList();
        Assert.NotEmpty(fromPass);
        Assert.True(fromPass[0].Ns >= pass.Ns, "the flow starts inside a pass");
        Assert.Contains(events, e => e.Ph == "C" && e.Name.EndsWith("PROT_NONE PTEs", StringComparison.Ordinal) && e.Raw.GetProperty("args").GetProperty("value").GetInt32() > 0);
        // The busy thread runs on a CPU: its run queue's task as slices, nr_running as a counter; the hint faults land on tasks.
        var running = events.Where(e => e.Ph == "B" && e.Pid == 5 && e.Cat == "sched").ToList();
        Assert.NotEmpty(running);
        Assert.All(running, r => Assert.Matches("^task \\d+$", r.Name));
        Assert.Matches("^cpu \\d+: running$", ThreadName(json, 5, running[0].Tid));
        Assert.Contains(events, e => e.Ph == "C" && e.Pid == 5 && e.Name.EndsWith("nr_running", StringComparison.Ordinal) && e.Raw.GetProperty("args").GetProperty("value").GetInt32() > 0);
        Assert.Contains(events, e => e.Ph == "i" && e.Pid == 1 && e.Name == "page fault: NumaHint");
    }

    [Fact]
    public void TrylockMinorContention_FlowsFromTheWriterHoldingTheLock_AndWaitersAreAsyncSlices()
    {
        var s = ExperimentSession.Prepare(Experiment("seed-proposal"), new[]
        {
            "experiment.runs-per-point=1", "experiment.sweep.\"workload.mmap-churn.ops-per-s\"=[150000]",
        });
        var spec = s.Plan.Runs.Single(r => r.Policy.Name == "trylock-minor");
        var json = Trace(s, spec.Run);
        var events = Validate(json);
        Assert.Contains(events, e => e.Cat == "probe-read-failed:mmap-lock-contended");
        var fromHolder = events.Where(e => e.Ph == "s" && e.Pid >= 100).ToList();
        Assert.NotEmpty(fromHolder);
        // The flow starts inside a write hold on the holder's track.
        var st = fromHolder[0];
        var holds = events.Where(e => e.Pid == st.Pid && e.Tid == st.Tid && e.Ph is "B" or "E" && e.Ns <= st.Ns).ToList();
        Assert.Equal("B", holds[^1].Ph);
        Assert.Equal("holds for write", holds[^1].Name);
        Assert.Contains(events, e => e.Ph == "b" && e.Cat == "mmap_lock-wait");
    }

    [Theory]
    [InlineData(0L, "0.000")]
    [InlineData(999L, "0.999")]
    [InlineData(1_000L, "1.000")]
    [InlineData(1_204_014_040L, "1204014.040")]
    public void VirtualNs_AreMicrosWithThreeDecimals(long ns, string expected) => Assert.Equal(expected, ChromeTrace.Micros(ns));
}
