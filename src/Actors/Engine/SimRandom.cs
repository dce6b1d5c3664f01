namespace ActorKernel.Actors.Engine;

/// <summary>
/// The run's source of chance: xoshiro256** seeded through SplitMix64. Unlike
/// <see cref="System.Random"/> its sequence is fixed by this file, so a seed means the
/// same thing in every .NET version and process. <see cref="Split"/> derives an
/// independent generator from a stable key (an actor's name), never from creation order.
/// </summary>
public sealed class SimRandom
{
    private ulong _s0, _s1, _s2, _s3;

    public SimRandom(ulong seed)
    {
        var sm = seed;
        _s0 = SplitMix64(ref sm);
        _s1 = SplitMix64(ref sm);
        _s2 = SplitMix64(ref sm);
        _s3 = SplitMix64(ref sm);
    }

    /// <summary>A generator for <paramref name="key"/>, independent of every other key's.</summary>
    public SimRandom Split(string key) => new(NextUInt64() ^ StableHash(key));

    /// <summary>A generator derived from a seed and a key without consuming from any generator.</summary>
    public static SimRandom For(ulong seed, string key) => new(seed * 0x9E3779B97F4A7C15UL ^ StableHash(key));

    public ulong NextUInt64()
    {
        var result = RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, bound), bound &gt; 0 (Lemire's multiply-shift, unbiased enough for bounds far below 2^64).</summary>
    public long NextLong(long bound)
    {
        if (bound <= 0) throw new ArgumentOutOfRangeException(nameof(bound), bound, "bound must be positive");
        return (long)(((UInt128)NextUInt64() * (ulong)bound) >> 64);
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>FNV-1a 64 over UTF-16 code units: a hash that, unlike string.GetHashCode, is the same in every process.</summary>
    public static ulong StableHash(string key)
    {
        var h = 0xcbf29ce484222325UL;
        foreach (var c in key)
        {
            h ^= c;
            h *= 0x100000001b3UL;
        }
        return h;
    }

    private static ulong SplitMix64(ref ulong x)
    {
        var z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));
}
