using NuGet.Versioning;
using TorchEnv.Core.Gpu;
using TorchEnv.Core.Lock;
using TorchEnv.Core.Native;

namespace TorchEnv.Core.Doctor;

/// <summary>The checks of the machine itself: .NET SDK, C/C++ runtime, NVIDIA driver, GPUs.</summary>
internal static class HostChecks
{
    public static DoctorCheck DotnetSdk(Doctor.Context context)
    {
        const string Id = "dotnet-sdk", Title = ".NET SDK";
        var installed = (context.Options.Dotnet ?? Resolution.DotnetInstallation.Current()).ListSdks().Select(v => v.ToNormalizedString()).ToList();
        var found = installed.Count == 0 ? "none installed" : string.Join(", ", installed);
        if (context.Environment.Stack.DotnetSdk is not { } locked)
        {
            return DoctorCheck.NotApplicable(Id, Title, "The lock pins no .NET SDK (add dotnet-sdk=… to environment.yml to pin it).") with { Found = found };
        }

        return installed.FirstOrDefault(sdk => DotnetSdkPin.Matches(locked, sdk)) is { } match
            ? DoctorCheck.Passed(Id, Title, match + " installed", locked)
            : DoctorCheck.Failed(Id, Title, found, locked, DoctorMessages.SdkMissing(locked, installed));
    }

    public static DoctorCheck Abi(Doctor.Context context)
    {
        const string Id = "host-abi", Title = "glibc / libstdc++";
        var requirements = context.Environment.Host;
        var needed = requirements.Glibc is null && requirements.Glibcxx is null
            ? "nothing"
            : $"GLIBC {requirements.Glibc ?? "-"}, GLIBCXX {requirements.Glibcxx ?? "-"}, CXXABI {requirements.Cxxabi ?? "-"}";
        if (!context.IsLinux)
        {
            return DoctorCheck.NotApplicable(Id, Title, $"{context.Environment.Platform} is not Linux.", needed);
        }

        if (!context.IsHostPlatform || !context.Host.IsApplicable)
        {
            return DoctorCheck.NotApplicable(Id, Title, $"The entry is for {context.Environment.Platform}; this host is {context.HostPlatform}.", needed);
        }

        var found = $"glibc {context.Host.Glibc ?? "not found"}, GLIBCXX {context.Host.Glibcxx ?? "-"}, CXXABI {context.Host.Cxxabi ?? "-"}";
        if (!context.Stack.AllInstalled)
        {
            // Without the files, only the lock's summary can be compared; whether the compatibility step applies needs them.
            var missing = NativeGapAnalyzer.FindMissing(requirements, context.Host);
            return missing.Count == 0
                ? DoctorCheck.Passed(Id, Title, found, needed)
                : DoctorCheck.Failed(Id, Title, found, needed, DoctorMessages.HostAbi(
                    string.Join(", ", missing.Select(m => m.Version).Distinct()),
                    "Restore the packages ('dotnet restore') so doctor can tell whether the compatibility step covers the gap, or run on a newer base image (see 'torchenv dockerfile')."));
        }

        NativeGapReport report;
        try
        {
            var natives = context.Natives.Value;
            report = NativeGapAnalyzer.Analyze(natives.Files, context.Host);
        }
        catch (Diagnostics.TorchEnvException e)
        {
            return DoctorCheck.Failed(Id, Title, found, needed, e.Diagnostic);
        }

        switch (report.Kind)
        {
            case NativeGapKind.None:
                return DoctorCheck.Passed(Id, Title, found, needed);
            case NativeGapKind.OnlyIosBaseLibraryInit:
                var versions = string.Join(", ", report.Missing.Select(m => m.Version));
                return DoctorCheck.Passed(Id, Title, $"{found}; lacks {versions}", needed,
                    $"covered: the only use of {versions} is std::ios_base_library_init(), which the libstdc++ compatibility step bridges "
                    + $"(TorchEnv.Sdk puts a patched copy of {string.Join(", ", report.FilesToPatch.Select(f => Path.GetFileName(f.RelativePath)))} and its shim into the build output)");
            default:
                var errors = report.ToDiagnostics(compatibilityStepEnabled: true);
                var first = errors.FirstOrDefault(d => d.Severity == Diagnostics.DiagnosticSeverity.Error);
                return DoctorCheck.Failed(Id, Title, found, needed,
                    DoctorMessages.HostAbi(string.Join(", ", report.Missing.Select(m => $"{m.Version} ({m.Library})")), first?.Fix ?? "Run on a newer base image."),
                    [.. errors.Select(e => e.Message)]);
        }
    }

