using System.Collections;
using System.Numerics;

namespace ActorKernel.Model;

/// <summary>
/// A set of virtual page numbers: one 512-bit bitmap per 2 MiB of address space (the span of a PTE
/// page), kept sorted by address, so membership is a binary search and a bit test and enumeration is
/// in address order. Bitmaps are taken from and given back to a per-thread spare list: a run that
/// forks and execs over and over records each child's fork-skipped pages without allocating per child
/// (a hash set of them was the largest allocation of the fork-exec sweep).
/// </summary>
public sealed class VpnSet : IReadOnlyCollection<ulong>
{
    private const int PmdShift = 9;
    private const ulong PmdMask = (1UL << PmdShift) - 1;
    private const int WordsPerBitmap = (1 << PmdShift) / 64;
    private const int SpareBitmapsMax = 256;

    // Per thread because a lane drives one run on one thread; a bitmap on the list is all zero.
    [ThreadStatic]
    private static Stack<ulong[]>? _spareBitmaps;

    private ulong[] _pmds = [];
    private ulong[][] _bitmaps = [];
    private int _used;
    private int _count;

    public int Count => _count;

    public bool Contains(ulong vpn)
    {
        var i = IndexOf(vpn >> PmdShift);
        return i >= 0 && (_bitmaps[i][(int)(vpn & PmdMask) >> 6] & (1UL << (int)(vpn & 63))) != 0;
    }

    /// <summary>Adds a page; false if it was already in the set. Adding in address order is the cheap case.</summary>
    public bool Add(ulong vpn)
    {
        var pmd = vpn >> PmdShift;
        var i = _used > 0 && _pmds[_used - 1] == pmd ? _used - 1 : IndexOf(pmd);
        if (i < 0) i = InsertBitmap(~i, pmd);
        ref var word = ref _bitmaps[i][(int)(vpn & PmdMask) >> 6];
        var bit = 1UL << (int)(vpn & 63);
        if ((word & bit) != 0) return false;
        word |= bit;
        _count++;
        return true;
    }

    /// <summary>Removes every page in [<paramref name="startVpn"/>, <paramref name="endVpn"/>).</summary>
    public void RemoveRange(ulong startVpn, ulong endVpn)
    {
        var i = 0;
        while (i < _used)
        {
            var pmd = _pmds[i];
            var first = Math.Max(startVpn, pmd << PmdShift);
            var last = Math.Min(endVpn, (pmd + 1) << PmdShift);
            if (first < last)
            {
                var bitmap = _bitmaps[i];
                for (var vpn = first; vpn < last; vpn++)
                {
                    ref var word = ref bitmap[(int)(vpn & PmdMask) >> 6];
                    var bit = 1UL << (int)(vpn & 63);
                    if ((word & bit) == 0) continue;
                    word &= ~bit;
                    _count--;
                }
                if (IsZero(bitmap))
                {
                    RemoveBitmapAt(i);
                    continue;
                }
            }
            i++;
        }
    }

    /// <summary>Empties the set and gives its bitmaps back to this thread's spares.</summary>
    public void Clear()
    {
        for (var i = 0; i < _used; i++)
        {
            Array.Clear(_bitmaps[i]);
            GiveBack(_bitmaps[i]);
            _bitmaps[i] = null!;
        }
        _used = 0;
        _count = 0;
    }

    public Enumerator GetEnumerator() => new(this);

    IEnumerator<ulong> IEnumerable<ulong>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private int IndexOf(ulong pmd)
    {
        int lo = 0, hi = _used - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var p = _pmds[mid];
            if (p == pmd) return mid;
            if (p < pmd) lo = mid + 1;
            else hi = mid - 1;
        }
        return ~lo;
    }

    private int InsertBitmap(int at, ulong pmd)
    {
        if (_used == _pmds.Length)
        {
            var capacity = Math.Max(4, _used * 2);
            Array.Resize(ref _pmds, capacity);
            Array.Resize(ref _bitmaps, capacity);
        }
        Array.Copy(_pmds, at, _pmds, at + 1, _used - at);
        Array.Copy(_bitmaps, at, _bitmaps, at + 1, _used - at);
        _pmds[at] = pmd;
        _bitmaps[at] = _spareBitmaps is { Count: > 0 } spares ? spares.Pop() : new ulong[WordsPerBitmap];
        _used++;
        return at;
    }

    private void RemoveBitmapAt(int at)
    {
        GiveBack(_bitmaps[at]);
        _used--;
        Array.Copy(_pmds, at + 1, _pmds, at, _used - at);
        Array.Copy(_bitmaps, at + 1, _bitmaps, at, _used - at);
        _bitmaps[_used] = null!;
    }

    private static void GiveBack(ulong[] zeroBitmap)
    {
        if ((_spareBitmaps ??= new()).Count < SpareBitmapsMax) _spareBitmaps.Push(zeroBitmap);
    }

    private static bool IsZero(ulong[] bitmap)
    {
        foreach (var w in bitmap)
            if (w != 0) return false;
        return true;
    }

    /// <summary>The pages in address order. Do not change the set while enumerating.</summary>
    public struct Enumerator : IEnumerator<ulong>
    {
        private readonly VpnSet _set;
        private int _bitmap;
        private int _word;
        private ulong _rest;

        internal Enumerator(VpnSet set)
        {
            _set = set;
            _bitmap = 0;
            _word = -1;
            _rest = 0;
            Current = 0;
        }

        public ulong Current { get; private set; }

        readonly object IEnumerator.Current => Current;

        public bool MoveNext()
        {
            while (_rest == 0)
            {
                if (++_word == WordsPerBitmap)
                {
                    _word = 0;
                    _bitmap++;
                }
                if (_bitmap >= _set._used) return false;
                _rest = _set._bitmaps[_bitmap][_word];
            }
            var bit = BitOperations.TrailingZeroCount(_rest);
            _rest &= _rest - 1;
            Current = (_set._pmds[_bitmap] << PmdShift) | ((ulong)_word << 6) | (uint)bit;
            return true;
        }

        public void Reset()
        {
            _bitmap = 0;
            _word = -1;
            _rest = 0;
        }

        public readonly void Dispose()
        {
        }
    }
}
