using System.Globalization;
using ActorKernel.Model;

namespace ActorKernel.TestKit;

/// <summary>
/// A span of virtual time with its unit in the story: <c>50.Microseconds()</c>, <c>2.Seconds()</c>.
/// Every TestKit call that takes a duration takes this, and every failure message prints time the
/// way <see cref="ToString"/> does ("29.52 µs", "1.2 s").
/// </summary>
public readonly record struct SimDuration(long Ns) : IComparable<SimDuration>
{
    public static SimDuration Zero => default;

    public static SimDuration operator +(SimDuration a, SimDuration b) => new(checked(a.Ns + b.Ns));

    public static SimDuration operator -(SimDuration a, SimDuration b) => new(checked(a.Ns - b.Ns));

    public static SimDuration operator *(SimDuration a, long times) => new(checked(a.Ns * times));

    public static bool operator <(SimDuration a, SimDuration b) => a.Ns < b.Ns;

    public static bool operator >(SimDuration a, SimDuration b) => a.Ns > b.Ns;

    public static bool operator <=(SimDuration a, SimDuration b) => a.Ns <= b.Ns;

    public static bool operator >=(SimDuration a, SimDuration b) => a.Ns >= b.Ns;

    public int CompareTo(SimDuration other) => Ns.CompareTo(other.Ns);

    /// <summary>The largest unit (s, ms, µs, ns) in which the value is at least 1, with up to 6 decimals.</summary>
    public override string ToString() => Format(Ns);

    /// <summary>Virtual nanoseconds written as <see cref="ToString"/> writes a duration (also used for instants: time since the run started).</summary>
    public static string Format(long ns)
    {
        var abs = Math.Abs(ns);
        var (scale, unit) = abs >= SimTime.NsPerS ? (SimTime.NsPerS, "s")
            : abs >= SimTime.NsPerMs ? (SimTime.NsPerMs, "ms")
            : abs >= SimTime.NsPerUs ? (SimTime.NsPerUs, "µs")
            : (1L, "ns");
        return (ns / (double)scale).ToString("0.######", CultureInfo.InvariantCulture) + " " + unit;
    }

    /// <summary>The value in whole units of <paramref name="unitNs"/>; a <see cref="ScenarioError"/> naming <paramref name="what"/> when it is not whole.</summary>
    internal long Whole(long unitNs, string unit, string what) =>
        Ns % unitNs == 0 ? Ns / unitNs : throw new ScenarioError($"{what} is {this}: it must be a whole number of {unit}");
}

/// <summary>Durations with their unit: <c>50.Microseconds()</c>.</summary>
public static class SimDurations
{
    public static SimDuration Nanoseconds(this long ns) => new(ns);

    public static SimDuration Nanoseconds(this int ns) => new(ns);

    public static SimDuration Microseconds(this long us) => new(SimTime.UsToNs(us));

    public static SimDuration Microseconds(this int us) => new(SimTime.UsToNs(us));

    public static SimDuration Milliseconds(this long ms) => new(SimTime.MsToNs(ms));

    public static SimDuration Milliseconds(this int ms) => new(SimTime.MsToNs(ms));

    public static SimDuration Seconds(this long s) => new(SimTime.SToNs(s));

    public static SimDuration Seconds(this int s) => new(SimTime.SToNs(s));
}
