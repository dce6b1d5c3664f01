using ActorKernel.Configuration;
using ActorKernel.Actors.Engine;
using ActorKernel.Experiments.Journal;
using ActorKernel.Experiments.Results;
using ActorKernel.Experiments.Running;
using ActorKernel.Experiments.Session;
using Akka.Actor;
using Akka.Cluster;

namespace ActorKernel.Cluster;

/// <summary>
/// Runs a coordinator's runs, up to one per slot at a time, pulling the next when a slot frees.
/// The runs themselves execute on the worker's own simulation lanes (a separate, local actor
/// system, exactly as in a local sweep); this actor only talks to the coordinator. It accepts an
/// experiment only when it rebuilds it to the same configuration hash under the same
/// ActorKernel version, and, when it has a cluster secret, only from a coordinator that proves
/// the same secret (<see cref="ClusterSecret"/>).
/// </summary>
public sealed class WorkerActor : ReceiveActor, IWithTimers
{
    private readonly int _slots;
    private readonly Action<ClusterNotice> _notify;
    private readonly TaskCompletionSource<WorkerEnd> _stopped;
    private readonly ClusterSecret? _secret;
    private readonly string _nonce = ClusterSecret.NewNonce();
    private string _coordinatorNonce = "";
    /// <summary>Runs asked for beyond the slots, so a slot that frees starts its next run without waiting for a round trip.</summary>
    public const int Prefetch = 1;

    private static readonly TimeSpan JoinReminder = TimeSpan.FromSeconds(10);

    private readonly Stack<int> _freeLanes = new();
    private readonly Queue<int> _queued = new();
    private readonly string _joining;
    private IActorRef? _coordinator;
    private Address? _coordinatorAddress;
    private ExperimentSession? _session;
    private WorkerSlots? _slotThreads;
    private string _hash = "";

    /// <param name="slots">Runs at once.</param>
    /// <param name="localCoordinator">The coordinator when this worker lives in its process (coordinator --slots); null to find it in the cluster.</param>
    /// <param name="notify">Progress for the console.</param>
    /// <param name="stopped">Completed when the worker stops, with how.</param>
    /// <param name="joining">The coordinator's address as given (for the reminder while joining).</param>
    /// <param name="secret">The cluster secret: proved to the coordinator, and required of it; null for none.</param>
    public WorkerActor(int slots, IActorRef? localCoordinator, Action<ClusterNotice> notify, TaskCompletionSource<WorkerEnd> stopped, string joining = "", ClusterSecret? secret = null)
    {
        _slots = slots;
        _secret = secret;
        _joining = joining;
        _notify = notify;
        _stopped = stopped;
        _coordinator = localCoordinator;

        Receive<ClusterEvent.MemberUp>(m => OnCoordinatorUp(m.Member));
        Receive<ClusterEvent.UnreachableMember>(m => OnCoordinatorGone(m.Member, "became unreachable"));
        Receive<ClusterEvent.MemberRemoved>(m => OnCoordinatorGone(m.Member, "left the cluster"));
        Receive<Challenge>(_ => FromCoordinator, OnChallenge);
        Receive<Denied>(_ => FromCoordinator, m => StopForSecret($"the coordinator at {CoordinatorName} refused this worker: {m.Reason}"));
        Receive<Offer>(_ => FromCoordinator, OnOffer);
        Receive<Assign>(m => m.ConfigSha256 == _hash && _session is not null && FromCoordinator, OnAssign);
        Receive<LaneDone>(OnLaneDone);
        Receive<StillJoining>(_ =>
        {
            if (_session is null) _notify(new WaitingToJoin(_joining));
        });
        Receive<Status.Failure>(f => Stop($"a run failed outside the model: {f.Cause.Message}", clean: false));
        Receive<Goodbye>(_ => FromCoordinator, m => Stop($"the coordinator says: {m.Reason}", clean: true));
    }

    // Only the coordinator this worker said hello to may challenge, deny, offer, assign or dismiss it.
    private bool FromCoordinator => _coordinatorAddress is { } a ? Sender.Path.Address.Equals(a) : Sender.Equals(_coordinator);

    private string CoordinatorName => _coordinatorAddress is { } a ? $"{a.Host}:{a.Port}" : "local";

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(int slots, IActorRef? localCoordinator, Action<ClusterNotice> notify, TaskCompletionSource<WorkerEnd> stopped, string joining = "", ClusterSecret? secret = null) =>
        Akka.Actor.Props.Create(() => new WorkerActor(slots, localCoordinator, notify, stopped, joining, secret));

