namespace ActorKernel.Bench.Toy;

/// <summary>
/// The toy model as a plain priority-queue event loop, no actors. Ties at one instant are
/// ordered by scheduling sequence — what the engine does with <c>Interleaving.Fifo</c>
/// (tiebreak 0 for every event, then its own sequence number) — and the loop schedules in
/// the same order as the actor version does:
/// <list type="bullet">
/// <item>start: each task's first think, task 0 first;</item>
/// <item>think done: request; if granted at once, the hold is scheduled;</item>
/// <item>hold done: the releasing task's next think is scheduled <em>before</em> the
/// waiters it wakes schedule their holds (in the actor version the task schedules its think
/// in the same handler that tells the lock, and the lock's grants run afterwards), and the
/// woken tasks schedule in wait-list order (the lock's tells reach the work queue in that order).</item>
/// </list>
/// A zero-time cascade (request → grant, release → grants) is finished before the next timed
/// event is taken, in both.
/// </summary>
public static class PlainToyLoop
{
    private const byte ThinkDone = 0;
    private const byte HoldDone = 1;

    private readonly record struct Key(long TimeNs, long Seq) : IComparable<Key>
    {
        public int CompareTo(Key other)
        {
            var c = TimeNs.CompareTo(other.TimeNs);
            return c != 0 ? c : Seq.CompareTo(other.Seq);
        }
    }

    private readonly record struct Ev(int Task, byte Kind);

    public static ToyResult Run(ToyParams p, ulong seed)
    {
        var queue = new PriorityQueue<Ev, Key>(256);
        long seq = 0;
        var rng = new ActorKernel.Actors.Engine.SimRandom[p.Tasks];
        var writing = new bool[p.Tasks];
        var rwlock = new ToyRwLock<int>();
        var granted = new List<(int Who, bool Write)>(p.Tasks);
        var sum = new ToyChecksum();
        long now = 0, events = 0;

        for (var t = 0; t < p.Tasks; t++)
        {
            rng[t] = p.RandomFor(seed, t);
            queue.Enqueue(new Ev(t, ThinkDone), new Key(p.ThinkNs(rng[t]), seq++));
        }

        while (queue.TryDequeue(out var ev, out var key))
        {
            now = key.TimeNs;
            events++;
            var t = ev.Task;
            if (ev.Kind == ThinkDone)
            {
                var write = p.WantsWrite(rng[t]);
                writing[t] = write;
                sum.Add(now, t, write ? ToyEvent.RequestWrite : ToyEvent.RequestRead);
                if (rwlock.Acquire(t, write))
                {
                    sum.Add(now, t, write ? ToyEvent.GrantedWrite : ToyEvent.GrantedRead);
                    queue.Enqueue(new Ev(t, HoldDone), new Key(now + p.HoldNs(rng[t]), seq++));
                }
            }
            else
            {
                var write = writing[t];
                sum.Add(now, t, write ? ToyEvent.ReleasedWrite : ToyEvent.ReleasedRead);
                if (now < p.HorizonNs) queue.Enqueue(new Ev(t, ThinkDone), new Key(now + p.ThinkNs(rng[t]), seq++));
                granted.Clear();
                rwlock.Release(write, granted);
                foreach (var (w, wWrite) in granted)
                {
                    sum.Add(now, w, wWrite ? ToyEvent.GrantedWrite : ToyEvent.GrantedRead);
                    queue.Enqueue(new Ev(w, HoldDone), new Key(now + p.HoldNs(rng[w]), seq++));
                }
            }
        }
        return new ToyResult(sum.Value, sum.Records, events, now);
    }
}
