using System;
using System.Collections.Generic;
using System.Text;
using ESXiImageTools.Core.Diagnostics;

namespace ESXiImageTools.Core.Iso;

/// <summary>
/// ISO 9660 Level 1 naming rules as ESXi media use them: upper-case d-characters (A–Z, 0–9, _),
/// files <c>NAME.EXT</c> with NAME 1–8 and EXT 0–3 characters, directories 1–8 characters without a dot,
/// at most 8 directory levels counting the root, paths at most 255 characters.
/// Strict on write; the reader is lenient and does not use this class.
/// </summary>
public static class IsoNames
{
    /// <summary>Most directory levels ECMA-119 6.8.2.1 allows, the root being level 1.</summary>
    public const int MaxDirectoryLevels = 8;

    /// <summary>Longest path ECMA-119 allows (6.8.2.1).</summary>
    public const int MaxPathLength = 255;

    /// <summary>True for A–Z, 0–9 and underscore (ECMA-119 7.4.1 d-characters).</summary>
    public static bool IsDCharacter(char c) => (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';

    /// <summary>
    /// A volume id from free text (a profile or folder name): upper case, d-characters plus '-' and '.' as ESXi media
    /// use them (anything else becomes '_'), at most 32 characters; <paramref name="fallback"/> when the text is empty.
    /// </summary>
    public static string ToVolumeId(string text, string fallback)
    {
        var sb = new StringBuilder();
        foreach (var c in (text ?? "").ToUpperInvariant()) sb.Append(IsDCharacter(c) || c == '-' || c == '.' ? c : '_');
        var id = sb.ToString();
        return id.Length == 0 ? fallback : id.Length > 32 ? id.Substring(0, 32) : id;
    }

    /// <summary>True when <paramref name="name"/> is a valid Level 1 file name (<c>NAME</c> or <c>NAME.EXT</c>, no version).</summary>
    public static bool IsValidFileName(string name)
    {
        if (string.IsNullOrEmpty(name)) return false;
        int dot = name.IndexOf('.');
        string stem = dot < 0 ? name : name.Substring(0, dot);
        string ext = dot < 0 ? "" : name.Substring(dot + 1);
        return stem.Length >= 1 && stem.Length <= 8 && ext.Length <= 3 && (dot < 0 || ext.Length > 0) && AllD(stem) && AllD(ext);
    }

    /// <summary>True when <paramref name="name"/> is a valid Level 1 directory name (1–8 d-characters).</summary>
    public static bool IsValidDirectoryName(string name)
        => !string.IsNullOrEmpty(name) && name.Length <= 8 && AllD(name);

    /// <summary>
    /// Splits an ISO path (<c>EFI/BOOT/BOOTX64.EFI</c>, leading '/' optional) into validated components.
    /// Throws <see cref="EsxException"/> <see cref="ErrorCodes.IsoLayoutInvalid"/> naming the path when it breaks a rule.
    /// </summary>
    public static IReadOnlyList<string> SplitPath(string path, bool isDirectory)
    {
        if (path == null) throw Invalid("(null)", "the path is missing");
        var trimmed = path.StartsWith("/", StringComparison.Ordinal) ? path.Substring(1) : path;
        if (trimmed.Length == 0) throw Invalid(path, "the path is empty (the root cannot be added)");
        if (path.Length > MaxPathLength) throw Invalid(path, $"the path is longer than {MaxPathLength} characters");
        var parts = trimmed.Split('/');
        int dirCount = isDirectory ? parts.Length : parts.Length - 1;
        if (dirCount + 1 > MaxDirectoryLevels)
            throw Invalid(path, $"the path is nested deeper than {MaxDirectoryLevels} directory levels (the root counts as one)");
        for (int i = 0; i < parts.Length; i++)
        {
            var p = parts[i];
            bool dir = isDirectory || i < parts.Length - 1;
            if (p.Length == 0) throw Invalid(path, "the path has an empty component");
            if (dir && !IsValidDirectoryName(p))
                throw Invalid(path, $"directory name '{p}' is not ISO 9660 Level 1 (1-8 upper-case letters, digits or '_', no dot)");
            if (!dir && !IsValidFileName(p))
                throw Invalid(path, $"file name '{p}' is not ISO 9660 Level 1 8.3 (NAME 1-8, EXT 0-3 upper-case letters, digits or '_')");
        }
        return parts;
    }

    /// <summary>
    /// Orders identifiers as ECMA-119 9.3 requires: the name part, then the extension, each compared as if
    /// padded with spaces (byte order). Versions are all 1 here, so they never decide.
    /// </summary>
    public static int CompareIdentifiers(string a, string b)
    {
        Split(a, out var an, out var ae);
        Split(b, out var bn, out var be);
        int c = ComparePadded(an, bn);
        return c != 0 ? c : ComparePadded(ae, be);
    }

    internal static int ComparePadded(string a, string b)
    {
        int n = Math.Max(a.Length, b.Length);
        for (int i = 0; i < n; i++)
        {
            char x = i < a.Length ? a[i] : ' ', y = i < b.Length ? b[i] : ' ';
            if (x != y) return x < y ? -1 : 1;
        }
        return 0;
    }

    private static void Split(string id, out string name, out string ext)
    {
        int dot = id.IndexOf('.');
        name = dot < 0 ? id : id.Substring(0, dot);
        ext = dot < 0 ? "" : id.Substring(dot + 1);
    }

    private static bool AllD(string s)
    {
        foreach (var c in s) if (!IsDCharacter(c)) return false;
        return true;
    }

    internal static EsxException Invalid(string path, string problem)
        => new EsxException(ErrorCodes.IsoLayoutInvalid, EsxErrorCategory.InvalidData, $"ISO path '{path}': {problem}", path);
}
