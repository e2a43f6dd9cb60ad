using System.Text.Json;
using TorchEnv.TestSupport;
using TorchEnv.Training.Amp;
using TorchEnv.Training.Data;
using TorchEnv.Training.Diagnostics;
using TorchEnv.Training.Hardware;
using TorchEnv.Training.Profiling;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchEnv.Training.Tests;

[Trait("Category", "Integration")]
[Collection(TorchCollection.Name)]
public sealed class StepProfilerTests : IDisposable
{
    private readonly TempDirectory _temp = new("torchenv-profile");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void The_schedule_follows_torch_profiler_schedule()
    {
        var schedule = new ProfilerSchedule(Wait: 1, Warmup: 1, Active: 2, Repeat: 2, SkipFirst: 1);
        var actions = Enumerable.Range(0, 11).Select(step => schedule.ActionAt(step)).ToArray();
        Assert.Equal(
            new[]
            {
                ProfilerAction.None,                                                   // skip_first
                ProfilerAction.None, ProfilerAction.Warmup, ProfilerAction.Record, ProfilerAction.RecordAndSave,
                ProfilerAction.None, ProfilerAction.Warmup, ProfilerAction.Record, ProfilerAction.RecordAndSave,
                ProfilerAction.None, ProfilerAction.None,                              // repeat = 2 reached
            },
            actions);
        Assert.Equal(ProfilerAction.RecordAndSave, new ProfilerSchedule(0, 0, 1, Repeat: 0).ActionAt(1000));
        Assert.Equal("TENV0640", Assert.Throws<TrainingException>(() => new ProfilerSchedule(0, 0, 0).Validate()).Code);
    }

