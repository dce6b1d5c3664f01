using System.Globalization;
using ActorKernel.Actors.Engine;
using ActorKernel.Bench.Infra;
using ActorKernel.Bench.Planted;

namespace ActorKernel.Bench.Sections;

/// <summary>
/// The exploration strategies on the planted bug (an rwsem without writer hand-off, Planted/PlantedRwsem.cs):
/// for each strategy, the share of violating schedules and how many schedules it takes to find the
/// first violation, over many independent trials (docs/exploration.md quotes the ratio).
/// </summary>
public static class ExploreSection
{
    public const string Name = "explore";

    private const int Readers = 24;
    private const int StarvedPeriods = 6;
    private const int Cap = 5000;

    public static void Run(Harness h)
    {
        var lane = BenchEnv.Lane(0);
        var trials = Math.Max(5, (int)(200 * h.Scale));
        var means = new Dictionary<string, double>();
        foreach (var text in new[] { "random", "pct:1", "pct:3", "delay:3", "portfolio" })
        {
            ExplorationStrategy.TryParse(text, out var strategy);
            var found = new List<int>();
            long schedules = 0, violated = 0;
            for (var t = 0; t < trials; t++)
            {
                // As ScheduleExplorer does: the first run with the default hint, then the most choice points any run had.
                long hint = 1000;
                var learned = false;
                var first = Cap;
                for (var i = 0; i < Cap; i++)
                {
                    var options = new ScheduleOptions { Strategy = strategy.ForIteration(i), Record = true, ChoicePointsHint = hint };
                    var outcome = lane.Run(PlantedRwsemRoot.Props(handoff: false, Readers), (ulong)(t * 100_000 + i), Interleaving.Random, 10_000, schedule: options);
                    hint = learned ? Math.Max(hint, outcome.Schedule!.ChoicePoints) : Math.Max(1, outcome.Schedule!.ChoicePoints);
                    learned = true;
                    schedules++;
                    if (((PlantedRwsemRoot.Outcome)outcome.Result!).WriterWaitNs <= StarvedPeriods * PlantedRwsemRoot.PeriodNs) continue;
                    violated++;
                    first = i + 1;
                    break;
                }
                found.Add(first);
            }
            var mean = found.Average();
            means[text] = mean;
            found.Sort();
            h.Report.Fact($"explore.{text}.schedules-to-first-violation", string.Create(CultureInfo.InvariantCulture,
                $"mean {mean:0.0}, median {found[found.Count / 2]}, max {found[^1]} over {trials} trials (cap {Cap})"));
            h.Report.Fact($"explore.{text}.violating-share", string.Create(CultureInfo.InvariantCulture, $"{violated} of {schedules} schedules"));
        }
        foreach (var other in means.Keys.Where(k => k != "random"))
            h.Report.Fact($"explore.ratio.random-over-{other}", string.Create(CultureInfo.InvariantCulture, $"{means["random"] / means[other]:0.0}x fewer schedules"));
    }
}
