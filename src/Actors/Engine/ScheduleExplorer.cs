using System.Globalization;

namespace ActorKernel.Actors.Engine;

/// <summary>What one run of an exploration did: its recorded schedule and, if a property failed, why.</summary>
public sealed record ScheduleVerdict(RunSchedule Schedule, string? Violation);

/// <summary>The first violating schedule of an exploration, as found and after shrinking.</summary>
/// <param name="Iteration">Which iteration found it (0-based).</param>
/// <param name="Message">Why the property failed, in the shrunk schedule's run.</param>
/// <param name="Found">The schedule as the strategy made it.</param>
/// <param name="Shrunk">The smallest schedule shrinking found that still violates (1-minimal within the budget).</param>
/// <param name="ShrinkRuns">Replays shrinking used.</param>
public sealed record ExploredViolation(int Iteration, string Message, RunSchedule Found, RunSchedule Shrunk, int ShrinkRuns);

/// <summary>An exploration's outcome: how many schedules, how many violated, and the first violation.</summary>
public sealed record ExplorationReport(ExplorationStrategy Strategy, int Schedules, int Violated, ExploredViolation? First)
{
    /// <summary>z of a two-sided 95% interval.</summary>
    private const double Z95 = 1.959963984540054;

    /// <summary>The Wilson score 95% interval of the share of violating schedules (well behaved at 0 and at all).</summary>
    public (double Low, double High) Interval95
    {
        get
        {
            if (Schedules == 0) return (0, 0);
            double n = Schedules, p = Violated / n, z2 = Z95 * Z95;
            var centre = (p + z2 / (2 * n)) / (1 + z2 / n);
            var half = Z95 * Math.Sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n);
            return (Math.Max(0, centre - half), Math.Min(1, centre + half));
        }
    }

    /// <summary>"N schedules, X violated (Wilson 95% interval a% to b%)".</summary>
    public string Summary
    {
        get
        {
            var (low, high) = Interval95;
            return string.Create(CultureInfo.InvariantCulture, $"{Schedules} schedules, {Violated} violated (Wilson 95% interval {low * 100:0.##}% to {high * 100:0.##}%)");
        }
    }
}

/// <summary>
/// Runs a model many times under a strategy (Coyote's test engine for actors we dispatch
/// ourselves): every run recorded, each checked, the share of violations counted, and the first
/// violating schedule shrunk. Iteration i runs <c>run(i, seedOf(i), options)</c> and, for a portfolio, the
/// member <see cref="ExplorationStrategy.ForIteration"/> names; pct and delay place their change
/// points and delays among as many choice points as the longest run so far had.
/// </summary>
public static class ScheduleExplorer
{
    public static ExplorationReport Explore(int iterations, ExplorationStrategy strategy, long maxDelayNs, Func<int, ulong> seedOf,
        Func<int, ulong, ScheduleOptions, ScheduleVerdict> run, bool shrink = true, int shrinkBudget = ScheduleShrinker.DefaultBudget)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        long hint = new ScheduleOptions().ChoicePointsHint;
        var learned = false;
        var violated = 0;
        (int Iteration, ulong Seed, ScheduleVerdict Verdict)? first = null;
        for (var i = 0; i < iterations; i++)
        {
            var seed = seedOf(i);
            var options = new ScheduleOptions { Strategy = strategy.ForIteration(i), MaxDelayNs = maxDelayNs, Record = true, ChoicePointsHint = hint };
            var verdict = run(i, seed, options);
            hint = learned ? Math.Max(hint, verdict.Schedule.ChoicePoints) : Math.Max(1, verdict.Schedule.ChoicePoints);
            learned = true;
            if (verdict.Violation is null) continue;
            violated++;
            first ??= (i, seed, verdict);
        }
        if (first is not { } f) return new ExplorationReport(strategy, iterations, 0, null);
        var replay = (RunSchedule s) => run(f.Iteration, f.Seed, new ScheduleOptions { Replay = s, Record = true });
        var (shrunk, message, runs) = shrink
            ? ScheduleShrinker.Shrink(f.Verdict.Schedule, f.Verdict.Violation!, replay, shrinkBudget)
            : (f.Verdict.Schedule, f.Verdict.Violation!, 0);
        return new ExplorationReport(strategy, iterations, violated, new ExploredViolation(f.Iteration, message, f.Verdict.Schedule, shrunk, runs));
    }
}

/// <summary>
/// Delta debugging (Zeller and Hildebrandt, "Simplifying and Isolating Failure-Inducing Input", 2002)
/// over a schedule's decisions: remove chunks, then single decisions, keeping every removal after
/// which the replay still violates. Within the budget the result is 1-minimal: removing any one of
/// its decisions makes the violation go away.
/// </summary>
public static class ScheduleShrinker
{
    /// <summary>Replays shrinking may use by default.</summary>
    public const int DefaultBudget = 400;

    public static (RunSchedule Schedule, string Message, int Runs) Shrink(RunSchedule failing, string message, Func<RunSchedule, ScheduleVerdict> replay, int budget = DefaultBudget)
    {
        var current = failing;
        var runs = 0;
        bool Violates(IReadOnlyList<ScheduleChoice> choices)
        {
            runs++;
            var verdict = replay(current with { Choices = choices });
            if (verdict.Violation is null) return false;
            // The replay's own record drops choices it could not apply: never larger than what was tried.
            current = current with { Choices = verdict.Schedule.Choices, ChoicePoints = verdict.Schedule.ChoicePoints };
            message = verdict.Violation;
            return true;
        }

        if (current.Size > 0 && runs < budget && Violates([])) return (current, message, runs);
        var n = 2;
        while (current.Size > 0 && runs < budget)
        {
            var choices = current.Choices;
            var chunk = (choices.Count + n - 1) / n;
            var reduced = false;
            for (var start = 0; start < choices.Count && runs < budget; start += chunk)
            {
                var end = Math.Min(choices.Count, start + chunk);
                var without = new ScheduleChoice[choices.Count - (end - start)];
                for (int i = 0, j = 0; i < choices.Count; i++)
                    if (i < start || i >= end) without[j++] = choices[i];
                if (!Violates(without)) continue;
                n = Math.Max(n - 1, 2);
                reduced = true;
                break;
            }
            if (reduced) continue;
            if (chunk == 1) break;
            n = Math.Min(choices.Count, n * 2);
        }
        return (current, message, runs);
    }
}
