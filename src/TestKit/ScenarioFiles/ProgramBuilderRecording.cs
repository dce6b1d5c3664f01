using ActorKernel.TestKit.ScenarioFiles;

namespace ActorKernel.TestKit;

/// <summary>Each call of a program, kept as data as well, so a built scenario can be saved as a scenario file.</summary>
public sealed partial class ProgramBuilder
{
    internal readonly List<ScenarioStep> Recorded = new();

    /// <summary>The first call this program (or a child or body it contains) made that the scenario-file format cannot say, if any.</summary>
    internal string? WithoutFileForm { get; private set; }

    /// <summary>The thread (a forked child: its process) exits here; nothing may follow in this program.</summary>
    public ProgramBuilder Exit()
    {
        Record(new ExitStep());
        return this;
    }

    private void Record(ScenarioStep? step)
    {
        if (Recorded.Count > 0 && Recorded[^1] is ExitStep)
            throw new InvalidOperationException($"nothing runs after Exit(): {step?.GetType().Name ?? "a step"} cannot follow it");
        if (step is not null) Recorded.Add(step);
    }

    private void Record(IEnumerable<ScenarioStep> steps)
    {
        foreach (var step in steps) Record(step);
    }

    // A call the format has no line for: remembered so that ToScenarioFile() refuses, naming it.
    private ScenarioStep? NoFileForm(string call)
    {
        WithoutFileForm ??= call;
        return null;
    }

    private void InheritNoFileForm(ProgramBuilder nested) => WithoutFileForm ??= nested.WithoutFileForm;
}
