namespace ActorKernel.Model;

/// <summary>How a child is created (kernel/fork.c): a copy of the address space, or the parent's own one.</summary>
public enum SpawnKind
{
    /// <summary>fork(): dup_mmap copies the address space per vma_needs_copy().</summary>
    Fork,
    /// <summary>vfork(), and posix_spawn() which glibc implements with clone(CLONE_VM|CLONE_VFORK): the child runs on the parent's mm; the parent sleeps until the child execs.</summary>
    Vfork,
}
