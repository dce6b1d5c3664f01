using System.Collections.Concurrent;
using ActorKernel.Actors.Metrics;
using ActorKernel.Experiments.Planning;
using ActorKernel.Experiments.Results;
using ActorKernel.Experiments.Running;

namespace ActorKernel.Cluster;

/// <summary>
/// A worker's slots: one simulation lane and one long-lived thread per slot, as a local sweep has
/// (a thread per run would start every run cold: thread-static caches, a fresh stack). A run handed
/// to a slot is executed there and its journal line handed to the callback on that thread.
/// </summary>
internal sealed class WorkerSlots : IDisposable
{
    private readonly ExperimentRunner _runner;
    private readonly BlockingCollection<(RunSpec Spec, Action<string> Done, Action<Exception> Failed)>[] _queues;
    private readonly Thread[] _threads;
    private readonly CancellationTokenSource _disposing = new();
    private int _finished;

    public WorkerSlots(int slots)
    {
        _runner = new ExperimentRunner(slots);
        _queues = Enumerable.Range(0, slots).Select(_ => new BlockingCollection<(RunSpec, Action<string>, Action<Exception>)>()).ToArray();
        _threads = Enumerable.Range(0, slots).Select(i => new Thread(() => Serve(i)) { IsBackground = true, Name = $"actorkernel-slot-{i}" }).ToArray();
        foreach (var t in _threads) t.Start();
    }

    /// <summary>
    /// Run <paramref name="spec"/> on slot <paramref name="slot"/>, which must be free. A failure inside
    /// the model is part of the record; <paramref name="failed"/> gets anything else (a bug).
    /// </summary>
    public void Start(int slot, RunSpec spec, Action<string> done, Action<Exception> failed) =>
        _queues[slot].Add((spec, done, failed));

    public void Dispose()
    {
        _disposing.Cancel();
        foreach (var q in _queues) q.CompleteAdding();
        foreach (var t in _threads) t.Join(TimeSpan.FromSeconds(30));
        _runner.Dispose();
        _disposing.Dispose();
    }

    private void Serve(int slot)
    {
        foreach (var (spec, done, failed) in _queues[slot].GetConsumingEnumerable())
        {
            // The runner's test hook: a worker held after N runs keeps them in flight until it stops.
            if (_runner.HoldAfterRuns is { } hold && Volatile.Read(ref _finished) >= hold)
            {
                _disposing.Token.WaitHandle.WaitOne();
                return;
            }
            string line;
            try
            {
                var record = ExperimentRunner.Execute(_runner.Lanes[slot], spec);
                line = RunRecordJson.Encode(record);
                // Only the encoded line leaves the worker: this slot's next run reuses the histogram.
                if (record.Metrics?.Policy.LatencyHistogram is { } h) LatencyHistogramPool.Return(h);
            }
            catch (Exception e)
            {
                failed(e);
                continue;
            }
            Interlocked.Increment(ref _finished);
            done(line);
        }
    }
}
