using System.Security.Cryptography;
using System.Text;

namespace TorchEnv.TestSupport;

/// <summary>Choices for <see cref="CudaFixtureFeed.Build"/>.</summary>
public sealed record CudaFixtureOptions
{
    /// <summary>
    /// The bytes of a native file, given its file name (e.g. <c>libtorch_cuda.so</c>); null gives
    /// <see cref="CudaFixtureFeed.DefaultContent"/>: tiny ELF files with realistic version needs for Linux libraries,
    /// small placeholder bytes for Windows DLLs.
    /// </summary>
    public Func<string, byte[]>? NativeContent { get; init; }

    /// <summary>The cuDNN major in the file names (<c>libcudnn*.so.N</c>, <c>cudnn*64_N.dll</c>); the real packages have 9.</summary>
    public int CudnnMajor { get; init; } = 9;

    /// <summary>Build the Linux packages (TorchSharp-cuda-linux, libtorch-cuda-12.8-linux-x64 and its 24 parts).</summary>
    public bool Linux { get; init; } = true;

    /// <summary>Build the Windows packages (TorchSharp-cuda-windows, libtorch-cuda-12.8-win-x64 and its 16 parts).</summary>
    public bool Windows { get; init; } = true;
}

/// <summary>
/// A local feed that mirrors the real TorchSharp 0.107.0 CUDA packages, which the registry here does not serve:
/// <c>TorchSharp-cuda-linux</c> / <c>TorchSharp-cuda-windows</c> 0.107.0 (depending on <c>TorchSharp</c> 0.107.0, which
/// comes from nuget.org or from the caller's own feed) and <c>libtorch-cuda-12.8-&lt;rid&gt;</c> 2.10.0 with their part
/// packages, with the ids, nuspec dependencies and file layout of TorchSharp's <c>libtorch-cuda-12.8.proj</c>: whole files
/// in <c>runtimes/&lt;rid&gt;/native/</c>; files too big for one package split into a "-primary" package (first chunk plus
/// <c>&lt;file&gt;.sha</c>, the SHA-256 of the whole file) and "-fragmentN" packages
/// (<c>fragments/&lt;rid&gt;/native/&lt;file&gt;.fragmentN</c>). The files are tiny; the real names are kept.
/// </summary>
public static class CudaFixtureFeed
{
    /// <summary>TorchSharp version of the CUDA bundles.</summary>
    public const string TorchSharpVersion = "0.107.0";

    /// <summary>Version of the libtorch-cuda packages.</summary>
    public const string LibTorchVersion = "2.10.0";

    /// <summary>CUDA version in the package ids.</summary>
    public const string Cuda = "12.8";

    /// <summary>Files of libtorch-cuda-12.8-linux-x64 by part suffix; a split file lists its primary then its fragments.</summary>
    public static readonly IReadOnlyList<(string Part, string[] Files)> LinuxParts =
    [
        ("part1", ["libaoti_custom_ops.so", "libbackend_with_compiler.so", "libc10.so", "libc10_cuda.so", "libc10d_cuda_test.so",
            "libcaffe2_nvrtc.so", "libcudart-c3a75b33.so.12", "libcudnn.so.9", "libcublas-031ce6c2.so.12",
            "libcudnn_engines_runtime_compiled.so.9", "libcudnn_graph.so.9", "libtorchbind_test.so", "libcudnn_ops.so.9",
            "libgomp-98b21ff3.so.1", "libjitbackend_test.so", "libnnapi_backend.so", "libnvToolsExt-c498fcba.so.1",
            "libtorch_global_deps.so", "libcufile-2b2a5a42.so.0", "libcufile_rdma-5257f22c.so.1", "libcupti-fccdc5fc.so.12",
            "libnvperf_host-609f5406.so", "libtorch.so"]),
        ("part2", ["libtorch_cpu.so"]),
        ("part3", ["libtorch_cuda.so"]),
        ("part4", ["libcudnn_engines_precompiled.so.9"]),
        ("part5", ["libcublasLt-10b5e663.so.12"]),
        ("part6", ["libcudnn_cnn.so.9", "libcudnn_heuristic.so.9", "libnvrtc-2bb82d1a.so.12", "libtorch_python.so",
            "libnvshmem_host-bb1c1ad4.so.3", "libshm.so", "libnvrtc-builtins.so"]),
        ("part7", ["libtorch_cuda_linalg.so"]),
        ("part8", ["libcusparseLt-0bb86669.so.0"]),
        ("part9", ["libcudnn_adv.so.9"]),
    ];

    /// <summary>How many fragments each split Linux part has (the others are whole).</summary>
    public static readonly IReadOnlyDictionary<string, int> LinuxFragments = new Dictionary<string, int>
    {
        ["part2"] = 1, ["part3"] = 6, ["part4"] = 1, ["part5"] = 2, ["part7"] = 3, ["part8"] = 1, ["part9"] = 1,
    };

