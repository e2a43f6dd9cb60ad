using TorchEnv.Core.Naming;
using TorchEnv.Core.Spec;

namespace TorchEnv.Core.Tests.Naming;

public sealed class EnvironmentNamingTests
{
    private static EnvironmentSpec Spec(string name, string dependencies = "[torchsharp=0.107.*, cpu]", string? variants = null) =>
        EnvironmentSpecReader.Parse($"""
            channels: [nuget.org]
            name: {name}
            platforms: [linux-x64]
            dependencies: {dependencies}
            {variants}
            """, "/work/app/environment.yml");

    [Theory]
    [InlineData("mnist_torchsharp_cpu")]
    [InlineData("medical_imaging_torchsharp_cpu")]
    [InlineData("mnist_net10_cpu")]
    [InlineData("resnet-50_torchsharp_cpu")]
    public void A_conventional_cpu_name_gives_no_warning(string name) => Assert.Empty(EnvironmentNaming.Check(Spec(name)));

    [Theory]
    [InlineData("mnist_torchsharp_cuda")]
    [InlineData("medical_imaging_torchsharp_gpu")]
    [InlineData("mnist_torchsharp_cu128")]
    [InlineData("mnist_torchsharp_cuda12.8")]
    public void Cuda_names_suit_a_cuda_spec(string name) =>
        Assert.Empty(EnvironmentNaming.Check(Spec(name, "[torchsharp=0.107.*, cuda=12.8]")));

    [Theory]
    [InlineData("myenv", "three parts", "myenv_torchsharp_cpu")]
    [InlineData("mnist_cpu", "three parts", "mnist_torchsharp_cpu")]
    [InlineData("MNIST_TorchSharp_CPU", "lower case", "mnist_torchsharp_cpu")]
    [InlineData("mnist_torchsharp_fast", "'fast' is not a device", "mnist_torchsharp_cpu")]
    [InlineData("mnist__cpu", "three parts", "mnist_torchsharp_cpu")]
    public void An_unconventional_name_is_a_coded_warning_at_the_name_with_a_conforming_suggestion(string name, string why, string suggestion)
    {
        var warning = Assert.Single(EnvironmentNaming.Check(Spec(name)));

        Assert.Equal(("TENV0580", Diagnostics.DiagnosticSeverity.Warning), (warning.Code, warning.Severity));
        Assert.Contains(why, warning.Message);
        Assert.Contains($"name: {suggestion}", warning.Fix);
        Assert.Equal((2, 7), (warning.Location!.Line, warning.Location.Column));
        Assert.Empty(EnvironmentNaming.Check(Spec(suggestion)));
    }

    [Fact]
    public void A_cpu_name_on_a_cuda_only_spec_is_a_device_mismatch()
    {
        var warning = Assert.Single(EnvironmentNaming.Check(Spec("mnist_torchsharp_cpu", "[torchsharp=0.107.*, cuda=12.8]")));

        Assert.Equal("TENV0581", warning.Code);
        Assert.Contains("cuda (cuda)", warning.Message);
        Assert.Contains("name: mnist_torchsharp_cuda", warning.Fix);
    }

    [Fact]
    public void A_spec_with_cpu_and_cuda_variants_takes_multi_or_the_default_variants_device()
    {
        const string Variants = """
            variants:
              cpu: { dependencies: [cpu] }
              cuda: { dependencies: [cuda=12.8] }
            """;

        Assert.Empty(EnvironmentNaming.Check(Spec("mnist_net10_multi", "[torchsharp=0.107.*]", Variants)));
        Assert.Empty(EnvironmentNaming.Check(Spec("mnist_net10_cpu", "[torchsharp=0.107.*]", Variants)));
        Assert.Equal("TENV0581", Assert.Single(EnvironmentNaming.Check(Spec("mnist_net10_gpu", "[torchsharp=0.107.*]", Variants))).Code);
        Assert.Equal("multi", EnvironmentNaming.DeviceOf(Spec("x_y_multi", "[torchsharp=0.107.*]", Variants)));
    }

    [Theory]
    [InlineData("My App", "cpu", "my_app_torchsharp_cpu")]
    [InlineData("Sample.Classifier", "cuda", "sample.classifier_torchsharp_cuda")]
    [InlineData("__", "cpu", "project_torchsharp_cpu")]
    public void Conventional_names_are_lower_case_and_parse_back(string project, string device, string expected)
    {
        var name = EnvironmentNaming.Conventional(project, device);

        Assert.Equal(expected, name);
        Assert.Equal(device, EnvironmentNaming.Parse(name)!.Device);
    }

    [Fact]
    public void Parse_keeps_underscores_in_the_project_part() =>
        Assert.Equal(new EnvironmentName("medical_imaging", "pytorch", "gpu"), EnvironmentNaming.Parse("medical_imaging_pytorch_gpu"));
}
