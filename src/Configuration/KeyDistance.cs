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
