using System.Globalization;
using ActorKernel.Cluster;

namespace ActorKernel.Cli;

/// <summary>The arguments of `actorkernel worker`.</summary>
public sealed record WorkerArguments(WorkerOptions Options)
{
    public const string Usage = "actorkernel worker --join HOST:PORT [--host HOST] [--port P] [--slots N] [--secret-file PATH] [--tls-cert PATH]";

    public static WorkerArguments Parse(IReadOnlyList<string> args)
    {
        Endpoint? join = null;
        string? secretFile = null, tlsCert = null;
        var host = Endpoint.DefaultHost;
        var port = 0;
        var slots = Environment.ProcessorCount;
        for (var i = 0; i < args.Count; i++)
        {
            var a = args[i];
            switch (a)
            {
                case "--join":
                {
                    var v = Value(args, ref i, a);
                    join = Endpoint.TryParse(v, out var error) ?? throw new CliError($"--join {error}, got '{v}'");
                    break;
                }
                case "--host":
                    host = Value(args, ref i, a);
                    break;
                case "--port":
                    port = Int(a, Value(args, ref i, a), 0, 65535);
                    break;
                case "--slots":
                    slots = Int(a, Value(args, ref i, a), 1, 1024);
                    break;
                case "--secret-file":
                    secretFile = Value(args, ref i, a);
                    break;
                case "--tls-cert":
                    tlsCert = Value(args, ref i, a);
                    break;
                default:
                    throw new CliError($"unknown argument '{a}' for worker; usage: {Usage}");
            }
        }
        if (join is null)
            throw new CliError($"worker needs --join HOST:PORT, the address the coordinator printed; usage: {Usage}");
        // Port 0 means "any free port" to a listener; as a destination it names no coordinator.
        if (join.Port == 0)
            throw new CliError($"--join needs the port the coordinator printed (1 to 65535), got '{join}'");
        var secret = ClusterSecret.Load(secretFile, Environment.GetEnvironmentVariable);
        var tls = tlsCert is null ? null : ClusterTls.Load(tlsCert, Environment.GetEnvironmentVariable);
        return new WorkerArguments(new WorkerOptions(join, new Endpoint(host, port), slots, secret, tls));
    }

    private static string Value(IReadOnlyList<string> args, ref int i, string option)
    {
        if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
            throw new CliError($"{option} needs a value; usage: {Usage}");
        return args[++i];
    }

    private static int Int(string option, string value, int min, int max)
    {
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < min || n > max)
            throw new CliError($"{option} expects a whole number from {min} to {max}, got '{value}'");
        return n;
    }
}