    [Fact]
    public void The_trace_is_chrome_trace_json_with_the_named_spans_of_the_active_steps_only()
    {
        using var model = nn.Sequential(("fc1", nn.Linear(8, 16)), ("act", nn.ReLU()), ("fc2", nn.Linear(16, 2)));
        using var optimizer = optim.SGD(model.parameters(), 0.01);
        using var dataset = new RandomDataset(200);   // long enough that workers build batches during the active steps
        using var loader = PrefetchingDataLoader.Create(dataset, new DataLoaderOptions { BatchSize = 8, Workers = 2 });
        string trace;
        using (var profiler = new StepProfiler(new ProfilerOptions { LogDirectory = _temp.Path, Name = "unit" }))
        {
            profiler.Observe(loader);
            profiler.TraceModules(model);
            foreach (var hostBatch in profiler.TimeDataWait(loader.GetEpoch(0)))
            {
                using var scope = NewDisposeScope();
                TensorBatch batch;
                using (profiler.Span(StepSpans.HostToDevice))
                {
                    batch = hostBatch.To(CPU);
                }

                using (batch)
                {
                    Tensor loss;
                    using (profiler.Span(StepSpans.Forward))
                    {
                        loss = nn.functional.cross_entropy(model.call(batch["x"]), batch["y"]);
                    }

                    using (profiler.Span(StepSpans.Backward))
                    {
                        optimizer.zero_grad();
                        loss.backward();
                    }

                    using (profiler.Span(StepSpans.OptimizerStep))
                    {
                        optimizer.step();
                    }

                    // Time for the workers to build the batches that replace those taken: on a loaded machine they may
                    // otherwise run only after the active steps, and the trace would have no loader span.
                    Thread.Sleep(20);
                    profiler.Step(batch.Size);
                }

                if (profiler.StepNumber == 6)
                {
                    break;
                }
            }

            trace = Assert.Single(profiler.TraceFiles);
            var summary = profiler.Summary();
            Assert.Equal(3, summary.Steps);
            Assert.Equal(24, summary.Samples);
            Assert.Contains(summary.Spans, s => s.Name == StepSpans.Forward && s.Count == 3);
            Assert.Contains(summary.Modules, s => s.Name == "module: fc1" && s.Count == 3);
            Assert.InRange(summary.Spans.Sum(s => s.Share), 0, 1.0001);
        }

        // Default schedule: wait 1, warm-up 1, active 3 -> steps 2, 3 and 4, saved after step 4.
        Assert.Equal(Path.Combine(_temp.Path, "unit.4.pt.trace.json"), trace);
        Assert.True(File.Exists(_temp.Combine("unit.4.summary.txt")));
        using var json = JsonDocument.Parse(File.ReadAllText(trace));
        Assert.Equal("ms", json.RootElement.GetProperty("displayTimeUnit").GetString());
        var events = json.RootElement.GetProperty("traceEvents").EnumerateArray().ToList();
        var spans = events.Where(e => e.GetProperty("ph").GetString() == "X").ToList();
        Assert.All(spans, e =>
        {
            Assert.True(e.GetProperty("ts").GetDouble() >= 0);
            Assert.True(e.GetProperty("dur").GetDouble() >= 0);
            Assert.Equal(Environment.ProcessId, e.GetProperty("pid").GetInt32());
            Assert.True(e.TryGetProperty("tid", out _));
            Assert.InRange(e.GetProperty("args").GetProperty("step").GetInt64(), 2, 4);
        });

        var names = spans.Select(e => e.GetProperty("name").GetString()).ToHashSet();
        Assert.Equal(new[] { "ProfilerStep#2", "ProfilerStep#3", "ProfilerStep#4" }, names.Where(n => n!.StartsWith("ProfilerStep#")).Order());
        Assert.Superset(new HashSet<string?> { "data_wait", "h2d_copy", "forward", "backward", "optimizer_step", "module: fc1", "module: fc2" }, names);
        Assert.Contains(names, n => n!.StartsWith("loader_batch"));
        Assert.Contains(events, e => e.GetProperty("ph").GetString() == "M" && e.GetProperty("name").GetString() == "thread_name");

        // Every span lies inside the step it belongs to.
        var steps = spans.Where(e => e.GetProperty("name").GetString()!.StartsWith("ProfilerStep#"))
            .ToDictionary(e => e.GetProperty("args").GetProperty("step").GetInt64(), e => (Start: e.GetProperty("ts").GetDouble(), End: e.GetProperty("ts").GetDouble() + e.GetProperty("dur").GetDouble()));
        foreach (var span in spans.Where(e => e.GetProperty("tid").GetInt32() == 1))
        {
            var (start, end) = steps[span.GetProperty("args").GetProperty("step").GetInt64()];
            Assert.InRange(span.GetProperty("ts").GetDouble(), start - 0.01, end + 0.01);
        }
    }

    [Fact]
    public void Recorded_steps_report_the_cores_each_group_of_threads_kept_busy()
    {
        using var profiler = new StepProfiler(new ProfilerOptions { Schedule = new ProfilerSchedule(Wait: 0, Warmup: 0, Active: 3) });
        for (var step = 0; step < 3; step++)
        {
            var until = System.Diagnostics.Stopwatch.GetTimestamp() + System.Diagnostics.Stopwatch.Frequency / 10;
            while (System.Diagnostics.Stopwatch.GetTimestamp() < until)
            {
                // The training thread computes (100 ms per step).
            }

            profiler.Step(1);
        }

        var summary = profiler.Summary();
        Assert.True(summary.ThreadCores.GetValueOrDefault("training thread") > 0, string.Join(", ", summary.ThreadCores));
        Assert.Contains("Cores busy by thread: ", summary.ToTable());
    }

    [Theory]
    [InlineData(true, "TemplateApp", "training thread")]
    [InlineData(false, "TemplateApp", "OpenMP workers")]          // libtorch's workers inherit the training thread's name
    [InlineData(false, "TorchEnv loader", "loader workers")]
    [InlineData(false, ".NET BGC", "garbage collector")]
    [InlineData(false, ".NET Tiered Com", "JIT")]
    [InlineData(false, ".NET TP Worker", "other .NET")]
    [InlineData(false, "libgomp-thread", "other")]
    public void Threads_are_grouped_by_what_they_do(bool isMain, string name, string group) =>
        Assert.Equal(group, ThreadCpuTimes.GroupOf(isMain, name, "TemplateApp"));

