using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Xunit;

namespace ESXiImageTools.Pester.Tests;

/// <summary>
/// Installs pwsh (the repository's tool manifest) and stages the module with build.ps1, then runs
/// tests/Pester once with Pester 5.7.1 from NuGet (tests/Pester/Invoke-PesterSuite.ps1). Done once per
/// test run, when the first result is asked for.
/// </summary>
internal static class PesterRun
{
    private static readonly Lazy<IReadOnlyList<PesterResult>> Results = new Lazy<IReadOnlyList<PesterResult>>(Run);

    public static IReadOnlyList<PesterResult> Get() => Results.Value;

    private static string Metadata(string key)
        => typeof(PesterRun).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value;

    public static string RepoRoot => Path.GetFullPath(Metadata("RepoRoot"));

    private static IReadOnlyList<PesterResult> Run()
    {
        try
        {
            var root = RepoRoot;
            var packages = Metadata("NuGetPackageRoot");
            var pester = Path.Combine(packages, "pester", "5.7.1", "tools");
            var otherZip = Path.Combine(packages, "sharpziplib", "1.2.0", "lib", "netstandard2.0", "ICSharpCode.SharpZipLib.dll");
            if (!File.Exists(Path.Combine(pester, "Pester.psd1")))
                throw new InvalidOperationException($"Pester 5.7.1 is not in {pester}: restore this project (dotnet restore)");
            Exec(root, "dotnet", "tool", "restore");
            Pwsh(root, "-File", Path.Combine(root, "build.ps1"), "-SkipTests", "-NoBuild", "-Configuration", Metadata("Configuration"));
            var manifest = Directory.GetFiles(Path.Combine(root, "out", "ESXiImageTools"), "ESXiImageTools.psd1", SearchOption.AllDirectories).Single();
            var resultFile = Path.Combine(Path.GetTempPath(), $"esx-pester-{Guid.NewGuid():N}.json");
            try
            {
                // Exit code = failed tests; the records say which.
                Pwsh(root, checkExit: false, "-File", Path.Combine(root, "tests", "Pester", "Invoke-PesterSuite.ps1"),
                     "-ModulePath", manifest, "-PesterPath", pester, "-ResultFile", resultFile, "-OtherSharpZipLib", otherZip);
                if (!File.Exists(resultFile)) throw new InvalidOperationException("Invoke-PesterSuite.ps1 wrote no results");
                var results = JsonSerializer.Deserialize<List<PesterResult>>(File.ReadAllText(resultFile)) ?? new List<PesterResult>();
                if (results.Count == 0) throw new InvalidOperationException("Pester found no tests in tests/Pester");
                return results;
            }
            finally { File.Delete(resultFile); }
        }
        catch (Exception e)
        {
            return new[] { new PesterResult { Name = "Pester could not run", Result = "Failed", Message = e.ToString() } };
        }
    }

    private static void Pwsh(string root, params string[] args) => Pwsh(root, true, args);

    private static void Pwsh(string root, bool checkExit, params string[] args)
        => Exec(root, "dotnet", new[] { "tool", "run", "pwsh", "--", "-NoProfile", "-NonInteractive" }.Concat(args).ToArray(), checkExit);

    private static void Exec(string directory, string file, params string[] args) => Exec(directory, file, args, true);

    private static void Exec(string directory, string file, string[] args, bool checkExit)
    {
        var psi = new ProcessStartInfo(file) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {file}");
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data != null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(TimeSpan.FromMinutes(20)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish in 20 minutes:\n{output}");
        }
        process.WaitForExit();
        if (checkExit && process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited with {process.ExitCode}:\n{output}");
    }
}

/// <summary>One Pester test's outcome, as Invoke-PesterSuite.ps1 writes it.</summary>
public sealed class PesterResult
{
    public string Name { get; set; } = "";
    public string Result { get; set; } = "";
    public string Message { get; set; } = "";
    public int DurationMs { get; set; }
}

/// <summary>Each Pester test of tests/Pester as its own xunit result (rows enumerated when the run starts).</summary>
[Trait("Category", "Slow")] // every Pester file in pwsh: minutes
public sealed class PesterSuiteTests
{
    public static IEnumerable<object[]> PesterTests() => PesterRun.Get().Select(r => new object[] { r.Name });

    [SkippableTheory]
    [MemberData(nameof(PesterTests), DisableDiscoveryEnumeration = true)]
    public void Pester(string test)
    {
        var result = PesterRun.Get().First(r => r.Name == test);
        switch (result.Result)
        {
            case "Passed":
                return;
            case "Skipped":
            case "NotRun":
                // Nothing in tests/Pester may skip under CI.
                if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
                    Assert.Fail($"{test}: {result.Result} under CI: {result.Message}");
                Skip.If(true, $"{result.Result}: {result.Message}");
                return;
            default:
                Assert.Fail($"{test}: {result.Result}\n{result.Message}");
                return;
        }
    }
}
