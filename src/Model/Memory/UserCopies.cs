namespace ActorKernel.Model;

/// <summary>One access to user memory a task makes (a touch, or the kernel's copy_from_user/getname on its behalf).</summary>
/// <param name="Addr">First byte.</param>
/// <param name="LengthBytes">Bytes accessed.</param>
/// <param name="Kind">Read or write.</param>
/// <param name="UserMode">The task's own access (a user-mode fault, FAULT_FLAG_USER), not the kernel's on its behalf.</param>
public readonly record struct UserCopy(ulong Addr, int LengthBytes, AccessKind Kind, bool UserMode = false);

/// <summary>
/// The user-memory accesses of one step of a task, one after another (execve's getname() then
/// copy_strings(), a syscall's copy_from_user()s). Each is tried without the mmap lock; one that
/// needs a fault is retried holding it for read (mm/memory.c lock_mm_and_find_vma(), 6.4+), and
/// the lock is released once that access and its faults are done, before the next access.
/// </summary>
public sealed class UserCopies
{
    private readonly Queue<UserCopy> _pending = new();
    private bool _accessDone;

    /// <summary>The mmap lock is held for read for the current access.</summary>
    public bool LockHeld { get; private set; }

    /// <summary>Accesses not yet done, the current one included.</summary>
    public int Pending => _pending.Count;

    /// <summary>The access to make now, or null when every access is done.</summary>
    public UserCopy? Current => !_accessDone && _pending.TryPeek(out var c) ? c : null;

    public void Add(UserCopy copy) => _pending.Enqueue(copy);

    /// <summary>The read lock the current access asked for is granted: it is retried under it.</summary>
    public UserCopy LockGranted()
    {
        ModelInvariantException.Check(!LockHeld, "user access: the mmap lock granted twice for one access");
        var current = Current ?? throw new ModelInvariantException("user access: the mmap lock granted with no access waiting for it");
        LockHeld = true;
        return current;
    }

    /// <summary>The current access is done (its faults still take virtual time, with the lock held across them).</summary>
    public void AccessDone()
    {
        ModelInvariantException.Check(!_accessDone && _pending.Count > 0, "user access: done with no access in progress");
        _pending.Dequeue();
        _accessDone = true;
    }

    /// <summary>The access's time has passed: true when the read lock must be released now (mmap_read_unlock()).</summary>
    public bool StepDone()
    {
        ModelInvariantException.Check(_accessDone, "user access: a step ended before its access was done");
        _accessDone = false;
        var release = LockHeld;
        LockHeld = false;
        return release;
    }
}
