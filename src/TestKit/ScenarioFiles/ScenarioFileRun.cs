using ActorKernel.Actors.Metrics;
using ActorKernel.Model;
using Akka.Actor;

namespace ActorKernel.TestKit.ScenarioFiles;

/// <summary>Runs a scenario file in the model the way `actorkernel calibrate --scenario` does.</summary>
public static class ScenarioFileRun
{
    /// <summary>
    /// Every probe read at sys_enter_execve, in order: run on <paramref name="system"/> with the seed
    /// (the ACTORKERNEL_SEED variable overrides it, as for any scenario) and probe policy nofault.
    /// </summary>
    public static IReadOnlyList<ProbeReadCompleted> ExecveReads(ActorSystem system, ScenarioFile file, ulong seed = 1)
    {
        using var s = new ScenarioBuilder(system).Load(file).Seed(seed).Policy(ProbePolicy.NoFault).Build();
        s.Finish();
        var point = Tracepoint.SysEnterExecve.ToName();
        return s.ProbeReads.Where(r => r.Attach == point).ToArray();
    }
}
