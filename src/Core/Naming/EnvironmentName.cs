namespace TorchEnv.Core.Naming;

/// <summary>The three parts of a conventional environment name, <c>&lt;project&gt;_&lt;framework&gt;_&lt;device&gt;</c>.</summary>
/// <param name="Project">The project part; may itself contain underscores (<c>medical_imaging</c>).</param>
/// <param name="Framework">The framework part, e.g. <c>torchsharp</c> or <c>net10</c>.</param>
/// <param name="Device">The device part: <c>cpu</c>, <c>gpu</c>, <c>cuda</c> (optionally with a version: <c>cuda12.8</c>, <c>cu128</c>), <c>mps</c> or <c>multi</c>.</param>
public sealed record EnvironmentName(string Project, string Framework, string Device)
{
    /// <summary>The name as written: the parts joined with underscores.</summary>
    public override string ToString() => $"{Project}_{Framework}_{Device}";
}
