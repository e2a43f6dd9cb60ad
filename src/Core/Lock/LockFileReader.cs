using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using NuGet.Frameworks;
using NuGet.Versioning;
using TorchEnv.Core.Diagnostics;

namespace TorchEnv.Core.Lock;

/// <summary>
/// Reads <c>environment.lock.yml</c> strictly: every key known, every required key present, every value of the right
/// form, the format version one this tool reads; otherwise a TENV error with file, line and column. Records where each
/// environment and package entry is, so later errors can point at the line. Bounded: files over
/// <see cref="MaxFileSize"/>, anchors/aliases and tags are refused.
/// </summary>
public static partial class LockFileReader
{
    /// <summary>Largest lock file read (a lock of many variants × platforms is a few hundred KB).</summary>
    public const long MaxFileSize = 8 * 1024 * 1024;

    private static readonly string[] TopKeys = ["version", "tool", "name", "environments"];
    private static readonly string[] EnvironmentKeys = ["variant", "platform", "spec-hash", "framework", "stack", "host", "roots", "pruned", "packages"];
    private static readonly string[] StackKeys = ["torchsharp", "libtorch", "device", "cuda", "cudnn", "cuda-architectures", "dotnet-sdk", "torchvision"];
    private static readonly string[] HostKeys = ["glibc", "glibcxx", "cxxabi", "nvidia-driver", "needs"];
    private static readonly string[] NeedKeys = ["version", "library", "package", "file"];
    private static readonly string[] RootKeys = ["id", "range", "reason"];
    private static readonly string[] PackageKeys = ["id", "version", "source", "sha512", "dependencies"];

