using System.Diagnostics;
using System.Text.Json;

namespace TorchEnv.Training.Profiling;

/// <summary>
/// Writes the Chrome trace-event JSON format (the <c>*.pt.trace.json</c> files of <c>torch.profiler</c>):
/// <c>{"traceEvents": [...], "displayTimeUnit": "ms", ...}</c> with complete events (<c>"ph": "X"</c>, <c>ts</c> and
/// <c>dur</c> in microseconds, <c>pid</c>/<c>tid</c>) and metadata events naming the process and each lane. Perfetto
/// (ui.perfetto.dev), chrome://tracing and TensorBoard's trace viewer open it.
/// </summary>
internal static class ChromeTraceWriter
{
    public static void Write(Stream output, IReadOnlyList<TraceEvent> events, IReadOnlyDictionary<int, string> laneNames, long origin, DateTimeOffset originWallClock)
    {
        var pid = Environment.ProcessId;
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = false });
        json.WriteStartObject();
        json.WriteNumber("schemaVersion", 1);
        json.WriteString("displayTimeUnit", "ms");
        // Wall-clock time of ts = 0, as PyTorch's traces carry it, so traces of several processes line up.
        json.WriteNumber("baseTimeNanoseconds", originWallClock.ToUnixTimeMilliseconds() * 1_000_000L);
        json.WriteStartArray("traceEvents");

        WriteMetadata(json, "process_name", pid, 0, args => args.WriteString("name", "TorchEnv training"));
        foreach (var (lane, name) in laneNames.OrderBy(l => l.Key))
        {
            WriteMetadata(json, "thread_name", pid, lane, args => args.WriteString("name", name));
            WriteMetadata(json, "thread_sort_index", pid, lane, args => args.WriteNumber("sort_index", lane));
        }

        foreach (var e in events.OrderBy(e => e.Start).ThenByDescending(e => e.End))
        {
            json.WriteStartObject();
            json.WriteString("ph", "X");
            json.WriteString("cat", e.Category);
            json.WriteString("name", e.Name);
            json.WriteNumber("pid", pid);
            json.WriteNumber("tid", e.Lane);
            json.WriteNumber("ts", Math.Round(Microseconds(e.Start - origin), 3));
            json.WriteNumber("dur", Math.Round(Microseconds(e.End - e.Start), 3));
            json.WriteStartObject("args");
            json.WriteNumber("step", e.Step);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    public static double Microseconds(long ticks) => ticks * 1_000_000.0 / Stopwatch.Frequency;

    private static void WriteMetadata(Utf8JsonWriter json, string kind, int pid, int tid, Action<Utf8JsonWriter> writeArgs)
    {
        json.WriteStartObject();
        json.WriteString("ph", "M");
        json.WriteString("name", kind);
        json.WriteNumber("pid", pid);
        json.WriteNumber("tid", tid);
        json.WriteStartObject("args");
        writeArgs(json);
        json.WriteEndObject();
        json.WriteEndObject();
    }
}
