namespace TorchEnv.TestSupport;

/// <summary>
/// The MSBuild files the CUDA fixture's packages carry, written to behave like those of TorchSharp 0.107.0's
/// <c>libtorch-cuda-12.8-*</c> packages (read from TorchSharp's <c>pkg/common</c> sources; our own code):
/// <list type="bullet">
/// <item>each "-primary" part: a <c>FileRestitch</c> target (after <c>ResolveReferences</c>, before <c>PrepareForBuild</c>,
/// on every build) that joins <c>fragments/&lt;rid&gt;/native/&lt;file&gt;.fragmentK</c> of the sibling "-fragmentK"
/// packages after the primary's first bytes into a file in the temp folder, compares its SHA-256 (lower-case hex) with
/// <c>&lt;file&gt;.sha</c>, moves it over the primary and deletes the fragments. The sibling paths are derived by text
/// replacement on the full path ("-primary" → "-fragmentK", "runtimes" → "fragments"), as the real target does, so a
/// packages folder whose own path contains either word breaks it. Every exception is caught and only printed: a
/// failed join never fails the build.</item>
/// <item>the head package: <c>TorchSharpCudaPackage=true</c> and the check that fails the build when a libtorch-cpu
/// package (which sets <c>TorchSharpCpuPackage</c>) is referenced too.</item>
/// </list>
/// </summary>
public static class FixturePackageBuildFiles
{
    /// <summary>What the fixture's restitch prints before joining a file (one line per joined file).</summary>
    public const string JoinMessage = "FileRestitch: joining";

    /// <summary>The props of a "-primary" package: its <c>runtimes/</c> folder is a folder to restitch.</summary>
    public const string RestitchProps = """
        <Project>
          <ItemGroup>
            <RestitcherPackage Include="$(MSBuildThisFileDirectory)../../runtimes/" />
          </ItemGroup>
        </Project>
        """;

    /// <summary>
    /// The targets of a "-primary" package. Every primary package defines the same target, so the last import wins and
    /// its batching over <c>RestitcherPackage</c> covers the folders of all of them.
    /// </summary>
    public const string RestitchTargets = """
        <Project>
          <UsingTask TaskName="FileRestitch" TaskFactory="RoslynCodeTaskFactory" AssemblyFile="$(MSBuildToolsPath)/Microsoft.Build.Tasks.Core.dll">
            <ParameterGroup>
              <RestitcherPackage ParameterType="System.String" Required="true" />
            </ParameterGroup>
            <Task>
              <Using Namespace="System" />
              <Using Namespace="System.IO" />
              <Using Namespace="System.Linq" />
              <Code Type="Fragment" Language="cs"><![CDATA[
        try
        {
            if (Directory.Exists(RestitcherPackage))
            {
                foreach (var found in Directory.EnumerateFiles(RestitcherPackage, "*", SearchOption.AllDirectories))
                {
                    var primary = Path.GetFullPath(found);
                    var fragments = new System.Collections.Generic.List<string>();
                    for (var k = 1; k <= 10; k++)
                    {
                        // Derived by text replacement on the whole path, as the real target does.
                        var fragment = primary.Replace("-primary", "-fragment" + k).Replace("runtimes", "fragments") + ".fragment" + k;
                        if (File.Exists(fragment))
                        {
                            fragments.Add(fragment);
                        }
                    }

                    if (!File.Exists(primary.Replace("-primary", "-fragment1").Replace("runtimes", "fragments") + ".fragment1"))
                    {
                        continue;
                    }

                    Console.WriteLine("FileRestitch: joining " + primary + " and " + fragments.Count + " fragment(s)");
                    var joined = Path.GetTempFileName();
                    using (var output = File.OpenWrite(joined))
                    {
                        foreach (var piece in new[] { primary }.Concat(fragments))
                        {
                            using (var input = File.OpenRead(piece))
                            {
                                input.CopyTo(output);
                            }
                        }
                    }

                    var expected = File.ReadAllText(primary + ".sha");
                    string actual;
                    using (var sha = System.Security.Cryptography.SHA256.Create())
                    using (var input = File.OpenRead(joined))
                    {
                        actual = string.Concat(sha.ComputeHash(input).Select(b => b.ToString("x2")));
                    }

                    if (expected != actual)
                    {
                        throw new Exception("FileRestitch: the file joined from " + primary + " has SHA " + actual + ", expected " + expected);
                    }

                    File.Delete(primary);
                    File.Move(joined, primary);
                    foreach (var fragment in fragments)
                    {
                        File.Delete(fragment);
                    }
                }
            }
        }
        catch (Exception e)
        {
            Console.Error.WriteLine(e.ToString());
        }
        ]]></Code>
            </Task>
          </UsingTask>

          <Target Name="FileRestitch" Outputs="%(RestitcherPackage.Identity)/.restitched" AfterTargets="ResolveReferences" BeforeTargets="PrepareForBuild">
            <FileRestitch RestitcherPackage="%(RestitcherPackage.Identity)" />
          </Target>
        </Project>
        """;

    /// <summary>The props of the CUDA head package.</summary>
    public const string CudaHeadProps = """
        <Project>
          <PropertyGroup>
            <TorchSharpCudaPackage>true</TorchSharpCudaPackage>
          </PropertyGroup>
        </Project>
        """;

    /// <summary>The targets of the CUDA head package: one TorchSharp runtime per build.</summary>
    public const string OneRuntimeTargets = """
        <Project>
          <Target Name="CheckOneTorchSharpRuntime" AfterTargets="ResolveReferences" BeforeTargets="PrepareForBuild">
            <Error Text="Two TorchSharp runtime packages have been referenced (both libtorch-cpu and libtorch-cuda)" Condition="'$(TorchSharpCudaPackage)' == 'true' AND '$(TorchSharpCpuPackage)' == 'true'" />
          </Target>
        </Project>
        """;
}
