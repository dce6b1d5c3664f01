using Akka.Actor;

namespace ActorKernel.Actors.Engine;

/// <summary>
/// PCT (Burckhardt, Kothari, Musuvathi, Nagarakatte, "A Randomized Scheduler with Probabilistic
/// Guarantees of Finding Bugs", ASPLOS 2010) over actors: each actor gets a random priority when
/// it first is a candidate at a choice point; the candidate of the highest-priority actor runs
/// (an actor's own events keep their order); at D-1 change points, drawn uniformly among the
/// expected choice points, the actor that just ran drops below every initial priority (the
/// i-th change to priority i - D, as in the paper). A bug of depth d
/// (d ordering constraints) is found with probability at least 1/(n·k^(d-1)).
/// </summary>
internal sealed class PctChoices : IChoiceStrategy
{
    private readonly SimRandom _random;
    // Lookup only (never iterated): an actor's current priority.
    private readonly Dictionary<IActorRef, long> _priority = new();
    private readonly long[] _changePoints;
    private int _changesMade;

    public PctChoices(int depth, ulong seed, long choicePointsHint)
    {
        _random = SimRandom.For(seed, "engine/pct");
        _changePoints = new long[depth - 1];
        for (var i = 0; i < _changePoints.Length; i++) _changePoints[i] = _random.NextLong(Math.Max(1, choicePointsHint));
        Array.Sort(_changePoints);
    }

    public ulong Tiebreak() => 0UL;

    public int Choose(List<DueEvent> candidates, long point)
    {
        var best = -1;
        var bestPriority = long.MinValue;
        for (var i = 0; i < candidates.Count; i++)
        {
            var p = PriorityOf(candidates[i].Event.Target);
            if (p > bestPriority)
            {
                best = i;
                bestPriority = p;
            }
        }
        while (_changesMade < _changePoints.Length && _changePoints[_changesMade] <= point)
        {
            // Change point i (from 1) lowers the actor to priority i - D: below every initial priority (all >= 0).
            _changesMade++;
            _priority[candidates[best].Event.Target] = _changesMade - _changePoints.Length - 1;
        }
        return best;
    }

    private long PriorityOf(IActorRef actor)
    {
        if (_priority.TryGetValue(actor, out var p)) return p;
        p = (long)(_random.NextUInt64() >> 2);
        _priority.Add(actor, p);
        return p;
    }
}
