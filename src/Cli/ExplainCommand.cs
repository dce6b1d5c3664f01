using ActorKernel.Experiments.Explain;

namespace ActorKernel.Cli;

/// <summary>`actorkernel explain`: re-run one run of an output folder with provenance recording on and print a read's causal chain.</summary>
public static class ExplainCommand
{
    public static int Execute(ExplainArguments args, TextWriter stdout)
    {
        var explanation = ExplainSession.Explain(args.Dir, args.Run, args.Select);
        stdout.Write(args.Json ? ExplainWriter.Json(explanation) : ExplainWriter.Text(explanation));
        return 0;
    }
}
