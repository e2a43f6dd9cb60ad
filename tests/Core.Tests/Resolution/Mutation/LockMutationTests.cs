using System.Text;
using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.Lock;
using TorchEnv.Core.Resolution;
using TorchEnv.Core.Tests.Lock;
using Xunit.Abstractions;

namespace TorchEnv.Core.Tests.Resolution.Mutation;

/// <summary>
/// Seeded mutants of two valid locks with every package installed — a CUDA lock (linux-x64 with host needs, the NVIDIA
/// driver, CUDA and cuDNN found in the parts; win-x64) and a CPU lock (win-x64, osx-arm64, with a pinned SDK,
/// torchvision, a pruned package and an extra root) — each read by the lock reader and checked as <c>lock --check</c>
/// (<see cref="LockService.Check"/>) and <c>verify</c> (<see cref="LockService.VerifyInstalled"/>, which runs
/// <see cref="LockVerifier"/>) check it. Nothing may crash: every refusal is a coded diagnostic. A mutant every check
/// accepts may differ from its lock only in what docs/lock-format.md marks informational: the fields it changed are
/// found by comparing what the reader read from it with the lock, value by value.
/// </summary>
public sealed class LockMutationTests(CudaLockFixture cuda, LockFeedFixture cpu, ITestOutputHelper output)
    : IClassFixture<CudaLockFixture>, IClassFixture<LockFeedFixture>
{
    private const int Mutants = 300;

    [Fact]
    public void No_mutant_of_the_cuda_lock_crashes_and_every_accepted_one_changes_only_comments_or_informational_fields() =>
        Run(seed: 9, cuda.WriteLock(cuda.LockText), path => cuda.Service(path), cuda.Feed.PackagesFolder);

    [Fact]
    public void No_mutant_of_the_cpu_lock_crashes_and_every_accepted_one_changes_only_comments_or_informational_fields() =>
        Run(seed: 10, WriteCpuLock(), path => new LockService(cpu.Spec, cpu.Plans, path, cpu.Options()), cpu.PackagesFolder);

    private string WriteCpuLock()
    {
        var path = Path.Combine(cpu.Scratch("mutants"), LockFileWriter.DefaultFileName);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, cpu.LockText);
        return path;
    }

    private void Run(int seed, string path, Func<string, LockService> service, string packagesFolder)
    {
        var table = LockFormatFieldTable.Read();
        var original = File.ReadAllBytes(path);
        // The values as read from the file the mutants come from (the writer orders lists its own way).
        var before = LockFieldValues.Of(LockFileReader.Read(path), table.CaseInsensitive);
        Assert.All(before.Select(v => v.Field).Distinct(), field => Assert.True(table.Rows.ContainsKey(field), $"docs/lock-format.md's table lacks {field}"));
        Assert.Empty(Check(path, service, packagesFolder, "none").Errors);
        var codes = DiagnosticsCatalogTests.Descriptors.Select(d => d.Code).ToHashSet(StringComparer.Ordinal);
        var mutator = new LockMutator(seed);
        var (refused, same, informational) = (0, 0, 0);
        var gaps = new List<string>();

        for (var i = 0; i < Mutants; i++)
        {
            var (bytes, description) = mutator.Mutate(original);
            File.WriteAllBytes(path, bytes);
            var (lockFile, errors) = Check(path, service, packagesFolder, description);
            Assert.All(errors, e => Assert.True(codes.Contains(e.Code), $"mutant {i} ({description}): a code no descriptor declares: {e}"));
            if (errors.Count > 0)
            {
                refused++;
                continue;
            }

            var changed = LockFieldValues.Changed(before, LockFieldValues.Of(lockFile!, table.CaseInsensitive));
            _ = changed.Count == 0 ? same++ : informational++;
            var verified = changed.Where(f => !table.Informational.Contains(f)).ToList();
            if (verified.Count > 0)
            {
                gaps.Add($"mutant {i} ({description}) accepted, but it changes {string.Join(", ", verified)}");
            }
        }

        output.WriteLine($"{Mutants} mutants (seed {seed}): {refused} refused with a code, {same} accepted reading the same values, "
            + $"{informational} accepted changing informational fields only");
        Assert.Empty(gaps);
        Assert.True(refused > Mutants / 2, $"only {refused} of {Mutants} mutants refused");
    }

    /// <summary>Reads and checks one mutant: the errors, and the lock when it read.</summary>
    private static (EnvironmentLock? Lock, IReadOnlyList<Diagnostic> Errors) Check(
        string path, Func<string, LockService> service, string packagesFolder, string description)
    {
        try
        {
            var lockFile = LockFileReader.Read(path);
            var findings = service(path).Check(lockFile, checkInstalled: true)
                .Concat(lockFile.Environments.SelectMany(e => LockService.VerifyInstalled(e, packagesFolder)));
            return (lockFile, findings.Where(LockService.IsError).ToList());
        }
        catch (TorchEnvException ex)
        {
            return (null, ex.Diagnostics);
        }
        catch (Exception ex)
        {
            throw new InvalidOperationException($"mutant ({description}) crashed the checks: {ex}", ex);
        }
    }
}
