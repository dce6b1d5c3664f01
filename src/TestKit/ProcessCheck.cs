using ActorKernel.Model;

namespace ActorKernel.TestKit;

/// <summary>
/// What <see cref="ScenarioBuilder.Build()"/> checks of one process before the run: placements against
/// an image of the scenario's layout (regions, pages, room on the page, names unique), and every
/// program step's names, pages, CPUs and signals. Each failure is one <see cref="ScenarioError"/> line.
/// </summary>
internal sealed class ProcessCheck
{
    private readonly string _process;
    private readonly ProcessImage _image;
    private readonly int _cpus;
    private readonly ScenarioSignalCheck _signals;
    private readonly Dictionary<string, (RegionKind Region, bool IsArray)> _placed = new(StringComparer.Ordinal);
    private readonly Dictionary<(RegionKind, int), int> _bytesOnPage = new();

    public ProcessCheck(string process, ProcessImage image, int cpus, ScenarioSignalCheck signals)
    {
        _process = process;
        _image = image;
        _cpus = cpus;
        _signals = signals;
    }

    public ScenarioError Error(string message) => new($"{_process}: {message}");

    public void Place(string name, RegionKind region, int page, int lengthBytes, bool isArray)
    {
        var what = isArray ? $"PointerArray(\"{name}\")" : $"String(\"{name}\")";
        if (_placed.ContainsKey(name)) throw Error($"{what}: '{name}' is placed twice in the process");
        Page(region, page, what);
        var used = _bytesOnPage.GetValueOrDefault((region, page));
        if (used + lengthBytes > Pages.Size)
            throw Error($"{what}: {lengthBytes} bytes do not fit on page {page} of {region} after the {used} bytes already placed there ({Pages.Size} per page)");
        _bytesOnPage[(region, page)] = used + lengthBytes;
        _placed[name] = (region, isArray);
    }

    public void Page(RegionKind region, int page, string what)
    {
        if (!_image.HasRegion(region)) throw Error($"{what}: the image has no {region} region (its layout gives it no pages)");
        var pages = _image.RegionOf(region).Pages;
        if (page < 0 || page >= pages) throw Error($"{what}: page {page} is outside {region}, which has pages 0..{pages - 1}");
    }

    public (RegionKind Region, bool IsArray) Name(string name, string what) =>
        _placed.TryGetValue(name, out var p)
            ? p
            : throw Error($"{what}: nothing called '{name}' is placed in the process (placed: {(_placed.Count == 0 ? "none" : string.Join(", ", _placed.Keys.Order(StringComparer.Ordinal)))})");

    public void String(string name, string what)
    {
        if (Name(name, what).IsArray) throw Error($"{what}: '{name}' is a pointer array, not a string");
    }

    public void Array(string name, string what)
    {
        if (!Name(name, what).IsArray) throw Error($"{what}: '{name}' is a string, not a pointer array");
    }

    public void Writable(string name, string what)
    {
        var region = Name(name, what).Region;
        var vma = _image.RegionOf(region).Vma;
        if ((vma.Prot & VmaProt.Write) == 0)
            throw Error($"{what}: '{name}' is in {region} ({vma.Name}), mapped {vma.Prot.ToString().ToLowerInvariant()} without write: the kernel would deliver SIGSEGV");
    }

    public void Cpu(int cpuIndex)
    {
        if (cpuIndex < 0 || cpuIndex >= _cpus) throw Error($"RunOnCpu({cpuIndex}): the machine has CPUs 0..{_cpus - 1}");
    }

    public void NotNegative(long ns, string what)
    {
        if (ns < 0) throw Error($"{what}: the duration {SimDuration.Format(ns)} is negative");
    }

    public void Raises(string signal) => _signals.Raised.Add(signal);

    public void Awaits(string signal) => _signals.Awaited.Add((_process, signal));
}

/// <summary>Signals raised and awaited over every process of a scenario: a wait for a signal nobody raises can never end.</summary>
internal sealed class ScenarioSignalCheck
{
    // Membership only, never iterated.
    public HashSet<string> Raised { get; } = new(StringComparer.Ordinal);

    public List<(string Process, string Signal)> Awaited { get; } = new();

    public void Check()
    {
        foreach (var (process, signal) in Awaited)
            if (!Raised.Contains(signal))
                throw new ScenarioError($"{process}: WaitFor(\"{signal}\"): no thread of the scenario raises '{signal}' (Signal(\"{signal}\"))");
    }
}
