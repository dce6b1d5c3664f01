using System.Globalization;
using System.Text;

namespace ActorKernel.Actors.Engine;

/// <summary>
/// At choice point <paramref name="Point"/> (the Point-th delivery with two or more candidates) candidate
/// <paramref name="Index"/> (0 is the oldest, first scheduled) ran, delaying the ones before it.
/// </summary>
public readonly record struct ScheduleChoice(long Point, int Index);

/// <summary>
/// A run's decisions: every choice a strategy made other than running the oldest candidate.
/// Replayed (<see cref="ScheduleOptions.Replay"/>) with the same seed and configuration it
/// reproduces the run byte for byte, without the strategy. A choice point not listed runs its
/// oldest candidate, so removing entries (shrinking) always leaves a valid schedule.
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

    /// <summary>The window the run chose in (<see cref="ScheduleOptions.MaxDelayNs"/>): a replay uses it.</summary>
    public long MaxDelayNs { get; init; }

    /// <summary>How many choice points the run had (informational: a hint for later runs).</summary>
    public long ChoicePoints { get; init; }

    /// <summary>Decisions that can be removed: the size shrinking minimises.</summary>
    public int Size => Choices.Count;

    /// <summary>The text form: a header, then one <c>c POINT INDEX</c> line per decision.</summary>
    public string ToText()
    {
        var sb = new StringBuilder();
        sb.Append(Magic).Append('\n');
        sb.Append("seed ").Append(Seed.ToString(CultureInfo.InvariantCulture)).Append('\n');
        sb.Append("strategy ").Append(Strategy).Append('\n');
        if (Run is { } run) sb.Append("run ").Append(run.ToString(CultureInfo.InvariantCulture)).Append('\n');
        sb.Append("max-delay-ns ").Append(MaxDelayNs.ToString(CultureInfo.InvariantCulture)).Append('\n');
        sb.Append("choice-points ").Append(ChoicePoints.ToString(CultureInfo.InvariantCulture)).Append('\n');
        foreach (var c in Choices) sb.Append("c ").Append(c.Point.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(c.Index.ToString(CultureInfo.InvariantCulture)).Append('\n');
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
        long points = 0, window = 0;
        var choices = new List<ScheduleChoice>();
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
            var expectedParts = parts[0] == "c" ? 3 : 2;
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
                case "max-delay-ns":
                    window = Number(1, 0, 1_000_000_000);
                    break;
                case "c":
                    var point = Number(1, 0, long.MaxValue);
                    if (choices.Count > 0 && choices[^1].Point >= point) throw new FormatException(Bad("choice points must increase"));
                    choices.Add(new ScheduleChoice(point, (int)Number(2, 1, int.MaxValue)));
                    break;
                default:
                    throw new FormatException(Bad("expected seed, strategy, run, max-delay-ns, choice-points or c"));
            }
        }
        if (seed is null) throw new FormatException("the schedule has no 'seed' line");
        return new RunSchedule { Seed = seed.Value, Strategy = strategy, Run = run, MaxDelayNs = window, ChoicePoints = points, Choices = choices };
    }

    /// <summary>Value equality over the decision lists too (records compare lists by reference).</summary>
    public bool Equals(RunSchedule? other) =>
        other is not null && Seed == other.Seed && Strategy == other.Strategy && Run == other.Run && MaxDelayNs == other.MaxDelayNs
        && ChoicePoints == other.ChoicePoints && Choices.SequenceEqual(other.Choices);

    public override int GetHashCode() => HashCode.Combine(Seed, Strategy, Run, MaxDelayNs, ChoicePoints, Choices.Count);
}
