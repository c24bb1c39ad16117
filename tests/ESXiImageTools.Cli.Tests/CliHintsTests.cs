using System.Linq;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.TestSupport;
using Xunit;
using static ESXiImageTools.Cli.Tests.CliRunner;

namespace ESXiImageTools.Cli.Tests;

/// <summary>The engine's hints read as esximage's options; its messages name no PowerShell parameter.</summary>
public class CliHintsTests
{
    [Theory]
    [InlineData(EsxHints.OverwriteNeeded, "'x' already exists (use --force to replace it)")]
    [InlineData(EsxHints.AllowInvalidProfile, "'x' already exists (use --force to export anyway)")]
    [InlineData(EsxHints.ForceEdit, "'x' already exists (use --force to go ahead anyway)")]
    [InlineData(EsxHints.SkipSignatureCheck, "'x' already exists (--no-signature-check)")]
    [InlineData(null, "'x' already exists")]
    public void The_cli_renders_the_engines_hint_in_its_own_words(string hint, string expected)
        => Assert.Equal(expected, CliHints.Message(new EsxException(ErrorCodes.ExportDestinationExists, EsxErrorCategory.ResourceExists, "'x' already exists", "x") { Hint = hint }));

    [Fact]
    public void Every_hint_has_words_on_the_command_line()
    {
        foreach (var f in typeof(EsxHints).GetFields().Where(f => f.IsLiteral))
            Assert.False(string.IsNullOrEmpty(CliHints.Render((string)f.GetValue(null))), f.Name);
    }

    [Fact]
    public void An_existing_output_names_the_cli_option_only()
    {
        using var tmp = new TempDir("hints");
        System.IO.File.WriteAllText(tmp.File("out.vib"), "x");
        System.IO.Directory.CreateDirectory(tmp.File("src"));
        System.IO.File.WriteAllText(tmp.File("src/f"), "x");
        var r = Run(tmp.Path, "vib", "new", "--from", "src", "--name", "n", "--version", "1.0-1", "--vendor", "V", "--out", "out.vib");
        Assert.NotEqual(0, r.Code);
        Assert.Contains("use --force to replace it", r.Err);
        Assert.DoesNotContain("-Force", r.Err);
    }
}
