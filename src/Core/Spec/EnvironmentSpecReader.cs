using System.Text;
using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.Spec.Yaml;

namespace TorchEnv.Core.Spec;

/// <summary>
/// Reads and validates <c>environment.yml</c> (format: <c>docs/environment-yml.md</c>). Every error carries a code
/// (TENV0001–TENV0099), the file, line and column, and a fix; all errors of a file are reported together.
/// </summary>
public static class EnvironmentSpecReader
{
    /// <summary>The conventional spec file name.</summary>
    public const string DefaultFileName = "environment.yml";

    /// <summary>
    /// Reads, parses and validates a spec file. Throws <see cref="TorchEnvException"/> carrying every
    /// error found (code, file, line, column, fix). Files larger than 1 MiB are rejected before they are read.
    /// </summary>
    /// <param name="path">The spec file; locations in diagnostics use it as given.</param>
    public static EnvironmentSpec Read(string path)
    {
        string text;
        try
        {
            var file = new FileInfo(path);
            if (!file.Exists)
            {
                throw new TorchEnvException(SpecMessages.FileUnreadable(path, $"no file at {file.FullName}"));
            }

            if (file.Length > SpecLimits.MaxFileBytes)
            {
                throw new TorchEnvException(SpecMessages.FileTooLarge(path, file.Length));
            }

            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new TorchEnvException(SpecMessages.FileUnreadable(path, ex.Message), ex);
        }

        return Parse(text, path);
    }

    /// <summary>Parses spec text; <paramref name="path"/> is used for locations and relative channel folders.</summary>
    /// <param name="text">The spec's content.</param>
    /// <param name="path">Where the text comes from (need not exist); locations use it as given.</param>
    public static EnvironmentSpec Parse(string text, string path)
    {
        // Cheap bound first: UTF-8 needs at least one byte per char.
        if (text.Length > SpecLimits.MaxFileBytes || Encoding.UTF8.GetByteCount(text) > SpecLimits.MaxFileBytes)
        {
            throw new TorchEnvException(SpecMessages.FileTooLarge(path, Encoding.UTF8.GetByteCount(text)));
        }

        var diagnostics = new DiagnosticBag();
        var root = BoundedYamlReader.Read(text, path, diagnostics);
        return EnvironmentSpecBuilder.Build(root, path, diagnostics);
    }
}
