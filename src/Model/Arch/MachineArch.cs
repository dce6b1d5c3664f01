namespace ActorKernel.Model;

/// <summary>The CPU architecture of the simulated machine (actor-kernel.machine.arch; kernel-model.md §1.5).</summary>
public enum MachineArch
{
    /// <summary>x86-64: the MMU sets the accessed bit itself (arch/x86/Kconfig selects ARCH_HAS_HW_PTE_YOUNG).</summary>
    X86_64,
    /// <summary>arm64: hardware access-flag management only on cores with FEAT_HAFDBS (cpu_has_hw_af()); ARMv8.0 cores take an access-flag fault.</summary>
    Arm64,
    /// <summary>s390x: pte_mkold() sets _PAGE_INVALID, so an old PTE always faults (no ARCH_HAS_HW_PTE_YOUNG).</summary>
    S390x,
}

/// <summary>
/// What the architecture's MMU does with an old PTE: include/linux/pgtable.h
/// arch_has_hw_pte_young() (6.8, 6.18), defined as cpu_has_hw_af() by
/// arch/arm64/include/asm/pgtable.h, true on x86-64, false on s390x; before 6.1 mm/memory.c asked
/// the inverse, arch_faults_on_old_pte() *(history)*. The kernel's own comment above the arm64
/// definition: "On arm64 without hardware Access Flag, copying from user will fail because the pte
/// is old and cannot be marked young."
/// </summary>
/// <param name="Arch">The architecture.</param>
/// <param name="HwPteYoung">arch_has_hw_pte_young(): the hardware marks an old PTE young on access, without a fault.</param>
public sealed record ArchCaps(MachineArch Arch, bool HwPteYoung)
{
    /// <summary>x86-64: the model's default, under which an old PTE reads like a young one.</summary>
    public static ArchCaps X86_64 { get; } = new(MachineArch.X86_64, true);

    /// <summary>
    /// An access through an old PTE faults (arm64 access-flag fault, arch/arm64/mm/fault.c
    /// fault_info "level 3 access flag fault" → do_page_fault(); s390x invalid PTE). With page faults
    /// disabled that fault is not handled (do_page_fault(): faulthandler_disabled() → no_context):
    /// copy_from_user_nofault() fails.
    /// </summary>
    public bool FaultsOnOldPte => !HwPteYoung;

    /// <summary>
    /// The capabilities of <paramref name="arch"/> with hardware-young <paramref name="hwPteYoung"/>,
    /// or the reason the combination cannot exist (s390x has no hardware-young bit).
    /// </summary>
    public static (ArchCaps? Caps, string? Error) Of(MachineArch arch, bool hwPteYoung) =>
        arch == MachineArch.S390x && hwPteYoung
            ? (null, "s390x has no hardware-managed young bit: its pte_mkold() invalidates the PTE (arch/s390/include/asm/pgtable.h)")
            : (new ArchCaps(arch, hwPteYoung), null);
}

public static class MachineArchNames
{
    /// <summary>The architecture's configuration name (machine.arch), as uname -m spells it, with a dash.</summary>
    public static string ToName(this MachineArch arch) => arch switch
    {
        MachineArch.X86_64 => "x86-64",
        MachineArch.Arm64 => "arm64",
        MachineArch.S390x => "s390x",
        _ => throw new ArgumentOutOfRangeException(nameof(arch), arch, null),
    };
}
