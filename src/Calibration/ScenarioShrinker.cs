using ActorKernel.TestKit.ScenarioFiles;

namespace ActorKernel.Calibration;

/// <summary>
/// Delta debugging of a disagreeing scenario: remove steps (a fork or vfork with its child's steps
/// and the wait-child that reaps it; a wait-child only with its spawn), then placements nothing
/// uses, then move a placement or a read-page step to a lower page (page 0, half its page, the page
/// below), one change at a time, keeping each after which the scenario still disagrees, until no
/// single change does (1-minimal). A scenario always keeps one exec.
/// </summary>
public static class ScenarioShrinker
{
    /// <summary>The smallest scenario found that still satisfies <paramref name="disagrees"/>, within <paramref name="maxChecks"/> checks.</summary>
    public static ScenarioFile Shrink(ScenarioFile file, Func<ScenarioFile, bool> disagrees, int maxChecks = 200)
    {
        var checks = 0;
        var current = file;
        var progress = true;
        while (progress && checks < maxChecks)
        {
            progress = false;
            foreach (var candidate in Smaller(current))
            {
                if (checks++ >= maxChecks) break;
                if (!disagrees(candidate)) continue;
                current = candidate;
                progress = true;
                break;
            }
        }
        return current;
    }

    /// <summary>Every scenario one change smaller that is still valid: each step removed (in file order), each unused placement removed, each placement then each read-page step moved lower.</summary>
    public static IEnumerable<ScenarioFile> Smaller(ScenarioFile file)
    {
        var p = file.Processes[0];
        for (var t = 0; t < p.Threads.Count; t++)
        {
            var thread = p.Threads[t];
            foreach (var steps in Removals(thread.Steps))
            {
                var threads = p.Threads.ToArray();
                threads[t] = thread with { Steps = steps };
                var smaller = file with { Processes = [p with { Threads = threads }] };
                if (smaller.Execs().Any()) yield return smaller;
            }
        }
        var used = Used(p);
        foreach (var s in p.Strings.Where(s => !used.Contains(s.Name)))
            yield return file with { Processes = [Repack(p, p.Strings.Where(x => x != s), p.Arrays)] };
        foreach (var a in p.Arrays.Where(a => !used.Contains(a.Name)))
            yield return file with { Processes = [Repack(p, p.Strings, p.Arrays.Where(x => x != a))] };
        for (var i = 0; i < p.Strings.Count; i++)
        {
            foreach (var page in LowerPages(p.Strings[i].Page))
            {
                var k = i;
                yield return file with { Processes = [Repack(p, p.Strings.Select((s, j) => j == k ? s with { Page = page } : s), p.Arrays)] };
            }
        }
        for (var i = 0; i < p.Arrays.Count; i++)
        {
            foreach (var page in LowerPages(p.Arrays[i].Page))
            {
                var k = i;
                yield return file with { Processes = [Repack(p, p.Strings, p.Arrays.Select((a, j) => j == k ? a with { Page = page } : a))] };
            }
        }
        for (var t = 0; t < p.Threads.Count; t++)
        {
            var thread = p.Threads[t];
            foreach (var steps in LowerReadPages(thread.Steps))
            {
                var threads = p.Threads.ToArray();
                threads[t] = thread with { Steps = steps };
                yield return file with { Processes = [p with { Threads = threads }] };
            }
        }
    }

    // Lower pages to try, most shrinking first: 0, half the page, the page below.
    private static IEnumerable<int> LowerPages(int page) => new[] { 0, page / 2, page - 1 }.Where(x => x >= 0 && x < page).Distinct();

    // Each list with one read-page step moved to a lower page, at any depth.
    private static IEnumerable<IReadOnlyList<ScenarioStep>> LowerReadPages(IReadOnlyList<ScenarioStep> steps)
    {
        for (var i = 0; i < steps.Count; i++)
        {
            var k = i;
            if (steps[i] is ReadPageStep r)
                foreach (var page in LowerPages(r.Page))
                    yield return steps.Select((s, j) => j == k ? r with { Page = page } : s).ToArray();
            if (steps[i] is SpawnStep spawn)
                foreach (var child in LowerReadPages(spawn.Child))
                    yield return steps.Select((s, j) => j == k ? spawn with { Child = child } : s).ToArray();
        }
    }

    // Each list with one step removed, at any depth.
    private static IEnumerable<IReadOnlyList<ScenarioStep>> Removals(IReadOnlyList<ScenarioStep> steps)
    {
        for (var i = 0; i < steps.Count; i++)
        {
            // A spawn goes with the wait-child that reaps it (the next one after it): a wait with no child blocks forever in the model.
            var reaper = steps[i] is SpawnStep ? IndexOfWaitAfter(steps, i) : -1;
            if (steps[i] is not WaitChildStep) yield return steps.Where((_, k) => k != i && k != reaper).ToArray();
            if (steps[i] is SpawnStep spawn)
            {
                foreach (var child in Removals(spawn.Child))
                {
                    var copy = steps.ToArray();
                    copy[i] = spawn with { Child = child };
                    yield return copy;
                }
            }
        }
    }

    private static int IndexOfWaitAfter(IReadOnlyList<ScenarioStep> steps, int spawn)
    {
        for (var k = spawn + 1; k < steps.Count; k++)
            if (steps[k] is WaitChildStep) return k;
        return -1;
    }

    private static HashSet<string> Used(ScenarioProcess p)
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var a in p.Arrays) used.UnionWith(a.Targets);
        foreach (var step in p.Threads.SelectMany(t => Flatten(t.Steps)))
        {
            switch (step)
            {
                case ReadStep r: used.Add(r.Name); break;
                case WriteStep w: used.Add(w.Name); break;
                case EvictStep e: used.Add(e.Name); break;
                case SysWriteStep w: used.Add(w.Name); break;
                case SysOpenatStep o: used.Add(o.Name); break;
                case ExecStep e: used.Add(e.Filename); used.Add(e.Argv); break;
            }
        }
        return used;
    }

    private static ScenarioProcess Repack(ScenarioProcess p, IEnumerable<PlacedString> strings, IEnumerable<PlacedArray> arrays) =>
        RandomScenarios.Pack(strings.Select(s => (s.Name, s.Region, s.Page, s.Text)), arrays.Select(a => (a.Name, a.Region, a.Page, a.Targets.ToArray())), p.Threads) with { StartTouches = p.StartTouches };

    private static IEnumerable<ScenarioStep> Flatten(IEnumerable<ScenarioStep> steps) =>
        steps.SelectMany(s => s is SpawnStep sp ? new[] { s }.Concat(Flatten(sp.Child)) : [s]);
}
