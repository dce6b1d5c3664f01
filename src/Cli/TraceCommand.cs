using ActorKernel.Experiments.Explain;
using ActorKernel.Experiments.Trace;

namespace ActorKernel.Cli;

/// <summary>`actorkernel trace`: re-run one run of an output folder with provenance recording on and write it as a Chrome Trace Event file.</summary>
public static class TraceCommand
{
    public static int Execute(TraceArguments args, TextWriter stdout)
    {
        var (session, recorded) = ExplainSession.Replay(args.Dir, args.Run);
        var json = ChromeTrace.Write(session.Experiment.Name, session.Plan.Runs[args.Run], recorded);
        // Written beside and renamed over: a reader never sees half a trace.
        var tmp = args.Out + ".tmp";
        File.WriteAllText(tmp, json);
        File.Move(tmp, args.Out, overwrite: true);
        stdout.WriteLine($"wrote {args.Out}: run {args.Run} of {args.Dir}, {recorded.Events.Count(e => e.Kind == Model.ProvenanceKind.ProbeReadDone)} probe reads; open it at https://ui.perfetto.dev (Open trace file)");
        return 0;
    }
}
