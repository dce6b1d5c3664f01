using ActorKernel.Experiments.Journal;
using ActorKernel.Experiments.Session;
using Akka.Actor;
using Akka.Cluster;

namespace ActorKernel.Cluster;

/// <summary>
/// Hands out a sweep's missing runs to the workers that pull them, records each result in the
/// journal (which flushes it) before asking the worker for its next run, and re-issues the runs
/// of a worker that is lost. Which worker runs what, and in which order results come back, does
/// not matter: a run's result depends only on its spec, and the journal keeps the first result
/// of each run. Only workers that passed the join (<see cref="ClusterSecret"/>: the proof of the
/// cluster secret when the coordinator has one) are offered the experiment, sent runs, or heard.
/// </summary>
public sealed class CoordinatorActor : ReceiveActor
{
    private readonly ExperimentSession _session;
    private readonly RunJournal _journal;
    private readonly int _minWorkers;
    private readonly ClusterSecret? _secret;
    private readonly Action<ClusterNotice> _notify;
    private readonly TaskCompletionSource _done;
    private readonly Offer _offer;
    private readonly string _hash;
    private readonly SortedSet<int> _pending;
    private readonly Dictionary<int, Address> _inFlight = new();
    private readonly SortedDictionary<string, WorkerState> _workers = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, int> _doneBy = new(StringComparer.Ordinal);
    private readonly Dictionary<IActorRef, (string Worker, string Coordinator)> _challenged = new();
    private readonly HashSet<string> _admitted = new(StringComparer.Ordinal);
    private bool _started;

    public CoordinatorActor(ExperimentSession session, RunJournal journal, int minWorkers, Action<ClusterNotice> notify, TaskCompletionSource done, ClusterSecret? secret)
    {
        _session = session;
        _journal = journal;
        _minWorkers = minWorkers;
        _secret = secret;
        _notify = notify;
        _done = done;
        var id = session.Identity;
        _hash = id.ConfigSha256;
        _offer = new Offer(id.Version, id.ConfigSha256, id.Experiment, id.Seed, id.Runs, session.Source.DisplayName, session.Source.Text, session.Source.Overrides);
        _pending = new SortedSet<int>(journal.Missing().Select(r => r.Run));

        Receive<Hello>(OnHello);
        Receive<Answer>(OnAnswer);
        Receive<Refuse>(m => _challenged.ContainsKey(Sender) || _admitted.Contains(NameOf(Sender)), m => _notify(new WorkerRefused(NameOf(Sender), m.Reason)));
        Receive<Pull>(m => m.ConfigSha256 == _hash && _admitted.Contains(NameOf(Sender)), OnPull);
        Receive<Finished>(m => m.ConfigSha256 == _hash && _admitted.Contains(NameOf(Sender)), OnFinished);
        Receive<ClusterEvent.UnreachableMember>(m => Lose(m.Member, "unreachable", down: true));
        Receive<ClusterEvent.MemberRemoved>(m => Lose(m.Member, "left the cluster", down: false));
        Receive<StopSweep>(_ => Finish("the coordinator is stopping"));
    }

    /// <summary>
    /// Props for the coordinator; <paramref name="done"/> completes when every run is recorded (or the
    /// sweep is stopped). With a <paramref name="secret"/>, a worker is admitted only with its proof.
    /// </summary>
    public static Props Props(ExperimentSession session, RunJournal journal, int minWorkers, Action<ClusterNotice> notify, TaskCompletionSource done, ClusterSecret? secret = null) =>
        Akka.Actor.Props.Create(() => new CoordinatorActor(session, journal, minWorkers, notify, done, secret));

    /// <summary>Stop handing out runs and send the workers away (Ctrl-C on the coordinator).</summary>
    public sealed record StopSweep
    {
        public static StopSweep Instance { get; } = new();
    }

