using ActorKernel.Actors.Configuration;
using ActorKernel.Model;

namespace ActorKernel.Actors.Memory;

/// <summary>The virtual time a resolved fault takes (kernel-model.md §7), from the costs settings.</summary>
public static class FaultCosts
{
    public static long Of(in FaultOutcome f, CostsSettings c)
    {
        if (f.Major && f.Class.Kind == FaultKind.SwapIn) return c.SwapInNs;
        if (f.Major) return c.MajorFaultNs + f.FaultAroundPages * c.FaultAroundPageNs;
        return f.Class.Kind switch
        {
            FaultKind.AnonZeroPage or FaultKind.AnonAlloc or FaultKind.Cow => c.AnonFaultNs,
            FaultKind.FileRead => c.MinorFaultNs + f.FaultAroundPages * c.FaultAroundPageNs,
            _ => c.MinorFaultNs,
        };
    }
}