    [GeneratedRegex("^sha256:[0-9a-f]{64}$")]
    private static partial Regex SpecHash();

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.\-]*$")]
    private static partial Regex PackageId();

    /// <summary>
    /// The lock of the spec at <paramref name="specPath"/>, which must exist: the one reading for everything that needs a
    /// lock (TENV0230 at the spec when there is none).
    /// </summary>
    /// <exception cref="TorchEnvException">TENV0230 without a file; TENV0220–TENV0227 for a file that does not read.</exception>
    public static EnvironmentLock ReadRequired(string lockPath, string specPath) =>
        ReadIfPresent(lockPath) ?? throw new TorchEnvException(LockMessages.Missing(lockPath, specPath));

    /// <summary>The lock file at <paramref name="path"/>, or null when there is none.</summary>
    /// <exception cref="TorchEnvException">TENV0220–TENV0227 for a file that does not read.</exception>
    public static EnvironmentLock? ReadIfPresent(string path) => File.Exists(path) ? Read(path) : null;

    /// <summary>Reads and validates the lock file at <paramref name="path"/>.</summary>
    /// <exception cref="TorchEnvException">Every problem found (TENV0220–TENV0227), each with its location.</exception>
    public static EnvironmentLock Read(string path)
    {
        var full = Path.GetFullPath(path);
        string text;
        try
        {
            var info = new FileInfo(full);
            if (info.Exists && info.Length > MaxFileSize)
            {
                throw new TorchEnvException(LockMessages.Unreadable(full, $"it is {info.Length} bytes; lock files are at most {MaxFileSize} bytes."));
            }

            text = File.ReadAllText(full, Encoding.UTF8);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new TorchEnvException(LockMessages.Unreadable(full, ex.Message), ex);
        }

        return Parse(text, full);
    }

    /// <summary>Parses lock text; <paramref name="path"/> is used in locations.</summary>
    /// <exception cref="TorchEnvException">Every problem found, each with its location.</exception>
    public static EnvironmentLock Parse(string text, string path)
    {
        if (text.Length > MaxFileSize)
        {
            throw new TorchEnvException(LockMessages.Unreadable(path, $"it is longer than {MaxFileSize} characters."));
        }

        LockYamlNode? root;
        try
        {
            root = LockYaml.Parse(text);
        }
        catch (LockYaml.Error ex)
        {
            throw new TorchEnvException(LockMessages.Syntax(ex.Message, new SourceLocation(path, Math.Max(1, ex.Line), Math.Max(1, ex.Column))));
        }

        var reader = new Reader(path);
        var result = reader.ReadLock(root);
        if (reader.Errors.Count > 0 || result is null)
        {
            throw new TorchEnvException(reader.Errors.Count > 0 ? reader.Errors : [LockMessages.Syntax("the file is empty.", new SourceLocation(path, 1, 1))]);
        }

        return result;
    }

    private sealed class Reader(string path)
    {
        public List<Diagnostic> Errors { get; } = [];

        private SourceLocation At(LockYamlNode node) => new(path, node.Line, node.Column);

        public EnvironmentLock? ReadLock(LockYamlNode? root)
        {
            if (root is null)
            {
                return null;
            }

            var top = Fields.Of(this, root, "the lock file", TopKeys);
            if (top is null)
            {
                return null;
            }

            // The format version decides how to read the rest, so it is checked first and alone.
            var versionNode = top.Node("version", required: true);
            if (versionNode is null)
            {
                return null;
            }

            if (versionNode is not LockYamlScalar { IsPlain: true } versionScalar
                || !int.TryParse(versionScalar.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                Errors.Add(LockMessages.InvalidValue("version", Text(versionNode), "a whole number (the lock format version)", At(versionNode)));
                return null;
            }

            if (version != EnvironmentLock.CurrentFormatVersion)
            {
                Errors.Add(LockMessages.UnsupportedVersion(version, At(versionNode)));
                return null;
            }

            top.ReportUnknown();
            var tool = top.String("tool");
            var name = top.String("name");
            var nameNode = top.Node("name", required: false);
            var environments = new List<LockedEnvironment>();
            var seen = new Dictionary<string, SourceLocation>(StringComparer.OrdinalIgnoreCase);
            foreach (var item in top.Sequence("environments"))
            {
                var environment = ReadEnvironment(item);
                if (environment is null)
                {
                    continue;
                }

                if (seen.TryGetValue(environment.Key, out var first))
                {
                    Errors.Add(LockMessages.Duplicate($"The environment {environment.Key}", environment.Location!, first));
                    continue;
                }

                seen[environment.Key] = environment.Location!;
                environments.Add(environment);
            }

            if (tool is null || name is null || Errors.Count > 0)
            {
                return null;
            }

            return new EnvironmentLock
            {
                FormatVersion = version, ToolVersion = tool, Name = name, NameLocation = nameNode is null ? null : At(nameNode), Environments = environments,
            };
        }

        private LockedEnvironment? ReadEnvironment(LockYamlNode node)
        {
            var fields = Fields.Of(this, node, "an environment", EnvironmentKeys);
            if (fields is null)
            {
                return null;
            }

            fields.ReportUnknown();
            var variant = fields.String("variant");
            var platform = fields.String("platform");
            var specHash = fields.String("spec-hash", v => SpecHash().IsMatch(v), "'sha256:' followed by 64 lower-case hex digits");
            var framework = fields.String("framework", v => !NuGetFramework.Parse(v).IsUnsupported, "a target framework such as net10.0");
            var stackNode = fields.Node("stack", required: true);
            var stack = stackNode is null ? null : ReadStack(stackNode);
            var hostNode = fields.Node("host", required: true);
            var host = hostNode is null ? null : ReadHost(hostNode);
            var roots = fields.Sequence("roots").Select(ReadRoot).OfType<LockedRoot>().ToList();
            var pruned = fields.Map("pruned")
                .Select(p => ValidId(p.Key) && ValidVersion(p.Value) ? new PrunedPackage(p.Key.Value, ((LockYamlScalar)p.Value).Value) : null)
                .OfType<PrunedPackage>()
                .ToList();
            var packages = new List<LockedPackage>();
            var seen = new Dictionary<string, SourceLocation>(StringComparer.OrdinalIgnoreCase);
            foreach (var item in fields.Sequence("packages"))
            {
                if (ReadPackage(item) is not { } package)
                {
                    continue;
                }

                if (seen.TryGetValue(package.Id, out var first))
                {
                    Errors.Add(LockMessages.Duplicate($"The package {package.Id}", package.Location!, first));
                    continue;
                }

                seen[package.Id] = package.Location!;
                packages.Add(package);
            }

            if (variant is null || platform is null || specHash is null || framework is null || stack is null || host is null)
            {
                return null;
            }

            return new LockedEnvironment
            {
                Variant = variant,
                Platform = platform,
                SpecHash = specHash,
                Framework = framework,
                Stack = stack,
                Host = host,
                Roots = roots,
                Pruned = pruned,
                Packages = packages,
                Location = At(node),
                StackLocation = At(stackNode!),
                HostLocation = At(hostNode!),
            };
        }

        private LockedStack? ReadStack(LockYamlNode node)
        {
            var fields = Fields.Of(this, node, "stack", StackKeys);
            if (fields is null)
            {
                return null;
            }

            fields.ReportUnknown();
            var torchSharp = fields.String("torchsharp", IsVersion, "a version such as 0.107.0");
            var libTorch = fields.String("libtorch", IsVersion, "a version such as 2.10.0");
            var device = fields.String("device", v => v is "cpu" or "cuda", "cpu or cuda");
            var stack = new LockedStack
            {
                TorchSharp = torchSharp ?? "",
                LibTorch = libTorch ?? "",
                Device = device ?? "",
                Cuda = fields.String("cuda", IsVersion, "a CUDA version such as 12.8", required: false),
                Cudnn = fields.String("cudnn", IsVersion, "a cuDNN version such as 9", required: false),
                CudaArchitectures = fields.String("cuda-architectures", a => Stack.CudaArchitectures.Parse(a) is not null,
                    "GPU architectures separated by spaces, such as sm_75 sm_80 sm_86", required: false) is { } architectures
                    ? Stack.CudaArchitectures.Parse(architectures)!
                    : [],
                DotnetSdk = fields.String("dotnet-sdk", IsVersion, "an SDK version such as 10.0.401", required: false),
                TorchVision = fields.String("torchvision", IsVersion, "a version such as 0.107.0", required: false),
            };
            return torchSharp is null || libTorch is null || device is null ? null : stack;
        }

        private HostRequirements? ReadHost(LockYamlNode node)
        {
            var fields = Fields.Of(this, node, "host", HostKeys);
            if (fields is null)
            {
                return null;
            }

            fields.ReportUnknown();
            var needs = new List<NativeNeed>();
            foreach (var item in fields.Sequence("needs"))
            {
                var need = Fields.Of(this, item, "a host need", NeedKeys);
                if (need is null)
                {
                    continue;
                }

                need.ReportUnknown();
                var (v, l, p, f) = (need.String("version"), need.String("library"), need.String("package"), need.String("file"));
                if (v is not null && l is not null && p is not null && f is not null)
                {
                    needs.Add(new NativeNeed(v, l, p, f));
                }
            }

            return new HostRequirements
            {
                Glibc = fields.String("glibc", IsVersion, "a version such as 2.34", required: false),
                Glibcxx = fields.String("glibcxx", IsVersion, "a version such as 3.4.32", required: false),
                Cxxabi = fields.String("cxxabi", IsVersion, "a version such as 1.3.13", required: false),
                NvidiaDriver = fields.String("nvidia-driver", IsVersion, "a driver version such as 525.60.13", required: false),
                Needs = needs,
            };
        }

        private LockedRoot? ReadRoot(LockYamlNode node)
        {
            var fields = Fields.Of(this, node, "a root", RootKeys);
            if (fields is null)
            {
                return null;
            }

            fields.ReportUnknown();
            var id = fields.String("id", PackageId().IsMatch, "a NuGet package id");
            var range = fields.String("range", IsRange, "a NuGet version range such as [0.107.0, 0.107.0]");
            var reason = fields.String("reason");
            return id is null || range is null || reason is null ? null : new LockedRoot(id, range, reason);
        }

        private LockedPackage? ReadPackage(LockYamlNode node)
        {
            var fields = Fields.Of(this, node, "a package", PackageKeys);
            if (fields is null)
            {
                return null;
            }

            fields.ReportUnknown();
            var id = fields.String("id", PackageId().IsMatch, "a NuGet package id");
            var version = fields.String("version", IsVersion, "a NuGet version such as 3.21.9");
            var source = fields.String("source");
            var sha512 = fields.String("sha512", IsSha512, "a base64 SHA-512 (88 characters)");
            var dependencies = new List<LockedDependency>();
            foreach (var (key, value) in fields.Map("dependencies"))
            {
                if (ValidId(key) && value is LockYamlScalar scalar && !scalar.IsNull && IsRange(scalar.Value))
                {
                    dependencies.Add(new LockedDependency(key.Value, scalar.Value));
                }
                else if (ValidId(key))
                {
                    Errors.Add(LockMessages.InvalidValue(key.Value, Text(value), "a NuGet version range such as [1.0.0, )", At(value)));
                }
            }

            if (id is null || version is null || source is null || sha512 is null)
            {
                return null;
            }

            return new LockedPackage { Id = id, Version = version, Source = source, Sha512 = sha512, Dependencies = dependencies, Location = At(node) };
        }

        private bool ValidId(LockYamlScalar key)
        {
            if (PackageId().IsMatch(key.Value))
            {
                return true;
            }

            Errors.Add(LockMessages.InvalidValue("id", key.Value, "a NuGet package id", At(key)));
            return false;
        }

        private bool ValidVersion(LockYamlNode value)
        {
            if (value is LockYamlScalar { IsNull: false } scalar && IsVersion(scalar.Value))
            {
                return true;
            }

            Errors.Add(LockMessages.InvalidValue("version", Text(value), "a NuGet version", At(value)));
            return false;
        }

        private static bool IsVersion(string value) => NuGetVersion.TryParse(value, out _);

        private static bool IsRange(string value) => VersionRange.TryParse(value, out _);

        private static bool IsSha512(string value)
        {
            Span<byte> buffer = stackalloc byte[66];
            return value.Length == 88 && Convert.TryFromBase64String(value, buffer, out var written) && written == 64;
        }

        internal static string Text(LockYamlNode node) => node switch
        {
            LockYamlScalar s => s.Value,
            LockYamlSequence => "a list",
            _ => "a mapping",
        };

        /// <summary>Reads one mapping: remembers which keys were used and reports the rest.</summary>
        private sealed class Fields
        {
            private readonly Reader _reader;
            private readonly LockYamlMapping _mapping;
            private readonly string _where;
            private readonly IReadOnlyList<string> _known;
            private readonly Dictionary<string, LockYamlNode> _values = new(StringComparer.Ordinal);

            private Fields(Reader reader, LockYamlMapping mapping, string where, IReadOnlyList<string> known)
            {
                _reader = reader;
                _mapping = mapping;
                _where = where;
                _known = known;
                foreach (var (key, value) in mapping.Entries)
                {
                    if (_values.ContainsKey(key.Value))
                    {
                        var first = mapping.Entries.First(e => e.Key.Value == key.Value).Key;
                        reader.Errors.Add(LockMessages.Duplicate($"The key '{key.Value}'", reader.At(key), reader.At(first)));
                        continue;
                    }

                    _values[key.Value] = value;
                }
            }

            public static Fields? Of(Reader reader, LockYamlNode node, string where, IReadOnlyList<string> known)
            {
                if (node is LockYamlMapping mapping)
                {
                    return new Fields(reader, mapping, where, known);
                }

                reader.Errors.Add(LockMessages.InvalidValue(where, Text(node), "a mapping of keys to values", reader.At(node)));
                return null;
            }

            public void ReportUnknown()
            {
                foreach (var (key, _) in _mapping.Entries)
                {
                    if (!_known.Contains(key.Value))
                    {
                        _reader.Errors.Add(LockMessages.UnknownKey(key.Value, _where, _known, _reader.At(key)));
                    }
                }
            }

            public LockYamlNode? Node(string key, bool required)
            {
                if (_values.TryGetValue(key, out var value) && !(value is LockYamlScalar { IsNull: true } && !required))
                {
                    return value;
                }

                if (required && value is null)
                {
                    _reader.Errors.Add(LockMessages.MissingKey(key, _where, _reader.At(_mapping)));
                }

                return value;
            }

            public string? String(string key, Func<string, bool>? valid = null, string? expected = null, bool required = true)
            {
                var node = Node(key, required);
                if (node is null || (!required && node is LockYamlScalar { IsNull: true }))
                {
                    return null;
                }

                if (node is not LockYamlScalar scalar || scalar.IsNull || (valid is not null && !valid(scalar.Value)))
                {
                    _reader.Errors.Add(LockMessages.InvalidValue(key, Text(node), expected ?? "text", _reader.At(node)));
                    return null;
                }

                return scalar.Value;
            }

            public IReadOnlyList<LockYamlNode> Sequence(string key)
            {
                var node = Node(key, required: true);
                switch (node)
                {
                    case null:
                        return [];
                    case LockYamlSequence sequence:
                        return sequence.Items;
                    default:
                        _reader.Errors.Add(LockMessages.InvalidValue(key, Text(node), "a list", _reader.At(node)));
                        return [];
                }
            }

            public IReadOnlyList<KeyValuePair<LockYamlScalar, LockYamlNode>> Map(string key)
            {
                var node = Node(key, required: true);
                switch (node)
                {
                    case null:
                        return [];
                    case LockYamlMapping mapping:
                        var seen = new Dictionary<string, LockYamlScalar>(StringComparer.OrdinalIgnoreCase);
                        var entries = new List<KeyValuePair<LockYamlScalar, LockYamlNode>>();
                        foreach (var entry in mapping.Entries)
                        {
                            if (seen.TryGetValue(entry.Key.Value, out var first))
                            {
                                _reader.Errors.Add(LockMessages.Duplicate($"The key '{entry.Key.Value}'", _reader.At(entry.Key), _reader.At(first)));
                                continue;
                            }

                            seen[entry.Key.Value] = entry.Key;
                            entries.Add(entry);
                        }

                        return entries;
                    default:
                        _reader.Errors.Add(LockMessages.InvalidValue(key, Text(node), "a mapping", _reader.At(node)));
                        return [];
                }
            }
        }
    }
}
