using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace TorchEnv.Core.Doctor;

/// <summary>How to start the child process that loads the natives: a program and the arguments before the probe's own.</summary>
/// <param name="FileName">The program, e.g. the <c>dotnet</c> host.</param>
/// <param name="Arguments">Arguments before the stage folder and device, e.g. <c>exec torchenv.dll __native-probe</c>.</param>
public sealed record NativeProbeLauncher(string FileName, IReadOnlyList<string> Arguments);

/// <summary>What the child process reported.</summary>
/// <param name="ExitCode">Its exit code (128 + signal when a signal killed it).</param>
/// <param name="Libraries">Every shared library mapped into it after loading (from <c>/proc/self/maps</c>), in map order.</param>
/// <param name="Threads">libtorch's intra-op thread count (<c>THSTorch_get_num_threads()</c>), when it got that far.</param>
/// <param name="CudaAvailable">For a CUDA load: <c>THSTorchCuda_is_available()</c>.</param>
/// <param name="Error">The loader's or the runtime's message, or the tail of its error output; null when it loaded.</param>
public sealed record NativeProbeResult(int ExitCode, IReadOnlyList<string> Libraries, int? Threads, bool? CudaAvailable, string? Error)
{
    /// <summary>True when everything loaded and the probe call returned.</summary>
    public bool Loaded => ExitCode == 0 && Error is null;
}

/// <summary>
/// Loads libtorch and LibTorchSharp in a child process, so that a crash or an abort inside native code cannot take the
/// caller down, and reports what the process really mapped. The caller lays out a folder as a build output would hold
/// the natives (links to the packages' files, plus the patched copy and shim when the host needs the compatibility
/// step); the child (<see cref="RunChild"/>, started through the tool) loads <c>libtorch_cpu.so</c> (and
/// <c>libtorch_cuda.so</c>) then <c>libLibTorchSharp.so</c> from it, as TorchSharp does, calls one export, reads
/// <c>/proc/self/maps</c> and prints one JSON line.
/// </summary>
public static class NativeLoadProbe
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int IntFunction();

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate byte BoolFunction();

    /// <summary>
    /// The child's side: loads the natives in <paramref name="stageDirectory"/> (<paramref name="device"/> is <c>cpu</c>
    /// or <c>cuda</c>), writes one JSON line to <paramref name="output"/> and returns the exit code (0 when loaded).
    /// </summary>
    public static int RunChild(string stageDirectory, string device, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var cuda = string.Equals(device, "cuda", StringComparison.OrdinalIgnoreCase);
        int? threads = null;
        bool? cudaAvailable = null;
        string? error = null;
        try
        {
            var order = cuda ? new[] { "libtorch_cpu.so", "libtorch_cuda.so", "libLibTorchSharp.so" } : ["libtorch_cpu.so", "libLibTorchSharp.so"];
            var handle = IntPtr.Zero;
            foreach (var name in order)
            {
                handle = NativeLibrary.Load(Path.Combine(stageDirectory, name));
            }

            threads = Marshal.GetDelegateForFunctionPointer<IntFunction>(NativeLibrary.GetExport(handle, "THSTorch_get_num_threads"))();
            if (cuda && NativeLibrary.TryGetExport(handle, "THSTorchCuda_is_available", out var available))
            {
                cudaAvailable = Marshal.GetDelegateForFunctionPointer<BoolFunction>(available)() != 0;
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
        {
            error = e.Message;
        }

        output.WriteLine(JsonSerializer.Serialize(new ChildReport(MappedLibraries(), threads, cudaAvailable, error), Json));
        output.Flush();
        return error is null ? 0 : 1;
    }

    /// <summary>The parent's side: runs the child through <paramref name="launcher"/> and reads its report.</summary>
    public static NativeProbeResult Run(NativeProbeLauncher launcher, string stageDirectory, string device, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(launcher);
        var start = new ProcessStartInfo(launcher.FileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in launcher.Arguments.Append(stageDirectory).Append(device))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {launcher.FileName}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            return new NativeProbeResult(-1, [], null, null, $"the child process did not finish within {timeout.TotalSeconds:0} s and was stopped");
        }

        process.WaitForExit();
        var line = stdout.Result.Split('\n').LastOrDefault(l => l.TrimStart().StartsWith('{'));
        ChildReport? report = null;
        if (line is not null)
        {
            try
            {
                report = JsonSerializer.Deserialize<ChildReport>(line, Json);
            }
            catch (JsonException)
            {
            }
        }

        var exit = process.ExitCode;
        if (report is null)
        {
            var tail = string.Join('\n', (stderr.Result + stdout.Result).Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(6));
            var signal = exit > 128 && exit < 160 ? $" (killed by signal {exit - 128}{SignalName(exit - 128)})" : "";
            return new NativeProbeResult(exit, [], null, null, $"the child process exited with code {exit}{signal} before reporting: {tail}".TrimEnd(' ', ':'));
        }

        return new NativeProbeResult(exit, report.Libraries, report.Threads, report.CudaAvailable, report.Error);
    }

    private static string SignalName(int signal) => signal switch
    {
        6 => ", SIGABRT",
        9 => ", SIGKILL",
        11 => ", SIGSEGV",
        _ => "",
    };

    /// <summary>The shared objects mapped into this process, in map order, distinct.</summary>
    private static IReadOnlyList<string> MappedLibraries()
    {
        const string maps = "/proc/self/maps";
        if (!File.Exists(maps))
        {
            return [];
        }

        var libraries = new List<string>();
        foreach (var line in File.ReadLines(maps))
        {
            // address perms offset dev inode path — the path (which may hold spaces) starts at the first '/'.
            var slash = line.IndexOf('/', StringComparison.Ordinal);
            if (slash < 0)
            {
                continue;
            }

            var path = line[slash..];
            var name = Path.GetFileName(path);
            if ((name.EndsWith(".so", StringComparison.Ordinal) || name.Contains(".so.", StringComparison.Ordinal)) && !libraries.Contains(path))
            {
                libraries.Add(path);
            }
        }

        return libraries;
    }

    private sealed record ChildReport(
        [property: JsonPropertyName("libraries")] IReadOnlyList<string> Libraries,
        [property: JsonPropertyName("threads")] int? Threads,
        [property: JsonPropertyName("cudaAvailable")] bool? CudaAvailable,
        [property: JsonPropertyName("error")] string? Error);
}
