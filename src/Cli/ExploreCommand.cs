using System.Globalization;
using System.Text;
using ActorKernel.Actors.Engine;
using ActorKernel.Experiments.Planning;
using ActorKernel.Experiments.Results;
using ActorKernel.Experiments.Running;
using ActorKernel.Experiments.Session;

namespace ActorKernel.Cli;

/// <summary>
/// `actorkernel explore`: run an experiment's runs again and again under a schedule strategy
/// (docs/exploration.md), check a property of every run's figures, and write the violating
/// schedules, each replayable with `run FILE --schedule FILE`. Iteration i runs the plan's run
/// i mod R (R runs in the plan) — with its own seed in the first round, a seed derived from it after.
/// </summary>
public static class ExploreCommand
{
    /// <summary>Violating schedules written at most (each with its runs.jsonl line); the count covers them all.</summary>
    public const int MaxSaved = 100;

    public static int Execute(ExploreArguments args, TextWriter stdout, TextWriter progressOut)
    {
        var session = ExperimentSession.Prepare(args.ExperimentFile, args.Overrides);
        var outDir = args.OutDir ?? Path.Combine("out", $"{session.Experiment.Name}-explore");
        ScheduleReplay.CheckFreshFolder(outDir);
        var runs = session.Plan.Runs;
        var maxDelayNs = session.Config.Bind(Array.Empty<KeyValuePair<string, string>>()).Engine.MaxDelayNs;
        var violations = new List<(int Iteration, RunSchedule Schedule, string Line)>();
        var lines = new Dictionary<int, string>();

        RunSpec SpecOf(int i) => i < runs.Count ? runs[i] : runs[i % runs.Count] with { Seed = SimRandom.For(runs[i % runs.Count].Seed, $"explore/{i / runs.Count}").NextUInt64() >> 2 };

        using var runner = new ExperimentRunner(1);
        var lane = runner.Lanes[0];
        ScheduleVerdict Run(int i, ulong seed, ScheduleOptions options)
        {
            var (record, recorded) = ExperimentRunner.ExecuteScheduled(lane, SpecOf(i), options);
            var schedule = recorded! with { Run = record.Spec.Run };
            var line = RunRecordJson.Encode(record);
            var violation = record.Failure is not null ? $"the run failed inside the model: {record.Failure}"
                : args.Property.Holds(line) ? null : $"'{args.Property.Text}' does not hold";
            if (options.Replay is null)
            {
                // After the first run, whose figures have shown the property's names exist (a bad name is exit 2, nothing printed or written).
                if (i == 0) progressOut.WriteLine($"{session.Experiment.Name}: exploring {args.Iterations} schedules ({args.Strategy}, max-delay-ns {maxDelayNs}) over its {runs.Count} runs for '{args.Property.Text}'");
                if (violation is not null && violations.Count < MaxSaved) violations.Add((i, schedule, line));
                if (i % Math.Max(1, args.Iterations / 10) == 0) progressOut.WriteLine($"  {i + 1}/{args.Iterations} schedules");
            }
            else
            {
                lines[i] = line;
            }
            return new ScheduleVerdict(schedule, violation);
        }

        var report = ScheduleExplorer.Explore(args.Iterations, args.Strategy, maxDelayNs, i => SpecOf(i).Seed, Run);

        var files = new List<(string Name, string Text)>();
        var summary = new StringBuilder();
        summary.Append(CultureInfo.InvariantCulture, $"{report.Summary} of '{args.Property.Text}' ({args.Strategy}, max-delay-ns {maxDelayNs})\n");
        foreach (var (iteration, schedule, line) in violations)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"violation-{iteration:D5}");
            files.Add(($"{name}.schedule", schedule.ToText()));
            files.Add(($"{name}.jsonl", line + "\n"));
        }
        var replay = $"actorkernel run {Quote(args.ExperimentFile)}{string.Concat(args.Overrides.Select(o => " --set " + Quote(o)))} --schedule {Quote(Path.Combine(outDir, "shrunk.schedule"))}";
        if (report.First is { } first)
        {
            // The shrunk schedule's line: its last replay may have been one that no longer violated.
            Run(first.Iteration, first.Shrunk.Seed, new ScheduleOptions { Replay = first.Shrunk, Record = true });
            files.Add(("shrunk.schedule", first.Shrunk.ToText()));
            files.Add(("shrunk.jsonl", lines[first.Iteration] + "\n"));
            summary.Append(CultureInfo.InvariantCulture,
                $"first violation: schedule {first.Iteration} (run {first.Shrunk.Run}, seed {first.Shrunk.Seed}): {first.Message}; shrunk from {first.Found.Size} to {first.Shrunk.Size} decisions in {first.ShrinkRuns} replays\n");
            summary.Append("replay: ").Append(replay).Append('\n');
        }
        Directory.CreateDirectory(outDir);
        foreach (var (name, text) in files.Prepend(("explore.txt", summary.ToString())))
            File.WriteAllText(Path.Combine(outDir, name), text, new UTF8Encoding(false));
        stdout.Write(summary.ToString());
        stdout.WriteLine($"Wrote {outDir}{Path.DirectorySeparatorChar} (explore.txt{(files.Count > 0 ? $" and {files.Count} schedule files" : "")})");
        return report.Violated > 0 ? 1 : 0;
    }

    private static string Quote(string s) => s.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '/' or '-' or '_' or '=' or ':') ? s : $"'{s.Replace("'", "'\\''", StringComparison.Ordinal)}'";
}
