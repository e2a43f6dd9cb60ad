using System.Text;
using System.Text.RegularExpressions;
using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.Spec;

namespace TorchEnv.Core.Naming;

/// <summary>
/// The naming convention for environments the seed article advises (<c>medical_imaging_pytorch_gpu</c>):
/// <c>&lt;project&gt;_&lt;framework&gt;_&lt;device&gt;</c>, lower case, e.g. <c>mnist_torchsharp_cpu</c>. <c>torchenv lock</c>
/// warns (<see cref="Check(EnvironmentSpec)"/>) when a spec's name does not follow it; <c>torchenv init</c> and <c>torchenv export</c>
/// write names made by <see cref="Conventional"/>.
/// </summary>
public static partial class EnvironmentNaming
{
    /// <summary>The framework part TorchEnv writes.</summary>
    public const string DefaultFramework = "torchsharp";

    /// <summary>The device part of a spec whose variants use different devices (as in <c>mnist_net10_multi</c>).</summary>
    public const string MultiDevice = "multi";

    [GeneratedRegex(@"^(?:cpu|mps)$")]
    private static partial Regex CpuDevice();

    [GeneratedRegex(@"^(?:gpu|cuda|cuda\d+(?:\.\d+)?|cu\d+)$")]
    private static partial Regex CudaDevice();

    [GeneratedRegex(@"^[a-z0-9][a-z0-9.-]*$")]
    private static partial Regex Part();

    /// <summary>
    /// The parts of <paramref name="name"/> when it follows the convention (at least three non-empty lower-case parts
    /// separated by <c>_</c>, the last a known device), else null.
    /// </summary>
    public static EnvironmentName? Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Explain(name) is null ? Split(name) : null;
    }

    /// <summary>
    /// A conforming name for a project: <paramref name="project"/> lower-cased with anything but letters, digits,
    /// <c>.</c> and <c>-</c> turned into <c>_</c> (so <c>My App</c> → <c>my_app</c>), then the framework and device parts.
    /// </summary>
    /// <param name="project">Project (or folder) name as the user wrote it.</param>
    /// <param name="device"><c>cpu</c>, <c>cuda</c>, <c>gpu</c> or <c>multi</c>.</param>
    /// <param name="framework">Framework part; <see cref="DefaultFramework"/> unless given.</param>
    public static string Conventional(string project, string device, string framework = DefaultFramework)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(device);
        var text = new StringBuilder();
        foreach (var c in project.ToLowerInvariant())
        {
            if (c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '.' or '-')
            {
                text.Append(c);
            }
            else if (text.Length > 0 && text[^1] != '_')
            {
                text.Append('_');
            }
        }

        var cleaned = text.ToString().Trim('_', '.', '-');
        return $"{(cleaned.Length == 0 ? "project" : cleaned)}_{framework}_{device}";
    }

    /// <summary>The device part a spec's variants call for: <c>cpu</c>, <c>cuda</c>, or <c>multi</c> when they differ.</summary>
    public static string DeviceOf(EnvironmentSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var devices = spec.Variants.Select(v => v.IsCuda ? "cuda" : "cpu").Distinct().ToList();
        return devices.Count == 1 ? devices[0] : MultiDevice;
    }

    /// <summary>
    /// The warnings for a spec whose name breaks the convention: TENV0580 when the name is not
    /// <c>&lt;project&gt;_&lt;framework&gt;_&lt;device&gt;</c>, TENV0581 when its device part contradicts the variants
    /// (<c>_cpu</c> for a CUDA-only spec). Empty for a conforming name. Each warning carries the name's location and a
    /// conforming suggestion.
    /// </summary>
    public static IReadOnlyList<Diagnostic> Check(EnvironmentSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var variants = string.Join(", ", spec.Variants.Select(v => $"{v.Name} ({(v.IsCuda ? "cuda" : "cpu")})"));
        var folder = new DirectoryInfo(Path.GetDirectoryName(spec.FilePath) ?? ".").Name;
        return Check(spec.Name, DeviceOf(spec), spec.DefaultVariant.IsCuda ? "cuda" : "cpu", variants, folder, spec.NameLocation);
    }

    /// <summary>
    /// The same warnings for a name about to be written (<c>torchenv init --name</c>) for a spec of one
    /// <paramref name="device"/> (<c>cpu</c> or <c>cuda</c>); <paramref name="project"/> names the project in the suggestion
    /// when the name has no usable project part.
    /// </summary>
    public static IReadOnlyList<Diagnostic> Check(string name, string device, string project)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Check(name, device, device, device, project, null);
    }

    private static IReadOnlyList<Diagnostic> Check(string name, string device, string defaultDevice, string variants, string project, SourceLocation? at)
    {
        var why = Explain(name);
        if (why is not null)
        {
            return [NamingMessages.UnconventionalName(name, why, Suggest(name, device, project), at)];
        }

        var parsed = Split(name)!;
        if (Fits(parsed.Device, device, defaultDevice))
        {
            return [];
        }

        return [NamingMessages.DeviceMismatch(name, parsed.Device, device, variants, (parsed with { Device = device }).ToString(), at)];
    }

    /// <summary>Why <paramref name="name"/> breaks the convention, or null when it follows it.</summary>
    private static string? Explain(string name)
    {
        var parts = name.Split('_');
        if (parts.Length < 3 || parts.Any(p => p.Length == 0))
        {
            return "it needs three parts separated by '_' (project, framework, device)";
        }

        if (name != name.ToLowerInvariant())
        {
            return "it is not lower case";
        }

        if (!parts.All(p => Part().IsMatch(p)))
        {
            return "each part must start with a letter or digit";
        }

        var device = parts[^1];
        return IsDevice(device) ? null : $"the last part '{device}' is not a device (cpu, gpu, cuda, multi)";
    }

    private static bool IsDevice(string device) => CpuDevice().IsMatch(device) || CudaDevice().IsMatch(device) || device == MultiDevice;

    private static EnvironmentName? Split(string name)
    {
        var parts = name.Split('_');
        return parts.Length < 3 ? null : new EnvironmentName(string.Join('_', parts[..^2]), parts[^2], parts[^1]);
    }

    /// <summary>True when the written device suits the variants: the same kind, or for several devices 'multi' or the default variant's.</summary>
    private static bool Fits(string written, string device, string defaultDevice)
    {
        bool IsKind(string kind) => kind == "cuda" ? CudaDevice().IsMatch(written) : CpuDevice().IsMatch(written);
        return device == MultiDevice ? written == MultiDevice || IsKind(defaultDevice) : IsKind(device);
    }

    private static string Suggest(string name, string device, string fallbackProject)
    {
        var parts = name.Split('_', StringSplitOptions.RemoveEmptyEntries);
        var project = parts.Length >= 3 ? string.Join('_', parts[..^2]) : parts.Length > 0 ? parts[0] : fallbackProject;
        var framework = parts.Length >= 3 ? parts[^2].ToLowerInvariant() : DefaultFramework;
        return Conventional(project, device, Part().IsMatch(framework) ? framework : DefaultFramework);
    }
}
