using System.Globalization;
using System.Text;
using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.IO;
using TorchEnv.Core.Lock;
using TorchEnv.Core.Resolution;

namespace TorchEnv.Core.Containers;

/// <summary>
/// <c>torchenv dockerfile</c>: a multi-stage Dockerfile that builds the project from the lock. The build stage is the
/// .NET SDK image of the locked SDK version, restores in locked mode (a stale lock fails the build, nothing is
/// re-resolved) and publishes self-contained for the platform, so the .NET runtime is the one the locked SDK ships. The
/// runtime stage is the first base image whose glibc / libstdc++ provide the lock's host requirements (for TorchSharp
/// 0.107.0: Ubuntu 24.04, not Debian 12), for CUDA an NVIDIA CUDA image of the locked CUDA version; it runs the program
/// as a non-root user.
/// </summary>
public static class DockerfileGenerator
{
    private const string NonRootUser = "app";

    // The uid Microsoft's .NET images give their 'app' user (APP_UID); reused in CUDA images so both behave alike.
    private const int NonRootUid = 1654;

    /// <summary>Plans the files for <paramref name="request"/> (writes nothing). Throws <see cref="TorchEnvException"/> (TENV0560–0567).</summary>
    public static DockerfilePlan Plan(DockerfileRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var lockPath = Path.GetFullPath(request.LockPath);
        var context = Path.GetDirectoryName(lockPath)!;
        var environment = ChooseEnvironment(request.Lock, request.Variant, lockPath);
        var project = EntryProjectLocator.Locate(context, request.Project);
        var warnings = new List<Diagnostic>();

        var major = DotnetMajor(environment);
        var distributions = ContainerImageCatalog.DotnetDistributions(major);
        if (distributions.Count == 0)
        {
            throw new TorchEnvException(ContainerMessages.NoDotnetImage(environment.Framework));
        }

        var sdkVersion = environment.Stack.DotnetSdk;
        var runtimeVersion = sdkVersion is null ? null : (request.Dotnet ?? DotnetInstallation.Current()).BundledRuntimeVersion(sdkVersion);
        var runtimeTag = runtimeVersion ?? $"{major}.0";

        var runtime = environment.Stack.Cuda is { } cuda
            ? ChooseCudaImage(environment, cuda)
            : BaseImageSelector.Select(environment.Host,
                distributions.Select(d => (ContainerImageCatalog.RuntimeDepsImage(runtimeTag, d), d)).ToList(), ".NET runtime-deps image");
        var sdkDistribution = distributions.Contains(runtime.Chosen.Distribution) ? runtime.Chosen.Distribution : distributions[0];
        var sdkImage = ContainerImageCatalog.SdkImage(sdkVersion ?? $"{major}.0", sdkDistribution);

        if (sdkVersion is null)
        {
            warnings.Add(ContainerMessages.SdkNotPinned(sdkImage));
        }
        else if (runtimeVersion is null && environment.Stack.Cuda is null)
        {
            warnings.Add(ContainerMessages.RuntimeVersionUnknown(sdkVersion, runtime.Chosen.Reference));
        }

        warnings.AddRange(LocalSourcesOutside(environment, context));
        var plan = new DockerfilePlan
        {
            Environment = environment,
            ContextDirectory = context,
            Project = project,
            SdkImage = sdkImage,
            Runtime = runtime,
            RuntimeVersion = runtimeVersion,
            Dockerfile = "",
            Dockerignore = DockerignoreText(),
            Warnings = warnings,
        };
        return plan with { Dockerfile = DockerfileText(request.Lock, lockPath, plan) };
    }

    /// <summary>
    /// Writes the plan's <c>Dockerfile</c> and <c>.dockerignore</c> into the build context, atomically; unless
    /// <paramref name="force"/>, refuses (TENV0590, nothing written) when either exists.
    /// </summary>
    public static void Write(DockerfilePlan plan, bool force)
    {
        ArgumentNullException.ThrowIfNull(plan);
        OutputFiles.WriteAll([(plan.DockerfilePath, plan.Dockerfile), (plan.DockerignorePath, plan.Dockerignore)], force);
    }

