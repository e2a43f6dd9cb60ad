using Microsoft.Build.Framework;
using TorchEnv.Core.Lock;
using TorchEnv.Sdk.Tasks.Generation;
using TorchEnv.Sdk.Tasks.IO;

namespace TorchEnv.Sdk.Tasks;

/// <summary>
/// Writes the C# source of the <c>TorchEnvironment</c> class (locked stack as constants, <c>Verify()</c>) for one
/// variant × platform of the lock. The source is rewritten only when its text changes; the stamp file is always touched.
/// </summary>
public sealed class GenerateTorchEnvironmentSource : LockEntryTask
{
    /// <summary>Namespace of the generated types; empty for the global namespace.</summary>
    public string? Namespace { get; set; }

    /// <summary>MSBuild's <c>$(Language)</c>: <c>C#</c> (default) or <c>F#</c>.</summary>
    public string? Language { get; set; }

    /// <summary>The source file to write.</summary>
    [Required]
    public string OutputFile { get; set; } = "";

    /// <summary>Touched on every run (the target's Outputs), so an unchanged source keeps its timestamp.</summary>
    [Required]
    public string StampFile { get; set; } = "";

    /// <inheritdoc />
    protected override void ExecuteCore()
    {
        if (ReadEntry() is not { } found)
        {
            return;
        }

        var (environmentLock, entry) = found;
        var language = TorchEnvironmentSource.LanguageOf(Language) ?? TorchEnvironmentLanguage.CSharp;
        var source = TorchEnvironmentSource.Render(TorchEnvironmentModel.From(environmentLock, entry, Namespace ?? "", LockHash.OfFile(LockFile)), language);
        if (GeneratedFile.WriteIfChanged(OutputFile, source))
        {
            Log.LogMessage(MessageImportance.Low, "TorchEnv: wrote {0}", OutputFile);
        }

        GeneratedFile.WriteOrTouch(StampFile, "");
    }
}
