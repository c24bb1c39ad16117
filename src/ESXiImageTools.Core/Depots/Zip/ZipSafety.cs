using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using ESXiImageTools.Core.IO;

namespace ESXiImageTools.Core.Depots.Zip;

/// <summary>
/// Checks applied to every zip a depot opens, before any entry is used: entry names that could escape an
/// extraction root (<c>..</c>, absolute paths, drive letters) and compression bombs (declared sizes and ratios).
/// Reads through <see cref="OpenBounded"/> then enforce the declared size on the actual bytes too.
/// </summary>
internal static class ZipSafety
{
    /// <summary>Normalised entry name (forward slashes); throws DepotUnsafeEntry for escaping names.</summary>
    public static string CheckName(string name, string source)
    {
        if (name == null) throw DepotErrors.UnsafeEntry(source, "(null)", "zip entry without a name");
        var n = name.Replace('\\', '/');
        foreach (var c in n)
            if (char.IsControl(c))
                throw DepotErrors.UnsafeEntry(source, name, $"zip entry name contains the control character U+{(int)c:X4}");
        if (n.StartsWith("/", StringComparison.Ordinal) || (n.Length >= 2 && n[1] == ':'))
            throw DepotErrors.UnsafeEntry(source, name, "zip entry has an absolute path");
        foreach (var seg in n.Split('/'))
            if (seg == "..")
                throw DepotErrors.UnsafeEntry(source, name, "zip entry name contains '..' (would escape the extraction root)");
        return n;
    }

    /// <summary>
    /// Checks every entry's name and declared sizes; returns a name → entry map. Two entries whose names differ at
    /// most in case are refused (DepotUnsafeEntry): readers disagree on which one wins (ours read the first,
    /// unzip and Python the last), so such a zip can show one tool different content than another.
    /// </summary>
    public static Dictionary<string, ZipArchiveEntry> Index(ZipArchive zip, string source, DepotLimits limits)
    {
        var map = new Dictionary<string, ZipArchiveEntry>(StringComparer.Ordinal);
        var folded = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        int count = 0;
        foreach (var e in zip.Entries)
        {
            if (++count > limits.MaxEntries)
                throw DepotErrors.TooLarge(source, null, $"zip has more than {limits.MaxEntries} entries");
            var n = CheckName(e.FullName, source);
            CheckSize(e, source, limits, limits.MaxEntryBytes);
            if (n.EndsWith("/", StringComparison.Ordinal)) continue;
            if (folded.TryGetValue(n, out var earlier))
                throw DepotErrors.UnsafeEntry(source, n, earlier == n
                    ? "the zip holds this entry twice (tools disagree on which copy counts)"
                    : $"the zip holds this entry and '{earlier}', names that differ only in case (tools disagree on which counts)");
            folded[n] = n;
            map[n] = e;
        }
        return map;
    }

    /// <summary>Throws DepotTooLarge when an entry declares more than <paramref name="max"/> bytes or an implausible ratio.</summary>
    public static void CheckSize(ZipArchiveEntry e, string source, DepotLimits limits, long max)
        => CheckSize(e.FullName, e.Length, e.CompressedLength, source, limits, max);

    /// <summary>The same check from an entry's name and declared sizes (for entries read without ZipArchive).</summary>
    public static void CheckSize(string name, long length, long compressedLength, string source, DepotLimits limits, long max)
    {
        if (length > max)
            throw DepotErrors.TooLarge(source, name, $"entry expands to {length} bytes, more than the limit of {max}");
        if (length > limits.RatioFloorBytes)
        {
            double ratio = compressedLength <= 0 ? double.PositiveInfinity : (double)length / compressedLength;
            if (ratio > limits.MaxCompressionRatio)
                throw DepotErrors.TooLarge(source, name,
                    $"entry expands {ratio:0}x ({compressedLength} → {length} bytes), more than the allowed ratio {limits.MaxCompressionRatio:0} (compression bomb?)");
        }
    }

    /// <summary>Opens an entry so that reading past its declared size (a lying header) fails with DepotTooLarge.</summary>
    public static Stream OpenBounded(ZipArchiveEntry e, string source, DepotLimits limits, long max)
    {
        CheckSize(e, source, limits, max);
        var name = e.FullName;
        // A corrupt deflate stream surfaces while a parser reads, far from here: translate it at the source.
        var decoded = new DecoderFaultStream(e.Open(), ex => DepotErrors.Invalid(source, name, "corrupt zip entry: " + DecoderFaults.Describe(ex), ex));
        return new LimitedReadStream(decoded, e.Length,
            onExceeded: () => DepotErrors.TooLarge(source, name, $"entry yields more bytes than its declared {e.Length}"),
            length: e.Length, ownsInner: true);
    }

    public static bool IsZipName(string name) => name.EndsWith(".zip", StringComparison.OrdinalIgnoreCase);

    /// <summary>Looks an entry up by exact name, then ignoring case (some writers differ in case from the metadata).</summary>
    public static ZipArchiveEntry Find(Dictionary<string, ZipArchiveEntry> index, string name)
    {
        if (index.TryGetValue(name, out var e)) return e;
        return index.FirstOrDefault(kv => string.Equals(kv.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
    }
}
