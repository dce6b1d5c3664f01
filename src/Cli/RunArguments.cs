using System.Globalization;
using ActorKernel.Cluster;
using ActorKernel.Experiments.Configuration;
using ActorKernel.Experiments.Trace;

namespace ActorKernel.Cli;

/// <summary>The arguments of `actorkernel run`.</summary>
/// <param name="ExperimentFile">The experiment file; null for the built-in default.</param>
/// <param name="Overrides">--set, --seed and --runs-per-point as KEY=VALUE overrides.</param>
/// <param name="OutDir">--out; null for out/&lt;experiment&gt;-&lt;seed&gt;.</param>
/// <param name="Parallelism">Local lanes (--parallel).</param>
/// <param name="Resume">The output folder of an unfinished sweep to continue (--resume DIR).</param>
/// <param name="Cluster">Coordinate a cluster of workers (--cluster) instead of running locally; null for a local run.</param>
/// <param name="CheckDeterminism">Run a sample of the runs again when the sweep is done and compare (--check-determinism).</param>
/// <param name="Schedule">Replay the one run this schedule file names (--schedule FILE, saved by explore).</param>
/// <param name="Trace">Write trace.json of one run into the output folder (--trace [N]); null without --trace.</param>
public sealed record RunArguments(string? ExperimentFile, IReadOnlyList<string> Overrides, string? OutDir, int Parallelism, string? Resume = null, CoordinatorOptions? Cluster = null,
    bool CheckDeterminism = false, string? Schedule = null, RunTrace? Trace = null)
{
    public const string Usage = "actorkernel run [FILE] [--seed N] [--runs-per-point N] [--set KEY=VALUE]... [--out DIR] [--parallel N] [--resume DIR] [--check-determinism] [--trace [N]] [--schedule FILE] " +
                                "[--cluster [--listen HOST:PORT] [--min-workers N] [--slots N] [--secret-file PATH] [--tls-cert PATH]]";

    public static RunArguments Parse(IReadOnlyList<string> args)
    {
        string? file = null, outDir = null, resume = null, listen = null, secretFile = null, tlsCert = null, schedule = null;
        var overrides = new List<string>();
        var parallelism = Environment.ProcessorCount;
        var cluster = false;
        var checkDeterminism = false;
        int? minWorkers = null, slots = null;
        RunTrace? trace = null;
        for (var i = 0; i < args.Count; i++)
        {
            var a = args[i];
            switch (a)
            {
                case "--seed":
                    overrides.Add("experiment.seed=" + Long(a, Value(args, ref i, a), 0, ExperimentBinder.MaxSeed));
                    break;
                case "--runs-per-point":
                    overrides.Add("experiment.runs-per-point=" + Long(a, Value(args, ref i, a), 1, ExperimentBinder.MaxRunsPerPoint));
                    break;
                case "--set":
                {
                    var kv = Value(args, ref i, a);
                    if (!kv.Contains('=') || kv.StartsWith('='))
                        throw new CliError($"--set expects KEY=VALUE (e.g. --set workload.fork-exec.spawn=vfork), got '{kv}'");
                    overrides.Add(kv);
                    break;
                }
                case "--out":
                    outDir = Value(args, ref i, a);
                    if (outDir.Length == 0) throw new CliError("--out needs a folder name, got an empty string");
                    break;
                case "--parallel":
                    parallelism = (int)Long(a, Value(args, ref i, a), 1, 1024);
                    break;
                case "--resume":
                    resume = Value(args, ref i, a);
                    if (resume.Length == 0) throw new CliError("--resume needs the output folder of an interrupted run, got an empty string");
                    if (!Directory.Exists(resume))
                        throw new CliError($"--resume expects the output folder of an interrupted run, and '{resume}' does not exist");
                    break;
                case "--cluster":
                    cluster = true;
                    break;
                case "--check-determinism":
                    checkDeterminism = true;
                    break;
                case "--schedule":
                    schedule = Value(args, ref i, a);
                    break;
                case "--trace":
                    // An optional run number: the next argument when it is all digits (an experiment file is named *.conf).
                    if (i + 1 < args.Count && args[i + 1].Length > 0 && args[i + 1].All(char.IsAsciiDigit))
                        trace = new RunTrace((int)Long(a, args[++i], 0, int.MaxValue));
                    else trace = new RunTrace(null);
                    break;
                case "--listen":
                    listen = Value(args, ref i, a);
                    break;
                case "--min-workers":
                    minWorkers = (int)Long(a, Value(args, ref i, a), 0, 10_000);
                    break;
                case "--slots":
                    slots = (int)Long(a, Value(args, ref i, a), 0, 1024);
                    break;
                case "--secret-file":
                    secretFile = Value(args, ref i, a);
                    break;
                case "--tls-cert":
                    tlsCert = Value(args, ref i, a);
                    break;
                default:
                    if (a.StartsWith('-'))
                        throw new CliError($"unknown option '{a}' for run; usage: {Usage}");
                    if (file is not null)
                        throw new CliError($"run takes one experiment file, got '{file}' and '{a}'; usage: {Usage}");
                    // A folder or a special file is refused when the file is read (ConfigFile), with what it is.
                    if (!File.Exists(a) && !Directory.Exists(a))
                        throw new CliError($"experiment file '{a}' does not exist");
                    file = a;
                    break;
            }
        }
        if (resume is not null && outDir is not null && Path.GetFullPath(resume) != Path.GetFullPath(outDir))
            throw new CliError($"--resume {resume} writes to the folder it resumes; drop --out {outDir}");
        if (!cluster)
        {
            var clusterOnly = listen is not null ? "--listen" : minWorkers is not null ? "--min-workers" : slots is not null ? "--slots" : secretFile is not null ? "--secret-file" : tlsCert is not null ? "--tls-cert" : null;
            if (clusterOnly is not null)
                throw new CliError($"{clusterOnly} is an option of a cluster run; add --cluster (usage: {Usage})");
            if (schedule is not null && trace is not null)
                throw new CliError("--trace traces a run of a sweep; --schedule replays one run: trace that run with actorkernel trace DIR after the replay");
            return new RunArguments(file, overrides, outDir, parallelism, resume, CheckDeterminism: checkDeterminism, Schedule: schedule, Trace: trace);
        }
        if (schedule is not null) throw new CliError("--schedule replays one run locally: it cannot be combined with --cluster");
        var endpoint = new Endpoint(Endpoint.DefaultHost, Endpoint.DefaultCoordinatorPort);
        if (listen is not null)
            endpoint = Endpoint.TryParse(listen, out var error) ?? throw new CliError($"--listen {error}, got '{listen}'");
        var localSlots = slots ?? 0;
        // With no workers to wait for and no slots of its own, nobody would ever run anything.
        var need = minWorkers ?? (localSlots > 0 ? 0 : 1);
        if (need == 0 && localSlots == 0)
            throw new CliError("--min-workers 0 needs --slots N (the coordinator's own slots), or nothing would run");
        var secret = ClusterSecret.Load(secretFile, Environment.GetEnvironmentVariable);
        var tls = tlsCert is null ? null : ClusterTls.Load(tlsCert, Environment.GetEnvironmentVariable);
        return new RunArguments(file, overrides, outDir, parallelism, resume, new CoordinatorOptions(endpoint, need, localSlots, secret, tls), checkDeterminism, Trace: trace);
    }

    private static string Value(IReadOnlyList<string> args, ref int i, string option)
    {
        if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
            throw new CliError($"{option} needs a value; usage: {Usage}");
        return args[++i];
    }

    // The range stated is the one checked: --seed and --runs-per-point take their bounds from the experiment schema.
    private static long Long(string option, string value, long min, long max)
    {
        if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < min || n > max)
            throw new CliError($"{option} expects a whole number from {min} to {(max == ExperimentBinder.MaxSeed ? "2^62" : max.ToString(CultureInfo.InvariantCulture))}, got '{value}'");
        return n;
    }
}
