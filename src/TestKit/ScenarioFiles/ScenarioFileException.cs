namespace ActorKernel.TestKit.ScenarioFiles;

/// <summary>A scenario file that cannot be read: the message is one line, "line N: what was expected".</summary>
public sealed class ScenarioFileException : Exception
{
    public ScenarioFileException(int line, string message) : base($"line {line}: {message}")
    {
        Line = line;
    }

    /// <summary>The 1-based line the problem is on.</summary>
    public int Line { get; }
}
