using System.Globalization;
using System.Numerics;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;

namespace ActorKernel.Configuration;

/// <summary>The kinds of value configuration keys take. Every kind names its bounds in its error phrase.</summary>
public static class SettingKinds
{
    private static readonly string[] TrueWords = ["on", "true", "yes"];
    private static readonly string[] FalseWords = ["off", "false", "no"];

    /// <summary>on/off, true/false or yes/no.</summary>
    public static readonly SettingKind<bool> Flag = new("on, off, true, false, yes or no", (RawValue raw, out bool value) =>
    {
        value = false;
        if (raw.Text is not { } text) return false;
        if (TrueWords.Contains(text, StringComparer.OrdinalIgnoreCase)) return value = true;
        return FalseWords.Contains(text, StringComparer.OrdinalIgnoreCase);
    });

    /// <summary>Any single text value.</summary>
    public static readonly SettingKind<string> AnyText = new("a text value", (RawValue raw, out string value) =>
    {
        value = raw.Text ?? "";
        return raw.Text is not null;
    });

    /// <summary>A decimal integer in [min, max]. Durations are such integers in the unit the key's name ends with.</summary>
    public static SettingKind<long> Integer(long min, long max) =>
        new($"an integer from {Num(min)} to {Num(max)}", (RawValue raw, out long value) =>
            TryInteger(raw, out value) && value >= min && value <= max);

    /// <summary>A decimal integer in [min, max] that fits an <see cref="int"/>.</summary>
    public static SettingKind<int> Int32(int min, int max) =>
        new($"an integer from {Num(min)} to {Num(max)}", (RawValue raw, out int value) =>
        {
            var ok = TryInteger(raw, out var v) && v >= min && v <= max;
            value = ok ? (int)v : 0;
            return ok;
        });

    /// <summary>A power of two in [min, max].</summary>
    public static SettingKind<int> PowerOfTwo(int min, int max) =>
        new($"a power of two from {Num(min)} to {Num(max)}", (RawValue raw, out int value) =>
        {
            var ok = TryInteger(raw, out var v) && v >= min && v <= max && BitOperations.IsPow2(v);
            value = ok ? (int)v : 0;
            return ok;
        });

    /// <summary>One of a fixed set of words, matched exactly.</summary>
    public static SettingKind<string> OneOf(IReadOnlyList<string> words) =>
        new($"one of {string.Join(", ", words)}", (RawValue raw, out string value) =>
        {
            value = raw.Text ?? "";
            return raw.Text is not null && words.Contains(raw.Text, StringComparer.Ordinal);
        });

    /// <summary>Text matching a whole-value pattern, described in words for the error message.</summary>
    public static SettingKind<string> Text(Regex pattern, string description) =>
        new(description, (RawValue raw, out string value) =>
        {
            value = raw.Text ?? "";
            return raw.Text is not null && pattern.IsMatch(raw.Text);
        });

    /// <summary>A member of <typeparamref name="TEnum"/>, written in kebab case (<c>PosixSpawn</c> is <c>posix-spawn</c>) or as its <see cref="ConfigNameAttribute"/>.</summary>
    public static SettingKind<TEnum> Enum<TEnum>()
        where TEnum : struct, Enum
    {
        // The member table is built without generic code over the enum (no LINQ, no NameOf<TEnum> per member): the schema
        // binds some forty enums when a command starts, and each generic instantiation over a value type is compiled
        // on the spot; the parser below is the one piece that has to know TEnum.
        var members = Members(typeof(TEnum));
        return new($"one of {string.Join(", ", members.Select(m => m.Name))}", (RawValue raw, out TEnum value) =>
        {
            value = default;
            foreach (var m in members)
            {
                if (!string.Equals(m.Name, raw.Text, StringComparison.Ordinal)) continue;
                value = (TEnum)m.Value;
                return true;
            }
            return false;
        });
    }

    /// <summary>The configuration name of an enum member: its <see cref="ConfigNameAttribute"/>, else its name in kebab case.</summary>
    public static string NameOf<TEnum>(TEnum member)
        where TEnum : struct, Enum
    {
        var name = member.ToString();
        return NameOf(typeof(TEnum).GetField(name), name);
    }

    // The enum's members in value order (as Enum.GetValues gives them), each with its configuration name.
    private static (string Name, object Value)[] Members(Type enumType)
    {
        var fields = enumType.GetFields(BindingFlags.Public | BindingFlags.Static);
        var members = new (string Name, object Value)[fields.Length];
        for (var i = 0; i < fields.Length; i++) members[i] = (NameOf(fields[i], fields[i].Name), fields[i].GetValue(null)!);
        Array.Sort(members, static (a, b) => ((IComparable)a.Value).CompareTo(b.Value));
        return members;
    }

    private static string NameOf(FieldInfo? field, string name) =>
        field?.GetCustomAttribute<ConfigNameAttribute>()?.Name ?? Kebab(name);

    /// <summary>A list of at least <paramref name="minCount"/> values of <paramref name="item"/>.</summary>
    public static SettingKind<IReadOnlyList<T>> ListOf<T>(SettingKind<T> item, int minCount = 1) =>
        new($"a list of at least {minCount} of {item.Expected}", (RawValue raw, out IReadOnlyList<T> value) =>
        {
            var items = new List<T>();
            value = items;
            if (raw.Items is null || raw.Items.Count < minCount) return false;
            foreach (var text in raw.Items)
            {
                if (!item.TryParse(RawValue.Scalar(text), out var v)) return false;
                items.Add(v);
            }
            return true;
        });

    private static string Kebab(string pascal)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < pascal.Length; i++)
        {
            if (char.IsUpper(pascal[i]) && i > 0) sb.Append('-');
            sb.Append(char.ToLowerInvariant(pascal[i]));
        }
        return sb.ToString();
    }

    private static bool TryInteger(RawValue raw, out long value)
    {
        value = 0;
        return raw.Text is { } text &&
               long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    private static string Num(long n) => n.ToString(CultureInfo.InvariantCulture);
}
