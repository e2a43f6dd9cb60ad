using System.Security.Cryptography;

namespace TorchEnv.Sdk.Tasks.IO;

/// <summary>The hash that identifies a lock file in generated code and reports: <c>sha256:</c> + the file's SHA-256, as <c>sha256sum</c> prints it.</summary>
internal static class LockHash
{
    /// <summary>Hashes the file's bytes.</summary>
    public static string Of(string lockFile)
    {
        using var stream = File.OpenRead(lockFile);
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