    /// <summary>Files of libtorch-cuda-12.8-win-x64 by part suffix.</summary>
    public static readonly IReadOnlyList<(string Part, string[] Files)> WindowsParts =
    [
        ("part1", ["c10.dll", "c10_cuda.dll", "caffe2_nvrtc.dll", "cublas64_12.dll", "cudart64_12.dll", "cudnn64_9.dll",
            "cudnn_graph64_9.dll", "cudnn_engines_runtime_compiled64_9.dll", "nvrtc64_120_0.dll", "nvrtc64_120_0.alt.dll"]),
        ("part2", ["cudnn_adv64_9.dll"]),
        ("part3", ["cudnn_engines_precompiled64_9.dll"]),
        ("part4", ["cufft64_11.dll", "cufftw64_11.dll", "cupti64_2025.1.1.dll"]),
        ("part5", ["cublasLt64_12.dll"]),
        ("part6", ["cusolverMg64_11.dll", "curand64_10.dll", "nvperf_host.dll", "libiomp5md.dll", "libiompstubs5md.dll", "nvToolsExt64_1.dll"]),
        ("part7", ["cusparse64_12.dll"]),
        ("part8", ["zlibwapi.dll", "torch.dll", "torch_cpu.dll", "nvrtc-builtins64_128.dll", "cudnn_heuristic64_9.dll",
            "nvJitLink_120_0.dll", "torch_global_deps.dll", "uv.dll", "cudnn_ops64_9.dll", "cudnn_cnn64_9.dll"]),
        ("part9", ["torch_cuda.dll"]),
        ("part10", ["cusolver64_11.dll"]),
    ];

    /// <summary>How many fragments each split Windows part has.</summary>
    public static readonly IReadOnlyDictionary<string, int> WindowsFragments = new Dictionary<string, int>
    {
        ["part3"] = 1, ["part5"] = 2, ["part7"] = 1, ["part9"] = 2,
    };

    /// <summary>Package ids of the parts of a head package, in the head's dependency order (24 for Linux, 16 for Windows).</summary>
    public static IReadOnlyList<string> PartIds(string rid)
    {
        var (parts, fragments) = Layout(rid);
        var ids = new List<string>();
        foreach (var (part, _) in parts)
        {
            var prefix = $"libtorch-cuda-{Cuda}-{rid}-{part}";
            if (fragments.TryGetValue(part, out var count))
            {
                ids.Add(prefix + "-primary");
                ids.AddRange(Enumerable.Range(1, count).Select(n => $"{prefix}-fragment{n}"));
            }
            else
            {
                ids.Add(prefix);
            }
        }

        return ids;
    }

    /// <summary>Builds the CUDA packages into <paramref name="feed"/>.</summary>
    public static void Build(LocalFeed feed, CudaFixtureOptions? options = null)
    {
        options ??= new CudaFixtureOptions();
        if (options.Linux)
        {
            BuildPlatform(feed, "linux-x64", "TorchSharp-cuda-linux", ["net8.0"], options);
        }

        if (options.Windows)
        {
            BuildPlatform(feed, "win-x64", "TorchSharp-cuda-windows", ["net8.0", "netstandard2.0"], options);
        }
    }

    /// <summary>
    /// The content used when no <see cref="CudaFixtureOptions.NativeContent"/> is given: for a Linux library (<c>.so</c>,
    /// <c>.so.N</c>) a tiny ELF shared object whose version needs resemble the real ones (libtorch's own libraries:
    /// GLIBC_2.29, GLIBCXX_3.4.26, CXXABI_1.3.11, as libtorch 2.10.0's <c>libtorch_cpu.so</c>; NVIDIA's libraries: GLIBC_2.17
    /// only); for anything else <see cref="Placeholder"/>.
    /// </summary>
    public static byte[] DefaultContent(string fileName)
    {
        if (!IsSharedObject(fileName))
        {
            return Placeholder(fileName);
        }

        var elf = new TinyElfBuilder(fileName).Need("libc.so.6", "GLIBC_2.2.5").Need("libc.so.6", NvidiaLibrary(fileName) ? "GLIBC_2.17" : "GLIBC_2.29");
        if (!NvidiaLibrary(fileName))
        {
            elf.Need("libstdc++.so.6", "GLIBCXX_3.4.26").Need("libstdc++.so.6", "CXXABI_1.3.11");
        }

        return elf.Build();
    }

    /// <summary>True for <c>x.so</c> and <c>x.so.N</c> names.</summary>
    public static bool IsSharedObject(string fileName) =>
        fileName.EndsWith(".so", StringComparison.Ordinal) || fileName.Contains(".so.", StringComparison.Ordinal);

    // cuDNN, cuBLAS, the CUDA runtime and friends are NVIDIA's C libraries; everything starting with libtorch/libc10/… is PyTorch's.
    private static bool NvidiaLibrary(string fileName) =>
        new[] { "libcud", "libcublas", "libcufile", "libcupti", "libcusparse", "libnv" }.Any(p => fileName.StartsWith(p, StringComparison.Ordinal));

