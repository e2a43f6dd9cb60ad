namespace TorchEnv.Core.Native;

/// <summary>
/// Common Linux base images with the newest glibc and libstdc++ versions they ship, to name a concrete fix in
/// diagnostics ("use Ubuntu 24.04"). The table is <see cref="LinuxDistributions"/>, which also chooses the base image of
/// generated Dockerfiles.
/// </summary>
internal static class KnownBaseImages
{
    /// <summary>
    /// The images that define every numbered <c>GLIBC_</c>/<c>GLIBCXX_</c>/<c>CXXABI_</c> version in
    /// <paramref name="versions"/> (other names are not judged), oldest first; at most two.
    /// </summary>
    public static IReadOnlyList<string> Providing(IEnumerable<string> versions)
    {
        var list = versions.ToList();
        return LinuxDistributions.All.Where(d => d.Provides(list)).Select(d => d.Name).Take(2).ToList();
    }
}
