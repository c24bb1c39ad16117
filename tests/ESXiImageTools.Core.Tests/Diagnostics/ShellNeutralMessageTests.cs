using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using ESXiImageTools.TestSupport;
using Xunit;

// Not ESXiImageTools.Core.Tests.Diagnostics: that namespace would hide Core.Diagnostics from the other tests.
namespace ESXiImageTools.Core.Tests;

/// <summary>
/// The engine's messages name no shell's flags or commands: a way past an error is an <c>EsxHints</c> code each shell
/// renders. This reads every string literal in src/ESXiImageTools.Core and fails on one that names a PowerShell
/// parameter, a cmdlet, an esximage option or command.
/// </summary>
public class ShellNeutralMessageTests
{
    private static readonly Regex Literal = new(@"\$?@?""(?:[^""\\\n]|\\.)*""", RegexOptions.Compiled);

    private static readonly Regex ShellWords = new(
        @"(?<![\w-])-[A-Z][A-Za-z]+\b" +                                // a PowerShell parameter: -Force, -AllowInvalidProfile
        @"|(?<![\w-])--[a-z][a-z-]+" +                                  // a command-line option: --force
        @"|\b(?:Add|Get|New|Set|Remove|Export|Test|Compare)-Esx\w*" +   // a cmdlet
        @"|\bCLI:|\besximage\s+[a-z]",                                  // the CLI's name for itself, a command
        RegexOptions.Compiled);

    public static string[] Offending(string source)
        => source.Split('\n')
                 .Where(line => !line.TrimStart().StartsWith("//", StringComparison.Ordinal))
                 .SelectMany(line => Literal.Matches(line).Cast<Match>().Select(m => m.Value))
                 .SelectMany(lit => ShellWords.Matches(lit).Cast<Match>().Select(m => (lit, word: m.Value)))
                 .Select(x => $"{x.word} in {x.lit}")
                 .ToArray();

    [Fact]
    public void No_engine_string_names_a_shells_flag()
    {
        var core = Path.Combine(RepoRoot.Path, "src", "ESXiImageTools.Core");
        var found = Directory.GetFiles(core, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal)
                     && !f.Contains(Path.DirectorySeparatorChar + "bin" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .SelectMany(f => Offending(File.ReadAllText(f)).Select(o => Path.GetRelativePath(core, f) + ": " + o))
            .ToList();
        Assert.True(found.Count == 0, "engine strings naming a shell's flag (raise a hint, EsxHints, instead):\n" + string.Join("\n", found));
    }

    /// <summary>The scanner itself: it catches each kind, and leaves plain text alone.</summary>
    [Theory]
    [InlineData("throw X($\"{d} exists; use -Force to replace it\");", true)]
    [InlineData("var m = \"(use --force / -Force to remove anyway)\";", true)]
    [InlineData("var m = $\"lower it: Set-EsxProfile -AcceptanceLevel {x}\";", true)]
    [InlineData("var m = \"(CLI: --acceptance community)\";", true)]
    [InlineData("var m = \"clone it (esximage build --profile)\";", true)]
    [InlineData("var m = \"ESXi-Customizer-PS users meet it; the 8.0-1 build; -----BEGIN CERTIFICATE-----\";", false)]
    [InlineData("var m = \"pack it without --sparse\";", true)]
    [InlineData("// use -Force in a comment", false)]
    public void The_scan_finds_shell_words_in_literals_only(string line, bool offends)
        => Assert.Equal(offends, Offending(line).Length > 0);
}
