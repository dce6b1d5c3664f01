using ActorKernel.Actors.Engine;
using Akka.Actor;
using Akka.Configuration;

namespace ActorKernel.Bench.Infra;

/// <summary>
/// The one actor system of a harness invocation, and the simulation lanes it hands out.
/// Lane indices stay in 0..9: <see cref="SimLane"/> names a run's root after the last character
/// of its dispatcher id, so lanes 1 and 11 would collide on root names.
/// </summary>
public static class BenchEnv
{
    /// <summary>Dispatcher of the raw-Akka baseline: one dedicated thread, throughput 100 (the engine's mailbox throughput).</summary>
    public const string ForkJoinOneThread = "bench-fj-1";

    private static readonly Lazy<ActorSystem> LazySystem = new(() => ActorSystem.Create("bench", ConfigurationFactory.ParseString($$"""
        akka {
          loglevel = WARNING
          stdout-loglevel = WARNING
          log-dead-letters = off
          log-dead-letters-during-shutdown = off
        }
        {{ForkJoinOneThread}} {
          type = ForkJoinDispatcher
          throughput = 100
          dedicated-thread-pool {
            thread-count = 1
            threadtype = background
          }
        }
        """)));

    private static readonly object Gate = new();
    private static readonly Dictionary<int, SimLane> Lanes = new();

    public static ActorSystem System => LazySystem.Value;

    /// <summary>The lane with this index (0..9), created on first use and reused afterwards.</summary>
    public static SimLane Lane(int index)
    {
        if (index is < 0 or > 9) throw new ArgumentOutOfRangeException(nameof(index), index, "lanes 0..9 only (root names use the last digit)");
        lock (Gate)
        {
            if (!Lanes.TryGetValue(index, out var lane))
            {
                lane = new SimLane(System, index);
                Lanes.Add(index, lane);
            }
            return lane;
        }
    }

    /// <summary>Whether lane <paramref name="index"/> was never used (a fresh lane has an unused timed queue).</summary>
    public static bool IsFresh(int index)
    {
        lock (Gate) return !Lanes.ContainsKey(index);
    }

    /// <summary>The repository the bench runs from: the first folder above the binary holding ActorKernel.sln.</summary>
    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "ActorKernel.sln"))) return dir.FullName;
        throw new InvalidOperationException("the bench runs from the repository (ActorKernel.sln not found above the binary)");
    }

    public static void Shutdown()
    {
        if (LazySystem.IsValueCreated) System.Terminate().Wait(TimeSpan.FromSeconds(20));
    }
}

/// <summary>Delegate-based Props: architecture.md pitfall 8 (expression Props cost ≈0.8 ms per actor).</summary>
public sealed class FuncProducer<T> : IIndirectActorProducer where T : ActorBase
{
    private readonly Func<T> _factory;

    public FuncProducer(Func<T> factory) => _factory = factory;

    public Type ActorType => typeof(T);

    public ActorBase Produce() => _factory();

    public void Release(ActorBase actor)
    {
    }

    public static Props Props(Func<T> factory) => Akka.Actor.Props.CreateBy(new FuncProducer<T>(factory));
}
