using ActorKernel.Actors.Engine;

namespace ActorKernel.Bench.Toy;

/// <summary>
/// The reference toy model: <see cref="Tasks"/> tasks loop think → acquire (read, or write with
/// probability <see cref="WriteProbability"/>) → hold → release on one reader-writer lock.
/// Delays are whole multiples of <see cref="QuantumNs"/> so that many events share an instant
/// and the tiebreak order is really exercised. A task stops thinking once the virtual time
/// reaches <see cref="HorizonNs"/>; the run ends when nothing is pending.
/// </summary>
public sealed record ToyParams(long HorizonNs, int Tasks = 64, double WriteProbability = 0.1,
    long QuantumNs = 100, int ThinkQuanta = 200, int HoldQuanta = 8)
{
    /// <summary>Per-task generator: the same stream in both implementations.</summary>
    public SimRandom RandomFor(ulong seed, int task) => SimRandom.For(seed, $"toy/task/{task}");

    public long ThinkNs(SimRandom r) => QuantumNs * (1 + r.NextLong(ThinkQuanta));

    public long HoldNs(SimRandom r) => QuantumNs * (1 + r.NextLong(HoldQuanta));

    public bool WantsWrite(SimRandom r) => r.NextDouble() < WriteProbability;
}

/// <summary>Kinds of event folded into the checksum.</summary>
public static class ToyEvent
{
    public const int RequestRead = 0;
    public const int RequestWrite = 1;
    public const int GrantedRead = 2;
    public const int GrantedWrite = 3;
    public const int ReleasedRead = 4;
    public const int ReleasedWrite = 5;
}

/// <summary>An order-sensitive fold over (time, task, event kind).</summary>
public sealed class ToyChecksum
{
    private const ulong Prime = 0x100000001b3UL;

    public ulong Value { get; private set; } = 0xcbf29ce484222325UL;

    public long Records { get; private set; }

    public void Add(long timeNs, int task, int kind)
    {
        var h = Value;
        h = (h ^ (ulong)timeNs) * Prime;
        h = (h ^ (uint)task) * Prime;
        h = (h ^ (uint)kind) * Prime;
        Value = h;
        Records++;
    }
}

/// <summary>The outcome of one toy-model run: what must match between implementations.</summary>
public sealed record ToyResult(ulong Checksum, long Records, long TimedEvents, long EndNs);

/// <summary>
/// The lock, shared by both implementations so the semantics are identical by construction:
/// FIFO wait list; a new reader never overtakes a waiter (writer preference); a release grants
/// the head writer alone once the lock is free, or every consecutive reader at the head.
/// </summary>
public sealed class ToyRwLock<T>
{
    private readonly Queue<(T Who, bool Write)> _waiters = new();
    private int _readers;
    private bool _writer;

    /// <summary>Granted now (true) or queued (false).</summary>
    public bool Acquire(T who, bool write)
    {
        if (!_writer && _waiters.Count == 0 && (!write || _readers == 0))
        {
            if (write) _writer = true;
            else _readers++;
            return true;
        }
        _waiters.Enqueue((who, write));
        return false;
    }

    /// <summary>Releases one hold; appends the waiters it grants, in wait-list order, to <paramref name="granted"/>.</summary>
    public void Release(bool write, List<(T Who, bool Write)> granted)
    {
        if (write)
        {
            if (!_writer) throw new InvalidOperationException("write release without a writer");
            _writer = false;
        }
        else
        {
            if (_readers <= 0) throw new InvalidOperationException("read release without a reader");
            _readers--;
        }
        while (_waiters.Count > 0)
        {
            var head = _waiters.Peek();
            if (head.Write)
            {
                if (_writer || _readers > 0) break;
                _writer = true;
                granted.Add(_waiters.Dequeue());
                break;
            }
            if (_writer) break;
            _readers++;
            granted.Add(_waiters.Dequeue());
        }
    }
}
