using System.CommandLine;
using Spectre.Console;
using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.Doctor;
using TorchEnv.Core.Gpu;
using TorchEnv.Core.Lock;
using TorchEnv.Tool.Cli;
using TorchEnv.Tool.Locking;

namespace TorchEnv.Tool.Commands;

/// <summary>
/// <c>torchenv doctor</c>: checks this machine against one locked variant × platform (Core's <see cref="Doctor"/>) and
/// prints the table; exit 2 when a check fails. The lock is read as it is (a doctor writes nothing).
/// </summary>
internal static class DoctorCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(ToolHost host)
    {
        var command = new Command("doctor", "Check this machine against the lock: .NET SDK, glibc/libstdc++, NVIDIA driver and GPUs, packages, cuDNN, native load, autocast, disk; exit 2 if a check fails.")
        {
            CommonOptions.Variant,
            CommonOptions.Platform,
            CommonOptions.File,
            CommonOptions.LockFile,
        };
        command.SetToolAction(host, (context, _) => Task.FromResult(Run(context)));
        return command;
    }

    private static CommandOutcome Run(CommandContext context)
    {
        var lockPath = context.LockPath();
        var lockFile = LockFileReader.ReadRequired(lockPath, context.SpecPath());
        var variant = context.Get(CommonOptions.Variant);
        var platform = context.Get(CommonOptions.Platform);
        EnvironmentFilter.Validate(lockFile, AutoVariant.IsAuto(variant) ? null : variant, platform);
        context.Log($"Checking this machine against {lockPath}...");
        var report = Doctor.Run(lockFile, lockPath, new DoctorOptions
        {
            Variant = variant,
            Platform = platform,
            GlobalPackagesFolder = context.GlobalPackagesFolder(Path.GetDirectoryName(lockPath)!),
            ProbeLauncher = NativeProbeCommand.Launcher(),
            ShimCandidates = [NativeProbeCommand.ShippedShimFolder],
            Gpus = VariantArgument.Detector(context),
        });
        if (report.Choice is { } choice)
        {
            VariantArgument.Say(context, choice);
        }

        context.Report(report.Diagnostics);
        var exitCode = ExitCodeMapper.ForFindings(report.Diagnostics);
        var result = new DoctorResult(report.LockPath, report.Variant, report.Choice?.Reason, report.Platform, report.HostPlatform, report.Passed,
            report.Checks.Select(c => new DoctorRow(c.Id, c.Title, c.Status, c.Found, c.Needed, c.Fix, c.Details)).ToList());
        return new CommandOutcome(exitCode, result, console =>
        {
            console.WriteLine($"{report.Variant}/{report.Platform} of {report.LockPath} on this {report.HostPlatform} machine:");
            var table = new Table().Border(TableBorder.Simple).AddColumn("").AddColumn("check").AddColumn("found").AddColumn("needed");
            foreach (var check in report.Checks)
            {
                var found = check.Status == CheckStatus.NotApplicable ? check.Fix ?? "-" : check.Found;
                // The table stays readable: details (loaded libraries, missing files) for failures and the ABI note; --json has all.
                var details = check.Details.Count == 0 || (check.Status == CheckStatus.Pass && check.Id != "host-abi") ? "" : "\n  " + string.Join("\n  ", check.Details);
                table.AddRow(new Text(check.Symbol), new Text(check.Title), new Text(found + details), new Text(check.Needed));
            }

            console.Write(table);
            foreach (var failed in report.Checks.Where(c => c.Status == CheckStatus.Fail))
            {
                console.WriteLine($"✗ {failed.Title}: {failed.Fix}");
            }

            console.WriteLine(report.Passed ? "All applicable checks passed." : $"{report.Checks.Count(c => c.Status == CheckStatus.Fail)} check(s) failed.");
        });
    }

    /// <summary>The <c>--json</c> result of <c>doctor</c>.</summary>
    /// <param name="LockFile">The lock checked.</param>
    /// <param name="Variant">Variant checked.</param>
    /// <param name="VariantReason">With <c>--variant auto</c>: why this variant was chosen; null otherwise.</param>
    /// <param name="Platform">Platform of the lock entry.</param>
    /// <param name="HostPlatform">This machine's runtime identifier.</param>
    /// <param name="Passed">True when no check failed.</param>
    /// <param name="Checks">The rows, in order.</param>
    internal sealed record DoctorResult(string LockFile, string Variant, string? VariantReason, string Platform, string HostPlatform, bool Passed, IReadOnlyList<DoctorRow> Checks);

    /// <summary>One check.</summary>
    /// <param name="Id">Stable id (<c>dotnet-sdk</c>, <c>host-abi</c>, <c>nvidia-driver</c>, <c>gpu</c>, <c>packages</c>, <c>cudnn</c>, <c>native-load</c>, <c>autocast</c>, <c>packages-folder</c>, <c>temp-folder</c>).</param>
    /// <param name="Title">For people.</param>
    /// <param name="Status"><c>pass</c>, <c>fail</c> or <c>notApplicable</c>.</param>
    /// <param name="Found">What this machine has.</param>
    /// <param name="Needed">What the lock needs.</param>
    /// <param name="Fix">The fix of a failure, or why the check does not apply; null when it passed.</param>
    /// <param name="Details">Extra lines.</param>
    internal sealed record DoctorRow(string Id, string Title, CheckStatus Status, string Found, string Needed, string? Fix, IReadOnlyList<string> Details);
}
