using System.CommandLine;
using Spectre.Console;
using TorchEnv.Core.Containers;
using TorchEnv.Tool.Cli;
using TorchEnv.Tool.Locking;

namespace TorchEnv.Tool.Commands;

/// <summary>
/// <c>torchenv dockerfile</c>: a multi-stage Dockerfile and .dockerignore beside the lock, for a variant
/// (Core's <see cref="DockerfileGenerator"/>). The lock is read as <c>--locked</c> / <c>--frozen</c> say.
/// </summary>
internal static class DockerfileCommand
{
    private static readonly Option<string?> Project = new("--project", "-p")
    {
        Description = "The program's project file, inside the lock's folder [default: the only (executable) project there].",
        HelpName = "path",
    };

    private static readonly Option<string?> Variant = new("--variant")
    {
        Description = $"The variant the image runs ({VariantArgument.AutoHelp}) [default: the first].",
        HelpName = "name",
    };

    private static readonly Option<bool> Force = new("--force")
    {
        Description = "Overwrite an existing Dockerfile and .dockerignore.",
    };

    /// <summary>Builds the command.</summary>
    public static Command Create(ToolHost host)
    {
        var command = new Command("dockerfile", "Write a Dockerfile (and .dockerignore) that builds the project from the lock: locked restore, a base image that satisfies the lock, non-root.")
        {
            Variant,
            Project,
            Force,
            CommonOptions.Locked,
            CommonOptions.Frozen,
            CommonOptions.File,
            CommonOptions.LockFile,
        };
        command.SetToolAction(host, RunAsync);
        return command;
    }

    private static async Task<CommandOutcome> RunAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var lockFile = await LockSession.ReadForUseAsync(context, cancellationToken).ConfigureAwait(false);
        var variant = VariantArgument.Resolve(context, lockFile, context.Get(Variant), platform: null);
        EnvironmentFilter.Validate(lockFile, variant, platform: null);
        var plan = DockerfileGenerator.Plan(new DockerfileRequest
        {
            Lock = lockFile,
            LockPath = context.LockPath(),
            Variant = variant,
            Project = context.Get(Project) is { Length: > 0 } project ? context.Host.FullPath(project) : null,
        });
        context.Report(plan.Warnings);
        DockerfileGenerator.Write(plan, context.Get(Force));

        var environment = plan.Environment;
        var result = new DockerfileResult(
            plan.DockerfilePath, plan.DockerignorePath, environment.Variant, environment.Platform, plan.Project.RelativePath, plan.SdkImage,
            plan.Runtime.Chosen.Reference, plan.Runtime.Chosen.Distribution.Name,
            plan.Runtime.Rejected.Select(r => new RejectedImage(r.Reference, r.Lacks)).ToList());
        var tag = lockFile.Name.ToLowerInvariant();
        return new CommandOutcome(ExitCodes.Success, result, console =>
        {
            console.WriteLine($"Wrote {plan.DockerfilePath} and .dockerignore for {environment.Variant}/{environment.Platform} ({plan.Project.RelativePath}).");
            console.WriteLine($"  build stage:   {plan.SdkImage}");
            console.WriteLine($"  runtime stage: {plan.Runtime.Chosen.Reference} ({plan.Runtime.Chosen.Distribution.Describe()})");
            foreach (var rejected in plan.Runtime.Rejected)
            {
                console.WriteLine($"  not {rejected.Reference}: lacks {string.Join(", ", rejected.Lacks)}");
            }

            console.WriteLine($"Build: docker build -t {tag} {Path.GetDirectoryName(plan.DockerfilePath)}");
            console.WriteLine(environment.Stack.Cuda is null ? $"Run:   docker run --rm {tag}" : $"Run:   docker run --rm --gpus all {tag}");
        });
    }

    /// <summary>The <c>--json</c> result of <c>dockerfile</c>.</summary>
    /// <param name="Dockerfile">The Dockerfile written.</param>
    /// <param name="Dockerignore">The .dockerignore written.</param>
    /// <param name="Variant">The variant the image runs.</param>
    /// <param name="Platform">Its platform.</param>
    /// <param name="Project">The entry project, relative to the build context.</param>
    /// <param name="SdkImage">The build stage's image.</param>
    /// <param name="RuntimeImage">The runtime stage's image.</param>
    /// <param name="RuntimeOs">The runtime image's OS.</param>
    /// <param name="Rejected">Candidates passed over, with what they lack.</param>
    internal sealed record DockerfileResult(
        string Dockerfile, string Dockerignore, string Variant, string Platform, string Project, string SdkImage,
        string RuntimeImage, string RuntimeOs, IReadOnlyList<RejectedImage> Rejected);

    /// <summary>A base image that does not satisfy the lock.</summary>
    /// <param name="Image">Its reference.</param>
    /// <param name="Lacks">What it lacks.</param>
    internal sealed record RejectedImage(string Image, IReadOnlyList<string> Lacks);
}
