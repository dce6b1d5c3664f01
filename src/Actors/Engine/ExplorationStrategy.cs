using System.Globalization;

namespace ActorKernel.Actors.Engine;

/// <summary>The families of <see cref="ExplorationStrategy"/>.</summary>
public enum StrategyKind
{
    /// <summary>Today's engine: a tiebreak drawn from the seed orders the events due at the same instant (or scheduling order under <c>engine.interleaving = fifo</c>).</summary>
    Random,
    /// <summary>Probabilistic concurrency testing (Burckhardt et al., ASPLOS 2010): random actor priorities with D-1 priority change points.</summary>
    Pct,
    /// <summary>Delay bounding (Emmi, Qadeer, Rakamarić, POPL 2011): scheduling order with at most K deviations (delays).</summary>
    Delay,
    /// <summary>Alternates random, pct:3 and delay:3 (like Coyote's portfolio).</summary>
    Portfolio,
}

/// <summary>
/// How the engine makes its choices: which of the events due at the same virtual instant runs
/// first and, with <c>engine.max-delay-ns</c>, which messages arrive later than asked. Written
/// <c>random</c>, <c>pct:D</c>, <c>delay:K</c> or <c>portfolio</c> (the value of <c>engine.strategy</c>).
/// </summary>
/// <param name="Kind">The family.</param>
/// <param name="Bound">D (priority change points + 1) for pct, K (delays) for delay; 0 otherwise.</param>
public sealed record ExplorationStrategy(StrategyKind Kind, int Bound)
{
    /// <summary>The default: today's seeded tiebreaks, results unchanged.</summary>
    public static readonly ExplorationStrategy Random = new(StrategyKind.Random, 0);

    /// <summary>The members <see cref="StrategyKind.Portfolio"/> alternates, in order.</summary>
    public static readonly IReadOnlyList<ExplorationStrategy> PortfolioMembers =
        [Random, new(StrategyKind.Pct, 3), new(StrategyKind.Delay, 3)];

    /// <summary>The largest D of pct:D.</summary>
    public const int MaxDepth = 100;

    /// <summary>The largest K of delay:K.</summary>
    public const int MaxDelays = 1000;

    /// <summary>What a valid value looks like, completing "expected ...".</summary>
    public const string Expected = "random, pct:D (D from 1 to 100), delay:K (K from 1 to 1000) or portfolio";

    /// <summary>Parses <c>random</c>, <c>pct:D</c>, <c>delay:K</c> or <c>portfolio</c>; false for anything else.</summary>
    public static bool TryParse(string? text, out ExplorationStrategy strategy)
    {
        strategy = Random;
        switch (text)
        {
            case null:
                return false;
            case "random":
                return true;
            case "portfolio":
                strategy = new ExplorationStrategy(StrategyKind.Portfolio, 0);
                return true;
        }
        var colon = text.IndexOf(':');
        if (colon < 0) return false;
        var (name, number) = (text[..colon], text[(colon + 1)..]);
        if (number.Length == 0 || number.Length > 4 || !number.All(char.IsAsciiDigit)) return false;
        var n = int.Parse(number, NumberStyles.None, CultureInfo.InvariantCulture);
        switch (name)
        {
            case "pct" when n is >= 1 and <= MaxDepth:
                strategy = new ExplorationStrategy(StrategyKind.Pct, n);
                return true;
            case "delay" when n is >= 1 and <= MaxDelays:
                strategy = new ExplorationStrategy(StrategyKind.Delay, n);
                return true;
            default:
                return false;
        }
    }

    /// <summary>The strategy a run with this seed uses: a portfolio picks a member from the seed, the others are themselves.</summary>
    public ExplorationStrategy ForSeed(ulong seed) =>
        Kind == StrategyKind.Portfolio ? PortfolioMembers[(int)SimRandom.For(seed, "engine/portfolio").NextLong(PortfolioMembers.Count)] : this;

    /// <summary>The strategy of iteration <paramref name="iteration"/> of an exploration: a portfolio alternates its members.</summary>
    public ExplorationStrategy ForIteration(int iteration) =>
        Kind == StrategyKind.Portfolio ? PortfolioMembers[iteration % PortfolioMembers.Count] : this;

    public override string ToString() => Kind switch
    {
        StrategyKind.Pct => $"pct:{Bound}",
        StrategyKind.Delay => $"delay:{Bound}",
        StrategyKind.Portfolio => "portfolio",
        _ => "random",
    };
}
