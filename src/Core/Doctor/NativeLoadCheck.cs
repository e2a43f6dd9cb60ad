using NuGet.Versioning;
using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.Native;

namespace TorchEnv.Core.Doctor;

/// <summary>
/// Loads the locked natives in a child process (<see cref="NativeLoadProbe"/>) from a folder laid out as a build output
/// lays them out: links to libtorch's files in the global packages folder, a copy of <c>libLibTorchSharp.so</c> — or,
/// when this host needs it, the patched copy the libstdc++ compatibility step writes (<see cref="LibStdCxxCompatPatcher"/>)
/// with its shim — and reports what the process really mapped, mapped back to the locked packages.
/// </summary>
internal static class NativeLoadCheck
{
    private const string Id = "native-load";
    private const string Title = "Native load (child process)";
    private const string LibTorchSharp = "libLibTorchSharp.so";

    public static DoctorCheck Run(Doctor.Context context)
    {
        var stack = context.Environment.Stack;
        var needed = $"libtorch {stack.LibTorch} ({stack.Device}) and LibTorchSharp {stack.TorchSharp} from the locked packages";
        if (!context.IsLinux || !context.IsHostPlatform)
        {
            return DoctorCheck.NotApplicable(Id, Title, context.IsLinux
                ? $"The entry is for {context.Environment.Platform}; this host is {context.HostPlatform}."
                : "Loaded and mapped on Linux hosts; elsewhere run the program and print TorchEnvironment.Verify().", needed);
        }

        if (context.Options.ProbeLauncher is not { } launcher)
        {
            return DoctorCheck.NotApplicable(Id, Title, "Not run: no child-process launcher was given (the torchenv tool provides one).", needed);
        }

        if (!context.Stack.AllInstalled)
        {
            return DoctorCheck.NotApplicable(Id, Title, "Skipped: the locked packages are not all installed (see 'Locked packages').", needed);
        }

        var stage = Directory.CreateTempSubdirectory("torchenv-doctor-").FullName;
        try
        {
            var natives = context.Natives.Value;
            var patched = Stage(context, natives.Files, stage, out var shimProblem);
            if (shimProblem is not null)
            {
                return DoctorCheck.Failed(Id, Title, "the compatibility step is needed, its shim is missing", needed, shimProblem);
            }

            var result = NativeLoadProbe.Run(launcher, stage, context.IsCuda ? "cuda" : "cpu", context.Options.ProbeTimeout);
            return Judge(context, result, stage, patched, needed);
        }
        catch (TorchEnvException e)
        {
            return DoctorCheck.Failed(Id, Title, "could not prepare the natives", needed, e.Diagnostic);
        }
        finally
        {
            Directory.Delete(stage, recursive: true);
        }
    }

    /// <summary>Lays the natives out in <paramref name="stage"/>; returns whether LibTorchSharp is a patched copy.</summary>
    private static bool Stage(Doctor.Context context, IReadOnlyList<NativeFile> files, string stage, out Diagnostic? shimProblem)
    {
        shimProblem = null;
        var gap = NativeGapAnalyzer.Analyze(files, context.Host);
        var toPatch = gap.FilesToPatch.Select(f => f.FullPath).ToHashSet(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var target = Path.Combine(stage, Path.GetFileName(file.RelativePath));
            if (File.Exists(target))
            {
                continue;
            }

            if (toPatch.Contains(file.FullPath))
            {
                continue; // written below, patched
            }

            // LibTorchSharp is copied so its RUNPATH ($ORIGIN) is this folder, where libtorch's links are, as in bin/.
            if (Path.GetFileName(file.RelativePath) == LibTorchSharp)
            {
                File.Copy(file.FullPath, target);
            }
            else
            {
                File.CreateSymbolicLink(target, file.FullPath);
            }
        }

        if (toPatch.Count == 0)
        {
            return false;
        }

        var shim = FindShim(context);
        if (shim is null)
        {
            shimProblem = DoctorMessages.ShimMissing(string.Join(", ", context.Options.ShimCandidates.Append(Path.Combine(context.PackagesFolder, "torchenv.sdk", "*", "native", "linux-x64"))));
            return false;
        }

        File.Copy(shim, Path.Combine(stage, LibStdCxxCompatPatcher.DefaultShimFileName));
        foreach (var file in gap.FilesToPatch)
        {
            LibStdCxxCompatPatcher.Patch(file.FullPath, Path.Combine(stage, Path.GetFileName(file.RelativePath)));
        }

        return true;
    }

