using TorchEnv.Core.IO;
using TorchEnv.Core.Native;
using TorchEnv.Core.Packages;

namespace TorchEnv.Core.Doctor;

/// <summary>
/// The temp folder's free space against the largest split CUDA file. TorchEnv's build joins split files beside them in
/// the packages folder (the packages-folder check counts that room), but TorchSharp's own restitch target writes the
/// whole file into the temp folder first, and it runs wherever TorchEnv's join has not run first (an IDE's design-time
/// build, a project without TorchEnv.Sdk); with too little room there it fails and only prints why.
/// </summary>
internal static class TempFolderCheck
{
    public static DoctorCheck Run(Doctor.Context context)
    {
        const string Id = "temp-folder", Title = "Temp folder";
        if (!context.IsCuda)
        {
            return DoctorCheck.NotApplicable(Id, Title, $"Variant '{context.Environment.Variant}' has no split CUDA files.");
        }

        var files = InstalledSplitFile.Of(context.Environment, new GlobalPackagesFolder(context.PackagesFolder))
            .Select(f => (File: f, Length: f.ExpectedLength()))
            .Where(f => f.Length is not null)
            .ToList();
        if (files.Count == 0)
        {
            return DoctorCheck.NotApplicable(Id, Title, "Skipped: no split CUDA file is installed (see 'Locked packages').");
        }

        var largest = files.MaxBy(f => f.Length)!;
        var temp = context.Options.TempFolder ?? Path.GetTempPath();
        var free = (context.Options.FreeSpace ?? RestitchCauses.FreeSpace)(temp);
        var needed = $"{ByteSize.Format(largest.Length!.Value)} for the largest split file ({largest.File.File.FileName}) while any is still split";
        var unjoined = files.Count(f => f.File.Fragments.Any(p => p.Exists));
        var found = $"{temp}: {(free is { } f ? ByteSize.Format(f) : "unknown")} free; " + (unjoined == 0 ? "every split file joined" : $"{unjoined} split file(s) not joined yet");
        return unjoined > 0 && free < largest.Length
            ? DoctorCheck.Failed(Id, Title, found, needed, DoctorMessages.TempSpace(temp, ByteSize.Format(free!.Value), largest.File.File.FileName, ByteSize.Format(largest.Length.Value)))
            : DoctorCheck.Passed(Id, Title, found, needed);
    }
}
