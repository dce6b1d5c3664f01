using ActorKernel.Bench.Infra;
using ActorKernel.Bench.Micro;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace ActorKernel.Bench.Sections;

/// <summary>Section 5: BenchmarkDotNet, short job, in process (no per-benchmark rebuild).</summary>
public static class MicroSection
{
    public const string Name = "micro";

    public static void Run(Harness h)
    {
        var config = ManualConfig.CreateEmpty()
            .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance).WithId("short-inproc"))
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddLogger(ConsoleLogger.Default)
            .AddColumnProvider(DefaultColumnProviders.Instance)
            .WithArtifactsPath(Path.Combine(Path.GetTempPath(), "actorkernel-bench-artifacts"))
            .WithOptions(ConfigOptions.DisableLogFile);
        var summaries = BenchmarkRunner.Run([typeof(SimRandomBench), typeof(TimedQueueBench), typeof(EnginePartsBench), typeof(ModelBench)], config);
        foreach (var summary in summaries)
        {
            foreach (var report in summary.Reports)
            {
                var bc = report.BenchmarkCase;
                var stats = report.ResultStatistics;
                if (stats is null)
                {
                    h.Report.Fact($"micro.{bc.Descriptor.WorkloadMethod.Name}", "no result (benchmark failed)");
                    continue;
                }
                var name = $"{bc.Descriptor.Type.Name}.{bc.Descriptor.WorkloadMethod.Name}" +
                           (bc.HasParameters ? $" [{bc.Parameters.PrintInfo}]" : "");
                var samples = report.AllMeasurements
                    .Where(m => m.IterationMode == BenchmarkDotNet.Engines.IterationMode.Workload && m.IterationStage == BenchmarkDotNet.Engines.IterationStage.Result)
                    .Select(m => m.Nanoseconds / m.Operations).ToArray();
                var bytes = report.GcStats.GetBytesAllocatedPerOperation(bc);
                h.Report.Add(new ResultRow
                {
                    Section = Name,
                    Metric = name,
                    Unit = "ns/op",
                    Median = stats.Median,
                    Min = stats.Min,
                    Max = stats.Max,
                    Samples = samples,
                    Note = bytes is null ? null : $"{bytes} B allocated/op",
                });
                if (bytes is not null) h.Report.Fact($"micro.alloc.{name}", $"{bytes} B/op");
            }
        }
    }
}
