using ActorKernel.Cli;
using ActorKernel.Configuration;
using ActorKernel.Calibration;
using Spectre.Console;

return CliMain.Run(args, Console.Out, Console.Error);

namespace ActorKernel.Cli
{
    /// <summary>Entry point: dispatch the command; a <see cref="UserError"/>, whatever raised it, becomes one line on stderr and exit status 2.</summary>
    public static class CliMain
    {
        public const string Help = """
            actorkernel — why did my eBPF probe fail to read user memory, and what would fix it?

            Usage:
              actorkernel run [FILE] [--seed N] [--runs-per-point N] [--set KEY=VALUE]... [--out DIR] [--parallel N]
                              [--resume DIR] [--check-determinism] [--trace [N]] [--schedule FILE] [--cluster [--listen HOST:PORT] [--min-workers N] [--slots N]
                              [--secret-file PATH] [--tls-cert PATH]]
                  Run an experiment (FILE, or the built-in fork/exec experiment) and write
                  results.json, results.csv, summary.md, effective.conf, runs.jsonl, plots (PNG) and
                  report.html (all of it on one page) to DIR (default out/<experiment>-<seed>/). KEY is a path under actor-kernel
                  (e.g. workload.fork-exec.spawn=vfork) or under experiment (experiment.policies=[nofault]).
                  Each finished run is appended to DIR/runs.jsonl at once; --resume DIR runs only the
                  missing runs of an interrupted sweep (same FILE and --set values).
                  --seed N (0 to 2^62) and --runs-per-point N (1 to 100000) set experiment.seed and
                  experiment.runs-per-point. --parallel N: run N runs at once on this machine (1 to 1024,
                  default: the number of cores); the results are the same for any N.
                  --check-determinism: when the sweep is done, run a sample of up to 8 of its runs again
                  (on another lane, in reverse order) and compare their runs.jsonl lines byte for byte;
                  a difference is exit 1 with one line naming the run and the first differing field.
                  --trace [N]: also write DIR/trace.json, run N (default: the first run with a failed read)
                  in the Chrome Trace Event format for ui.perfetto.dev, as actorkernel trace writes it.
                  --schedule FILE: replay the one run a schedule saved by explore names, with its
                  decisions, into DIR (default out/<experiment>-replay/, new or empty); replay.jsonl is
                  its runs.jsonl line, byte for byte the one explore saved. docs/exploration.md.
                  --cluster: coordinate workers instead of running locally: listen on HOST:PORT
                  (default 127.0.0.1:4053), wait for --min-workers (default 1), hand runs to workers as
                  they ask, and take --slots runs at a time itself (default 0). Off loopback, every node
                  needs the same secret: --secret-file PATH or ACTORKERNEL_CLUSTER_SECRET. --tls-cert PATH:
                  encrypt the cluster's connections with TLS, every node presenting and requiring the
                  certificate in that PKCS#12 file (password: ACTORKERNEL_CLUSTER_TLS_PASSWORD). docs/cluster.md.
              actorkernel explore FILE --property EXPR [--strategy S] [--iterations N] [--out DIR] [--seed N] [--set KEY=VALUE]...
                  Run FILE's runs N times (default 100) under schedule strategy S (random, pct:D, delay:K or
                  portfolio, the default; engine.max-delay-ns sets the window) and check EXPR on each run's
                  figures: comparisons of runs.jsonl metric names with numbers, joined by and/or (e.g.
                  'reads.failed == 0', 'probeLatencyNs.max < 50000'). Prints "N schedules, X violated (Wilson
                  95% interval)" and writes DIR (default out/<experiment>-explore/, new or empty): explore.txt,
                  every violating schedule with its runs.jsonl line, and the first one shrunk, each replayable
                  with run FILE --schedule. Exit 1 if any run violated EXPR. docs/exploration.md.
              actorkernel worker --join HOST:PORT [--host HOST] [--port P] [--slots N] [--secret-file PATH] [--tls-cert PATH]
                  Join the coordinator at HOST:PORT and run up to N runs at once (default: cores) until
                  its sweep is done. Listens on --host (default 127.0.0.1) and --port (default any).
              actorkernel pagemap FILE --at TIME [--pid N] [--run N] [--seed N] [--set KEY=VALUE]...
                  Run one run of FILE (run 0, or --run N of its plan) and print each process's VMAs and
                  the state of each page at virtual time TIME (5s, 1500ms, ...): present, protnone
                  (NUMA hint), none or swapped, with its home node, beside what /proc/pid/pagemap
                  would report (which counts protnone as present). Writes nothing.
              actorkernel explain DIR [--run N] [--read K | --first-failed | --target NAME] [--json]
                  Run run N (default 0) of the output folder DIR again from its journal with provenance
                  recording on, and print the causal chain of one probe read (the first failed one by
                  default; --read K: the K-th read of the run; --target NAME: its first failed read of
                  that target), newest first: the probe's walk, the lock holder, the PTE's history
                  (faults, fork's skip and why, scan passes, zaps), and what each other policy did.
                  --json for tools. Refuses a folder made by another ActorKernel version. Writes nothing.
              actorkernel trace DIR [--run N] [--out FILE]
                  Run run N (default 0) of the output folder DIR again with provenance recording on and write
                  it to FILE (default trace.json) in the Chrome Trace Event format: open it in ui.perfetto.dev.
                  Tracks per task, probe CPU, page table, NUMA scanner and mmap_lock; flow arrows from each
                  failed read's cause. Refuses a folder made by another ActorKernel version.
              actorkernel calibrate [--cases fork-exec,numa-idle,memory-pressure] [--trials N] [--seconds N]
                                    [--allow-sysctl] [--allow-swapfile] [--out DIR] [--require-agreement]
                  Measure the fork-exec variants (--trials each, default 20) and/or the numa-idle
                  variants (--seconds each, default 4) on this machine's kernel (needs root, bpftrace,
                  cc and tracefs) and in the model, print both failure counts per variant and write
                  calibration.json to DIR (default out/calibration/). numa-idle needs
                  kernel.numa_balancing on: --allow-sysctl sets it to 1 for the run and always restores
                  it. memory-pressure runs in a memory cgroup it makes and always removes; its swap
                  variant needs swap, or --allow-swapfile for a temporary swap file (always removed).
                  Exit 0 whatever the agreement, unless --require-agreement (then 1 on any
                  disagreement). docs/calibration.md.
              actorkernel calibrate --scenario FILE [--require-agreement]
                  Run one scenario file (docs/scenarios.md) in the model and on this machine's kernel
                  and print every probe read at sys_enter_execve on both sides. Writes nothing.
              actorkernel calibrate --random N [--seed S] [--out DIR] [--require-agreement]
                  N random scenarios (seeded: the same seed, the same scenarios) on both sides; print the
                  agreement with a 95% Wilson interval and the disagreements by kind; shrink each
                  disagreement and write it (scenario file and a TestKit test) with summary.txt to DIR
                  (default out/calibration-random/). Ctrl-C writes what finished (exit 130).
              actorkernel help
                  This text. Documentation: docs/ (concepts, configuration, results, seed-proposal,
                  numa, calibration, scenarios, scenario-tests, exploration, performance).

            Exit status: 0 done; 1 a run failed inside the model, --check-determinism found a difference or explore found a violation (worker: the
            coordinator was lost); 2 bad arguments, configuration, experiment file or output folder (one line on stderr,
            nothing written); 130 interrupted. COMMAND --help prints the help of one command.
            """;

