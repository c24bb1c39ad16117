using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace ESXiImageTools.Core.Export;

/// <summary>
/// A BOOT.CFG (esx-boot's mboot configuration): ordered <c>key=value</c> lines, with comments and unknown
/// keys kept as they are. <c>modules</c> is a list separated by <c>---</c>.
/// </summary>
public sealed class BootCfg
{
    private readonly List<(string Key, string Value, string Raw)> _lines = new();

    /// <summary>Keys in the order the installer template writes them (weasel cache.py).</summary>
    public static readonly IReadOnlyList<string> TemplateOrder = new[]
        { "bootstate", "title", "timeout", "prefix", "kernel", "kernelopt", "modules", "build", "updated" };

    /// <summary>Parses BOOT.CFG text. Comments and lines without '=' are kept verbatim.</summary>
    public static BootCfg Parse(string text)
    {
        var cfg = new BootCfg();
        foreach (var raw in (text ?? "").Replace("\r\n", "\n").Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0) continue;
            int eq = line.IndexOf('=');
            if (line.StartsWith("#", StringComparison.Ordinal) || eq <= 0) cfg._lines.Add((null, null, raw));
            else cfg._lines.Add((line.Substring(0, eq).Trim(), line.Substring(eq + 1).Trim(), null));
        }
        return cfg;
    }

    /// <summary>The value of a key, or null; setting null removes the key.</summary>
    public string this[string key]
    {
        get => _lines.FirstOrDefault(l => l.Key == key).Value;
        set
        {
            int i = _lines.FindIndex(l => l.Key == key);
            if (value == null) { if (i >= 0) _lines.RemoveAt(i); return; }
            if (i >= 0) _lines[i] = (key, value, null);
            else Insert(key, value);
        }
    }

    public IEnumerable<string> Keys => _lines.Where(l => l.Key != null).Select(l => l.Key);

    /// <summary>The module items (file name plus options, as written) in boot order.</summary>
    public IReadOnlyList<string> Modules
    {
        get => SplitModules(this["modules"]);
        set => this["modules"] = string.Join(" --- ", value);
    }

    /// <summary>Splits a <c>modules=</c> value at <c>---</c>, trimming whitespace (mboot config.c parse_filelist).</summary>
    public static IReadOnlyList<string> SplitModules(string value)
        => string.IsNullOrWhiteSpace(value)
            ? Array.Empty<string>()
            : value.Split(new[] { "---" }, StringSplitOptions.None).Select(m => m.Trim()).Where(m => m.Length > 0).ToList();

    /// <summary>The file name of a module item (the part before any module options).</summary>
    public static string ModuleFileName(string item)
    {
        var t = item.Trim();
        int sp = t.IndexOfAny(new[] { ' ', '\t' });
        return sp < 0 ? t : t.Substring(0, sp);
    }

    public override string ToString()
    {
        var sb = new StringBuilder();
        foreach (var (key, value, raw) in _lines) sb.Append(key == null ? raw.TrimEnd() : key + "=" + value).Append('\n');
        return sb.ToString();
    }

    // New keys go where the installer template puts them, so generated files read like VMware's.
    private void Insert(string key, string value)
    {
        int rank = Rank(key);
        int at = _lines.Count;
        if (rank >= 0)
        {
            for (int i = 0; i < _lines.Count; i++)
            {
                if (Rank(_lines[i].Key) > rank) { at = i; break; }
            }
        }
        _lines.Insert(at, (key, value, null));
    }

    private static int Rank(string key)
    {
        if (key == null) return -1;
        for (int i = 0; i < TemplateOrder.Count; i++) if (TemplateOrder[i] == key) return i;
        return -1;
    }
}
