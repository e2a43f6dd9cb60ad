using System.CommandLine;
using Spectre.Console;
using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.Lock;
using TorchEnv.Tool.Cli;
using TorchEnv.Tool.Locking;

namespace TorchEnv.Tool.Commands;

/// <summary><c>torchenv why ID</c>: the chain from a spec line to a locked package and the constraint that chose its version.</summary>
internal static class WhyCommand
{
    private static readonly Argument<string> PackageId = new("id")
    {
        Description = "The locked package to explain, e.g. libtorch-cpu-linux-x64.",
    };

    /// <summary>Builds the command.</summary>
    public static Command Create(ToolHost host)
    {
        var command = new Command("why", "Show why a package is in the lock: the spec line, the chain of dependencies, and the constraint that chose its version.")
        {
            PackageId,
            CommonOptions.Variant,
            CommonOptions.Platform,
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
        var id = context.Get(PackageId)!;
        var platform = context.Get(CommonOptions.Platform);
        var lockFile = await LockSession.ReadForUseAsync(context, cancellationToken).ConfigureAwait(false);
        var variant = VariantArgument.Resolve(context, lockFile, context.Get(CommonOptions.Variant), platform);
        EnvironmentFilter.Validate(lockFile, variant, platform);
        var answers = LockWhy.Explain(lockFile, id, variant, platform);
        if (answers.Count == 0)
        {
            var known = lockFile.Environments.Where(e => EnvironmentFilter.Matches(e, variant, platform))
                .SelectMany(e => e.Packages.Select(p => p.Id)).Distinct(StringComparer.OrdinalIgnoreCase);
            var lockPath = context.LockPath();
            throw new TorchEnvException(ToolMessages.PackageNotLocked(id, lockPath, known));
        }

        var result = new WhyResult(answers[0].Package?.Id ?? answers[0].Pruned!.Id, answers.Select(WhyEnvironment.From).ToList());
        return new CommandOutcome(ExitCodes.Success, result, console => Render(console, result));
    }

    private static void Render(IAnsiConsole console, WhyResult result)
    {
        foreach (var environment in result.Environments)
        {
            var header = environment.Pruned
                ? $"{environment.Variant}/{environment.Platform}: {result.Id} is provided by the target framework ({environment.Version}); not locked as a package"
                : $"{environment.Variant}/{environment.Platform}: {result.Id} {environment.Version}";
            var tree = new Tree(new Text(header));
            foreach (var chain in environment.Chains)
            {
                var node = tree.AddNode(new Text(chain.Spec));
                foreach (var step in chain.Steps)
                {
                    node = node.AddNode(new Text($"{step.Id} {step.Version}  (asked {step.Range})"));
                }
            }

            console.Write(tree);
            if (environment.DecidedBy is { } decided)
            {
                console.WriteLine(decided.From is null
                    ? $"  Version chosen by the spec's range {decided.Range}: the highest version it allows."
                    : $"  Version chosen by {decided.From} {decided.FromVersion}, which needs {decided.Range}: the lowest version that satisfies every constraint.");
            }

            if (environment.Constraints.Count > 1)
            {
                console.WriteLine("  All constraints: " + string.Join("; ", environment.Constraints.Select(c => (c.From is null ? "spec" : $"{c.From} {c.FromVersion}") + " → " + c.Range)));
            }

            console.WriteLine();
        }
    }

    /// <summary>The <c>--json</c> result of <c>why</c>.</summary>
    /// <param name="Id">The package id, with NuGet's casing.</param>
    /// <param name="Environments">Every variant × platform (after <c>--variant</c> / <c>--platform</c>) that locks or prunes it.</param>
    internal sealed record WhyResult(string Id, IReadOnlyList<WhyEnvironment> Environments);

    /// <summary>Why the package is in one variant × platform.</summary>
    /// <param name="Variant">Variant name.</param>
    /// <param name="Platform">Runtime identifier.</param>
    /// <param name="Version">Locked version, or the framework's version when pruned.</param>
    /// <param name="Pruned">True when the target framework provides it and it is not locked as a package.</param>
    /// <param name="Chains">Paths from a spec line to the package, shortest first.</param>
    /// <param name="Constraints">Every range placed on it.</param>
    /// <param name="DecidedBy">The range that chose its version; null when pruned.</param>
    internal sealed record WhyEnvironment(
        string Variant, string Platform, string Version, bool Pruned, IReadOnlyList<WhyChainJson> Chains, IReadOnlyList<WhyConstraintJson> Constraints, WhyConstraintJson? DecidedBy)
    {
        /// <summary>Maps Core's answer to the stable JSON shape.</summary>
        public static WhyEnvironment From(Core.Lock.WhyResult answer) => new(
            answer.Environment.Variant,
            answer.Environment.Platform,
            answer.Package?.Version ?? answer.Pruned!.ProvidedVersion,
            answer.Package is null,
            answer.Chains.Select(c => new WhyChainJson(c.Root.Reason, c.Root.Id, c.Steps.Select(s => new WhyStepJson(s.Id, s.Version, s.Range)).ToList())).ToList(),
            answer.Constraints.Select(WhyConstraintJson.Of).ToList(),
            answer.Deciding is null ? null : WhyConstraintJson.Of(answer.Deciding));
    }

    /// <summary>One path from the spec to the package.</summary>
    /// <param name="Spec">The spec line and stack-matrix step that made the root a requirement.</param>
    /// <param name="Root">The root package id.</param>
    /// <param name="Steps">The root package first, the asked-about package last.</param>
    internal sealed record WhyChainJson(string Spec, string Root, IReadOnlyList<WhyStepJson> Steps);

    /// <summary>One step of a chain.</summary>
    /// <param name="Id">Package id.</param>
    /// <param name="Version">Locked version.</param>
    /// <param name="Range">The range the previous step asked for.</param>
    internal sealed record WhyStepJson(string Id, string Version, string Range);

    /// <summary>A range on the package.</summary>
    /// <param name="Range">NuGet range.</param>
    /// <param name="From">The package asking for it; null for a spec requirement.</param>
    /// <param name="FromVersion">That package's locked version.</param>
    /// <param name="Reason">For a spec requirement: the spec line.</param>
    internal sealed record WhyConstraintJson(string Range, string? From, string? FromVersion, string? Reason)
    {
        /// <summary>Maps Core's constraint.</summary>
        public static WhyConstraintJson Of(WhyConstraint c) => new(c.Range, c.FromId, c.FromVersion, c.Reason);
    }
}
