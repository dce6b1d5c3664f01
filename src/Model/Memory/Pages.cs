namespace ActorKernel.Model;

/// <summary>x86-64 base page geometry (arch/x86/include/asm/page_types.h PAGE_SHIFT).</summary>
public static class Pages
{
    public const int Shift = 12;
    public const int Size = 1 << Shift;

    /// <summary>Pages covered by one PTE table (PTRS_PER_PTE): a 2 MiB PMD range.</summary>
    public const int PtrsPerPte = 512;

    /// <summary>Virtual page number of an address.</summary>
    public static ulong Vpn(ulong addr) => addr >> Shift;

    /// <summary>First address of a virtual page.</summary>
    public static ulong AddrOf(ulong vpn) => vpn << Shift;

    public static bool IsAligned(ulong addr) => (addr & (Size - 1)) == 0;
}