    /// <summary>The shim: the given candidates first, then the newest TorchEnv.Sdk package in the global packages folder.</summary>
    private static string? FindShim(Doctor.Context context)
    {
        foreach (var candidate in context.Options.ShimCandidates)
        {
            var file = Directory.Exists(candidate) ? Path.Combine(candidate, LibStdCxxCompatPatcher.DefaultShimFileName) : candidate;
            if (File.Exists(file))
            {
                return file;
            }
        }

        var sdk = Path.Combine(context.PackagesFolder, "torchenv.sdk");
        return Directory.Exists(sdk)
            ? Directory.EnumerateDirectories(sdk)
                .Select(d => (Version: NuGetVersion.TryParse(Path.GetFileName(d), out var v) ? v : null, File: Path.Combine(d, "native", "linux-x64", LibStdCxxCompatPatcher.DefaultShimFileName)))
                .Where(x => x.Version is not null && File.Exists(x.File))
                .OrderByDescending(x => x.Version)
                .Select(x => x.File)
                .FirstOrDefault()
            : null;
    }

    private static DoctorCheck Judge(Doctor.Context context, NativeProbeResult result, string stage, bool patched, string needed)
    {
        var interesting = result.Libraries
            .Where(l => Path.GetFileName(l) is var n && (n.StartsWith("libtorch", StringComparison.Ordinal) || n.StartsWith("libc10", StringComparison.Ordinal)
                || n.StartsWith("libLibTorchSharp", StringComparison.Ordinal) || n.StartsWith("libcud", StringComparison.Ordinal)
                || n.StartsWith("libgomp", StringComparison.Ordinal) || n.StartsWith("libstdc++", StringComparison.Ordinal)))
            .Select(l => $"{l} ({Origin(context, l, stage, patched)})")
            .ToList();
        if (!result.Loaded)
        {
            return DoctorCheck.Failed(Id, Title, "failed to load", needed, DoctorMessages.NativeLoad(result.Error ?? $"exit code {result.ExitCode}"), [.. interesting]);
        }

        var libtorch = result.Libraries.FirstOrDefault(l => Path.GetFileName(l) == "libtorch_cpu.so");
        var sharp = result.Libraries.FirstOrDefault(l => Path.GetFileName(l) == LibTorchSharp);
        var cuda = context.IsCuda ? result.Libraries.FirstOrDefault(l => Path.GetFileName(l) == "libtorch_cuda.so") : null;
        var libtorchOrigin = libtorch is null ? null : Origin(context, libtorch, stage, patched);
        var found = $"libtorch_cpu.so ← {libtorchOrigin ?? "not mapped"}; {LibTorchSharp} ← {(sharp is null ? "not mapped" : Origin(context, sharp, stage, patched))}"
            + (context.IsCuda ? $"; libtorch_cuda.so ← {(cuda is null ? "not mapped" : Origin(context, cuda, stage, patched))}; CUDA available: {(result.CudaAvailable == true ? "yes" : "no")}" : "")
            + $"; {result.Threads} threads";
        var fromLock = libtorch is not null && sharp is not null && (!context.IsCuda || cuda is not null)
            && LockedPackageOf(context, libtorch) is not null;
        return fromLock
            ? DoctorCheck.Passed(Id, Title, found, needed, [.. interesting])
            : DoctorCheck.Failed(Id, Title, found, needed, DoctorMessages.NativeLoadElsewhere(libtorch ?? "nowhere (not mapped)"), [.. interesting]);
    }

    /// <summary>Where a mapped library came from: a locked package (id and version), the stage, or elsewhere.</summary>
    private static string Origin(Doctor.Context context, string path, string stage, bool patched)
    {
        if (LockedPackageOf(context, path) is { } package)
        {
            return $"{package.Id} {package.Version}";
        }

        if (path.StartsWith(stage + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            var name = Path.GetFileName(path);
            var torchSharp = context.Environment.Stack.TorchSharp;
            return name switch
            {
                LibTorchSharp when patched => $"patched copy of TorchSharp {torchSharp}'s {name}, compatibility step",
                LibTorchSharp => $"copy of TorchSharp {torchSharp}'s {name}",
                LibStdCxxCompatPatcher.DefaultShimFileName => "TorchEnv's compatibility shim",
                _ => "staged copy",
            };
        }

        return "host";
    }

    private static Lock.LockedPackage? LockedPackageOf(Doctor.Context context, string path)
    {
        var root = context.PackagesFolder + Path.DirectorySeparatorChar;
        if (!path.StartsWith(root, StringComparison.Ordinal))
        {
            return null;
        }

        var parts = path[root.Length..].Split(Path.DirectorySeparatorChar);
        return parts.Length > 2 && NuGetVersion.TryParse(parts[1], out var version)
            ? context.Environment.Packages.FirstOrDefault(p => string.Equals(p.Id, parts[0], StringComparison.OrdinalIgnoreCase)
                && NuGetVersion.TryParse(p.Version, out var locked) && locked == version)
            : null;
    }
}
