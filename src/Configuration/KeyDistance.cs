namespace ActorKernel.Configuration;

/// <summary>Levenshtein distance over whole key paths, for "did you mean" suggestions.</summary>
public static class KeyDistance
{
    /// <summary>The candidate closest to <paramref name="key"/> (first in order on a tie), or null when there are none.</summary>
    public static string? Nearest(string key, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var d = Levenshtein(key, candidate);
            if (d >= bestDistance) continue;
            best = candidate;
            bestDistance = d;
        }
        return best;
    }

    /// <summary>
    /// The key path closest to <paramref name="path"/>, judged first by its last segment, then by
    /// the whole path: <c>actor-kernel.spawn</c> (a key given without its block) is nearest
    /// <c>actor-kernel.workload.fork-exec.spawn</c>, not the equally short <c>actor-kernel.costs.exec-ns</c>.
    /// Null when even the nearest last segment differs in more than half its characters (at least 2 edits are allowed).
    /// </summary>
    public static string? NearestPath(string path, IEnumerable<string> candidates)
    {
        // A path this long is no typo of a key (and comparing it with every key would take seconds).
        if (path.Length > MaxComparedLength) return null;
        var last = LastSegment(path);
        string? best = null;
        (int Last, int Whole) bestDistance = (int.MaxValue, int.MaxValue);
        foreach (var candidate in candidates)
        {
            var d = (Levenshtein(last, LastSegment(candidate)), Levenshtein(path, candidate));
            if (d.CompareTo(bestDistance) >= 0) continue;
            best = candidate;
            bestDistance = d;
        }
        // A last segment that shares too little with the typed one is no typo of it ("polcy" is not "lru").
        return bestDistance.Last <= Math.Max(2, last.Length / 2) ? best : null;
    }

    private const int MaxComparedLength = 256;

    private static string LastSegment(string path) => path[(path.LastIndexOf('.') + 1)..];

    /// <summary>Edits (insert, delete, substitute one character) that turn <paramref name="a"/> into <paramref name="b"/>.</summary>
    public static int Levenshtein(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitute = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitute, Math.Min(previous[j] + 1, current[j - 1] + 1));
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
