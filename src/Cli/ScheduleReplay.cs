using System.Text;
using ActorKernel.Actors.Engine;
using ActorKernel.Configuration;
using ActorKernel.Experiments.Results;
using ActorKernel.Experiments.Running;
using ActorKernel.Experiments.Session;

namespace ActorKernel.Cli;

/// <summary>
/// `actorkernel run FILE --schedule S`: the one run a schedule names (its run of the plan, its seed),
/// replayed with the schedule's decisions instead of a strategy. Writes the usual files for that
/// run plus replay.jsonl, its runs.jsonl line — byte-identical to the line `explore` saved beside the schedule.
/// </summary>
public static class ScheduleReplay
{
    public static int Execute(RunArguments args, TextWriter stdout, TextWriter progressOut)
    {
        if (args.Resume is not null || args.Cluster is not null || args.CheckDeterminism)
            throw new CliError("--schedule replays one run locally: it cannot be combined with --resume, --cluster or --check-determinism");
        var session = ExperimentSession.Prepare(args.ExperimentFile, args.Overrides);
        var schedule = Read(args.Schedule!);
        var runs = session.Plan.Runs;
        if (schedule.Run is not { } index)
            throw new CliError($"schedule file '{args.Schedule}' names no run (no 'run' line): it was not saved by explore");
        if (index >= runs.Count)
            throw new CliError($"schedule file '{args.Schedule}' replays run {index}, but this experiment (with these --set values) has {runs.Count} runs");
        var outDir = args.OutDir ?? Path.Combine("out", $"{session.Experiment.Name}-replay");
        CheckFreshFolder(outDir);

        var spec = runs[index] with { Seed = schedule.Seed };
        using var runner = new ExperimentRunner(1);
        var (record, _) = ExperimentRunner.ExecuteScheduled(runner.Lanes[0], spec, new ScheduleOptions { Replay = schedule });
        progressOut.WriteLine($"{session.Experiment.Name}: replayed run {index} (seed {schedule.Seed}, {schedule.Size} decisions of {schedule.Strategy})");
        var files = session.OutputFiles([record]).Append((Name: "replay.jsonl", Content: Encoding.UTF8.GetBytes(RunRecordJson.Encode(record) + "\n"))).ToArray();
        Directory.CreateDirectory(outDir);
        foreach (var (name, content) in files) File.WriteAllBytes(Path.Combine(outDir, name), content);
        stdout.WriteLine($"Wrote {outDir}{Path.DirectorySeparatorChar} ({string.Join(", ", files.Select(f => f.Name))})");
        if (record.Failure is null) return 0;
        stdout.WriteLine($"run {index} FAILED (seed {schedule.Seed}): {record.Failure}");
        return 1;
    }

    /// <summary>A folder that does not exist yet, or is empty: explore and replay never mix their files with others.</summary>
    public static void CheckFreshFolder(string dir)
    {
        if (File.Exists(dir)) throw new CliError($"output folder '{dir}' is a file");
        if (Directory.Exists(dir) && Directory.EnumerateFileSystemEntries(dir).Any())
            throw new CliError($"output folder '{dir}' exists and is not empty; choose a new one with --out");
    }

    private static RunSchedule Read(string path)
    {
        // A regular file of at most ConfigFile.MaxBytes: special files and folders are refused with what they are.
        var text = ConfigFile.ReadText(path, "schedule file");
        try
        {
            return RunSchedule.Parse(text);
        }
        catch (FormatException e)
        {
            throw new CliError($"schedule file '{UserText.Escape(path)}': {UserText.Escape(e.Message)}");
        }
    }
}