    /// <summary>Small deterministic bytes standing for a file whose content does not matter (Windows DLLs).</summary>
    public static byte[] Placeholder(string fileName) =>
        Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat($"placeholder for {fileName};", 4)));

    /// <summary>The file name with the cuDNN major the options ask for.</summary>
    public static string WithCudnnMajor(string fileName, int major) => fileName.Contains("cudnn", StringComparison.Ordinal)
        ? fileName.Replace(".so.9", $".so.{major}", StringComparison.Ordinal).Replace("64_9.dll", $"64_{major}.dll", StringComparison.Ordinal)
        : fileName;

    private static (IReadOnlyList<(string Part, string[] Files)> Parts, IReadOnlyDictionary<string, int> Fragments) Layout(string rid) =>
        rid == "linux-x64" ? (LinuxParts, LinuxFragments) : (WindowsParts, WindowsFragments);

    private static void BuildPlatform(LocalFeed feed, string rid, string bundleId, string[] bundleFrameworks, CudaFixtureOptions options)
    {
        var head = $"libtorch-cuda-{Cuda}-{rid}";
        var content = options.NativeContent ?? DefaultContent;
        var (parts, fragments) = Layout(rid);

        foreach (var (part, files) in parts)
        {
            var prefix = $"{head}-{part}";
            var names = files.Select(f => WithCudnnMajor(f, options.CudnnMajor)).ToArray();
            if (!fragments.TryGetValue(part, out var count))
            {
                feed.Add(prefix, LibTorchVersion, p =>
                {
                    Common(p, prefix);
                    foreach (var name in names)
                    {
                        p.File($"runtimes/{rid}/native/{name}", content(name));
                    }
                });
                continue;
            }

            var whole = content(names[0]);
            var chunks = Split(whole, count + 1);
            feed.Add(prefix + "-primary", LibTorchVersion, p =>
            {
                Common(p, prefix + "-primary", FixturePackageBuildFiles.RestitchProps, FixturePackageBuildFiles.RestitchTargets);
                p.File($"runtimes/{rid}/native/{names[0]}", chunks[0]);
                p.File($"runtimes/{rid}/native/{names[0]}.sha", Convert.ToHexStringLower(SHA256.HashData(whole)));
            });
            for (var n = 1; n <= count; n++)
            {
                var chunk = chunks[n];
                var fragment = n;
                feed.Add($"{prefix}-fragment{n}", LibTorchVersion, p =>
                {
                    Common(p, $"{prefix}-fragment{fragment}");
                    p.File($"fragments/{rid}/native/{names[0]}.fragment{fragment}", chunk);
                });
            }
        }

        feed.Add(head, LibTorchVersion, p =>
        {
            Common(p, head, FixturePackageBuildFiles.CudaHeadProps, FixturePackageBuildFiles.OneRuntimeTargets);
            foreach (var id in PartIds(rid))
            {
                p.DependsOn(id, LibTorchVersion);
            }
        });

        feed.Add(bundleId, TorchSharpVersion, p =>
        {
            foreach (var framework in bundleFrameworks)
            {
                p.DependsOn("TorchSharp", TorchSharpVersion, framework).DependsOn(head, LibTorchVersion, framework);
            }

            p.File("lib/net8.0/_._", "")
                .File($"buildTransitive/net8.0/{bundleId}.props", "<Project />")
                .File($"buildTransitive/net8.0/{bundleId}.targets", "<Project />")
                .File("LICENSE.txt", "MIT");
        });
    }

    /// <summary>
    /// What every libtorch-cuda package carries besides its natives (as TorchSharp's nupkgprojs pack them): the
    /// "-primary" parts the restitch target, the head package the one-runtime check, the others empty build files.
    /// </summary>
    private static void Common(TestPackage package, string id, string props = "<Project />", string targets = "<Project />") => package
        .Group("netstandard2.0")
        .File("lib/netstandard2.0/_._", "")
        .File($"buildTransitive/netstandard2.0/{id}.props", props)
        .File($"buildTransitive/netstandard2.0/{id}.targets", targets)
        .File("LICENSE-LIBTORCH.txt", "BSD-3-Clause (PyTorch)");

    /// <summary>Cuts <paramref name="bytes"/> into <paramref name="pieces"/> consecutive chunks (the primary gets any remainder).</summary>
    private static byte[][] Split(byte[] bytes, int pieces)
    {
        if (bytes.Length < pieces)
        {
            throw new ArgumentException($"A file split into {pieces} pieces needs at least {pieces} bytes.", nameof(bytes));
        }

        var size = bytes.Length / pieces;
        var first = bytes.Length - (size * (pieces - 1));
        var chunks = new byte[pieces][];
        chunks[0] = bytes[..first];
        for (var i = 1; i < pieces; i++)
        {
            chunks[i] = bytes[(first + ((i - 1) * size))..(first + (i * size))];
        }

        return chunks;
    }
}
