using ActorKernel.Model;

namespace ActorKernel.TestKit.ScenarioFiles;

/// <summary>Puts a scenario file into a <see cref="ScenarioBuilder"/> through its public process DSL, so any scenario file is a scenario test.</summary>
public static class ScenarioFileLoader
{
    /// <summary>The file's kernel profile and processes, added to <paramref name="builder"/>.</summary>
    public static ScenarioBuilder Load(this ScenarioBuilder builder, ScenarioFile file)
    {
        builder.Kernel(file.Kernel);
        foreach (var process in file.Processes)
        {
            builder.Process(p =>
            {
                foreach (var s in process.Strings) p.String(s.Name, s.Region, s.Page, s.Text);
                foreach (var a in process.Arrays) p.PointerArray(a.Name, a.Region, a.Page, [.. a.Targets]);
                foreach (var t in process.StartTouches) p.TouchedAtStart(t.Region, t.FirstPage, t.Pages);
                foreach (var t in process.Threads)
                {
                    if (t.Background) p.BackgroundThread(program => Steps(program, t.Steps));
                    else p.Thread(program => Steps(program, t.Steps));
                }
            });
        }
        return builder;
    }

    /// <summary>Read <paramref name="path"/> (a <see cref="ScenarioFileException"/> names the bad line) and load it.</summary>
    public static ScenarioBuilder LoadScenarioFile(this ScenarioBuilder builder, string path) => builder.Load(ScenarioFileParser.ParseFile(path));

    private static void Steps(ProgramBuilder program, IReadOnlyList<ScenarioStep> steps)
    {
        foreach (var step in steps)
        {
            switch (step)
            {
                case ReadStep r: program.Read(r.Name); break;
                case WriteStep w: program.Write(w.Name); break;
                case ReadPageStep r: program.ReadPage(r.Region, r.Page); break;
                case SpawnStep { Kind: SpawnKind.Fork } s: program.Fork(child => Steps(child, s.Child)); break;
                case SpawnStep { Kind: SpawnKind.Vfork } s: program.Vfork(child => Steps(child, s.Child)); break;
                case ExecStep e: program.Exec(e.Filename, e.Argv); break;
                case WaitChildStep: program.WaitChild(); break;
                case SleepStep s: program.Sleep(s.DurationNs); break;
                case EvictStep e: program.EvictPageOf(e.Name, e.ReadaheadMarker); break;
                case HoldMmapLockStep h: program.HoldMmapLock(h.Write, h.DurationNs); break;
                case SysWriteStep w: program.SysWrite(w.Name, w.KernelReads); break;
                case SysOpenatStep o: program.SysOpenat(o.Name); break;
                case ComputeStep c: program.Compute(new SimDuration(c.DurationNs)); break;
                case RunOnCpuStep r: program.RunOnCpu(r.CpuIndex); break;
                case SignalStep s: program.Signal(s.Signal); break;
                case WaitForStep w: program.WaitFor(w.Signal); break;
                case BlockForeverStep: program.BlockForever(); break;
                case ExitStep: program.Exit(); break;
                default: throw new ArgumentException($"the TestKit has no call for {step.GetType().Name}", nameof(steps));
            }
        }
    }
}
