using System.Globalization;
using System.Reflection;

namespace TorchEnv.Core.Diagnostics;

/// <summary>
/// The one declaration of a diagnostic code (as Roslyn's <c>DiagnosticDescriptor</c>): its code, severity, exit class,
/// message format and fix. Every <see cref="Diagnostic"/> is made from one by <see cref="Create"/>, so a code cannot be
/// reported without its exit class; <c>docs/diagnostics.md</c> documents each code (a catalogue test enumerates the
/// descriptors with <see cref="DeclaredIn"/>).
/// </summary>
public sealed class DiagnosticDescriptor
{
    /// <summary>Declares a code.</summary>
    /// <param name="code"><c>TENV</c> followed by four digits.</param>
    /// <param name="severity">The severity a diagnostic of this code has unless its factory says otherwise.</param>
    /// <param name="exitClass">What the failure is when it stops a command (the tool's exit code).</param>
    /// <param name="messageFormat">What is wrong: a composite format string (<c>{0}</c>…) over the arguments of <see cref="Create"/>.</param>
    /// <param name="fixFormat">How to fix it, a format over the same arguments; null when there is nothing to do.</param>
    public DiagnosticDescriptor(string code, DiagnosticSeverity severity, ExitClass exitClass, string messageFormat, string? fixFormat)
    {
        ArgumentNullException.ThrowIfNull(code);
        ArgumentNullException.ThrowIfNull(messageFormat);
        if (code.Length != 8 || !code.StartsWith("TENV", StringComparison.Ordinal) || !code.AsSpan(4).ToString().All(char.IsAsciiDigit))
        {
            throw new ArgumentException($"'{code}' is not a TENVnnnn code.", nameof(code));
        }

        Code = code;
        Severity = severity;
        ExitClass = exitClass;
        MessageFormat = messageFormat;
        FixFormat = fixFormat;
    }

    /// <summary>The stable code, <c>TENVnnnn</c>.</summary>
    public string Code { get; }

    /// <summary>The default severity.</summary>
    public DiagnosticSeverity Severity { get; }

    /// <summary>What the failure is when it stops a command.</summary>
    public ExitClass ExitClass { get; }

    /// <summary>The message, a composite format string.</summary>
    public string MessageFormat { get; }

    /// <summary>The fix, a composite format string over the same arguments, or null.</summary>
    public string? FixFormat { get; }

    /// <summary>
    /// The diagnostic of this code at <paramref name="location"/>, with <paramref name="arguments"/> filled into the
    /// message and fix formats (invariant culture).
    /// </summary>
    public Diagnostic Create(SourceLocation? location, params object?[] arguments) => new(
        this,
        string.Format(CultureInfo.InvariantCulture, MessageFormat, arguments),
        location,
        FixFormat is null ? null : string.Format(CultureInfo.InvariantCulture, FixFormat, arguments),
        Severity);

    /// <summary>
    /// Every descriptor an assembly declares as a static field of any of its types (the catalogue and code-range tests
    /// read the codes this way).
    /// </summary>
    public static IReadOnlyList<DiagnosticDescriptor> DeclaredIn(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        return assembly.GetTypes().SelectMany(DeclaredBy).ToList();
    }

    /// <summary>The descriptors <paramref name="type"/> declares as static fields, in declaration order.</summary>
    public static IReadOnlyList<DiagnosticDescriptor> DeclaredBy(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return type.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.DeclaredOnly)
            .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
            .Select(f => f.GetValue(null))
            .OfType<DiagnosticDescriptor>()
            .ToList();
    }

    /// <inheritdoc />
    public override string ToString() => Code;
}
