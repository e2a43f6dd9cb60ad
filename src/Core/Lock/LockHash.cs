using System.Security.Cryptography;
using System.Text;
using TorchEnv.Core.IO;

namespace TorchEnv.Core.Lock;

/// <summary>
/// The identity of a lock file wherever TorchEnv states it — the generated <c>TorchEnvironment.LockHash</c> and the
/// Dockerfile's <c>io.torchenv.lock</c> label — so that both name the same lock the same way: <c>sha256:</c> and the
/// SHA-256 of the file's bytes in lower-case hex, as <c>sha256sum</c> prints it.
/// </summary>
internal static class LockHash
{
    private const string Prefix = "sha256:";

    /// <summary>The identity of the lock file at <paramref name="lockPath"/>.</summary>
    public static string OfFile(string lockPath) => Prefix + FileHashes.Sha256(lockPath);

    /// <summary>The identity the lock file would have if it held <paramref name="lockText"/> (written as UTF-8 without BOM, as <see cref="LockFileWriter"/> writes it).</summary>
    public static string OfText(string lockText) =>
        Prefix + Convert.ToHexStringLower(SHA256.HashData(new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(lockText)));
}
