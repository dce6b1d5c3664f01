using System.Text;

namespace ActorKernel.Model;

/// <summary>
/// The argument area of the mm that execve() just built (fs/exec.c): copy_strings() writes
/// the filename, argv and envp at the top of the new stack through get_arg_page() →
/// get_user_pages_remote(), so those pages are present when the new program's mm is
/// installed; create_elf_tables() then writes the argv pointer array below them.
/// mm->arg_start..arg_end is what sched_process_exec / sys_exit_execve readers use
/// (Falco, Tetragon). The rest of the new image is not modelled.
/// </summary>
public sealed class ExecArgArea
{
    private readonly List<(ulong Addr, int Length, string Text)> _strings = new();

    private ExecArgArea(AddressSpace mm)
    {
        Mm = mm;
    }

    /// <summary>The new mm: one [stack] VMA whose argument pages are present.</summary>
    public AddressSpace Mm { get; }

    /// <summary>Address of the filename string (bprm->filename copied first, at the very top).</summary>
    public ulong FilenameAddr { get; private set; }

    /// <summary>Address of the argv pointer array.</summary>
    public ulong ArgvArrayAddr { get; private set; }

    /// <summary>Addresses of the argv strings, in argv order.</summary>
    public IReadOnlyList<(ulong Addr, int LengthBytes)> Argv { get; private set; } = Array.Empty<(ulong, int)>();

    /// <summary>Lays out <paramref name="filename"/> and <paramref name="argv"/> as copy_strings() would, top down.</summary>
    public static ExecArgArea Build(int mmId, string filename, IReadOnlyList<string> argv)
    {
        const int stackPages = 32;
        var mm = new AddressSpace(mmId);
        var stack = new Vma(ProcessImage.StackTop - stackPages * (ulong)Pages.Size, ProcessImage.StackTop,
            VmaKind.Stack, VmaProt.Read | VmaProt.Write, "[stack]", hasAnonVma: true);
        mm.AddVma(stack);
        var area = new ExecArgArea(mm);
        ulong cursor = ProcessImage.StackTop - 8;
        ulong Push(string text)
        {
            int len = Encoding.UTF8.GetByteCount(text) + 1;
            cursor -= (ulong)len;
            area._strings.Add((cursor, len, text));
            return cursor;
        }
        area.FilenameAddr = Push(filename);
        var args = new List<(ulong, int)>();
        for (int i = argv.Count - 1; i >= 0; i--) args.Insert(0, (Push(argv[i]), Encoding.UTF8.GetByteCount(argv[i]) + 1));
        area.Argv = args;
        cursor &= ~7UL;
        cursor -= (ulong)(argv.Count + 1) * 8;
        area.ArgvArrayAddr = cursor;
        // get_arg_page() faulted every page it wrote; create_elf_tables() wrote the array.
        for (ulong vpn = Pages.Vpn(cursor); vpn < stack.EndVpn; vpn++) mm.SetPte(vpn, Pte.Anon(writable: true));
        return area;
    }

    /// <summary>The string that starts at <paramref name="addr"/>, as the kernel wrote it.</summary>
    public string StringAt(ulong addr)
    {
        foreach (var (a, _, text) in _strings)
            if (a == addr) return text;
        throw new ModelInvariantException($"exec arg area mm {Mm.Id}: no string at {addr:x}");
    }
}