    protected override void PreStart()
    {
        Akka.Cluster.Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
            typeof(ClusterEvent.UnreachableMember), typeof(ClusterEvent.MemberRemoved));
        if (_pending.Count == 0) Finish("nothing left to run");
        else if (_minWorkers > 0) _notify(new WaitingForWorkers(0, _minWorkers));
    }

    protected override void PostStop() => Akka.Cluster.Cluster.Get(Context.System).Unsubscribe(Self);

    private void OnHello(Hello m)
    {
        var nonce = ClusterSecret.NewNonce();
        _challenged[Sender] = (m.Nonce, nonce);
        Sender.Tell(new Challenge(nonce, _secret is not null));
    }

    // The join's check: with a secret, the worker's proof must cover both nonces of this join.
    private void OnAnswer(Answer m)
    {
        if (!_challenged.Remove(Sender, out var nonces)) return;
        var name = NameOf(Sender);
        var refusal = _secret is null ? null
            : m.Proof.Length == 0 ? "it has no cluster secret, and this coordinator requires one"
            : !_secret.Verifies(m.Proof, ClusterConfig.WorkerRole, nonces.Worker, nonces.Coordinator) ? "its cluster secret differs from the coordinator's"
            : null;
        if (refusal is not null)
        {
            // Not downed here: the down could overtake the denial, and the worker would stop without
            // knowing why. It leaves by itself; one that stays is never offered anything, and is
            // downed when it becomes unreachable (Lose).
            _notify(new WorkerDenied(name, refusal));
            Sender.Tell(new Denied(refusal));
            return;
        }
        _admitted.Add(name);
        Sender.Tell(_offer with { Proof = _secret?.Proof(ClusterConfig.CoordinatorRole, nonces.Worker, nonces.Coordinator) ?? "" });
    }

    private void OnPull(Pull m)
    {
        var name = NameOf(Sender);
        if (!_workers.TryGetValue(name, out var w))
        {
            _workers.Add(name, w = new WorkerState(Sender, m.Count));
            _notify(new WorkerJoined(name, m.Count));
            if (!_started && _workers.Count < _minWorkers) _notify(new WaitingForWorkers(_workers.Count, _minWorkers));
        }
        w.Pulls += m.Count;
        if (!_started && _workers.Count >= _minWorkers) _started = true;
        Dispatch();
    }

    private void OnFinished(Finished m)
    {
        var name = NameOf(Sender);
        if (_workers.TryGetValue(name, out var w)) w.Pulls++;
        try
        {
            if (_journal.Record(m.Line) is { } record)
            {
                _pending.Remove(record.Spec.Run);
                _inFlight.Remove(record.Spec.Run);
                _doneBy[name] = _doneBy.GetValueOrDefault(name) + 1;
                _notify(new RunRecorded(_journal.Count, _session.Plan.Runs.Count, name, record.Events, new SortedDictionary<string, int>(_doneBy, StringComparer.Ordinal)));
            }
        }
        catch (FormatException e)
        {
            // A result that does not belong to the plan: run it again elsewhere, and stop using this worker.
            _notify(new ResultRejected(name, m.Run, e.Message));
            if (_inFlight.Remove(m.Run)) _pending.Add(m.Run);
            _workers.Remove(name);
            _admitted.Remove(name);
            Sender.Tell(new Goodbye($"its result for run {m.Run} did not match the plan: {e.Message}"));
        }
        if (_journal.Count == _session.Plan.Runs.Count) Finish("sweep complete");
        else Dispatch();
    }

    private void Lose(Member member, string how, bool down)
    {
        // Workers leave after the goodbye; that is not a loss.
        if (!member.HasRole(ClusterConfig.WorkerRole) || _done.Task.IsCompleted) return;
        var name = NameOf(member.Address);
        _admitted.Remove(name);
        if (!_workers.Remove(name))
        {
            // A node that never pulled (denied, refused, or never said hello) would block the
            // cluster's convergence while unreachable, and with it every later join.
            if (down) Akka.Cluster.Cluster.Get(Context.System).Down(member.Address);
            return;
        }
        var reissued = _inFlight.Where(kv => kv.Value == member.Address).Select(kv => kv.Key).ToArray();
        foreach (var run in reissued)
        {
            _inFlight.Remove(run);
            _pending.Add(run);
        }
        _notify(new WorkerLost(name, how, reissued.Length));
        if (down) Akka.Cluster.Cluster.Get(Context.System).Down(member.Address);
        Dispatch();
    }

    // Hand the lowest pending runs to the workers that asked, in worker-name order.
    private void Dispatch()
    {
        if (!_started || _done.Task.IsCompleted) return;
        foreach (var (_, w) in _workers)
        {
            while (w.Pulls > 0 && _pending.Count > 0)
            {
                var run = _pending.Min;
                _pending.Remove(run);
                _inFlight[run] = w.Ref.Path.Address;
                w.Pulls--;
                w.Ref.Tell(new Assign(_hash, run));
            }
        }
    }

    private void Finish(string reason)
    {
        if (_done.Task.IsCompleted) return;
        foreach (var (_, w) in _workers) w.Ref.Tell(new Goodbye(reason));
        _done.TrySetResult();
    }

    // host:port of a remote worker (one worker per process); a worker in the coordinator's own
    // process (--slots) is "coordinator", any other local one (tests) its path.
    private static string NameOf(IActorRef worker) =>
        worker.Path.Address.Host is not null ? NameOf(worker.Path.Address)
        : worker.Path.Name == ClusterSweep.LocalWorkerName ? "coordinator"
        : worker.Path.ToStringWithoutAddress();

    private static string NameOf(Address a) => $"{a.Host}:{a.Port}";

    private sealed class WorkerState(IActorRef @ref, int slots)
    {
        public IActorRef Ref { get; } = @ref;

        public int Slots { get; } = slots;

        public int Pulls { get; set; }
    }
}
