namespace ActorKernel.Actors.Tests.Configuration;

/// <summary>A configuration file written to a temporary folder for one test, deleted afterwards.</summary>
internal sealed class TempConfig : IDisposable
{
    private readonly string _dir = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "actorkernel-config-" + Guid.NewGuid().ToString("N"));

    public TempConfig(string text, string name = "experiment.conf")
    {
        Directory.CreateDirectory(_dir);
        Path = System.IO.Path.Combine(_dir, name);
        File.WriteAllText(Path, text);
    }

    public string Path { get; }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
