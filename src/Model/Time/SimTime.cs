using System.Globalization;

namespace ActorKernel.Model;

/// <summary>Virtual time: nanoseconds since the start of a run. Never read from a wall clock.</summary>
public readonly record struct SimTime(long Ns) : IComparable<SimTime>
{
    public const long NsPerUs = 1_000;
    public const long NsPerMs = 1_000_000;
    public const long NsPerS = 1_000_000_000;

    public static SimTime Zero => new(0);

    public static SimTime FromUs(long us) => new(checked(us * NsPerUs));
    public static SimTime FromMs(long ms) => new(checked(ms * NsPerMs));

    /// <summary>A duration in microseconds (a configured time slice, an interval) as virtual nanoseconds.</summary>
    public static long UsToNs(long us) => checked(us * NsPerUs);

    /// <summary>A duration in milliseconds (a scan delay, a timeline bucket) as virtual nanoseconds.</summary>
    public static long MsToNs(long ms) => checked(ms * NsPerMs);

    /// <summary>A duration in seconds (a run's length) as virtual nanoseconds.</summary>
    public static long SToNs(long s) => checked(s * NsPerS);

    public static SimTime operator +(SimTime t, long ns) => new(checked(t.Ns + ns));

    /// <summary>Elapsed nanoseconds from <paramref name="earlier"/> to <paramref name="later"/>.</summary>
    public static long operator -(SimTime later, SimTime earlier) => checked(later.Ns - earlier.Ns);

    public int CompareTo(SimTime other) => Ns.CompareTo(other.Ns);

    public static bool operator <(SimTime a, SimTime b) => a.Ns < b.Ns;
    public static bool operator >(SimTime a, SimTime b) => a.Ns > b.Ns;
    public static bool operator <=(SimTime a, SimTime b) => a.Ns <= b.Ns;
    public static bool operator >=(SimTime a, SimTime b) => a.Ns >= b.Ns;

    public override string ToString() =>
        (Ns / (double)NsPerMs).ToString("0.000000", CultureInfo.InvariantCulture) + " ms";
}
