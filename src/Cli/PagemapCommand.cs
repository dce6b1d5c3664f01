using ActorKernel.Experiments.Session;

namespace ActorKernel.Cli;

/// <summary>`actorkernel pagemap`: prepare like run (all validation first), run one run to the asked time, print its page tables.</summary>
public static class PagemapCommand
{
    public static int Execute(PagemapArguments args, TextWriter stdout)
    {
        var session = ExperimentSession.Prepare(args.ExperimentFile, args.Overrides);
        stdout.Write(PagemapSession.Render(session, args.Run, args.AtNs, args.Pid));
        return 0;
    }
}
