using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using ActorKernel.Experiments.Session;

namespace ActorKernel.Experiments.Journal;

/// <summary>
/// What a set of finished runs belongs to: the experiment, the hash of its effective
/// configuration and the ActorKernel version that ran it. A journal is resumed, and a
/// cluster worker accepts work, only when all three match, so results of different
/// configurations or model versions are never mixed.
/// </summary>
/// <param name="Experiment">experiment.name</param>
/// <param name="Seed">experiment.seed</param>
/// <param name="ConfigSha256">SHA-256 (hex) of effective.conf without its comment lines (which name the source files, not the values).</param>
/// <param name="Version">ActorKernel's informational version (version+commit).</param>
/// <param name="Runs">How many runs the plan has.</param>
public sealed record ExperimentIdentity(string Experiment, long Seed, string ConfigSha256, string Version, int Runs)
{
    /// <summary>This build's version, e.g. <c>1.0.0+0c069a8…</c> (the commit it was built from).</summary>
    public static string CurrentVersion { get; } =
        typeof(ExperimentIdentity).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    public static ExperimentIdentity Of(ExperimentSession session) => new(
        session.Experiment.Name,
        session.Experiment.Seed,
        ConfigHash(session.Config.RenderEffective()),
        CurrentVersion,
        session.Plan.Runs.Count);

    /// <summary>The hash of an effective configuration; comment lines are left out.</summary>
    public static string ConfigHash(string effectiveConf)
    {
        var lines = effectiveConf.Split('\n').Where(l => !l.TrimStart().StartsWith('#'));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', lines))));
    }

    /// <summary>Why <paramref name="other"/> (found in a journal or offered by a coordinator) is not this experiment, or null when it is.</summary>
    public string? Mismatch(ExperimentIdentity other)
    {
        if (other.ConfigSha256 != ConfigSha256 || other.Experiment != Experiment || other.Seed != Seed || other.Runs != Runs)
            return $"it is experiment '{other.Experiment}' seed {other.Seed} with configuration hash {Short(other.ConfigSha256)} ({other.Runs} runs), " +
                   $"this is '{Experiment}' seed {Seed} with {Short(ConfigSha256)} ({Runs} runs); give the same experiment file and --set/--seed values";
        if (other.Version != Version)
            return $"it was made by ActorKernel {other.Version}, this is {Version}; results of different model versions are not mixed";
        return null;
    }

    private static string Short(string hash) => hash.Length > 12 ? hash[..12] : hash;
}
