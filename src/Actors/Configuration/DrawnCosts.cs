namespace ActorKernel.Actors.Configuration;

/// <summary>
/// What <see cref="CostsSettings"/> and <see cref="NumaCostsSettings"/> share: keys that are fixed or drawn per
/// use (<see cref="CostDistribution"/>), and a run's own copy that draws them from the run's seed.
/// </summary>
public abstract record DrawnCosts<TSelf> where TSelf : DrawnCosts<TSelf>
{
    private CostSampler? _sampler;

    /// <summary>The keys given a distribution (by key path, e.g. <c>costs.minor-fault-ns</c>); every other key is fixed.</summary>
    public VaryingCosts Varying { get; init; } = VaryingCosts.None;

    /// <summary>
    /// The costs as one run sees them: each read of a varying key is a draw from the run's generator
    /// (seed and key name). Without varying keys this is the same object, and nothing is drawn.
    /// </summary>
    public TSelf ForRun(ulong seed)
    {
        if (Varying.Count == 0) return (TSelf)this;
        var copy = this with { };
        copy._sampler = new CostSampler(seed, Varying);
        return (TSelf)copy;
    }

    /// <summary>The value of <paramref name="key"/> for this use: <paramref name="fixedNs"/>, or a draw in a run's copy.</summary>
    protected long Draw(string key, long fixedNs) => _sampler is null ? fixedNs : _sampler.Draw(key, fixedNs);
}
