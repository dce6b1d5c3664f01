namespace ActorKernel.Model;

/// <summary>
/// A probe policy: what a probe read does when the page-table walk finds no present PTE
/// (kernel-model.md §5), described by its properties. The CLI, the experiment plan and the
/// actors all use these descriptions; the probe reader acts on the properties, never on which
/// policy it is. Each policy is one file of this folder, listed once in <see cref="All"/>.
/// </summary>
public sealed partial class ProbePolicy : IComparable<ProbePolicy>
{
    private ProbePolicy()
    {
    }

    /// <summary>The policy's name in configuration (experiment.policies) and in results.</summary>
    public required string Name { get; init; }

    /// <summary>One line for readers: which kernel mechanism it stands for.</summary>
    public required string Summary { get; init; }

    /// <summary>The lock it takes before resolving a fault in place.</summary>
    public required ProbeLocking Locks { get; init; }

    /// <summary>The faults it resolves in place.</summary>
    public required InPlaceFaults Resolves { get; init; }

    /// <summary>Where it reads: at the attach point, or later where the kernel has copied the data.</summary>
    public required ProbeReadPoint Reads { get; init; }

    /// <summary>What kernel profiles and attach points must offer for it to exist; each unmet one is a one-line configuration error.</summary>
    public IReadOnlyList<PolicyRequirement> Requires { get; init; } = Array.Empty<PolicyRequirement>();

    /// <summary>The figures in results that only this kind of policy produces.</summary>
    public PolicyFigures Reports { get; init; }

    /// <summary>Every policy, in the order results and plots list them.</summary>
    public static IReadOnlyList<ProbePolicy> All => Registry.All;

    /// <summary>Every policy's name, in registry order.</summary>
    public static IReadOnlyList<string> Names => Registry.Names;

    /// <summary>Position in <see cref="All"/>: the order of results' rows and of plot colours.</summary>
    public int Index => Registry.IndexOf(this);

    /// <summary>The policy called <paramref name="name"/>; the configuration admits only <see cref="Names"/>.</summary>
    public static ProbePolicy Named(string name) =>
        All.FirstOrDefault(p => p.Name == name) ?? throw new ArgumentException($"no probe policy called '{name}': one of {string.Join(", ", Names)}", nameof(name));

    /// <summary>Why this policy cannot run in <paramref name="context"/> (the first unmet requirement), or null when it can.</summary>
    public string? Unavailable(PolicyContext context) =>
        Requires.Select(r => r.Unmet(this, context)).FirstOrDefault(why => why is not null);

    /// <summary>What <see cref="Resolves"/> allows in place; <paramref name="allowAlloc"/> is probe.allow-alloc, which a context that may sleep does not need.</summary>
    public InPlaceRules InPlaceRules(bool allowAlloc) => Resolves switch
    {
        InPlaceFaults.MinorAndMajor => Model.InPlaceRules.Full,
        InPlaceFaults.Minor => Model.InPlaceRules.MinorOnly(allowAlloc),
        _ => throw new InvalidOperationException($"policy {Name} resolves no fault in place"),
    };

    public int CompareTo(ProbePolicy? other) => other is null ? 1 : Index.CompareTo(other.Index);

    public override string ToString() => Name;

    // A nested class so the list is built after every policy's static property (in its own file) is set.
    private static class Registry
    {
        internal static readonly ProbePolicy[] All = [NoFault, TrylockMinor, TrylockVma, Sleepable, Deferred];

        internal static readonly string[] Names = All.Select(p => p.Name).ToArray();

        internal static int IndexOf(ProbePolicy p) => Array.IndexOf(All, p);
    }
}