    public static DoctorCheck Driver(Doctor.Context context)
    {
        const string Id = "nvidia-driver", Title = "NVIDIA driver";
        if (!context.IsCuda)
        {
            return DoctorCheck.NotApplicable(Id, Title, $"Variant '{context.Environment.Variant}' uses the CPU build of libtorch.");
        }

        var minimum = GpuSupport.DriverMinimum(context.Environment) ?? "?";
        var needed = $">= {minimum} (CUDA {context.Environment.Stack.Cuda})";
        if (!context.IsHostPlatform)
        {
            return DoctorCheck.NotApplicable(Id, Title, $"The entry is for {context.Environment.Platform}; this host is {context.HostPlatform}.", needed);
        }

        var (version, source) = (context.Gpus.Value.DriverVersion, context.Gpus.Value.DriverSource);
        if (version is null)
        {
            return source is null
                ? DoctorCheck.Failed(Id, Title, "no NVIDIA driver", needed, DoctorMessages.NoDriver(minimum))
                : DoctorCheck.Failed(Id, Title, $"libcuda.so.1 at {source}, version unknown", needed, DoctorMessages.OldDriver("of unknown version", minimum, context.Environment.Stack.Cuda!));
        }

        var found = $"{version} ({source})";
        return !GpuSupport.DriverMeets(version, minimum)
            ? DoctorCheck.Failed(Id, Title, found, needed, DoctorMessages.OldDriver(version, minimum, context.Environment.Stack.Cuda!))
            : DoctorCheck.Passed(Id, Title, found, needed);
    }

    public static DoctorCheck Gpus(Doctor.Context context)
    {
        const string Id = "gpu", Title = "GPUs";
        if (!context.IsCuda)
        {
            return DoctorCheck.NotApplicable(Id, Title, $"Variant '{context.Environment.Variant}' uses the CPU build of libtorch.");
        }

        var architectures = Stack.StackMatrix.CudaArchitecturesOf(context.Environment.Stack.CudaArchitectures, context.Environment.Stack.TorchSharp);
        var needed = architectures.Count == 0 ? "at least one" : $"at least one, each with kernels in libtorch {context.Environment.Stack.LibTorch}: {Stack.CudaArchitectures.Format(architectures)}";
        if (!context.IsHostPlatform)
        {
            return DoctorCheck.NotApplicable(Id, Title, $"The entry is for {context.Environment.Platform}; this host is {context.HostPlatform}.", needed);
        }

        var report = context.Gpus.Value;
        if (report.Gpus.Count == 0)
        {
            return DoctorCheck.Failed(Id, Title, "none", needed, DoctorMessages.NoGpu());
        }

        var found = $"{report.Gpus.Count}: {string.Join(", ", report.Gpus)}" + (report.Origin == GpuDetection.ThisMachine ? "" : $" (from {report.Origin})");
        var fit = GpuSupport.Fit(report, context.Environment);
        if (fit.Unsupported.Count > 0)
        {
            return DoctorCheck.Failed(Id, Title, found, needed, GpuSupport.Unsupported(fit, context.Environment));
        }

        return fit.Unknown.Count == 0
            ? DoctorCheck.Passed(Id, Title, found, needed)
            : DoctorCheck.Passed(Id, Title, found, needed, $"not checked: the compute capability of {string.Join(", ", fit.Unknown.Select(g => g.Name))} is unknown "
                + $"({report.CapabilityProblem ?? "the lock and the stack matrix record no GPU architectures for it"}); 'nvidia-smi --query-gpu=name,compute_cap' shows it");
    }
}
