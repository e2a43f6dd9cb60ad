namespace TorchEnv.TestSupport.Locking;

/// <summary>
/// Tiny stand-ins of the TorchSharp CPU packages under their real ids (so the stack logic applies), for a local feed:
/// TorchSharp 0.106.0 / 0.107.0 with Google.Protobuf and System.Memory, libtorch-cpu for win-x64 and osx-arm64 (and an empty one for linux-x64),
/// TorchVision 0.107.0, and Extra.Lib 1.0.0 (which needs a newer Google.Protobuf).
/// </summary>
public static class CpuStandInFeed
{
    /// <summary>Adds the packages to <paramref name="feed"/>.</summary>
    public static void Build(LocalFeed feed)
    {
        ArgumentNullException.ThrowIfNull(feed);
        foreach (var version in new[] { "0.106.0", "0.107.0" })
        {
            feed.Add("TorchSharp", version, p => p
                .DependsOn("Google.Protobuf", "3.21.9", "net8.0")
                .DependsOn("System.Memory", "4.5.5", "net8.0")
                .DependsOn("Google.Protobuf", "3.21.9", "netstandard2.0")
                .DependsOn("System.Memory", "4.5.5", "netstandard2.0")
                .File("lib/net8.0/TorchSharp.dll", "managed " + version)
                .File("runtimes/win-x64/native/LibTorchSharp.dll", "MZ win " + version)
                .File("runtimes/osx-arm64/native/libLibTorchSharp.dylib", "macho " + version));
        }

        feed.Add("Google.Protobuf", "3.21.9", p => p.DependsOn("System.Memory", "4.5.3"));
        feed.Add("Google.Protobuf", "3.25.1", p => p.DependsOn("System.Memory", "4.5.3"));
        feed.Add("System.Memory", "4.5.5", p => p.DependsOn("System.Buffers", "4.5.1"));
        feed.Add("System.Buffers", "4.5.1");
        feed.Add("libtorch-cpu-win-x64", "2.10.0", p => p.Group("netstandard2.0").File("runtimes/win-x64/native/torch_cpu.dll", "MZ torch_cpu"));
        feed.Add("libtorch-cpu-linux-x64", "2.10.0", p => p.Group("netstandard2.0"));
        feed.Add("libtorch-cpu-osx-arm64", "2.10.0", p => p.Group("netstandard2.0").File("runtimes/osx-arm64/native/libtorch_cpu.dylib", "macho torch_cpu"));
        feed.Add("TorchVision", "0.107.0", p => p.DependsOn("TorchSharp", "0.107.0", "net8.0"));
        feed.Add("Extra.Lib", "1.0.0", p => p.DependsOn("Google.Protobuf", "3.25.1"));
    }
}
