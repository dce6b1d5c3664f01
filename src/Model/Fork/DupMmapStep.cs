namespace ActorKernel.Model;

/// <summary>What one iteration of dup_mmap()'s VMA loop did.</summary>
/// <param name="ParentVma">The parent VMA handled.</param>
/// <param name="PtesCopied">PTEs copy_page_range() installed in the child (present, PROT_NONE and swap entries).</param>
/// <param name="PresentPtesSkipped">Present or PROT_NONE parent PTEs not copied because vma_needs_copy() was false
/// (recorded in the child's ForkSkippedPages). Zero for DONTCOPY and WIPEONFORK VMAs.</param>
/// <param name="VmaSkipped">VM_DONTCOPY: the child got no VMA.</param>
/// <param name="VmaWiped">VM_WIPEONFORK: the child got an empty VMA.</param>
public readonly record struct DupMmapStep(Vma ParentVma, int PtesCopied, int PresentPtesSkipped, bool VmaSkipped, bool VmaWiped);