        /// <summary>The commands, as the first argument names them.</summary>
        public static readonly IReadOnlyList<string> Commands = ["run", "explore", "worker", "pagemap", "explain", "trace", "calibrate", "help"];

        public static int Run(string[] args, TextWriter stdout, TextWriter stderr) =>
            Run(args, stdout, stderr, CalibrationHost.Detect);

        /// <summary>As <see cref="Run(string[], TextWriter, TextWriter)"/>, with the machine calibrate checks given (tests check the precondition errors without root).</summary>
        public static int Run(string[] args, TextWriter stdout, TextWriter stderr, Func<CalibrationHost> host)
        {
            try
            {
                // No command is a usage mistake: the usage goes to stderr, as every mistake's message does.
                if (args.Length == 0)
                {
                    stderr.WriteLine(Help);
                    return 2;
                }
                if (args[0] is "help" or "--help" or "-h")
                {
                    stdout.WriteLine(args.Length > 1 ? CommandHelp(args[1]) : Help);
                    return 0;
                }
                if (Commands.Contains(args[0]) && args.Skip(1).Any(a => a is "--help" or "-h"))
                {
                    stdout.WriteLine(CommandHelp(args[0]));
                    return 0;
                }
                return args[0] switch
                {
                    "run" => RunCommand.Execute(RunArguments.Parse(args[1..]), Console(stdout), stderr),
                    "explore" => ExploreCommand.Execute(ExploreArguments.Parse(args[1..]), stdout, stderr),
                    "pagemap" => PagemapCommand.Execute(PagemapArguments.Parse(args[1..]), stdout),
                    "explain" => ExplainCommand.Execute(ExplainArguments.Parse(args[1..]), stdout),
                    "trace" => TraceCommand.Execute(TraceArguments.Parse(args[1..]), stdout),
                    "calibrate" => CalibrateCommand.Execute(CalibrateArguments.Parse(args[1..]), host(), stdout, stderr),
                    "worker" => WorkerCommand.Execute(WorkerArguments.Parse(args[1..]), stdout),
                    _ => throw new CliError($"unknown command '{args[0]}'; commands: {string.Join(", ", Commands)}"),
                };
            }
            catch (UserError e)
            {
                stderr.WriteLine($"actorkernel: error: {e.Message}");
                return 2;
            }
        }

        /// <summary>
        /// The help of one command: its section of <see cref="Help"/> (from its "actorkernel COMMAND" line to the
        /// next command's) and the exit statuses. Throws <see cref="CliError"/> for an unknown command.
        /// </summary>
        public static string CommandHelp(string command)
        {
            if (command == "help") return Help;
            var lines = Help.Split('\n');
            var start = Array.FindIndex(lines, l => l.StartsWith($"  actorkernel {command} ", StringComparison.Ordinal));
            if (!Commands.Contains(command) || start < 0)
                throw new CliError($"unknown command '{command}'; commands: {string.Join(", ", Commands)}");
            var end = Array.FindIndex(lines, start + 1, l => l.StartsWith("  actorkernel ", StringComparison.Ordinal) || l.Trim().Length == 0);
            var exit = Array.FindIndex(lines, l => l.StartsWith("Exit status", StringComparison.Ordinal));
            return "Usage:\n" + string.Join('\n', lines[start..end]) + "\n\n" + string.Join('\n', lines[exit..]);
        }

        // A wide, colourless console when output is redirected, so tables do not wrap in logs and files.
        private static IAnsiConsole Console(TextWriter stdout)
        {
            var redirected = System.Console.IsOutputRedirected || !ReferenceEquals(stdout, System.Console.Out);
            var console = AnsiConsole.Create(new AnsiConsoleSettings
            {
                Out = new AnsiConsoleOutput(stdout),
                Ansi = redirected ? AnsiSupport.No : AnsiSupport.Detect,
                ColorSystem = redirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
                Interactive = redirected ? InteractionSupport.No : InteractionSupport.Detect,
            });
            if (redirected) console.Profile.Width = 240;
            return console;
        }
    }
}
