using System.CommandLine;
using Spectre.Console;
using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.Lock;
using TorchEnv.Core.Native;
using TorchEnv.Core.Resolution;
using TorchEnv.Tool.Cli;
using TorchEnv.Tool.Locking;

namespace TorchEnv.Tool.Commands;

/// <summary>
/// <c>torchenv verify</c>: the lock against the spec (spec hash per variant × platform) and the installed packages against
/// the lock (missing, different version, different hash); <c>--deep</c> rehashes the package files.
/// </summary>
internal static class VerifyCommand
{
    private static readonly Option<bool> Deep = new("--deep")
    {
        Description = "Rehash every installed .nupkg and compare every extracted file with the package, instead of trusting NuGet's .nupkg.metadata.",
    };

    private static readonly Option<string?> AssetsFile = new("--assets-file")
    {
        Description = "A project's obj/project.assets.json: also compare the versions and hashes its restore used with the lock.",
        HelpName = "project.assets.json",
    };

    /// <summary>Builds the command.</summary>
    public static Command Create(ToolHost host)
    {
        var command = new Command("verify", "Check the lock against the spec and the installed packages against the lock; exit 2 on any difference.")
        {
            Deep,
            AssetsFile,
            CommonOptions.Variant,
            CommonOptions.Platform,
            CommonOptions.Locked,
            CommonOptions.Frozen,
            CommonOptions.File,
            CommonOptions.LockFile,
        };
        command.SetToolAction(host, (context, _) => Task.FromResult(Run(context)));
        return command;
    }

    private static CommandOutcome Run(CommandContext context)
    {
        // verify is itself a check: without flags it checks the lock against the spec as --locked does; --frozen skips that.
        var frozen = context.LockMode() == LockMode.Frozen;
        var specPath = context.SpecPath();
        var lockPath = context.LockPath();
        var findings = new List<Diagnostic>();
        var globalPackagesFolder = context.GlobalPackagesFolder(Path.GetDirectoryName(specPath)!);
        var session = frozen ? null : LockSession.Open(context); // the spec first: its errors come before a missing lock
        var lockFile = LockFileReader.ReadRequired(lockPath, specPath);
        if (session is not null)
        {
            findings.AddRange(session.Check(lockFile, checkInstalled: false));
        }

        var targets = Targets(context, lockFile);
        var options = new VerifyOptions
        {
            Deep = context.Get(Deep),
            AssetsFile = context.Get(AssetsFile) is { Length: > 0 } assets ? context.Host.FullPath(assets) : null,
        };
        if (options.Deep)
        {
            context.Log($"Rehashing {targets.Sum(t => t.Packages.Count)} package(s) in {globalPackagesFolder} (--deep)...");
        }

        var verified = new List<VerifiedEnvironment>();
        foreach (var environment in targets)
        {
            var problems = LockService.VerifyInstalled(environment, globalPackagesFolder, options);
            findings.AddRange(problems);
            verified.Add(new VerifiedEnvironment(environment.Variant, environment.Platform, environment.Packages.Count, problems.Count(LockSession.IsError)));
        }

        context.Report(findings);
        var exitCode = ExitCodeMapper.ForFindings(findings);
        var result = new VerifyResult(specPath, lockPath, globalPackagesFolder, options.Deep, SpecChecked: !frozen, verified);
        return new CommandOutcome(exitCode, result, console =>
        {
            var table = new Table().Border(TableBorder.Simple)
                .AddColumn("environment").AddColumn(new TableColumn("packages").RightAligned()).AddColumn("result");
            foreach (var e in verified)
            {
                table.AddRow(new Text($"{e.Variant}/{e.Platform}"), new Text(e.Packages.ToString(System.Globalization.CultureInfo.InvariantCulture)), new Text(e.Problems == 0 ? "ok" : $"{e.Problems} problem(s)"));
            }

            console.Write(table);
            console.WriteLine(exitCode == ExitCodes.Success
                ? $"Installed packages match {lockPath}{(frozen ? "" : " and the lock matches " + specPath)}."
                : $"Verification failed: {findings.Count(LockSession.IsError)} problem(s) above.");
        });
    }

    /// <summary>
    /// The environments to verify: <c>--variant</c> (default: every variant) on <c>--platform</c> (default: this machine's
    /// runtime identifier), since only this machine's packages are normally installed here.
    /// </summary>
    private static IReadOnlyList<LockedEnvironment> Targets(CommandContext context, EnvironmentLock lockFile)
    {
        var platform = context.Get(CommonOptions.Platform) ?? HostPlatform.Current;
        var variant = VariantArgument.Resolve(context, lockFile, context.Get(CommonOptions.Variant), platform);
        EnvironmentFilter.Validate(lockFile, variant, platform);
        return lockFile.Environments
            .Where(e => EnvironmentFilter.Matches(e, variant, platform))
            .ToList();
    }

    /// <summary>The <c>--json</c> result of <c>verify</c>.</summary>
    /// <param name="SpecFile">The spec.</param>
    /// <param name="LockFile">The lock.</param>
    /// <param name="GlobalPackagesFolder">Where installed packages were looked for.</param>
    /// <param name="Deep">True with <c>--deep</c>.</param>
    /// <param name="SpecChecked">False with <c>--frozen</c>: the lock was not compared with the spec.</param>
    /// <param name="Environments">The environments verified.</param>
    internal sealed record VerifyResult(
        string SpecFile, string LockFile, string GlobalPackagesFolder, bool Deep, bool SpecChecked, IReadOnlyList<VerifiedEnvironment> Environments);

    /// <summary>One verified variant × platform.</summary>
    /// <param name="Variant">Variant name.</param>
    /// <param name="Platform">Runtime identifier.</param>
    /// <param name="Packages">Locked packages checked.</param>
    /// <param name="Problems">Errors found among them.</param>
    internal sealed record VerifiedEnvironment(string Variant, string Platform, int Packages, int Problems);
}
