using System.Diagnostics.CodeAnalysis;

namespace ActorKernel.Configuration;

/// <summary>What a key accepts: a parser from <see cref="RawValue"/> plus the phrase error messages use ("an integer from 1 to 64").</summary>
public abstract class SettingKind
{
    protected SettingKind(string expected) => Expected = expected;

    /// <summary>What a valid value looks like, completing "expected ...".</summary>
    public string Expected { get; }

    /// <summary>Whether <paramref name="raw"/> is a valid value of this kind.</summary>
    public abstract bool Accepts(RawValue raw);
}

/// <summary>Parses a raw value; returns false (and no value) when it is not valid.</summary>
public delegate bool RawParser<T>(RawValue raw, out T value);

/// <summary>A <see cref="SettingKind"/> that binds to <typeparamref name="T"/>. Build them with <see cref="SettingKinds"/>.</summary>
public sealed class SettingKind<T> : SettingKind
{
    private readonly RawParser<T> _parse;

    public SettingKind(string expected, RawParser<T> parse)
        : base(expected) => _parse = parse;

    public bool TryParse(RawValue raw, [MaybeNullWhen(false)] out T value) => _parse(raw, out value);

    public override bool Accepts(RawValue raw) => _parse(raw, out _);
}
