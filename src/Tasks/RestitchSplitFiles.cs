using Microsoft.Build.Framework;
using TorchEnv.Sdk.Tasks.IO;

namespace TorchEnv.Sdk.Tasks;

/// <summary>
/// Before TorchSharp's own restitch target and before any ELF read: makes the split CUDA files of the locked
/// environment whole through Core (which joins them under its cross-process guard and checks them against their
/// <c>.sha</c>), logs each file it joined, and reports Core's TENV0330–TENV0332 for a file that is not whole. Writes the
/// stamp file when no error was logged.
/// </summary>
public sealed class RestitchSplitFiles : LockEntryTask
{
    /// <summary>The global packages folder restore installed into (<c>$(NuGetPackageRoot)</c>).</summary>
    public string? GlobalPackagesFolder { get; set; }

    /// <summary>Touched when every split file is whole (the target's Outputs).</summary>
    [Required]
    public string StampFile { get; set; } = "";

    /// <inheritdoc />
    protected override void ExecuteCore()
    {
        if (string.IsNullOrEmpty(GlobalPackagesFolder) || ReadEntry() is not { } found)
        {
            return;
        }

        var outcome = Core.RestitchSplitFiles(found.Entry, GlobalPackagesFolder, line => Log.LogMessage(MessageImportance.High, "TorchEnv: " + line));
        foreach (var joined in outcome.Joined)
        {
            Log.LogMessage(MessageImportance.High, $"TorchEnv: joined {joined} from its fragments (SHA-256 checked against its .sha)");
        }

        Diagnostics.Report(outcome.Diagnostics);
        if (!Log.HasLoggedErrors)
        {
            GeneratedFile.WriteOrTouch(StampFile, "");
        }
    }
}
