using ActorKernel.Actors.Configuration;
using ActorKernel.Actors.Cpu;

namespace ActorKernel.Actors.Probe;

/// <summary>
/// Which policy a kernel profile can offer at an attach point (kernel-model.md §5, §6). Checked
/// before anything runs: an unavailable combination is a configuration error naming the profile
/// and the attach point.
/// </summary>
public static class PolicyAvailability
{
    /// <summary>Why <paramref name="policy"/> cannot run on these settings, or null when it can.</summary>
    public static string? Unavailable(ProbePolicy policy, ActorKernelSettings s)
    {
        var k = s.Kernel.Profile;
        var attach = s.Probe.Attach;
        return policy switch
        {
            // A sleepable program at a syscall tracepoint needs faultable syscall tracepoints (~6.13+);
            // sleepable fentry/LSM (5.10+) are other attach points, not sys_enter_execve.
            ProbePolicy.Sleepable when attach == Tracepoint.SysEnterExecve.ToName() && !k.FaultableSyscallTracepoints =>
                $"policy sleepable is not available at {attach} on kernel profile {s.Kernel.ProfileName}: it has no faultable syscall tracepoints (kernel.features.faultable-syscall-tracepoints = off), so a program there cannot sleep",
            ProbePolicy.Deferred when s.Workload.NumaIdle.Enabled =>
                "policy deferred re-reads execve's arguments at sched_process_exec; the numa-idle workload's sys_enter_write/sys_enter_openat probes have no deferred (syscall-exit) read in this model: choose another policy or set workload.numa-idle.enabled = off",
            ProbePolicy.TrylockVma when !k.PerVmaLocks =>
                $"policy trylock-vma is not available at {attach} on kernel profile {s.Kernel.ProfileName}: it has no per-VMA locks (kernel.features.per-vma-locks = off)",
            _ => null,
        };
    }
}
