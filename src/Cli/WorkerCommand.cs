using ActorKernel.Cluster;

namespace ActorKernel.Cli;

/// <summary>`actorkernel worker`: join a coordinator and run what it hands out until it says goodbye.</summary>
public static class WorkerCommand
{
    /// <summary>Exit status: 0 the coordinator finished, 1 the coordinator was lost or the experiment refused, 130 interrupted.</summary>
    public static int Execute(WorkerArguments args, TextWriter output)
    {
        var o = args.Options;
        output.WriteLine($"worker: joining the coordinator at {o.Join} with {o.Slots} slot(s)");
        using var cancel = new CancellationTokenSource();
        using var signals = new StopSignals(cancel.Cancel);
        var clean = WorkerNode.Run(o, new ClusterProgress(output).Report, cancel.Token);
        return clean ? 0 : cancel.IsCancellationRequested ? 130 : 1;
    }
}
