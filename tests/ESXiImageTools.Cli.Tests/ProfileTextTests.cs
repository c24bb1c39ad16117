using System.IO;
using ESXiImageTools.Cli;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.TestSupport;
using Xunit;

namespace ESXiImageTools.Cli.Tests;

/// <summary>Control characters, NUL and lone surrogates in a profile's name, vendor or description: a validation error at once, never a crash writing XML.</summary>
public class ProfileTextTests
{
    private const string Profile = "ESXi-8.0.0-20513097-sample-standard";
    private static string SampleDepot => Path.Combine(RepoRoot.Path, "samples", "depot", "ESXi-8.0.0-sample-depot.zip");

    private static (int Code, string Out, string Err) Cli(params string[] args) => CliRunner.RunHere(args);

    // The bad character is given as a number: xunit would turn a lone surrogate in a string argument into U+FFFD.
    [Theory]
    [InlineData("--name", 0x0000)]
    [InlineData("--name", 0x001B)]
    [InlineData("--vendor", 0x0007)]
    [InlineData("--vendor", 0xD800)]
    [InlineData("--description", 0x0000)]
    [InlineData("--description", 0xDC00)]
    public void Bad_text_from_options_is_refused_by_build(string option, int bad)
    {
        var value = "lab" + (char)bad + "image";
        using var tmp = new TempDir();
        var r = Cli("build", "--depot", SampleDepot, "--profile", Profile, "--trust-cert", TestSigning.SampleCertificateFile, option, value, "--bundle", tmp.File("b.zip"), "--timestamp", "1700000000");
        Assert.True(r.Code == ExitCodes.Usage, $"{r.Code} {r.Err}");
        Assert.Contains(ErrorCodes.ProfileInvalid, r.Err);
        Assert.DoesNotContain("InternalError", r.Err);
        Assert.False(File.Exists(tmp.File("b.zip")));
    }

    [Fact]
    public void A_description_may_have_line_breaks_and_tabs()
    {
        using var tmp = new TempDir();
        var r = Cli("build", "--depot", SampleDepot, "--profile", Profile, "--trust-cert", TestSigning.SampleCertificateFile, "--description", "line one\n\tline two", "--bundle", tmp.File("b.zip"), "--timestamp", "1700000000");
        Assert.True(r.Code == 0, r.Err);
    }

    [Theory]
    [InlineData("\"vendor\":\"Lab\\u0000\"", "'vendor' has the control character U+0000")]
    [InlineData("\"name\":\"x\\u0001\"", "'name' has the control character U+0001")]
    [InlineData("\"description\":\"\\ud800\"", "'description' has a lone surrogate")]
    public void Bad_text_in_a_profile_spec_is_a_spec_error_naming_the_file(string member, string said)
    {
        using var tmp = new TempDir();
        var spec = tmp.File("spec.json");
        File.WriteAllText(spec, "{\"baseProfile\":\"" + Profile + "\"," + member + "}");
        foreach (var r in new[]
        {
            Cli("validate", "--depot", SampleDepot, "--spec", spec),
            Cli("build", "--depot", SampleDepot, "--spec", spec, "--bundle", tmp.File("b.zip"), "--timestamp", "1700000000"),
        })
        {
            Assert.True(r.Code == ExitCodes.InvalidInput, r.Err);
            Assert.Contains(ErrorCodes.ProfileSpecInvalid, r.Err);
            Assert.Contains(spec, r.Err);
            Assert.Contains(said, r.Err);
        }
        Assert.False(File.Exists(tmp.File("b.zip")));
    }
}
