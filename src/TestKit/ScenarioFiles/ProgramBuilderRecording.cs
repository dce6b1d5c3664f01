using ActorKernel.TestKit.ScenarioFiles;

namespace ActorKernel.TestKit;

/// <summary>Each call of a program, kept as data as well, so a built scenario can be saved as a scenario file.</summary>
public sealed partial class ProgramBuilder
{
    internal readonly List<ScenarioStep> Recorded = new();

    /// <summary>The thread (a forked child: its process) exits here; nothing may follow in this program.</summary>
    public ProgramBuilder Exit()
    {
        Record(new ExitStep());
        return this;
    }

    private void Record(ScenarioStep step)
    {
        if (Recorded.Count > 0 && Recorded[^1] is ExitStep)
            throw new InvalidOperationException($"nothing runs after Exit(): {step.GetType().Name} cannot follow it");
        Recorded.Add(step);
    }
}
