namespace TorchEnv.Training.Hardware;

/// <summary>
/// What the training code needs to know about the host CPU: how many physical cores it may use (for the loader's
/// default worker count) and whether it computes bf16 natively (for choosing mixed precision).
/// </summary>
/// <param name="ModelName">The CPU model as the OS reports it, for messages.</param>
/// <param name="PhysicalCores">Physical cores this process may use (hyper-threads not counted; container CPU limits respected).</param>
/// <param name="Flags">CPU feature flags (Linux <c>/proc/cpuinfo</c>); empty where unknown.</param>
public sealed record CpuInfo(string ModelName, int PhysicalCores, IReadOnlySet<string> Flags)
{
    private static readonly Lazy<CpuInfo> s_current = new(Detect);

    /// <summary>The CPU of this machine, read once.</summary>
    public static CpuInfo Current => s_current.Value;

    /// <summary>
    /// True when the CPU has bf16 arithmetic in hardware (<c>avx512_bf16</c> or <c>amx_bf16</c>), so that libtorch's
    /// bf16 kernels (oneDNN) are faster than float32. Without it bf16 is emulated and much slower.
    /// </summary>
    public bool HasNativeBFloat16 => Flags.Contains("avx512_bf16") || Flags.Contains("amx_bf16");

    /// <summary>
    /// Reads the CPU description from <c>/proc/cpuinfo</c> text: distinct (physical id, core id) pairs are physical
    /// cores; flags come from the first processor. Falls back to <paramref name="logicalProcessors"/> when the text
    /// has no core ids (some virtual machines).
    /// </summary>
    /// <param name="procCpuInfo">The content of <c>/proc/cpuinfo</c>.</param>
    /// <param name="logicalProcessors">Processors available to this process (<see cref="Environment.ProcessorCount"/>, which respects container limits).</param>
    public static CpuInfo Parse(string procCpuInfo, int logicalProcessors)
    {
        var cores = new HashSet<(string Package, string Core)>();
        var flags = new HashSet<string>(StringComparer.Ordinal);
        string model = "unknown CPU";
        string package = "0";
        var firstProcessor = true;
        var sawProcessor = false;

        foreach (var rawLine in procCpuInfo.Split('\n'))
        {
            var colon = rawLine.IndexOf(':');
            if (colon < 0)
            {
                continue;
            }

            var key = rawLine[..colon].Trim();
            var value = rawLine[(colon + 1)..].Trim();
            switch (key)
            {
                case "processor":
                    if (sawProcessor)
                    {
                        firstProcessor = false;
                    }

                    sawProcessor = true;
                    package = "0";
                    break;
                case "physical id":
                    package = value;
                    break;
                case "core id":
                    cores.Add((package, value));
                    break;
                case "model name" when firstProcessor:
                    model = value;
                    break;
                case "flags" when firstProcessor:
                    flags.UnionWith(value.Split(' ', StringSplitOptions.RemoveEmptyEntries));
                    break;
            }
        }

        var physical = cores.Count > 0 ? cores.Count : logicalProcessors;
        // A container limited to fewer CPUs than the machine has must not plan for the machine's cores.
        physical = Math.Max(1, Math.Min(physical, logicalProcessors));
        return new CpuInfo(model, physical, flags);
    }

    private static CpuInfo Detect()
    {
        const string path = "/proc/cpuinfo";
        if (OperatingSystem.IsLinux() && File.Exists(path))
        {
            try
            {
                return Parse(File.ReadAllText(path), Environment.ProcessorCount);
            }
            catch (IOException)
            {
                // Unreadable /proc (sandbox): plan with what .NET knows.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return new CpuInfo(
            System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString(),
            Math.Max(1, Environment.ProcessorCount),
            new HashSet<string>());
    }
}
