using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using ActorKernel.Experiments.Session;

namespace ActorKernel.Experiments.Tests.Golden;

/// <summary>
/// The shipped experiments' outputs, pinned by SHA-256: a refactoring must leave results.json,
/// results.csv, summary.md and runs.jsonl byte-identical for every experiment of config/experiments
/// at seeds 1, 2 and 3. A change that is meant to move results regenerates the pinned file
/// (ACTORKERNEL_UPDATE_GOLDEN=1 dotnet test --filter GoldenOutputs) and says why in its commit.
/// runs.jsonl's header carries the build's version (version+commit); it is compared without it.
/// </summary>
public sealed class GoldenOutputsTests
{
    private static readonly string[] Experiments = { "fork-exec", "numa-idle", "numa-2node", "seed-proposal", "architectures" };
    private static readonly string[] Files = { "results.json", "results.csv", "summary.md", "runs.jsonl" };
    private static readonly int[] Seeds = { 1, 2, 3 };

    public static TheoryData<string, int> Cases()
    {
        var data = new TheoryData<string, int>();
        foreach (var e in Experiments)
            foreach (var s in Seeds) data.Add(e, s);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Outputs_are_byte_identical_to_the_pinned_hashes(string experiment, int seed)
    {
        var actual = Hashes(experiment, seed);
        var pinnedPath = Path.Combine(RepoRoot(), "tests", "golden", "outputs.sha256");
        if (Environment.GetEnvironmentVariable("ACTORKERNEL_UPDATE_GOLDEN") == "1")
        {
            Update(pinnedPath, actual);
            return;
        }
        var pinned = Read(pinnedPath);
        foreach (var (key, hash) in actual)
        {
            Assert.True(pinned.TryGetValue(key, out var expected), $"{key} is not pinned in tests/golden/outputs.sha256");
            Assert.True(expected == hash, $"{key} changed: {hash} (pinned {expected}). If the change is intended, regenerate with ACTORKERNEL_UPDATE_GOLDEN=1 and say why.");
        }
    }

    private static IReadOnlyList<(string Key, string Hash)> Hashes(string experiment, int seed)
    {
        var file = Path.Combine(RepoRoot(), "config", "experiments", experiment + ".conf");
        var session = ExperimentSession.Prepare(file, new[] { $"experiment.seed={seed}" });
        var dir = Path.Combine(Path.GetTempPath(), $"ak-golden-{experiment}-{seed}-{Guid.NewGuid():N}");
        try
        {
            var journal = session.OpenJournal(dir, resume: false);
            session.Run(journal, parallelism: 2, progress: null, CancellationToken.None);
            var files = session.WriteOutput(journal).ToDictionary(f => f.Name, f => f.Content);
            return Files.Select(name =>
            {
                var bytes = name == "runs.jsonl" ? WithoutVersion(files[name]) : files[name];
                return ($"{experiment} seed {seed} {name}", Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant());
            }).ToArray();
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    // The header's "version":"1.0.0+<commit>" names the build, not the results.
    private static byte[] WithoutVersion(byte[] journal) =>
        Encoding.UTF8.GetBytes(Regex.Replace(Encoding.UTF8.GetString(journal), "\"version\":\"[^\"]*\"", "\"version\":\"\"", RegexOptions.None, TimeSpan.FromSeconds(10)));

    private static Dictionary<string, string> Read(string path) =>
        File.ReadAllLines(path).Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split("  ", 2)).ToDictionary(p => p[1], p => p[0]);

    private static readonly object UpdateLock = new();

    private static void Update(string path, IEnumerable<(string Key, string Hash)> hashes)
    {
        lock (UpdateLock)
        {
            var all = File.Exists(path) ? Read(path) : new Dictionary<string, string>();
            foreach (var (key, hash) in hashes) all[key] = hash;
            var lines = all.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Value}  {p.Key}");
            File.WriteAllText(path, "# SHA-256 of the shipped experiments' outputs (GoldenOutputsTests); runs.jsonl without its version field.\n" + string.Join('\n', lines) + "\n");
        }
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ActorKernel.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("ActorKernel.sln not found above the test assembly");
    }
}
