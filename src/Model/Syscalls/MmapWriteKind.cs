namespace ActorKernel.Model;

/// <summary>A syscall that takes the mmap lock for write (mm/mmap.c, mm/mprotect.c, mm/mmap.c brk) and what it does to the address space while it holds it.</summary>
public enum MmapWriteKind
{
    Mmap,
    Munmap,
    Mprotect,
    Brk,
}
