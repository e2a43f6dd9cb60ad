using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.IO;
using TorchEnv.Core.Lock;
using TorchEnv.Core.Native;
using TorchEnv.Core.Packages;
using TorchEnv.Core.Resolution;
using TorchEnv.Shared;

namespace TorchEnv.Core.Doctor;

/// <summary>The checks of the locked packages in the global packages folder: complete, restitched, cuDNN, autocast, room.</summary>
internal static class PackageChecks
{
    public static DoctorCheck Packages(Doctor.Context context)
    {
        const string Id = "packages", Title = "Locked packages";
        var environment = context.Environment;
        var total = environment.Packages.Count;
        var findings = LockVerifier.Verify(environment, context.PackagesFolder);
        var missing = findings.Count(f => f.Descriptor == LockMessages.VerifyNotInstalledDescriptor);
        var differing = findings.Count - missing;
        var needed = $"{total} packages of {environment.Key}, as locked";
        if (findings.Count > 0)
        {
            return DoctorCheck.Failed(Id, Title, $"{total - missing} of {total} installed, {differing} differ", needed,
                DoctorMessages.Packages(missing, differing, context.PackagesFolder), [.. findings.Take(8).Select(f => f.Message)]);
        }

        var (restitched, unjoined) = RestitchState(context);
        var found = $"{total} of {total} installed, hashes as locked" + (restitched + unjoined.Count > 0 ? $"; {restitched} CUDA file(s) restitched" : "");
        if (unjoined.Count > 0)
        {
            return DoctorCheck.Failed(Id, Title, found + $", {unjoined.Count} not", needed + ", CUDA files restitched", DoctorMessages.Restitch(unjoined.Count), [.. unjoined]);
        }

        // The lock's host: and stack: describe these packages: a hand-edited value would mislead doctor's own host checks
        // and the base image `torchenv dockerfile` picks, so it fails here as it fails `lock --check` (TENV0248). After
        // the restitch state, so that a split file that is not whole is named as such, not as a failed recomputation.
        var recomputed = LockedFactsCheck.Check(environment, context.PackagesFolder);
        return recomputed.Count == 0
            ? DoctorCheck.Passed(Id, Title, found, needed)
            : DoctorCheck.Failed(Id, Title, $"{found}; {recomputed.Count} recorded field(s) differ from them",
                needed + ", host: and stack: as recomputed from them", recomputed[0], [.. recomputed.Take(8).Select(f => f.Message)]);
    }

    /// <summary>
    /// For every split CUDA file (<see cref="InstalledSplitFile"/>, the layout the build joins): restitched when no
    /// fragment is left and the primary file's SHA-256 is the one recorded; else a line saying what is wrong.
    /// </summary>
    private static (int Restitched, List<string> Unjoined) RestitchState(Doctor.Context context)
    {
        var restitched = 0;
        var unjoined = new List<string>();
        foreach (var file in InstalledSplitFile.Of(context.Environment, new GlobalPackagesFolder(context.PackagesFolder)))
        {
            var leftovers = file.Fragments.Count(f => f.Exists);
            if (leftovers > 0)
            {
                unjoined.Add($"{file.Primary.Name}: {leftovers} fragment(s) not joined yet");
            }
            else if (!file.IsWhole())
            {
                unjoined.Add($"{file.Primary.Name}: does not match its .sha (damaged restitch)");
            }
            else
            {
                restitched++;
            }
        }

        return (restitched, unjoined);
    }

