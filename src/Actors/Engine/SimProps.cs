using Akka.Actor;

namespace ActorKernel.Actors.Engine;

/// <summary>
/// Delegate-based Props. Akka's Props.Create(() => new T(args)) walks the expression tree
/// and evaluates every argument by compiling it, then creates the actor by reflection:
/// measured at ≈3 ms per fork here (four actors each), it dominated a fork/exec run.
/// Props that just call the delegate cost almost nothing.
/// </summary>
public static class SimProps
{
    private static readonly Deploy Undeployed = new();

    public static Props Create<TActor>(Func<TActor> factory) where TActor : ActorBase =>
        new FactoryProps(Undeployed, typeof(TActor), factory);

    /// <summary>
    /// The same actor on <paramref name="laneDeploy"/>, or null for Props not made by <see cref="Create{TActor}"/>.
    /// One Props and no Deploy per actor: Akka's WithDispatcher and WithMailbox each build a new Deploy, and
    /// every Deploy Akka 1.5 builds parses an empty HOCON document for its default Config.
    /// </summary>
    internal static Props? On(Props props, Deploy laneDeploy) =>
        props is FactoryProps f && ReferenceEquals(f.Deploy, Undeployed) ? new FactoryProps(laneDeploy, f.Type, f.Factory) : null;

    private sealed class FactoryProps : Props
    {
        public FactoryProps(Deploy deploy, Type actorType, Func<ActorBase> factory)
            : base(deploy, actorType)
        {
            Factory = factory;
        }

        public Func<ActorBase> Factory { get; }

        public override ActorBase NewActor() => Factory();

        protected override Props Copy() => new FactoryProps(Deploy, Type, Factory) { SupervisorStrategy = SupervisorStrategy };
    }
}
