using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using ESXiImageTools.Core.Iso;
using ESXiImageTools.TestSupport;
using Xunit;

namespace ESXiImageTools.Core.Tests.Iso;

/// <summary>Parsers for the output of the independent ISO tools (isoinfo, 7z, xorriso).</summary>
internal static class IsoOracles
{
    public static string Run(string tool, string args, string workDir = null)
    {
        var (code, so, se) = ExternalTools.Run(tool, args, 60_000, workDir);
        Assert.True(code == 0, $"{tool} {args} exited {code}: {se}");
        return so + se;
    }

    /// <summary><c>isoinfo -l</c>: path → (size, LBA, directory?) for every entry but "." and "..".</summary>
    public static Dictionary<string, (long Size, uint Lba, bool Dir)> IsoInfoListing(string iso)
    {
        var result = new Dictionary<string, (long, uint, bool)>(StringComparer.Ordinal);
        string dir = null;
        var line = new Regex(@"^\S+\s+\d+\s+\d+\s+\d+\s+(\d+)\s+\w{3}\s+\d+\s+\d{4}\s+\[\s*(\d+)\s+([0-9a-fA-F]+)\]\s\s(.+?)\s*$");
        foreach (var l in Run("isoinfo", $"-l -i \"{iso}\"").Split('\n'))
        {
            if (l.StartsWith("Directory listing of ", StringComparison.Ordinal)) { dir = l.Substring(21).Trim().Trim('/'); continue; }
            var m = line.Match(l);
            if (!m.Success) continue;
            var name = m.Groups[4].Value;
            if (name == "." || name == "..") continue;
            int semi = name.IndexOf(';');
            if (semi >= 0) name = name.Substring(0, semi);
            name = name.TrimEnd('.');
            bool isDir = (Convert.ToInt32(m.Groups[3].Value, 16) & 2) != 0;
            result[dir.Length == 0 ? name : dir + "/" + name] = (long.Parse(m.Groups[1].Value), uint.Parse(m.Groups[2].Value), isDir);
        }
        return result;
    }

    /// <summary><c>7z l -slt</c>: file path → size (directories and the synthetic [BOOT] entries left out).</summary>
    public static Dictionary<string, long> SevenZipListing(string iso)
    {
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        var text = Run("7z", $"l -slt \"{iso}\"");
        int listStart = text.IndexOf("----------", StringComparison.Ordinal);
        Assert.True(listStart >= 0, text);
        foreach (var block in text.Substring(listStart).Split(new[] { "\n\n" }, StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = block.Split('\n').Select(l => l.Split(new[] { " = " }, 2, StringSplitOptions.None))
                .Where(p => p.Length == 2).GroupBy(p => p[0]).ToDictionary(g => g.Key, g => g.First()[1].Trim());
            if (!fields.TryGetValue("Path", out var path) || fields.GetValueOrDefault("Folder") == "+") continue;
            if (path.StartsWith("[BOOT]", StringComparison.Ordinal)) continue;
            result[path] = long.Parse(fields["Size"]);
        }
        return result;
    }

    /// <summary>Our reader's view in the same shape as <see cref="IsoInfoListing"/>.</summary>
    public static Dictionary<string, (long Size, uint Lba, bool Dir)> OurListing(IsoReader r)
    {
        var result = new Dictionary<string, (long, uint, bool)>(StringComparer.Ordinal);
        void Walk(IsoDirectoryEntry d)
        {
            foreach (var c in d.Children)
            {
                if (c is IsoDirectoryEntry sub) { result[sub.Path] = (sub.Size, sub.Lba, true); Walk(sub); }
                else { var f = (IsoFileEntry)c; result[f.Path] = (f.Size, f.Lba, false); }
            }
        }
        Walk(r.Root);
        return result;
    }

    /// <summary>Writes files to a folder tree (ISO paths become relative paths).</summary>
    public static void WriteTree(string root, IDictionary<string, byte[]> files)
    {
        foreach (var kv in files)
        {
            var p = Path.Combine(root, kv.Key.Replace('/', Path.DirectorySeparatorChar));
            Directory.CreateDirectory(Path.GetDirectoryName(p));
            File.WriteAllBytes(p, kv.Value);
        }
    }
}