    public static DoctorCheck Cudnn(Doctor.Context context)
    {
        const string Id = "cudnn", Title = "cuDNN";
        if (!context.IsCuda)
        {
            return DoctorCheck.NotApplicable(Id, Title, $"Variant '{context.Environment.Variant}' uses the CPU build of libtorch.");
        }

        var needed = $"cuDNN {context.Environment.Stack.Cudnn ?? "any"} in the locked packages";
        if (!context.Stack.AllInstalled)
        {
            return DoctorCheck.NotApplicable(Id, Title, "Skipped: the locked packages are not all installed (see 'Locked packages').", needed);
        }

        var files = context.Stack.Files();
        var found = NativeStackInspector.Inspect(files.Select(f => f.Files).ToList());
        if (found.CudnnMajor is not { } major)
        {
            return DoctorCheck.Failed(Id, Title, "no libcudnn / cudnn64 file", needed, DoctorMessages.Cudnn(context.Environment.Stack.Cudnn ?? "any", "none"));
        }

        var text = $"cuDNN {major} ({found.CudnnFile})";
        var lockedMajor = context.Environment.Stack.Cudnn?.Split('.')[0];
        return lockedMajor is null || lockedMajor == major.ToString(System.Globalization.CultureInfo.InvariantCulture)
            ? DoctorCheck.Passed(Id, Title, text, needed)
            : DoctorCheck.Failed(Id, Title, text, needed, DoctorMessages.Cudnn(context.Environment.Stack.Cudnn!, $"cuDNN {major}"));
    }

    /// <summary>
    /// libtorch_cpu has every <c>at::autocast</c> export TorchEnv.Training calls, under the platform's names: read from
    /// the ELF dynamic symbols of <c>libtorch_cpu.so</c> (Linux, Itanium names) or the PE export table of
    /// <c>torch_cpu.dll</c> (Windows, MSVC names), on any host, so a Linux CI checks a win-x64 lock too. macOS'
    /// Mach-O <c>libtorch_cpu.dylib</c> is not read.
    /// </summary>
    public static DoctorCheck Autocast(Doctor.Context context)
    {
        const string Id = "autocast", Title = "libtorch autocast exports";
        var needed = $"{LibTorchAutocastExports.All.Count} at::autocast functions";
        var (file, format) = context.IsLinux ? ("libtorch_cpu.so", "ELF") : context.IsWindows ? ("torch_cpu.dll", "PE") : (null, null);
        if (file is null)
        {
            return DoctorCheck.NotApplicable(Id, Title, $"Checked in Linux (ELF) and Windows (PE) builds of libtorch; {context.Environment.Platform}'s Mach-O is not read.", needed);
        }

        if (!context.Stack.AllInstalled)
        {
            return DoctorCheck.NotApplicable(Id, Title, "Skipped: the locked packages are not all installed (see 'Locked packages').", needed);
        }

        try
        {
            var natives = context.Natives.Value;
            if (InstalledStack.Find(natives, file) is not { } libtorch)
            {
                return DoctorCheck.Failed(Id, Title, $"no {file} in the locked packages", needed,
                    DoctorMessages.Autocast(LibTorchAutocastExports.All.Select(e => e.Signature), file));
            }

            var exported = ExportedBy(libtorch.FullPath, context.IsWindows);
            var missing = LibTorchAutocastExports.All.Where(e => !exported(e.NameOn(context.IsWindows))).ToList();
            var where = $"{libtorch.Package}/{libtorch.RelativePath}";
            return missing.Count == 0
                ? DoctorCheck.Passed(Id, Title, $"all {LibTorchAutocastExports.All.Count} in {where} ({format} exports)", needed)
                : DoctorCheck.Failed(Id, Title, $"{LibTorchAutocastExports.All.Count - missing.Count} of {LibTorchAutocastExports.All.Count} in {where} ({format} exports)", needed,
                    DoctorMessages.Autocast(missing.Select(m => $"{m.Signature} '{m.NameOn(context.IsWindows)}'"), where), [.. missing.Select(m => m.NameOn(context.IsWindows))]);
        }
        catch (TorchEnvException e)
        {
            return DoctorCheck.Failed(Id, Title, $"{file} unreadable", needed, e.Diagnostic);
        }
    }

