using System.Globalization;
using System.Text;
using ActorKernel.Model;

namespace ActorKernel.TestKit.ScenarioFiles;

/// <summary>Writes a scenario in the canonical form <see cref="ScenarioFileParser"/> reads: two spaces per block level, '\n' line ends, no comments.</summary>
public static class ScenarioFileWriter
{
    public static string Write(ScenarioFile file)
    {
        var w = new StringBuilder();
        w.Append(ScenarioFile.Header).Append('\n');
        w.Append("kernel ").Append(file.Kernel).Append('\n');
        foreach (var p in file.Processes)
        {
            w.Append("process {\n");
            foreach (var s in p.Strings)
                w.Append("  string ").Append(s.Name).Append(' ').Append(Where(s.Region, s.Page, s.OffsetBytes)).Append(' ').Append(s.Text).Append('\n');
            foreach (var a in p.Arrays)
                w.Append("  array ").Append(a.Name).Append(' ').Append(Where(a.Region, a.Page, a.OffsetBytes)).Append(' ').Append(string.Join(' ', a.Targets)).Append('\n');
            foreach (var t in p.StartTouches)
                w.Append("  touched-at-start ").Append(ScenarioSyntax.Word(t.Region)).Append(' ').Append(t.FirstPage.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(t.Pages.ToString(CultureInfo.InvariantCulture)).Append('\n');
            foreach (var t in p.Threads)
            {
                w.Append(t.Background ? "  background-thread {\n" : "  thread {\n");
                Steps(w, t.Steps, 2);
                w.Append("  }\n");
            }
            w.Append("}\n");
        }
        return w.ToString();
    }

    private static string Where(RegionKind region, int page, int offset) =>
        string.Create(CultureInfo.InvariantCulture, $"{ScenarioSyntax.Word(region)} {page} {offset}");

    private static void Steps(StringBuilder w, IReadOnlyList<ScenarioStep> steps, int depth)
    {
        var indent = new string(' ', 2 * depth);
        foreach (var step in steps)
        {
            w.Append(indent);
            switch (step)
            {
                case SpawnStep s:
                    w.Append(s.Kind == SpawnKind.Vfork ? "vfork {\n" : "fork {\n");
                    Steps(w, s.Child, depth + 1);
                    w.Append(indent).Append("}\n");
                    continue;
                case ReadStep r: w.Append("read ").Append(r.Name); break;
                case WriteStep r: w.Append("write ").Append(r.Name); break;
                case ReadPageStep r: w.Append("read-page ").Append(ScenarioSyntax.Word(r.Region)).Append(' ').Append(r.Page.ToString(CultureInfo.InvariantCulture)); break;
                case ExecStep e: w.Append("exec ").Append(e.Filename).Append(' ').Append(e.Argv); break;
                case WaitChildStep: w.Append("wait-child"); break;
                case SleepStep s: w.Append("sleep ").Append(ScenarioSyntax.Duration(s.DurationNs)); break;
                case EvictStep e: w.Append("evict ").Append(e.Name).Append(e.ReadaheadMarker ? " readahead-marker" : ""); break;
                case HoldMmapLockStep h: w.Append("hold-mmap-lock ").Append(h.Write ? "write " : "read ").Append(ScenarioSyntax.Duration(h.DurationNs)); break;
                case SysWriteStep s: w.Append("sys-write ").Append(s.Name).Append(s.KernelReads ? " kernel-reads" : ""); break;
                case SysOpenatStep s: w.Append("sys-openat ").Append(s.Name); break;
                case ComputeStep c: w.Append("compute ").Append(ScenarioSyntax.Duration(c.DurationNs)); break;
                case RunOnCpuStep r: w.Append("run-on-cpu ").Append(r.CpuIndex.ToString(CultureInfo.InvariantCulture)); break;
                case SignalStep s: w.Append("signal ").Append(s.Signal); break;
                case WaitForStep s: w.Append("wait-for ").Append(s.Signal); break;
                case BlockForeverStep: w.Append("block-forever"); break;
                case ExitStep: w.Append("exit"); break;
                default: throw new ArgumentException($"no scenario-file form for {step.GetType().Name}", nameof(steps));
            }
            w.Append('\n');
        }
    }
}
