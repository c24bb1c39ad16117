using System;
using System.IO;
using System.Linq;
using System.Text;
using ESXiImageTools.Cli;
using ESXiImageTools.TestSupport;
using Xunit;

namespace ESXiImageTools.Cli.Tests;

/// <summary>Hostile input at the command line: option bounds, escaped errors, and the one boundary (exit 70).</summary>
public class HostileCliTests
{
    private static string SampleDepot => Path.Combine(RepoRoot.Path, "samples", "depot", "ESXi-8.0.0-sample-depot.zip");

    private static (int Code, string Out, string Err) Cli(TextWriter stdout, params string[] args) => CliRunner.Run(stdout, null, args);

    private static (int Code, string Out, string Err) Cli(params string[] args) => Cli(new StringWriter(), args);

    [Theory]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("1e308")]
    [InlineData("5000000")]
    [InlineData("0")]
    [InlineData("-3")]
    public void Timeouts_the_timers_cannot_take_are_usage_errors(string value)
    {
        using var tmp = new TempDir();
        var r = Cli("packages", "--depot", SampleDepot, "--timeout", value, "--cache-dir", tmp.Path);
        Assert.Equal(ExitCodes.Usage, r.Code);
        Assert.Contains($"--timeout '{value}'", r.Err);
    }

    /// <summary>Every command that takes --timestamp parses it with the one option parser and its range: a usage error, never exit 70.</summary>
    [Theory]
    [InlineData("build", "--bundle")]
    [InlineData("build", "--pxe")]
    [InlineData("customize", "--out")]
    [InlineData("bundle", "--out")]
    [InlineData("iso-create", "--out")]
    public void A_timestamp_past_year_9999_is_a_usage_error(string command, string output)
    {
        using var tmp = new TempDir();
        var tree = Directory.CreateDirectory(tmp.File("tree")).FullName;
        File.WriteAllText(Path.Combine(tree, "a.txt"), "a");
        var driver = Path.Combine(RepoRoot.Path, "samples", "drivers", "ESXiImageTools_bootbank_net-community_1.0.0-1sample.800.vib");
        var target = tmp.File("new/out.zip");
        var args = command switch
        {
            "build" => new[] { "build", "--depot", SampleDepot, "--profile", "ESXi-8.0.0-20513097-sample-standard", output, target },
            "customize" => new[] { "customize", "--source", SampleDepot, "--add", driver, output, target },
            "bundle" => new[] { "bundle", "new", "--vib", driver, output, target },
            _ => new[] { "iso-create", tree, output, target },
        };
        var r = Cli(args.Concat(new[] { "--timestamp", "99999999999999" }).ToArray());
        Assert.True(ExitCodes.Usage == r.Code, r.Err);
        Assert.Contains("--timestamp 99999999999999", r.Err);
        Assert.DoesNotContain("InternalError", r.Err);
        Assert.False(Directory.Exists(tmp.File("new")));   // refused before the output folder is made
    }

    [Fact]
    public void Help_states_the_default_timeout_and_deadline()
    {
        var r = Cli("help", "packages");
        Assert.Equal(0, r.Code);
        Assert.Contains("default 30", r.Out);
        Assert.Contains("120 s", r.Out);
    }

    [Fact]
    public void An_exception_that_escapes_the_engine_is_one_InternalError_line_and_exit_70()
    {
        using var tmp = new TempDir();
        var r = Cli(new BrokenWriter(), "packages", "--depot", SampleDepot, "--cache-dir", tmp.Path);
        Assert.Equal(ExitCodes.InternalError, r.Code);
        var line = Assert.Single(r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("esximage: InternalError: this is a bug, please report it: System.InvalidOperationException: ", line);
    }

    [Fact]
    public void Control_characters_from_entry_names_never_reach_stderr_raw()
    {
        using var tmp = new TempDir();
        var (vibPath, _) = VibFixtures.Build(tmp.Path, "net-nul", "1.0.0-1");
        var zip = tmp.File("bundle.zip");
        new BundleBuilder().AddBuiltVib(vibPath, "vib20/net-nul/net-nul.vib").AddEntry("evil\0\u001b[2Jname.xml", new byte[] { 1 }).Write(zip);
        var r = Cli("inspect", zip);
        Assert.Equal(ExitCodes.InvalidInput, r.Code);
        Assert.Contains("U+0000", r.Err);
        Assert.DoesNotContain(r.Err.TrimEnd('\n', '\r'), c => char.IsControl(c));
        Assert.Contains("evil\\x00\\x1b[2Jname.xml", r.Err);
    }

    /// <summary>A stdout that fails on write: stands in for any untyped exception inside a command.</summary>
    private sealed class BrokenWriter : StringWriter
    {
        public override void Write(char value) => throw new InvalidOperationException("simulated bug");
        public override void Write(string value) => throw new InvalidOperationException("simulated bug");
        public override void WriteLine(string value) => throw new InvalidOperationException("simulated bug");
    }
}
