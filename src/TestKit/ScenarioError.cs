using ActorKernel.Configuration;

namespace ActorKernel.TestKit;

/// <summary>
/// A scenario that cannot run as written (a name placed twice or never, a page outside its region,
/// a write to a read-only mapping, a bad ACTORKERNEL_SEED): thrown by <see cref="ScenarioBuilder.Build()"/>
/// before anything runs, as one line. Like the CLI's errors it is a <see cref="UserError"/>; mistakes in
/// keys and values and an unavailable policy are <see cref="ConfigError"/>s with the CLI's own messages.
/// </summary>
public sealed class ScenarioError : UserError
{
    public ScenarioError(string message) : base(ConfigError.OneLine(message))
    {
    }
}
