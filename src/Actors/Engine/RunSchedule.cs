using System.Globalization;
using System.Text;

namespace ActorKernel.Actors.Engine;

/// <summary>At choice point <paramref name="Point"/> (the Point-th instant with two or more due events) the event at <paramref name="Index"/> (in scheduling order) ran first.</summary>
public readonly record struct ScheduleChoice(long Point, int Index);

/// <summary>The <paramref name="Call"/>-th message the run scheduled arrived <paramref name="ExtraNs"/> later than asked.</summary>
public readonly record struct ScheduleDelay(long Call, long ExtraNs);

/// <summary>
/// A run's decisions: everything a strategy chose that scheduling order alone would not have.
/// Replayed (<see cref="ScheduleOptions.Replay"/>) with the same seed and configuration it
/// reproduces the run byte for byte, without the strategy. A choice point not listed runs its
/// first-scheduled event; a message not listed is not delayed — so removing entries (shrinking)
/// always leaves a valid schedule.
/// </summary>
public sealed record RunSchedule
{
    /// <summary>First line of the text form.</summary>
    public const string Magic = "actorkernel-schedule 1";

    /// <summary>The run's seed (the model's own randomness still comes from it).</summary>
    public required ulong Seed { get; init; }

    /// <summary>The strategy that made the decisions (for the reader; replay does not use it).</summary>
    public ExplorationStrategy Strategy { get; init; } = ExplorationStrategy.Random;

    /// <summary>Which run of an experiment's plan this is (<c>run FILE --schedule</c>), or null outside an experiment.</summary>
    public int? Run { get; init; }

    /// <summary>Choices other than the first-scheduled event, by point.</summary>
    public IReadOnlyList<ScheduleChoice> Choices { get; init; } = [];

    /// <summary>Extra message delays, by call.</summary>
    public IReadOnlyList<ScheduleDelay> Delays { get; init; } = [];

    /// <summary>How many choice points the run had (informational: a hint for later runs).</summary>
    public long ChoicePoints { get; init; }

    /// <summary>How many messages the run scheduled (informational).</summary>
    public long Calls { get; init; }

    /// <summary>Decisions that can be removed: the size shrinking minimises.</summary>
    public int Size => Choices.Count + Delays.Count;

    /// <summary>The text form: a header, then one <c>c POINT INDEX</c> or <c>d CALL NS</c> line per decision.</summary>
    public string ToText()
    {
        var sb = new StringBuilder();
        sb.Append(Magic).Append('\n');
        sb.Append("seed ").Append(Seed.ToString(CultureInfo.InvariantCulture)).Append('\n');
        sb.Append("strategy ").Append(Strategy).Append('\n');
        if (Run is { } run) sb.Append("run ").Append(run.ToString(CultureInfo.InvariantCulture)).Append('\n');
        sb.Append("choice-points ").Append(ChoicePoints.ToString(CultureInfo.InvariantCulture)).Append('\n');
        sb.Append("calls ").Append(Calls.ToString(CultureInfo.InvariantCulture)).Append('\n');
        foreach (var c in Choices) sb.Append("c ").Append(c.Point.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(c.Index.ToString(CultureInfo.InvariantCulture)).Append('\n');
        foreach (var d in Delays) sb.Append("d ").Append(d.Call.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(d.ExtraNs.ToString(CultureInfo.InvariantCulture)).Append('\n');
        return sb.ToString();
    }

    /// <summary>Reads <see cref="ToText"/>'s form; a <see cref="FormatException"/> names the first bad line.</summary>
    public static RunSchedule Parse(string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        if (lines.Length == 0 || lines[0] != Magic) throw new FormatException($"not a schedule: the first line must be '{Magic}'");
        ulong? seed = null;
        var strategy = ExplorationStrategy.Random;
        int? run = null;
        long points = 0, calls = 0;
        var choices = new List<ScheduleChoice>();
        var delays = new List<ScheduleDelay>();
        for (var i = 1; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.Length == 0) continue;
            var parts = line.Split(' ');
            string Bad(string why) => $"line {i + 1} of the schedule ('{(line.Length > 60 ? line[..60] + "…" : line)}'): {why}";
            long Number(int at, long min, long max)
            {
                if (parts.Length <= at || !long.TryParse(parts[at], NumberStyles.None, CultureInfo.InvariantCulture, out var v) || v < min || v > max)
                    throw new FormatException(Bad($"expected an integer from {min} to {max}"));
                return v;
            }
            var expectedParts = parts[0] is "c" or "d" ? 3 : 2;
            if (parts.Length != expectedParts) throw new FormatException(Bad($"expected {expectedParts} fields separated by single spaces"));
            switch (parts[0])
            {
                case "seed":
                    if (!ulong.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var s)) throw new FormatException(Bad("expected an unsigned integer"));
                    seed = s;
                    break;
                case "strategy":
                    if (!ExplorationStrategy.TryParse(parts[1], out strategy)) throw new FormatException(Bad($"expected {ExplorationStrategy.Expected}"));
                    break;
                case "run":
                    run = (int)Number(1, 0, int.MaxValue);
                    break;
                case "choice-points":
                    points = Number(1, 0, long.MaxValue);
                    break;
                case "calls":
                    calls = Number(1, 0, long.MaxValue);
                    break;
                case "c":
                    var point = Number(1, 0, long.MaxValue);
                    if (choices.Count > 0 && choices[^1].Point >= point) throw new FormatException(Bad("choice points must increase"));
                    choices.Add(new ScheduleChoice(point, (int)Number(2, 1, int.MaxValue)));
                    break;
                case "d":
                    var call = Number(1, 0, long.MaxValue);
                    if (delays.Count > 0 && delays[^1].Call >= call) throw new FormatException(Bad("delayed calls must increase"));
                    delays.Add(new ScheduleDelay(call, Number(2, 1, long.MaxValue / 4)));
                    break;
                default:
                    throw new FormatException(Bad("expected seed, strategy, run, choice-points, calls, c or d"));
            }
        }
        if (seed is null) throw new FormatException("the schedule has no 'seed' line");
        return new RunSchedule { Seed = seed.Value, Strategy = strategy, Run = run, ChoicePoints = points, Calls = calls, Choices = choices, Delays = delays };
    }

    /// <summary>Value equality over the decision lists too (records compare lists by reference).</summary>
    public bool Equals(RunSchedule? other) =>
        other is not null && Seed == other.Seed && Strategy == other.Strategy && Run == other.Run && ChoicePoints == other.ChoicePoints
        && Calls == other.Calls && Choices.SequenceEqual(other.Choices) && Delays.SequenceEqual(other.Delays);

    public override int GetHashCode() => HashCode.Combine(Seed, Strategy, Run, ChoicePoints, Calls, Choices.Count, Delays.Count);
}