    private static LockedEnvironment ChooseEnvironment(EnvironmentLock lockFile, string? variant, string lockPath)
    {
        var name = variant ?? lockFile.Environments.FirstOrDefault()?.Variant
            ?? throw new TorchEnvException(ContainerMessages.NoLinuxPlatform("(none)", [], lockPath));
        var entries = lockFile.Environments.Where(e => string.Equals(e.Variant, name, StringComparison.OrdinalIgnoreCase)).ToList();
        return entries.FirstOrDefault(e => e.Platform == "linux-x64")
            ?? entries.FirstOrDefault(e => e.Platform == "linux-arm64")
            ?? throw new TorchEnvException(ContainerMessages.NoLinuxPlatform(name, entries.Select(e => e.Platform).DefaultIfEmpty("no platform"), lockPath));
    }

    private static int DotnetMajor(LockedEnvironment environment)
    {
        var text = environment.Stack.DotnetSdk ?? environment.Framework.TrimStart('n', 'e', 't');
        var major = text.Split('.')[0];
        return int.TryParse(major, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : 0;
    }

    private static BaseImageChoice ChooseCudaImage(LockedEnvironment environment, string cuda)
    {
        var images = ContainerImageCatalog.CudaImagesFor(cuda);
        if (images.Count == 0)
        {
            throw new TorchEnvException(ContainerMessages.NoCudaImage(cuda, ContainerImageCatalog.CudaImages.Select(i => i.Cuda)));
        }

        return BaseImageSelector.Select(environment.Host, images.Select(i => (i.Reference, i.Distribution)).ToList(), $"nvidia/cuda image for CUDA {cuda}");
    }

    private static IEnumerable<Diagnostic> LocalSourcesOutside(LockedEnvironment environment, string context)
    {
        foreach (var source in environment.Packages.Select(p => p.Source).Distinct(StringComparer.Ordinal))
        {
            if (source.Contains("://", StringComparison.Ordinal))
            {
                continue;
            }

            var full = Path.GetFullPath(Path.Combine(context, source));
            if (Path.GetRelativePath(context, full).StartsWith("..", StringComparison.Ordinal))
            {
                yield return ContainerMessages.SourceOutsideContext(source, context);
            }
        }
    }

    private static string DockerArchitecture(string platform) => platform == "linux-arm64" ? "linux/arm64" : "linux/amd64";

    /// <summary>The lock's identity as TorchEnv.Sdk's generated <c>TorchEnvironment.LockHash</c> states it (of the text it would have when the file does not exist).</summary>
    private static string LockIdentity(EnvironmentLock lockFile, string lockPath) =>
        File.Exists(lockPath) ? LockHash.OfFile(lockPath) : LockHash.OfText(LockFileWriter.Serialize(lockFile));

    private static string DockerfileText(EnvironmentLock lockFile, string lockPath, DockerfilePlan plan)
    {
        var env = plan.Environment;
        var stack = env.Stack;
        var host = env.Host;
        var arch = DockerArchitecture(env.Platform);
        var project = Quote(plan.Project.RelativePath);
        var lockName = Path.GetFileName(lockPath);
        var properties = $"-p:TorchEnvLockedMode=true -p:TorchEnvVariant={env.Variant} -p:TorchEnvPlatform={env.Platform}";
        var tag = lockFile.Name.ToLowerInvariant();
        var runtime = plan.Runtime.Chosen;
        var cuda = stack.Cuda is not null;

        var text = new StringBuilder();
        void Line(string line = "") => text.Append(line).Append('\n');

        Line("# syntax=docker/dockerfile:1");
        Line($"# Generated by `torchenv dockerfile` from {lockName}: environment {lockFile.Name}, variant {env.Variant}, platform {env.Platform}.");
        Line("# The build restores exactly what the lock pins (locked mode: a stale or missing lock fails the build);");
        Line("# regenerate this file after `torchenv lock` changes the .NET SDK, the CUDA version or the host requirements.");
        Line("#");
        Line($"# Build:  docker build -t {tag} .");
        Line(cuda
            ? $"# Run:    docker run --rm --gpus all {tag}        (needs the NVIDIA Container Toolkit and a driver >= {host.NvidiaDriver ?? "?"})"
            : $"# Run:    docker run --rm {tag}");
        Line("#");
        Line($"# Locked stack: TorchSharp {stack.TorchSharp}, libtorch {stack.LibTorch} ({stack.Device}{(cuda ? $", CUDA {stack.Cuda}, cuDNN {stack.Cudnn ?? "-"}" : "")}), .NET SDK {stack.DotnetSdk ?? "not pinned"}.");
        Line($"# The locked native libraries need GLIBC {host.Glibc ?? "-"}, GLIBCXX {host.Glibcxx ?? "-"}, CXXABI {host.Cxxabi ?? "-"}.");
        Line($"# Runtime base: {runtime.Distribution.Describe()}, the first candidate that provides them.");
        foreach (var rejected in plan.Runtime.Rejected)
        {
            Line($"#   not {rejected.Reference}: {rejected.Distribution.Name} lacks {string.Join(", ", rejected.Lacks)}");
        }

        Line();
        Line($"FROM --platform={arch} {plan.SdkImage} AS build");
        Line("ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1");
        Line("WORKDIR /src");
        Line("COPY . .");
        Line("# Restore in locked mode: exactly the packages and hashes of the lock. The NuGet cache is a BuildKit cache mount,");
        Line("# so the large libtorch packages are downloaded once per builder (CUDA parts are restitched inside it on first build).");
        Line("RUN --mount=type=cache,id=torchenv-nuget,target=/root/.nuget/packages \\");
        Line($"    dotnet restore {project} -r {env.Platform} -p:SelfContained=true {properties}");
        Line("RUN --mount=type=cache,id=torchenv-nuget,target=/root/.nuget/packages \\");
        Line($"    dotnet publish {project} --no-restore -c Release -r {env.Platform} --self-contained true {properties} -o /app");
        Line();
        Line($"FROM --platform={arch} {runtime.Reference} AS runtime");
        if (cuda)
        {
            Line($"# .NET's native dependencies on {runtime.Distribution.Name} (what mcr.microsoft.com/dotnet/runtime-deps installs).");
            Line("RUN apt-get update \\");
            Line($"    && apt-get install -y --no-install-recommends {string.Join(' ', runtime.Distribution.DotnetDependencies)} \\");
            Line("    && rm -rf /var/lib/apt/lists/*");
            Line($"RUN groupadd --gid={NonRootUid} {NonRootUser} && useradd --no-log-init --uid={NonRootUid} --gid={NonRootUid} --create-home {NonRootUser}");
            Line("# The libtorch-cuda packages bundle the CUDA runtime, cuBLAS and cuDNN; only the driver comes from the host.");
            Line("ENV NVIDIA_VISIBLE_DEVICES=all NVIDIA_DRIVER_CAPABILITIES=compute,utility");
        }

        var labels = new List<(string Key, string? Value)>
        {
            ("org.opencontainers.image.title", lockFile.Name),
            ("io.torchenv.lock", LockIdentity(lockFile, lockPath)),
            ("io.torchenv.variant", env.Variant),
            ("io.torchenv.platform", env.Platform),
            ("io.torchenv.torchsharp", stack.TorchSharp),
            ("io.torchenv.libtorch", stack.LibTorch),
            ("io.torchenv.device", stack.Device),
            ("io.torchenv.cuda", stack.Cuda),
            ("io.torchenv.cudnn", stack.Cudnn),
            ("io.torchenv.dotnet-sdk", stack.DotnetSdk),
            ("io.torchenv.dotnet-runtime", plan.RuntimeVersion),
            ("io.torchenv.requires.glibc", host.Glibc),
            ("io.torchenv.requires.glibcxx", host.Glibcxx),
            ("io.torchenv.requires.cxxabi", host.Cxxabi),
            ("io.torchenv.requires.nvidia-driver", host.NvidiaDriver),
        };
        var present = labels.Where(l => l.Value is not null).ToList();
        Line("LABEL " + string.Join(" \\\n      ", present.Select(l => $"{l.Key}={Quote(l.Value!)}")));
        Line("WORKDIR /app");
        Line($"COPY --from=build --chown={NonRootUser}:{NonRootUser} /app ./");
        Line($"USER {NonRootUser}");
        Line($"ENTRYPOINT [{Quote("./" + plan.Project.AssemblyName)}]");
        return text.ToString();
    }

    private static string DockerignoreText() => """
        # Generated by `torchenv dockerfile`: keep build outputs and tool state out of the build context.
        # environment.yml, environment.lock.yml, NuGet.config, global.json and local package folders must stay in it.
        **/bin/
        **/obj/
        **/TestResults/
        .git/
        .vs/
        .vscode/
        .idea/
        *.user
        *.swp

        """.Replace("\r\n", "\n", StringComparison.Ordinal);

    private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
