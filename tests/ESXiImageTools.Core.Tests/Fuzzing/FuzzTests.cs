using System;
using System.Globalization;
using System.IO;
using System.Linq;
using ESXiImageTools.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace ESXiImageTools.Core.Tests.Fuzzing;

/// <summary>
/// The fuzz budget: every target, a fixed seed, about 60 s. Zero untyped exceptions and zero inputs
/// over the per-input bound. A longer or different run (README "Fuzzing"):
/// <c>ESXIT_FUZZ_SECONDS=3600 ESXIT_FUZZ_SEED=7 dotnet test tests/ESXiImageTools.Core.Tests -c Release --filter FullyQualifiedName~Fuzzing</c>.
/// </summary>
public class FuzzTests
{
    /// <summary>The seed CI uses; a finding names its iteration, which with this seed reproduces the input.</summary>
    public const ulong DefaultSeed = 20261201;
    public const double DefaultSeconds = 60;

    /// <summary>Hang detector only: generous so a loaded CI machine never trips it.</summary>
    public static readonly TimeSpan PerInputBound = TimeSpan.FromSeconds(15);

    private readonly ITestOutputHelper _output;
    public FuzzTests(ITestOutputHelper output) => _output = output;

    [Fact]
    [Trait("Category", "Slow")]
    public void Fuzz_budget_finds_no_untyped_failure_and_no_hang()
    {
        Assert.True(Corpus.Available || !Ci.IsCi, "the corpus must be present under CI: " + Corpus.SkipReason);
        var seconds = Env("ESXIT_FUZZ_SECONDS", DefaultSeconds);
        var seed = (ulong)Env("ESXIT_FUZZ_SEED", DefaultSeed);
        using var tmp = new TempDir("esxit-fuzz");
        var targets = FuzzTargets.All(tmp.File("seeds"));
        var findings = Environment.GetEnvironmentVariable("ESXIT_FUZZ_FINDINGS") ?? Path.Combine(Path.GetTempPath(), "esxit-fuzz-findings");
        var report = FuzzRunner.Run(targets, seed, TimeSpan.FromSeconds(seconds), PerInputBound, tmp.File("scratch"), findings);
        _output.WriteLine($"seed {seed}: " + report.Summary());
        foreach (var f in report.Findings) _output.WriteLine(f.ToString());
        Assert.True(report.Findings.Count == 0, $"seed {seed}: {report.Findings.Count} findings:\n" + string.Join("\n", report.Findings.Take(20)));
        foreach (var t in targets)
            Assert.True(report.Executions[t.Name] > t.Seeds.Count, $"target {t.Name} ran only its seeds ({report.Executions[t.Name]} executions)");
    }

    [Fact]
    public void Inputs_are_reproducible_from_seed_and_iteration()
    {
        var t = new FuzzTarget("t", new[] { new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 } }, (_, _) => { });
        Assert.Equal(FuzzRunner.Input(t, 5, 1000), FuzzRunner.Input(t, 5, 1000));
        Assert.NotEqual(FuzzRunner.Input(t, 5, 1000), FuzzRunner.Input(t, 6, 1000));
        Assert.Same(t.Seeds[0], FuzzRunner.Input(t, 5, 0));
    }

    [Fact]
    public void Runner_reports_an_untyped_exception_and_a_hang_as_findings()
    {
        using var tmp = new TempDir();
        var crash = new FuzzTarget("crash", new[] { new byte[] { 1 } }, (_, _) => throw new InvalidCastException("boom"));
        var typed = new FuzzTarget("typed", new[] { new byte[] { 1 } }, (_, _) => throw new Diagnostics.EsxException("X", Diagnostics.EsxErrorCategory.InvalidData, "bad"));
        var report = FuzzRunner.Run(new[] { crash, typed }, 1, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(30), tmp.File("s"), tmp.File("f"));
        Assert.Contains(report.Findings, f => f.Target == "crash" && f.What.Contains("InvalidCastException") && File.Exists(f.InputFile));
        Assert.DoesNotContain(report.Findings, f => f.Target == "typed");
        Assert.True(report.TypedErrors["typed"] > 0);

        var hang = new FuzzTarget("hang", new[] { new byte[] { 1 } }, (_, _) => System.Threading.Thread.Sleep(3000));
        var hung = FuzzRunner.Run(new[] { hang }, 1, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(300), tmp.File("s2"), tmp.File("f2"));
        var h = Assert.Single(hung.Findings);
        Assert.Equal("hang", h.Kind);
    }

    private static double Env(string name, double fallback)
        => double.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v > 0 ? v : fallback;
}
