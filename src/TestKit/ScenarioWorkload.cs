using ActorKernel.Actors.Tasks;
using ActorKernel.Actors.Workloads;
using ActorKernel.Model;

namespace ActorKernel.TestKit;

/// <summary>Creates a scenario's own processes when the machine starts.</summary>
internal sealed class ScenarioWorkload : IWorkload
{
    private readonly ProcessBuilder _process;
    private readonly ScenarioSignals _signals;
    private readonly Action<int, PlacedImage> _created;

    public ScenarioWorkload(ProcessBuilder process, ScenarioSignals signals, Action<int, PlacedImage> created)
    {
        _process = process;
        _signals = signals;
        _created = created;
        // write(2) and openat(2) only where a program makes them: an attach point nobody fires would still constrain the policies.
        Probes = new("scenario", [ProbedAttachPoint.Execve, .. process.SyscallPoints.Order().Select(p => new ProbedAttachPoint(p, null))]);
    }

    /// <summary>A scenario's programs may exec (sys_enter_execve, re-read at sched_process_exec by a deferred program), and write or openat if they do.</summary>
    public WorkloadProbes Probes { get; }

    public void Start(IWorkloadHost host)
    {
        var mmId = host.NextMmId();
        var layout = ProcessLayout.For(host, mmId);
        var image = ProcessImage.Build(mmId, layout,
            new FileObject("prog", layout.ProgFilePages), new FileObject("libc.so.6", layout.LibcFilePages));
        image.PopulateTypical();
        // A process that places anything in a library's regions links that library (ProcessImage.AddLibrary).
        _process.LinkLibraryIfUsed(image, layout);
        foreach (var (region, first, pages) in _process.StartTouches)
            for (var page = first; page < first + pages; page++)
                image.TouchRead(image.RegionOf(region).Addr(page));
        var placed = new PlacedImage(image, _signals);
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
