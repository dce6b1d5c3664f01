using System.Globalization;
using ActorKernel.Actors.Engine;
using ActorKernel.Configuration;

namespace ActorKernel.Actors.Configuration;

/// <summary>
/// The value of a <c>costs.*</c> key: a fixed number of virtual nanoseconds (today's meaning) or a
/// distribution drawn from the run's seeded generator each time the cost is paid. Written as an
/// integer, or as a list: <c>[uniform, MIN, MAX]</c>, <c>[lognormal, MEDIAN, P99]</c>,
/// <c>[empirical, V1, V2, ...]</c> (each value equally likely).
/// </summary>
public abstract record CostDistribution
{
    /// <summary>The largest cost any key accepts or any draw returns: 10^12 ns.</summary>
    public const long LargestNs = 1_000_000_000_000;

    /// <summary>The most values an empirical list may have.</summary>
    public const int MaxEmpiricalValues = 10_000;

    /// <summary>The 99th percentile of the standard normal distribution.</summary>
    private const double Z99 = 2.3263478740408408;

    private CostDistribution()
    {
    }

    /// <summary>The value a reader outside any run sees: the fixed value, or the distribution's median.</summary>
    public abstract long TypicalNs { get; }

    /// <summary>One draw, in [0, <see cref="LargestNs"/>].</summary>
    public abstract long Draw(SimRandom random);

    /// <summary>The kind the <c>costs.*</c> keys take.</summary>
    public static readonly SettingKind<CostDistribution> Kind = new(
        $"an integer from 0 to 1000000000000 (ns), or [uniform, MIN, MAX], [lognormal, MEDIAN, P99] (0 < MEDIAN <= P99) or [empirical, V1, V2, ...] (1 to {MaxEmpiricalValues} values) in ns, each value 0 to 1000000000000",
        TryParse);

    /// <summary>Parses the written forms; false for anything else.</summary>
    public static bool TryParse(RawValue raw, out CostDistribution value)
    {
        value = new Fixed(0);
        if (raw.Text is { } text)
        {
            if (!TryNs(text, out var ns)) return false;
            value = new Fixed(ns);
            return true;
        }
        var items = raw.Items!;
        if (items.Count < 2) return false;
        var numbers = new long[items.Count - 1];
        for (var i = 1; i < items.Count; i++)
            if (!TryNs(items[i], out numbers[i - 1])) return false;
        switch (items[0])
        {
            case "uniform" when numbers.Length == 2 && numbers[0] <= numbers[1]:
                value = new Uniform(numbers[0], numbers[1]);
                return true;
            case "lognormal" when numbers.Length == 2 && numbers[0] > 0 && numbers[0] <= numbers[1]:
                value = new LogNormal(numbers[0], numbers[1]);
                return true;
            case "empirical" when numbers.Length <= MaxEmpiricalValues:
                value = new Empirical(numbers);
                return true;
            default:
                return false;
        }
    }

    private static bool TryNs(string text, out long ns) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ns) && ns <= LargestNs;

    /// <summary>Always the same number: no draw, so results are those of a plain integer key.</summary>
    public sealed record Fixed(long Ns) : CostDistribution
    {
        public override long TypicalNs => Ns;

        public override long Draw(SimRandom random) => Ns;
    }

    /// <summary>Uniform over the integers MinNs..MaxNs.</summary>
    public sealed record Uniform(long MinNs, long MaxNs) : CostDistribution
    {
        public override long TypicalNs => MinNs + (MaxNs - MinNs) / 2;

        public override long Draw(SimRandom random) => MinNs + random.NextLong(MaxNs - MinNs + 1);
    }

    /// <summary>
    /// Log-normal with the given median and 99th percentile (μ = ln median, σ = ln(p99/median)/z₀.₉₉):
    /// the shape of most measured kernel latencies, a long right tail.
    /// </summary>
    public sealed record LogNormal(long MedianNs, long P99Ns) : CostDistribution
    {
        public override long TypicalNs => MedianNs;

        public override long Draw(SimRandom random)
        {
            // Box–Muller: 1 - u keeps the logarithm's argument in (0, 1].
            var u1 = 1.0 - random.NextDouble();
            var u2 = random.NextDouble();
            var z = Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
            var sigma = Math.Log((double)P99Ns / MedianNs) / Z99;
            var ns = Math.Exp(Math.Log(MedianNs) + sigma * z);
            return ns >= LargestNs ? LargestNs : (long)Math.Round(ns);
        }
    }

    /// <summary>One of the listed values (e.g. measured ones), each equally likely.</summary>
    public sealed record Empirical(IReadOnlyList<long> ValuesNs) : CostDistribution
    {
        public override long TypicalNs => ValuesNs.Order().ElementAt((ValuesNs.Count - 1) / 2);

        public override long Draw(SimRandom random) => ValuesNs[(int)random.NextLong(ValuesNs.Count)];

        public bool Equals(Empirical? other) => other is not null && ValuesNs.SequenceEqual(other.ValuesNs);

        public override int GetHashCode() => ValuesNs.Count;
    }
}

/// <summary>
/// Draws the varying costs of one run: each key its own generator from the run's seed and the key's
/// name, so making one key vary never changes another key's draws or the model's other randomness.
/// </summary>
public sealed class CostSampler
{
    private readonly ulong _seed;
    private readonly IReadOnlyDictionary<string, CostDistribution> _varying;
    // Lookup only (never iterated): the generator of each key drawn so far.
    private readonly Dictionary<string, SimRandom> _generators = new(StringComparer.Ordinal);

    public CostSampler(ulong seed, IReadOnlyDictionary<string, CostDistribution> varying)
    {
        _seed = seed;
        _varying = varying;
    }

    /// <summary>A draw of <paramref name="key"/> (e.g. <c>costs.minor-fault-ns</c>), or <paramref name="fixedNs"/> when the key is fixed.</summary>
    public long Draw(string key, long fixedNs)
    {
        if (!_varying.TryGetValue(key, out var distribution)) return fixedNs;
        if (!_generators.TryGetValue(key, out var random))
        {
            random = SimRandom.For(_seed, key);
            _generators.Add(key, random);
        }
        return distribution.Draw(random);
    }
}