    /// <summary>Whether the library at <paramref name="path"/> exports a name: PE export table (Windows) or defined ELF dynamic symbols.</summary>
    private static Func<string, bool> ExportedBy(string path, bool windows)
    {
        if (windows)
        {
            var pe = PeFile.Read(path);
            return pe.Exports;
        }

        using var elf = ElfFile.Open(path);
        var names = LibTorchAutocastExports.All.Where(e => elf.FindDynamicSymbols(e.Itanium).Any(s => s.IsDefined)).Select(e => e.Itanium).ToHashSet(StringComparer.Ordinal);
        return names.Contains;
    }

    public static DoctorCheck Folder(Doctor.Context context)
    {
        const string Id = "packages-folder", Title = "Global packages folder";
        var root = context.PackagesFolder;
        var existing = root;
        while (!Directory.Exists(existing) && Path.GetDirectoryName(existing) is { } parent)
        {
            existing = parent;
        }

        var (neededBytes, what) = RoomNeeded(context);
        var needed = $"writable; {what}";
        var probe = Path.Combine(existing, $".torchenv-doctor-{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllBytes(probe, [0]);
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return DoctorCheck.Failed(Id, Title, $"{root}: not writable", needed, DoctorMessages.FolderNotWritable(root, e.Message));
        }

        var free = new DriveInfo(existing).AvailableFreeSpace;
        var found = $"{root}: writable, {ByteSize.Format(free)} free";
        return free >= neededBytes
            ? DoctorCheck.Passed(Id, Title, found, needed)
            : DoctorCheck.Failed(Id, Title, found, needed, DoctorMessages.Space(root, ByteSize.Format(free), ByteSize.Format(neededBytes)));
    }

    /// <summary>
    /// Room the stack still needs: each missing package's estimated size (<see cref="EstimatedInstalledBytes"/>), plus the
    /// size of every CUDA file not yet restitched (the build writes the joined file before deleting the fragments).
    /// </summary>
    private static (long Bytes, string What) RoomNeeded(Doctor.Context context)
    {
        var missing = context.Stack.Packages.Where(p => p.Installed is null).Select(p => p.Locked).ToList();
        long bytes = missing.Sum(p => EstimatedInstalledBytes(p.Id));
        long restitch = 0;
        foreach (var (locked, installed) in context.Stack.Packages)
        {
            if (installed is not null && locked.Id.Contains("-fragment", StringComparison.OrdinalIgnoreCase))
            {
                var fragments = Path.Combine(installed.Directory, "fragments");
                restitch += Directory.Exists(fragments) ? Directory.EnumerateFiles(fragments, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length) : 0;
            }
        }

        var parts = new List<string>();
        if (missing.Count > 0)
        {
            parts.Add($"about {ByteSize.Format(bytes)} for {missing.Count} missing package(s) (estimate)");
        }

        if (restitch > 0)
        {
            parts.Add($"{ByteSize.Format(restitch)} to restitch CUDA files");
        }

        return (bytes + restitch, parts.Count == 0 ? "nothing more (all installed)" : string.Join(" + ", parts));
    }

    /// <summary>
    /// What a missing package will take in the global packages folder (.nupkg plus extracted files), for the free-space
    /// check before anything is downloaded. From the real packages (torchsharp-full.md §4c): libtorch-cpu-linux-x64
    /// 2.10.0 takes 598 MB here (128 MB .nupkg); the Linux CUDA libtorch about 5.9 GB unpacked over 24 parts.
    /// </summary>
    internal static long EstimatedInstalledBytes(string id)
    {
        const long MB = 1024L * 1024;
        return id.ToLowerInvariant() switch
        {
            var x when x.StartsWith("libtorch-cuda-", StringComparison.Ordinal) && x.Contains("-part", StringComparison.Ordinal) => 450 * MB,
            var x when x.StartsWith("libtorch-cpu-", StringComparison.Ordinal) => 750 * MB,
            var x when x.StartsWith("libtorch", StringComparison.Ordinal) => 1 * MB,
            var x when x.StartsWith("torchsharp", StringComparison.Ordinal) => 40 * MB,
            _ => 10 * MB,
        };
    }
}
