namespace ActorKernel.Model;

/// <summary>What a run offers a policy: the kernel profile, the probe's attach point (probe.attach), and what each workload probes.</summary>
/// <param name="Kernel">The run's kernel profile (its name is the profile's).</param>
/// <param name="ProbeAttach">The tracer's attach point for execve (actor-kernel.probe.attach).</param>
/// <param name="Workloads">The enabled workloads' declarations, in order.</param>
public sealed record PolicyContext(KernelProfile Kernel, Tracepoint ProbeAttach, IReadOnlyList<WorkloadProbes> Workloads)
{
    /// <summary>Every attach point of the run, probe.attach first, each once.</summary>
    public IReadOnlyList<Tracepoint> AttachPoints =>
        Workloads.SelectMany(w => w.AttachPoints.Select(a => a.Point)).Prepend(ProbeAttach).Distinct().ToArray();
}

/// <summary>A condition a kernel profile or an attach point must meet for a policy to exist; unmet, a one-line reason.</summary>
public sealed class PolicyRequirement
{
    private readonly Func<ProbePolicy, PolicyContext, string?> _unmet;

    private PolicyRequirement(Func<ProbePolicy, PolicyContext, string?> unmet)
    {
        _unmet = unmet;
    }

    /// <summary>Why <paramref name="policy"/> cannot run in <paramref name="context"/>, or null.</summary>
    public string? Unmet(ProbePolicy policy, PolicyContext context) => _unmet(policy, context);

    /// <summary>mm/memory.c lock_vma_under_rcu(): per-VMA locks exist (6.4+, kernel.features.per-vma-locks).</summary>
    public static PolicyRequirement PerVmaLocks { get; } = new((p, c) => c.Kernel.PerVmaLocks ? null :
        $"policy {p.Name} is not available at {c.ProbeAttach.ToName()} on kernel profile {c.Kernel.Name}: it has no per-VMA locks (kernel.features.per-vma-locks = off)");

    /// <summary>
    /// The program may sleep where it is attached: at a syscall tracepoint that needs faultable
    /// syscall tracepoints (~6.13+, kernel.features.faultable-syscall-tracepoints).
    /// </summary>
    public static PolicyRequirement SleepableAttachPoints { get; } = new((p, c) =>
    {
        if (c.Kernel.FaultableSyscallTracepoints) return null;
        var at = c.AttachPoints.Where(t => t.IsSyscallEntry()).Select(t => (Tracepoint?)t).FirstOrDefault();
        return at is not { } syscall ? null :
            $"policy {p.Name} is not available at {syscall.ToName()} on kernel profile {c.Kernel.Name}: it has no faultable syscall tracepoints (kernel.features.faultable-syscall-tracepoints = off), so a program there cannot sleep";
    });

    /// <summary>Sleepable BPF programs and bpf_copy_from_user() exist (kernel/bpf/verifier.c BPF_F_SLEEPABLE, 5.10+, kernel.features.sleepable-fentry).</summary>
    public static PolicyRequirement SleepablePrograms { get; } = new((p, c) => c.Kernel.SleepableFentry ? null :
        $"policy {p.Name} is not available at {c.ProbeAttach.ToName()} on kernel profile {c.Kernel.Name}: it has no sleepable BPF programs (kernel.features.sleepable-fentry = off), so no bpf_copy_from_user()");

    /// <summary>Every workload's attach points have a deferred read point (a workload declares which do).</summary>
    public static PolicyRequirement DeferredPointEverywhere { get; } = new((p, c) =>
    {
        foreach (var w in c.Workloads)
        {
            var without = w.AttachPoints.Where(a => a.DeferredPoint is null).Select(a => a.Point.ToName()).ToArray();
            if (without.Length > 0)
                return $"policy {p.Name} re-reads execve's arguments at sched_process_exec; the {w.Workload} workload's {string.Join("/", without)} probes have no deferred (syscall-exit) read in this model: choose another policy or set workload.{w.Workload}.enabled = off";
        }
        return null;
    });
}
