using ActorKernel.Experiments.Journal;
using ActorKernel.Experiments.Session;
using Akka.Configuration;

namespace ActorKernel.Cluster.Tests;

/// <summary>
/// The join with a cluster secret, one side an actor and the other a test probe: who proves what
/// to whom, and how each side refuses a peer that does not share the secret.
/// </summary>
public sealed class SecretJoinTests : Akka.TestKit.Xunit2.TestKit, IDisposable
{
    private static readonly ClusterSecret Secret = ClusterSecret.FromText("the cluster's shared secret", "test");
    private static readonly ClusterSecret Other = ClusterSecret.FromText("some other cluster's secret", "test");

    private readonly string _dir = Directory.CreateTempSubdirectory("actorkernel-secret-join-").FullName;
    private readonly List<RunJournal> _journals = new();

    public SecretJoinTests()
        : base(ClusterConfig.For(new Endpoint("127.0.0.1", 0), ClusterConfig.CoordinatorRole).WithFallback(ConfigurationFactory.Default()))
    {
    }

    void IDisposable.Dispose()
    {
        Dispose();
        foreach (var j in _journals) j.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private static ExperimentSession OneRun() => ExperimentSession.PrepareText("""
        experiment { name = "one", seed = 1, runs-per-point = 1, policies = [nofault] }
        actor-kernel.workload.fork-exec.execs = 3
        """, "one-run (test)", []);

    private (Akka.Actor.IActorRef Coordinator, List<ClusterNotice> Notices) Coordinator(ClusterSecret? secret)
    {
        var s = OneRun();
        var journal = s.OpenJournal(Path.Combine(_dir, $"journal-{_journals.Count}"), resume: false);
        _journals.Add(journal);
        var notices = new List<ClusterNotice>();
        var coordinator = Sys.ActorOf(CoordinatorActor.Props(s, journal, 1, n => { lock (notices) notices.Add(n); }, new TaskCompletionSource(), secret));
        return (coordinator, notices);
    }

    [Fact]
    public void Coordinator_AdmitsAWorkerThatProvesTheSecret_AndProvesItBack()
    {
        var (coordinator, _) = Coordinator(Secret);
        var worker = CreateTestProbe();
        coordinator.Tell(new Hello(ExperimentIdentity.CurrentVersion, 1, "worker-nonce"), worker);
        var challenge = worker.ExpectMsg<Challenge>();
        Assert.True(challenge.SecretRequired);

        coordinator.Tell(new Answer(Secret.Proof(ClusterConfig.WorkerRole, "worker-nonce", challenge.Nonce)), worker);

        var offer = worker.ExpectMsg<Offer>();
        Assert.True(Secret.Verifies(offer.Proof, ClusterConfig.CoordinatorRole, "worker-nonce", challenge.Nonce));
        coordinator.Tell(new Pull(offer.ConfigSha256, 1), worker);
        Assert.Equal(0, worker.ExpectMsg<Assign>().Run);
    }

    [Theory]
    [InlineData(false, "it has no cluster secret, and this coordinator requires one")]
    [InlineData(true, "its cluster secret differs from the coordinator's")]
    public void Coordinator_DeniesAWorkerWithoutTheSecret_OneNotice_NoOffer_NoWork(bool wrongSecret, string reason)
    {
        var (coordinator, notices) = Coordinator(Secret);
        var worker = CreateTestProbe();
        coordinator.Tell(new Hello(ExperimentIdentity.CurrentVersion, 1, "worker-nonce"), worker);
        var challenge = worker.ExpectMsg<Challenge>();

        coordinator.Tell(new Answer(wrongSecret ? Other.Proof(ClusterConfig.WorkerRole, "worker-nonce", challenge.Nonce) : ""), worker);

        Assert.Equal(reason, worker.ExpectMsg<Denied>().Reason);
        lock (notices) Assert.Equal(reason, Assert.Single(notices.OfType<WorkerDenied>()).Reason);
        // Never admitted: its pulls are not answered, and a replayed answer finds no open challenge.
        coordinator.Tell(new Pull(OneRun().Identity.ConfigSha256, 1), worker);
        coordinator.Tell(new Answer(Secret.Proof(ClusterConfig.WorkerRole, "worker-nonce", challenge.Nonce)), worker);
        worker.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public void Coordinator_IgnoresPullsFromAPeerThatNeverJoined()
    {
        var (coordinator, notices) = Coordinator(null);
        var stranger = CreateTestProbe();
        coordinator.Tell(new Pull(OneRun().Identity.ConfigSha256, 1), stranger);
        stranger.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        lock (notices) Assert.Empty(notices.OfType<WorkerJoined>());
    }

    [Fact]
    public void Worker_WithASecret_ProvesIt_AndAcceptsACoordinatorThatProvesItBack()
    {
        var stopped = new TaskCompletionSource<WorkerEnd>();
        var worker = Sys.ActorOf(WorkerActor.Props(1, TestActor, _ => { }, stopped, secret: Secret));
        var hello = ExpectMsg<Hello>();
        worker.Tell(new Challenge("coordinator-nonce", SecretRequired: true), TestActor);
        Assert.True(Secret.Verifies(ExpectMsg<Answer>().Proof, ClusterConfig.WorkerRole, hello.Nonce, "coordinator-nonce"));

        var s = OneRun();
        worker.Tell(Offer(s, Secret.Proof(ClusterConfig.CoordinatorRole, hello.Nonce, "coordinator-nonce")), TestActor);

        ExpectMsg<Pull>();
        Assert.False(stopped.Task.IsCompleted);
    }

    [Fact]
    public async Task Worker_WithASecret_RefusesACoordinatorWithout_BeforeProvingAnything()
    {
        var stopped = new TaskCompletionSource<WorkerEnd>();
        var worker = Sys.ActorOf(WorkerActor.Props(1, TestActor, _ => { }, stopped, secret: Secret));
        ExpectMsg<Hello>();

        worker.Tell(new Challenge("coordinator-nonce", SecretRequired: false), TestActor);

        Assert.Equal("it has a cluster secret, and this coordinator has none", ExpectMsg<Refuse>().Reason);
        var end = await stopped.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("the coordinator at local has no cluster secret, and this worker has one; give both the same", end.SecretRefusal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("wrong")]
    public async Task Worker_WithASecret_RefusesAnOfferWhoseProofIsMissingOrWrong(string proofKind)
    {
        var stopped = new TaskCompletionSource<WorkerEnd>();
        var worker = Sys.ActorOf(WorkerActor.Props(1, TestActor, _ => { }, stopped, secret: Secret));
        var hello = ExpectMsg<Hello>();
        worker.Tell(new Challenge("coordinator-nonce", SecretRequired: true), TestActor);
        ExpectMsg<Answer>();

        var proof = proofKind == "" ? "" : Other.Proof(ClusterConfig.CoordinatorRole, hello.Nonce, "coordinator-nonce");
        worker.Tell(Offer(OneRun(), proof), TestActor);

        ExpectMsg<Refuse>();
        var end = await stopped.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Contains("did not prove this worker's cluster secret", end.SecretRefusal);
    }

    [Fact]
    public async Task Worker_DeniedByTheCoordinator_EndsWithTheReason_NotAsALostCoordinator()
    {
        var stopped = new TaskCompletionSource<WorkerEnd>();
        var notices = new List<ClusterNotice>();
        var worker = Sys.ActorOf(WorkerActor.Props(1, TestActor, n => { lock (notices) notices.Add(n); }, stopped));
        ExpectMsg<Hello>();
        worker.Tell(new Challenge("coordinator-nonce", SecretRequired: true), TestActor);
        Assert.Equal("", ExpectMsg<Answer>().Proof);

        worker.Tell(new Denied("it has no cluster secret, and this coordinator requires one"), TestActor);

        var end = await stopped.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(end.Done);
        Assert.Equal("the coordinator at local refused this worker: it has no cluster secret, and this coordinator requires one", end.SecretRefusal);
        // The refusal is the CLI's one error line; the worker prints no "stopping" line of its own.
        lock (notices) Assert.Empty(notices.OfType<WorkerStopping>());
    }

    [Fact]
    public void Worker_IgnoresADenialFromAnyoneButItsCoordinator()
    {
        var stopped = new TaskCompletionSource<WorkerEnd>();
        var worker = Sys.ActorOf(WorkerActor.Props(1, TestActor, _ => { }, stopped));
        ExpectMsg<Hello>();
        var stranger = CreateTestProbe();

        worker.Tell(new Denied("go away"), stranger);
        worker.Tell(new Goodbye("go away"), stranger);

        worker.Tell(new Challenge("coordinator-nonce", SecretRequired: false), TestActor);
        ExpectMsg<Answer>();
        Assert.False(stopped.Task.IsCompleted);
    }

    private static Offer Offer(ExperimentSession s, string proof) => new(
        s.Identity.Version, s.Identity.ConfigSha256, s.Identity.Experiment, s.Identity.Seed, s.Identity.Runs,
        s.Source.DisplayName, s.Source.Text, s.Source.Overrides, proof);
}