    [Fact]
    public void A_disabled_profiler_records_and_writes_nothing()
    {
        using var profiler = new StepProfiler(ProfilerOptions.Off with { LogDirectory = _temp.Path });
        for (var step = 0; step < 10; step++)
        {
            using (profiler.Span(StepSpans.Forward))
            {
            }

            profiler.Step(1);
        }

        Assert.Equal(0, profiler.Summary().Steps);
        Assert.Empty(Directory.GetFiles(_temp.Path));
    }

    [Fact]
    public void Host_reads_are_counted()
    {
        using var profiler = new StepProfiler(new ProfilerOptions { Schedule = new ProfilerSchedule(0, 0, 2) });
        using var value = tensor(1.5f);
        for (var step = 0; step < 2; step++)
        {
            Assert.Equal(1.5f, profiler.ReadScalar(value));
            profiler.ReadScalar(value);
            profiler.Step(1);
        }

        Assert.Equal(2.0, profiler.Summary().HostSyncsPerStep);
        Assert.Contains(profiler.Summary().Hints, h => h.Contains("host synchronisations"));
    }

    [Fact]
    public void Data_wait_above_a_fifth_of_the_step_asks_for_more_workers()
    {
        var options = new ProfilerOptions { Loader = (1, 2) };
        var starving = Summary(dataWait: 0.35);
        var fine = Summary(dataWait: 0.05);

        var hint = Assert.Single(ProfilerHints.For(starving, options, NoBf16Cpu));
        Assert.Contains("--workers", hint);
        Assert.Contains("now 1 worker(s), prefetch factor 2", hint);
        Assert.Empty(ProfilerHints.For(fine, options, NoBf16Cpu));
    }

    [Fact]
    public void Precision_hints_follow_the_cpu()
    {
        var bf16Cpu = new CpuInfo("test CPU", 8, new HashSet<string> { "avx512f", "avx512_bf16" });
        var off = new ProfilerOptions { Device = CPU, MixedPrecision = MixedPrecisionPlan.Resolve(CPU, AmpMode.Off, bf16Cpu) };
        Assert.Contains(ProfilerHints.For(Summary(0), off, bf16Cpu), h => h.Contains("--amp bf16"));
        Assert.Empty(ProfilerHints.For(Summary(0), off, NoBf16Cpu));

        var emulated = new ProfilerOptions { Device = CPU, MixedPrecision = MixedPrecisionPlan.Resolve(CPU, AmpMode.BFloat16, NoBf16Cpu) };
        Assert.Contains(ProfilerHints.For(Summary(0), emulated, NoBf16Cpu), h => h.Contains("emulated"));
    }

    private static readonly CpuInfo NoBf16Cpu = new("test CPU", 2, new HashSet<string> { "avx2" });

    private static ProfileSummary Summary(double dataWait) => new(
        Steps: 10,
        TotalMilliseconds: 1000,
        Samples: 640,
        Spans: [new SpanSummary(StepSpans.DataWait, 10, 1000 * dataWait, dataWait), new SpanSummary(StepSpans.Forward, 10, 300, 0.3)],
        Modules: [],
        HostSyncsPerStep: 0.05,
        PeakWorkingSetBytes: 0,
        Hints: []);

    private sealed class RandomDataset(long count) : utils.data.Dataset
    {
        public override long Count => count;

        public override Dictionary<string, Tensor> GetTensor(long index)
        {
            var random = LoaderWorkerInfo.SampleRandom(0, 0, index);
            var values = Enumerable.Range(0, 8).Select(_ => (float)random.NextGaussian()).ToArray();
            return new() { ["x"] = tensor(values), ["y"] = tensor(index % 2) };
        }
    }
}
