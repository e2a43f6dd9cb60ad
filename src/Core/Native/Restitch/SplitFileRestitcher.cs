using System.Security.Cryptography;
using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.IO;
using TorchEnv.Core.Lock;
using TorchEnv.Core.Packages;

namespace TorchEnv.Core.Native;

/// <summary>What <see cref="SplitFileRestitcher.Restitch"/> did and found.</summary>
/// <param name="Joined">The split files this call joined (package id / path), in order.</param>
/// <param name="Diagnostics">TENV0330–TENV0332, one per split file that is not whole.</param>
public sealed record RestitchOutcome(IReadOnlyList<string> Joined, IReadOnlyList<Diagnostic> Diagnostics);

/// <summary>
/// Makes every split CUDA file of a locked environment whole before anything reads it as ELF, and names what is wrong
/// when it cannot. TorchSharp's own restitch target (in each "-primary" package) joins in the temp folder, derives the
/// fragments' paths by text replacement on the whole path, is not safe when two builds run it at once, and only prints
/// its failures; the build then reads half a file. So TorchEnv joins first, the same way but safely: under one
/// cross-process guard per global packages folder, into a temporary file beside the primary (same file system, so the
/// final rename is atomic and the temp folder's size does not matter), checked against the <c>.sha</c> while it is
/// written, fragments deleted afterwards — which leaves TorchSharp's target nothing to do. A file already joined is
/// checked against its <c>.sha</c>.
/// </summary>
public static class SplitFileRestitcher
{
    /// <summary>How long a build waits for another one that is joining in the same packages folder (libtorch_cuda.so is about 1.5 GB).</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(30);

    private const string TempSuffix = ".torchenv-join";

    /// <summary>The guard file of a global packages folder's joins.</summary>
    public static string GuardPath(string globalPackagesFolder) => Path.Combine(Path.GetFullPath(globalPackagesFolder), ".torchenv-restitch.lock");

    /// <summary>Joins, or checks, every split file of <paramref name="environment"/>'s "-primary" packages in <paramref name="globalPackagesFolder"/>.</summary>
    /// <param name="environment">The locked environment being built.</param>
    /// <param name="globalPackagesFolder">Where restore installed it.</param>
    /// <param name="waiting">Gets one line when another process holds the guard and this one starts waiting.</param>
    /// <param name="timeout">How long to wait for that process; null for <see cref="DefaultTimeout"/>.</param>
    public static RestitchOutcome Restitch(LockedEnvironment environment, string globalPackagesFolder, Action<string>? waiting = null, TimeSpan? timeout = null)
    {
        var folder = new GlobalPackagesFolder(globalPackagesFolder);
        var joined = new List<string>();
        var diagnostics = new List<Diagnostic>();
        IDisposable? guard = null;
        try
        {
            foreach (var file in InstalledSplitFile.Of(environment, folder))
            {
                if (file.Fragments.Any(f => f.Exists))
                {
                    if (guard is null && !TryAcquire(folder, file, waiting, timeout ?? DefaultTimeout, diagnostics, out guard))
                    {
                        return new RestitchOutcome(joined, diagnostics);
                    }

                    // Another build may have joined it while this one waited.
                    if (file.Fragments.Any(f => f.Exists))
                    {
                        if (Join(environment, file, diagnostics))
                        {
                            joined.Add(file.Primary.Name);
                        }

                        continue;
                    }
                }

                if (!file.IsWhole())
                {
                    diagnostics.Add(NativeMessages.SplitFileNotWhole(environment, file, RestitchCauses.Explain(file, folder)));
                }
            }
        }
        finally
        {
            guard?.Dispose();
        }

        return new RestitchOutcome(joined, diagnostics);
    }

