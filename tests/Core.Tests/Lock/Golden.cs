using System.Runtime.CompilerServices;

namespace TorchEnv.Core.Tests.Lock;

/// <summary>
/// Golden files under Lock/Golden (copied to the output). Set TORCHENV_UPDATE_GOLDEN=1 to rewrite them from the
/// current output, then review the diff before committing.
/// </summary>
internal static class Golden
{
    public static string Path(string name) => System.IO.Path.Combine(AppContext.BaseDirectory, "Lock", "Golden", name);

    public static string SourcePath(string name, [CallerFilePath] string caller = "") =>
        System.IO.Path.Combine(System.IO.Path.GetDirectoryName(caller)!, "Golden", name);
}
