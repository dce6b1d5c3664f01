using ActorKernel.Experiments.Journal;
using ActorKernel.Experiments.Results;
using ActorKernel.Experiments.Session;
using Akka.Configuration;

namespace ActorKernel.Cluster.Tests;

/// <summary>
/// The coordinator and worker actors in one actor system, with test probes standing in for the
/// other side: the protocol's steps, the worker's checks, and the coordinator's bookkeeping.
/// </summary>
public sealed class WorkerAndCoordinatorTests : Akka.TestKit.Xunit2.TestKit, IDisposable
{
    private static readonly string[] Overrides = ["workload.fork-exec.execs=3"];

    private readonly string _dir = Directory.CreateTempSubdirectory("actorkernel-cluster-actors-").FullName;

    public WorkerAndCoordinatorTests()
        : base(ClusterConfig.For(new Endpoint("127.0.0.1", 0), ClusterConfig.CoordinatorRole).WithFallback(ConfigurationFactory.Default()))
    {
    }

    void IDisposable.Dispose()
    {
        Directory.Delete(_dir, recursive: true);
        Dispose();
    }

    private static ExperimentSession Session() => ExperimentSession.Prepare(null, Overrides);

    // One point, one run.
    private static ExperimentSession OneRun() => ExperimentSession.PrepareText("""
        experiment { name = "one", seed = 1, runs-per-point = 1, policies = [nofault] }
        actor-kernel.workload.fork-exec.execs = 3
        """, "one-run (test)", []);

    private static Offer OfferOf(ExperimentSession s) => new(
        s.Identity.Version, s.Identity.ConfigSha256, s.Identity.Experiment, s.Identity.Seed, s.Identity.Runs,
        s.Source.DisplayName, s.Source.Text, s.Source.Overrides);

    // The join without a secret: hello, challenge, answer, offer.
    private static Offer Admit(Akka.Actor.IActorRef coordinator, Akka.TestKit.TestProbe worker)
    {
        coordinator.Tell(new Hello(ExperimentIdentity.CurrentVersion, 1, ClusterSecret.NewNonce()), worker);
        Assert.False(worker.ExpectMsg<Challenge>().SecretRequired);
        coordinator.Tell(new Answer(""), worker);
        return worker.ExpectMsg<Offer>();
    }

    [Fact]
    public void Worker_SaysHello_AcceptsAMatchingOffer_PullsItsSlots_AndReturnsARunAsItsJournalLine()
    {
        var stopped = new TaskCompletionSource<WorkerEnd>();
        var worker = Sys.ActorOf(WorkerActor.Props(2, TestActor, _ => { }, stopped));
        var hello = ExpectMsg<Hello>();
        Assert.Equal(ExperimentIdentity.CurrentVersion, hello.Version);
        Assert.Equal(2, hello.Slots);
        worker.Tell(new Challenge(ClusterSecret.NewNonce(), SecretRequired: false), TestActor);
        Assert.Equal("", ExpectMsg<Answer>().Proof);

        var s = Session();
        worker.Tell(OfferOf(s), TestActor);
        Assert.Equal(2 + WorkerActor.Prefetch, ExpectMsg<Pull>().Count);

        worker.Tell(new Assign(s.Identity.ConfigSha256, 5), TestActor);
        var finished = ExpectMsg<Finished>(TimeSpan.FromSeconds(30));
        Assert.Equal(5, finished.Run);
        var record = RunRecordJson.Decode(finished.Line, s.Plan);
        Assert.Same(s.Plan.Runs[5].Settings, record.Spec.Settings);
        Assert.NotNull(record.Metrics);
    }

    [Fact]
    public async Task Worker_RefusesAnOfferOfAnotherVersion_AndStops()
    {
        var stopped = new TaskCompletionSource<WorkerEnd>();
        var worker = Sys.ActorOf(WorkerActor.Props(1, TestActor, _ => { }, stopped));
        ExpectMsg<Hello>();
        Watch(worker);

        worker.Tell(OfferOf(Session()) with { Version = "0.0.1+elsewhere" }, TestActor);

        Assert.Contains("0.0.1+elsewhere", ExpectMsg<Refuse>().Reason);
        ExpectTerminated(worker);
        Assert.Equal(new WorkerEnd(Done: false), await stopped.Task);
    }