    protected override void PreStart()
    {
        if (_coordinator is not null)
            _coordinator.Tell(new Hello(ExperimentIdentity.CurrentVersion, _slots, _nonce));
        else
        {
            Akka.Cluster.Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
                typeof(ClusterEvent.MemberUp), typeof(ClusterEvent.UnreachableMember), typeof(ClusterEvent.MemberRemoved));
            // A wrong address or a coordinator not started yet would otherwise look like a hang.
            Timers.StartPeriodicTimer("still-joining", StillJoining.Instance, JoinReminder);
        }
    }

    protected override void PostStop()
    {
        Akka.Cluster.Cluster.Get(Context.System).Unsubscribe(Self);
        _slotThreads?.Dispose();
        _stopped.TrySetResult(new WorkerEnd(Done: false));
    }

    private void OnCoordinatorUp(Member member)
    {
        if (_coordinatorAddress is not null || !member.HasRole(ClusterConfig.CoordinatorRole)) return;
        _coordinatorAddress = member.Address;
        Context.ActorSelection(member.Address + ClusterConfig.CoordinatorPath).Tell(new Hello(ExperimentIdentity.CurrentVersion, _slots, _nonce));
    }

    private void OnCoordinatorGone(Member member, string how)
    {
        if (member.Address.Equals(_coordinatorAddress)) Stop($"the coordinator {how}", clean: false);
    }

    // A worker with a secret will not even prove it to a coordinator that has none (it could be anyone's).
    private void OnChallenge(Challenge m)
    {
        if (_session is not null) return;
        if (_secret is not null && !m.SecretRequired)
        {
            Sender.Tell(new Refuse("it has a cluster secret, and this coordinator has none"));
            StopForSecret($"the coordinator at {CoordinatorName} has no cluster secret, and this worker has one; give both the same");
            return;
        }
        _coordinatorNonce = m.Nonce;
        Sender.Tell(new Answer(_secret?.Proof(ClusterConfig.WorkerRole, _nonce, m.Nonce) ?? ""));
    }

    private void OnOffer(Offer offer)
    {
        _coordinator = Sender;
        if (_session is not null) return;
        if (_secret is not null && (_coordinatorNonce.Length == 0 || !_secret.Verifies(offer.Proof, ClusterConfig.CoordinatorRole, _nonce, _coordinatorNonce)))
        {
            Sender.Tell(new Refuse("the coordinator's proof of the cluster secret is wrong"));
            StopForSecret($"the coordinator at {CoordinatorName} did not prove this worker's cluster secret (the secrets differ)");
            return;
        }
        string? refusal;
        try
        {
            var session = ExperimentSession.PrepareText(offer.Text ?? ExperimentSession.DefaultExperimentText(), offer.DisplayName, offer.Overrides);
            var offered = new ExperimentIdentity(offer.Experiment, offer.Seed, offer.ConfigSha256, offer.Version, offer.Runs);
            refusal = session.Identity.Mismatch(offered);
            if (refusal is null) _session = session;
        }
        catch (ConfigError e)
        {
            refusal = $"its experiment does not load here: {e.Message}";
        }
        if (refusal is not null)
        {
            Sender.Tell(new Refuse(refusal));
            Stop($"refused the coordinator's experiment: {refusal}", clean: false);
            return;
        }
        _hash = offer.ConfigSha256;
        Timers.Cancel("still-joining");
        _slotThreads = new WorkerSlots(_slots);
        for (var i = _slots - 1; i >= 0; i--) _freeLanes.Push(i);
        _notify(new ExperimentAccepted(offer.Experiment, offer.Runs, CoordinatorName));
        Sender.Tell(new Pull(_hash, _slots + Prefetch));
    }

    private void OnAssign(Assign m)
    {
        if (m.Run < 0 || m.Run >= _session!.Plan.Runs.Count) return;
        _queued.Enqueue(m.Run);
        StartQueued();
    }

    private void StartQueued()
    {
        while (_freeLanes.Count > 0 && _queued.Count > 0)
        {
            var lane = _freeLanes.Pop();
            var run = _queued.Dequeue();
            var spec = _session!.Plan.Runs[run];
            var self = Self;
            _slotThreads!.Start(lane, spec, line => self.Tell(new LaneDone(lane, run, line)), e => self.Tell(new Status.Failure(e)));
        }
    }

    private void OnLaneDone(LaneDone done)
    {
        _freeLanes.Push(done.Lane);
        StartQueued();
        _notify(new RunCompleted(done.Run));
        _coordinator?.Tell(new Finished(_hash, done.Run, done.Line));
    }

    private void Stop(string reason, bool clean)
    {
        _notify(new WorkerStopping(reason, clean));
        _stopped.TrySetResult(new WorkerEnd(clean));
        Context.Stop(Self);
    }

    // Not sharing the secret is the user's configuration: the CLI reports it as its one error line.
    private void StopForSecret(string reason)
    {
        _stopped.TrySetResult(new WorkerEnd(Done: false, SecretRefusal: reason));
        Context.Stop(Self);
    }

    private sealed record LaneDone(int Lane, int Run, string Line);

    private sealed record StillJoining
    {
        public static StillJoining Instance { get; } = new();
    }
}
