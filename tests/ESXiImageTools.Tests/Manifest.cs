using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using ESXiImageTools.TestSupport;

namespace ESXiImageTools.Tests;

/// <summary>
/// A reader for the subset of PowerShell data-file syntax our manifest uses: <c>Key = 'value'</c> and
/// <c>Key = @('a', 'b')</c>. Enough to check the manifest without a PowerShell runtime; anything it
/// does not understand makes <see cref="Array"/> / <see cref="Scalar"/> fail loudly.
/// </summary>
public sealed class Manifest
{
    public static string PathOnDisk => System.IO.Path.Combine(RepoRoot.Path, "ESXiImageTools.psd1");

    public Manifest(string text) => Text = StripComments(text);

    public static Manifest Load() => new Manifest(File.ReadAllText(PathOnDisk));

    public string Text { get; }

    public string Scalar(string key)
    {
        var m = Regex.Match(Text, @"(?m)^\s*" + Regex.Escape(key) + @"\s*=\s*'([^']*)'");
        if (!m.Success) throw new InvalidOperationException($"manifest has no scalar '{key}'");
        return m.Groups[1].Value;
    }

    public IReadOnlyList<string> Array(string key)
    {
        var m = Regex.Match(Text, @"(?m)^\s*" + Regex.Escape(key) + @"\s*=\s*@\(([^)]*)\)");
        if (!m.Success) throw new InvalidOperationException($"manifest has no array '{key}'");
        var body = m.Groups[1].Value;
        var items = Regex.Matches(body, @"'([^']*)'").Select(x => x.Groups[1].Value).ToList();
        var rest = Regex.Replace(body, @"'([^']*)'", "").Replace(",", "").Trim();
        if (rest.Length != 0) throw new InvalidOperationException($"manifest array '{key}' holds something other than quoted strings: {rest}");
        return items;
    }

    private static string StripComments(string text)
        => string.Join("\n", text.Split('\n').Select(l => l.TrimStart().StartsWith("#") ? "" : l));
}
