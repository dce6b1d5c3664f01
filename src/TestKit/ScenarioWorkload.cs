using ActorKernel.Actors.Tasks;
using ActorKernel.Actors.Workloads;
using ActorKernel.Model;

namespace ActorKernel.TestKit;

/// <summary>Creates a scenario's own processes when the machine starts.</summary>
internal sealed class ScenarioWorkload : IWorkload
{
    private readonly ProcessBuilder _process;
    private readonly Action<int, PlacedImage> _created;

    public ScenarioWorkload(ProcessBuilder process, Action<int, PlacedImage> created)
    {
        _process = process;
        _created = created;
    }

    /// <summary>A scenario's programs may exec: sys_enter_execve, re-read at sched_process_exec by a deferred program.</summary>
    public WorkloadProbes Probes { get; } = new("scenario", [ProbedAttachPoint.Execve]);

    public void Start(IWorkloadHost host)
    {
        var layout = host.Settings.Image;
        var image = ProcessImage.Build(host.NextMmId(), layout,
            new FileObject("prog", layout.ProgFilePages), new FileObject("libc.so.6", layout.LibcFilePages));
        image.PopulateTypical();
        // A process that places anything in a library's regions links that library (ProcessImage.AddLibrary).
        if (_process.Strings.Select(s => s.Region).Concat(_process.Arrays.Select(a => a.Region)).Any(r => r is RegionKind.LibText or RegionKind.LibRodata))
            image.AddLibrary(new FileObject("libhelper.so", layout.LibFilePages), layout);
        var placed = new PlacedImage(image);
        var offsets = new Dictionary<(RegionKind, int), int>();
        int Next((RegionKind, int) page, int len)
        {
            var at = offsets.GetValueOrDefault(page);
            offsets[page] = at + len;
            return at;
        }
        foreach (var (name, region, page, text) in _process.Strings)
        {
            var len = System.Text.Encoding.UTF8.GetByteCount(text) + 1;
            placed.Add(name, new UserString(image.PlaceString(region, page, Next((region, page), len), text), len));
        }
        foreach (var (name, region, page, targets) in _process.Arrays)
        {
            var len = 8 * (targets.Length + 1);
            var addr = image.PlacePointerArray(region, page, Next((region, page), len), targets.Select(placed.Addr).ToArray());
            placed.Add(name, new UserString(addr, len));
        }
        _created(image.Mm.Id, placed);
        host.CreateProcess(image.Mm, _process.Threads.Select(t => (t.Program.Build(placed), t.Main)).ToArray());
    }
}
