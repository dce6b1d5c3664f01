namespace ActorKernel.TestKit;

/// <summary>A scenario expectation failed. The message ends with the seed and the command that replays the scenario.</summary>
public sealed class ScenarioExpectationException : Exception
{
    public ScenarioExpectationException(string message) : base(message)
    {
    }
}
