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
    /// The policy's program can sleep where it reads. kernel/bpf/verifier.c can_be_sleepable() (6.8.0
    /// line 20627, 6.18.2 line 23954) admits fentry/fexit/fmod_ret, LSM, iterators, uprobes and
    /// struct_ops, never a tracepoint; check_attach_btf_id() admits a sleepable fentry on a function of
    /// the error-injection list, which every x86 syscall entry is (arch/x86/include/asm/syscall_wrapper.h
    /// ALLOW_ERROR_INJECTION(__x64_sys_*)). So the program is <see cref="FentryOf"/> each probed
    /// syscall entry, run at the moment of its sys_enter_ tracepoint, and needs sleepable programs with
    /// bpf_copy_from_user() (5.10+, kernel.features.sleepable-fentry).
    /// </summary>
    public static PolicyRequirement SleepableFentry { get; } = new((p, c) =>
    {
        foreach (var at in c.AttachPoints)
        {
            if (FentryOf(at) is not { } fentry)
                return $"policy {p.Name} is not available at {at.ToName()}: a tracepoint program cannot be sleepable (kernel/bpf/verifier.c can_be_sleepable()), and {at.ToName()} is no syscall entry with an fentry in its place";
            if (!c.Kernel.SleepableFentry)
                return $"policy {p.Name} is not available at {at.ToName()} on kernel profile {c.Kernel.Name}: it runs as a sleepable {fentry} program, and the profile has no sleepable BPF programs (kernel.features.sleepable-fentry = off; 5.10+)";
        }
        return null;
    });

    /// <summary>The fentry attach point that runs at the moment of a syscall-entry tracepoint (x86: fentry/__x64_sys_&lt;name&gt;), or null for any other tracepoint.</summary>
    public static string? FentryOf(Tracepoint tp) =>
        tp.IsSyscallEntry() ? "fentry/__x64_sys_" + tp.ToName()["sys_enter_".Length..] : null;

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
