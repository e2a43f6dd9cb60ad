using TorchEnv.Core.Spec;
using TorchEnv.Core.Stack;
using TorchEnv.TestSupport;
using TorchEnv.Tool.Cli;
using TorchEnv.Tool.Scaffolding;

namespace TorchEnv.Tool.Tests;

public sealed class InitCommandTests
{
    [Fact]
    public void Init_writes_a_commented_cpu_spec_named_after_the_folder()
    {
        using var temp = new TempDirectory();
        var project = Directory.CreateDirectory(Path.Combine(temp.Path, "Mnist Demo")).FullName;

        var run = ToolRunner.Run(project, "init");

        run.AssertExit(ExitCodes.Success);
        var text = File.ReadAllText(Path.Combine(project, "environment.yml"));
        Assert.Contains("name: mnist_demo_torchsharp_cpu  #", text);
        Assert.Contains("  - cpu  #", text);
        Assert.Contains("platforms: [linux-x64, win-x64, osx-arm64]", text);
        Assert.Contains("Wrote " + Path.Combine(project, "environment.yml"), run.Out);
        Assert.Equal("", run.Error);
    }

    [Fact]
    public void Init_cuda_asks_for_cuda_and_cudnn_on_platforms_with_cuda_builds()
    {
        using var temp = new TempDirectory();

        var run = ToolRunner.Run(temp.Path, "init", "--device", "cuda", "--name", "train_torchsharp_cuda");

        run.AssertExit(ExitCodes.Success);
        var text = File.ReadAllText(temp.Combine("environment.yml"));
        Assert.Contains("name: train_torchsharp_cuda  #", text);
        Assert.Contains("  - cuda=12.8  #", text);
        Assert.Contains("  - cudnn=9  #", text);
        Assert.Contains("platforms: [linux-x64, win-x64]  #", text);
        Assert.DoesNotContain("  - cpu", text);
    }

    [Theory]
    [InlineData("cpu", "cpu", new[] { "linux-x64", "win-x64", "osx-arm64" })]
    [InlineData("cuda", "cuda", new[] { "linux-x64", "win-x64" })]
    public void Init_output_is_a_valid_spec_that_plans_on_every_platform(string device, string variant, string[] platforms)
    {
        using var temp = new TempDirectory();
        var project = Directory.CreateDirectory(Path.Combine(temp.Path, "classifier")).FullName;
        ToolRunner.Run(project, "init", "--device", device).AssertExit(ExitCodes.Success);

        var spec = EnvironmentSpecReader.Read(Path.Combine(project, "environment.yml"));
        var plans = StackPlanner.PlanAll(spec);

        Assert.Equal($"classifier_torchsharp_{device}", spec.Name);
        Assert.Equal(EnvironmentPolicy.Research, spec.Policy);
        Assert.Equal(variant, Assert.Single(spec.Variants).Name);
        Assert.Equal(platforms, plans.Select(p => p.Platform));
        Assert.All(plans, p => Assert.Equal(device == "cuda" ? ComputeDevice.Cuda : ComputeDevice.Cpu, p.Device));
        Assert.All(plans, p => Assert.Contains(p.Candidates[0].Roots, r => r.Id == "TorchSharp" || r.Id.StartsWith("TorchSharp-", StringComparison.Ordinal)));
    }

    [Fact]
    public void Init_refuses_to_overwrite_and_leaves_the_file_alone()
    {
        using var temp = new TempDirectory();
        var spec = temp.WriteFile("environment.yml", "name: mine\n");

        var run = ToolRunner.Run(temp.Path, "init");

        run.AssertExit(ExitCodes.CannotWrite);
        Assert.Equal("name: mine\n", File.ReadAllText(spec));
        Assert.Contains("error TENV0501:", run.Error);
        Assert.Contains("Fix: Pass --force", run.Error);
    }

    [Fact]
    public void Init_force_overwrites()
    {
        using var temp = new TempDirectory();
        var spec = temp.WriteFile("environment.yml", "name: mine\n");

        var run = ToolRunner.Run(temp.Path, "init", "--force");

        run.AssertExit(ExitCodes.Success);
        Assert.Contains("dependencies:", File.ReadAllText(spec));
    }

    [Fact]
    public void Init_file_writes_elsewhere_creating_the_folder_and_leaves_no_temporary_files()
    {
        using var temp = new TempDirectory();

        var run = ToolRunner.Run(temp.Path, "init", "-f", "envs/gpu.yml", "--device", "cuda");

        run.AssertExit(ExitCodes.Success);
        Assert.Equal(["gpu.yml"], Directory.GetFiles(temp.Combine("envs")).Select(Path.GetFileName));
        Assert.Contains("name: envs_torchsharp_cuda", File.ReadAllText(temp.Combine("envs", "gpu.yml")));
    }

    [Fact]
    public void Init_platform_chooses_the_platforms()
    {
        using var temp = new TempDirectory();

        var run = ToolRunner.Run(temp.Path, "init", "--platform", "linux-x64", "win-arm64");

        run.AssertExit(ExitCodes.Success);
        Assert.Contains("platforms: [linux-x64, win-arm64]  #", File.ReadAllText(temp.Combine("environment.yml")));
    }

    [Theory]
    [InlineData("MyProject", "myproject_torchsharp_cpu")]
    [InlineData("mnist", "mnist_torchsharp_cpu")]
    [InlineData("Image Classifier (v2)", "image_classifier_v2_torchsharp_cpu")]
    [InlineData("résumé-ranker", "r_sum_-ranker_torchsharp_cpu")]
    [InlineData("__", "project_torchsharp_cpu")]
    public void Default_name_follows_the_project_framework_device_convention(string folder, string expected)
    {
        Assert.Equal(expected, EnvironmentTemplate.DefaultName(folder, InitDevice.Cpu));
    }

    [Fact]
    public void Init_json_shape()
    {
        using var temp = new TempDirectory();
        var project = Directory.CreateDirectory(Path.Combine(temp.Path, "demo")).FullName;

        var run = ToolRunner.Run(project, "init", "--json");

        run.AssertExit(ExitCodes.Success);
        Golden.AssertMatches("init", run.Out, (project, "<project>"));
    }

    [Fact]
    public void Init_refusal_json_shape()
    {
        using var temp = new TempDirectory();
        temp.WriteFile("environment.yml", "name: mine\n");

        var run = ToolRunner.Run(temp.Path, "init", "--json");

        run.AssertExit(ExitCodes.CannotWrite);
        Golden.AssertMatches("init-exists", run.Out, (temp.Path, "<project>"));
        Assert.Contains("TENV0501", run.Error);
    }
}