    [Fact]
    public void Worker_RefusesAnOfferWhoseTextDoesNotHashAsClaimed()
    {
        var worker = Sys.ActorOf(WorkerActor.Props(1, TestActor, _ => { }, new TaskCompletionSource<WorkerEnd>()));
        ExpectMsg<Hello>();
        var s = Session();
        // The claimed identity is this experiment's, but the overrides sent make another one.
        worker.Tell(OfferOf(s) with { Overrides = ["workload.fork-exec.execs=4"] }, TestActor);

        Assert.Contains("configuration hash", ExpectMsg<Refuse>().Reason);
    }

    [Fact]
    public async Task Coordinator_WaitsForMinWorkers_HandsOutByPull_RecordsOnce_AndSaysGoodbyeWhenDone()
    {
        var s = OneRun();
        Assert.Single(s.Plan.Runs);
        using var journal = s.OpenJournal(Path.Combine(_dir, "one"), resume: false);
        var done = new TaskCompletionSource();
        var notices = new List<ClusterNotice>();
        var coordinator = Sys.ActorOf(CoordinatorActor.Props(s, journal, 2, n => { lock (notices) notices.Add(n); }, done));
        var a = CreateTestProbe();
        var b = CreateTestProbe();

        Admit(coordinator, a);
        Admit(coordinator, b);
        coordinator.Tell(new Pull(s.Identity.ConfigSha256, 1), a);
        a.ExpectNoMsg(TimeSpan.FromMilliseconds(200)); // one of two workers: nothing handed out yet
        coordinator.Tell(new Pull(s.Identity.ConfigSha256, 1), b);
        AwaitCondition(() => a.HasMessages || b.HasMessages);
        var assigned = (a.HasMessages ? a : b).ExpectMsg<Assign>();
        Assert.Equal(0, assigned.Run);

        string line;
        using (var runner = new Experiments.Running.ExperimentRunner(1))
            line = RunRecordJson.Encode(Experiments.Running.ExperimentRunner.Execute(runner.Lanes[0], s.Plan.Runs[0]));
        // A pull with another hash is ignored; a duplicate result counts once.
        coordinator.Tell(new Pull("another-experiment", 5), a);
        coordinator.Tell(new Finished(s.Identity.ConfigSha256, 0, line), a);
        coordinator.Tell(new Finished(s.Identity.ConfigSha256, 0, line), b);

        a.ExpectMsg<Goodbye>();
        b.ExpectMsg<Goodbye>();
        await done.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(1, journal.Count);
        lock (notices) Assert.Single(notices.OfType<RunRecorded>());
    }

    [Fact]
    public void Coordinator_RejectsAResultThatDoesNotMatchThePlan_AndReissuesTheRun()
    {
        var s = OneRun();
        using var journal = s.OpenJournal(Path.Combine(_dir, "bad"), resume: false);
        var notices = new List<ClusterNotice>();
        var coordinator = Sys.ActorOf(CoordinatorActor.Props(s, journal, 1, n => { lock (notices) notices.Add(n); }, new TaskCompletionSource()));
        var liar = CreateTestProbe();
        var honest = CreateTestProbe();
        Admit(coordinator, liar);
        Admit(coordinator, honest);
        coordinator.Tell(new Pull(s.Identity.ConfigSha256, 1), liar);
        liar.ExpectMsg<Assign>();

        coordinator.Tell(new Finished(s.Identity.ConfigSha256, 0, "{\"schema\":\"actorkernel/run-record/v1\",\"run\":0}"), liar);

        Assert.Contains("did not match the plan", liar.ExpectMsg<Goodbye>().Reason);
        coordinator.Tell(new Pull(s.Identity.ConfigSha256, 1), honest);
        Assert.Equal(0, honest.ExpectMsg<Assign>().Run);
        Assert.Equal(0, journal.Count);
        lock (notices) Assert.Single(notices.OfType<ResultRejected>());
    }
}
