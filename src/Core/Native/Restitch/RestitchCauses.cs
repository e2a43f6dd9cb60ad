using TorchEnv.Core.IO;
using TorchEnv.Core.Packages;

namespace TorchEnv.Core.Native;

/// <summary>
/// Why a split CUDA file is not whole, in the terms a user can act on: its size against the pieces', the free space of
/// the temp folder (TorchSharp's restitch writes the whole file there first), a read-only folder, and a packages folder
/// whose own path contains <c>runtimes</c> or <c>-primary</c> (TorchSharp's target finds the fragments by replacing those
/// words in the whole path, so it then looks in the wrong place and silently joins nothing).
/// </summary>
public static class RestitchCauses
{
    /// <summary>The words TorchSharp's restitch target replaces in the full path of a primary file.</summary>
    public static readonly IReadOnlyList<string> ReplacedWords = ["runtimes", "-primary"];

    /// <summary>Every cause found for a primary that is not whole and has no fragments left, joined with "; ".</summary>
    public static string Explain(InstalledSplitFile file, GlobalPackagesFolder folder)
    {
        var causes = new List<string>();
        var expected = file.ExpectedLength();
        var actual = File.Exists(file.Primary.FullPath) ? new FileInfo(file.Primary.FullPath).Length : (long?)null;
        if (actual is null)
        {
            causes.Add("the file is missing");
        }
        else if (file.Primary.PackagedLength() == actual)
        {
            causes.Add($"it is still the -primary package's first piece ({ByteSize.Format(actual.Value)}"
                + (expected is { } whole ? $" of {ByteSize.Format(whole)}" : "") + "): it was never joined");
        }
        else
        {
            causes.Add($"it is {ByteSize.Format(actual.Value)}" + (expected is { } whole ? $", the whole file is {ByteSize.Format(whole)}" : "")
                + (expected == actual ? " but its SHA-256 differs from the .sha" : ""));
        }

        var temp = Path.GetTempPath();
        if (expected is { } size && FreeSpace(temp) is { } free && free < size)
        {
            causes.Add($"the temp folder {temp} has {ByteSize.Format(free)} free and TorchSharp's restitch writes the whole file ({ByteSize.Format(size)}) there first");
        }

        if (IsReadOnly(Path.GetDirectoryName(file.Primary.FullPath)!))
        {
            causes.Add($"the folder {Path.GetDirectoryName(file.Primary.FullPath)} is read-only");
        }

        if (TrippingWord(folder.Root) is { } word)
        {
            causes.Add($"the global packages folder's path {folder.Root} contains '{word}', which TorchSharp's restitch replaces in the whole path, so it looks for the fragments in the wrong place");
        }

        if (causes.Count == 1 && actual is not null)
        {
            causes.Add("no other cause was found here; TorchSharp's restitch printed its own error in the log of the build that first used the package");
        }

        return string.Join("; ", causes);
    }

    /// <summary>What an I/O failure while joining means: a read-only folder, a full disk, or the system's message.</summary>
    public static string OfIOFailure(InstalledSplitFile file, Exception failure)
    {
        var directory = Path.GetDirectoryName(file.Primary.FullPath)!;
        if (failure is UnauthorizedAccessException || IsReadOnly(directory))
        {
            return $"the folder {directory} is read-only";
        }

        return file.ExpectedLength() is { } size && LackOfRoom(directory, size) is { } lack ? lack : failure.Message;
    }

    /// <summary>"joining needs … in …, which has … free" when <paramref name="directory"/>'s file system has less than <paramref name="size"/> bytes free, else null.</summary>
    public static string? LackOfRoom(string directory, long size) =>
        FreeSpace(directory) is { } free && free < size
            ? $"joining needs {ByteSize.Format(size)} in {directory}, which has {ByteSize.Format(free)} free"
            : null;

    /// <summary>The free bytes of the file system holding <paramref name="path"/>, or null when the system does not say.</summary>
    public static long? FreeSpace(string path)
    {
        try
        {
            return new DriveInfo(Path.GetFullPath(path)).AvailableFreeSpace;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>The first of <see cref="ReplacedWords"/> in <paramref name="globalPackagesFolder"/>'s own path, or null.</summary>
    public static string? TrippingWord(string globalPackagesFolder) =>
        ReplacedWords.FirstOrDefault(w => Path.GetFullPath(globalPackagesFolder).Contains(w, StringComparison.Ordinal));

    /// <summary>True when no file can be created in <paramref name="directory"/> (permissions, a read-only mount, an immutable folder).</summary>
    public static bool IsReadOnly(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return false;
        }

        try
        {
            using var probe = new FileStream(Path.Combine(directory, $".torchenv-write-probe-{Guid.NewGuid():N}"), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose);
            return false;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return true;
        }
    }
}