    private static bool TryAcquire(GlobalPackagesFolder folder, InstalledSplitFile file, Action<string>? waiting, TimeSpan timeout,
        List<Diagnostic> diagnostics, out IDisposable? guard)
    {
        var guardPath = GuardPath(folder.Root);
        try
        {
            guard = ExclusiveFileLock.Acquire(guardPath, timeout, waiting is null ? null
                : () => waiting($"Waiting for another build that is joining CUDA files in {folder.Root} (it holds {guardPath})."));
            return true;
        }
        catch (UnauthorizedAccessException)
        {
            diagnostics.Add(NativeMessages.SplitFileCannotJoin(file, $"the global packages folder {folder.Root} is read-only (the guard file {guardPath} cannot be created)"));
        }
        catch (TimeoutException)
        {
            diagnostics.Add(NativeMessages.SplitFileCannotJoin(file, $"another process held {guardPath} for more than {timeout.TotalMinutes:0} minutes"));
        }
        catch (IOException ex)
        {
            diagnostics.Add(NativeMessages.SplitFileCannotJoin(file, RestitchCauses.OfIOFailure(file, ex)));
        }

        guard = null;
        return false;
    }

    /// <summary>Joins the pieces of <paramref name="file"/> (under the guard); false with a diagnostic when they do not make the file.</summary>
    private static bool Join(LockedEnvironment environment, InstalledSplitFile file, List<Diagnostic> diagnostics)
    {
        var missing = file.Pieces.Where(p => !p.Exists).ToList();
        if (missing.Count > 0)
        {
            // Some fragments only: a join that stopped while deleting them, if the primary is already whole.
            if (file.IsWhole())
            {
                DeleteFragments(file);
                return false;
            }

            diagnostics.Add(NativeMessages.SplitFileDamaged(environment, file, missing.Select(p => (p, "missing")).ToList()));
            return false;
        }

        var directory = Path.GetDirectoryName(file.Primary.FullPath)!;
        var temp = file.Primary.FullPath + "." + Guid.NewGuid().ToString("N")[..8] + TempSuffix;
        try
        {
            foreach (var stale in Directory.EnumerateFiles(directory, Path.GetFileName(file.Primary.FullPath) + ".*" + TempSuffix))
            {
                // Left by a build that was killed while joining (the guard is ours, so no one else is writing it).
                File.Delete(stale);
            }

            var length = file.Pieces.Sum(p => new FileInfo(p.FullPath).Length);
            if (RestitchCauses.LackOfRoom(directory, length) is { } lack)
            {
                diagnostics.Add(NativeMessages.SplitFileCannotJoin(file, lack));
                return false;
            }

            string actual;
            using (var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
            {
                var buffer = new byte[1 << 20];
                foreach (var piece in file.Pieces)
                {
                    using var input = File.OpenRead(piece.FullPath);
                    int read;
                    while ((read = input.Read(buffer, 0, buffer.Length)) > 0)
                    {
                        hash.AppendData(buffer, 0, read);
                        output.Write(buffer, 0, read);
                    }
                }

                actual = Convert.ToHexStringLower(hash.GetHashAndReset());
            }

            if (!string.Equals(actual, file.ExpectedSha256(), StringComparison.Ordinal))
            {
                File.Delete(temp);
                var damaged = file.Pieces.Select(p => (Piece: p, Damage: p.Damage())).Where(d => d.Damage is not null).Select(d => (d.Piece, d.Damage!)).ToList();
                diagnostics.Add(NativeMessages.SplitFileDamaged(environment, file, damaged));
                return false;
            }

            File.Move(temp, file.Primary.FullPath, overwrite: true);
            DeleteFragments(file);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            diagnostics.Add(NativeMessages.SplitFileCannotJoin(file, RestitchCauses.OfIOFailure(file, ex)));
            return false;
        }
    }

    private static void DeleteFragments(InstalledSplitFile file)
    {
        // As TorchSharp's target does: frees the space and tells its target (and ours) that the file is joined.
        foreach (var fragment in file.Fragments.Where(f => f.Exists))
        {
            File.Delete(fragment.FullPath);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Nothing was created, or the folder is read-only: nothing to clean.
        }
    }
}
