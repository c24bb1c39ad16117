using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Threading;
using ESXiImageTools.Core.Depots.Zip;
using ESXiImageTools.Core.Packages;

namespace ESXiImageTools.Core.Depots;

/// <summary>
/// The files of one depot as URIs resolved per RFC 3986: a zip, a folder or an HTTP server.
/// The loader walks index → vendor index → metadata → VIBs through this, whatever holds the bytes.
/// </summary>
internal interface IDepotFiles : IDisposable
{
    /// <summary>Display form of the whole source (no secrets).</summary>
    string Source { get; }

    /// <summary>The index document's URI.</summary>
    Uri IndexUri { get; }

    /// <summary>Display form of one file (zip entry name, path, or redacted URL).</summary>
    string Display(Uri uri);

    /// <summary>Opens a small document (index, vendor index); throws DepotInvalid / DepotNotFound when it is missing.</summary>
    Stream OpenDocument(Uri uri, string role, long maxBytes, CancellationToken cancellationToken);

    /// <summary>Opens a metadata zip as a seekable stream.</summary>
    Stream OpenMetadataZip(Uri uri, CancellationToken cancellationToken);

    /// <summary>Access to a VIB's bytes, or null with a reason when the source lacks it.</summary>
    IVibContent VibContent(Uri uri, Vib vib, out string missingReason);

    /// <summary>Forgets a document its reader rejected (an online depot drops it from the cache; local sources keep nothing).</summary>
    void Discard(Uri uri);
}

/// <summary>Base URI helpers: zip entries are addressed as paths under a fixed, never-contacted host.</summary>
internal static class DepotUris
{
    public static readonly Uri ZipRoot = new Uri("https://bundle.invalid/");

    /// <summary>The zip entry a URI names, or null when it points outside the zip (another host, an absolute URL).</summary>
    public static string ZipEntry(Uri uri)
        => uri.IsAbsoluteUri && uri.Host == ZipRoot.Host && uri.Scheme == ZipRoot.Scheme && string.IsNullOrEmpty(uri.Query)
            ? Uri.UnescapeDataString(uri.AbsolutePath).TrimStart('/')
            : null;

    /// <summary>RFC 3986 reference resolution; a malformed reference is DepotInvalid naming who made it.</summary>
    public static Uri Resolve(Uri baseUri, string reference, string source, string member)
    {
        var r = (reference ?? "").Trim().Replace('\\', '/');
        if (Uri.TryCreate(r, UriKind.Absolute, out var abs) && (abs.Scheme == Uri.UriSchemeHttp || abs.Scheme == Uri.UriSchemeHttps))
            return abs;
        if (!Uri.TryCreate(r, UriKind.Relative, out var rel) || !Uri.TryCreate(baseUri, rel, out var resolved))
            throw DepotErrors.Invalid(source, member, $"'{UrlRedactor.Redact(reference)}' is not a valid relative reference");
        return resolved;
    }

    /// <summary>Appends '/' so a directory reference resolves children inside it.</summary>
    public static string AsDirectory(string relativePath)
    {
        var p = (relativePath ?? "").Trim().Replace('\\', '/');
        return p.Length == 0 || p.EndsWith("/", StringComparison.Ordinal) ? p : p + "/";
    }
}

/// <summary>An offline bundle zip on disk. The zip directory is read once; VIBs are opened lazily later.</summary>
internal sealed class ZipDepotFiles : IDepotFiles
{
    private readonly string _zipPath;
    private readonly DepotLimits _limits;
    private readonly FileStream _file;
    private readonly ZipArchive _zip;
    private readonly Dictionary<string, ZipArchiveEntry> _index;
    private readonly Dictionary<string, ZipDirectoryEntry> _directory; // null when ZipDirectory could not read the zip

    public ZipDepotFiles(string zipPath, string source, DepotLimits limits)
    {
        _zipPath = zipPath;
        _limits = limits;
        Source = source;
        _file = new FileStream(zipPath, FileMode.Open, FileAccess.Read, FileShare.Read);
        try
        {
            _zip = ZipReading.OpenArchive(_file, source);
            _index = ZipReading.IndexEntries(_zip, source, limits);
            _directory = ZipDirectory.TryRead(_file, limits.MaxEntries);
        }
        catch
        {
            _zip?.Dispose();
            _file.Dispose();
            throw;
        }
    }

    /// <summary>The root index entry (index.xml or vmw-depot-index.xml), or null when the zip has none.</summary>
    public string FindRootIndex()
        => _index.Keys.FirstOrDefault(k => string.Equals(k, "index.xml", StringComparison.OrdinalIgnoreCase))
           ?? _index.Keys.FirstOrDefault(k => string.Equals(k, "vmw-depot-index.xml", StringComparison.OrdinalIgnoreCase));

    /// <summary>Selects the index entry the loader starts from.</summary>
    public void UseIndex(string entry) => IndexUri = new Uri(DepotUris.ZipRoot, Uri.EscapeUriString(entry));

    /// <summary>Entries by checked name.</summary>
    internal IReadOnlyDictionary<string, ZipArchiveEntry> Entries => _index;

    /// <summary>Entry names (checked), for callers deciding what kind of zip this is.</summary>
    public IEnumerable<string> EntryNames => _index.Keys;

    public string Source { get; }
    public Uri IndexUri { get; private set; }

    public string Display(Uri uri) => DepotUris.ZipEntry(uri) ?? UrlRedactor.Redact(uri);

    public Stream OpenDocument(Uri uri, string role, long maxBytes, CancellationToken cancellationToken)
    {
        var name = DepotUris.ZipEntry(uri);
        var e = name == null ? null : ZipSafety.Find(_index, name);
        if (e == null)
            throw DepotErrors.Invalid(Source, name ?? Display(uri), $"the {role} is missing from the zip");
        return ZipReading.OpenEntry(e, Source, _limits, maxBytes);
    }

    public Stream OpenMetadataZip(Uri uri, CancellationToken cancellationToken)
    {
        var name = DepotUris.ZipEntry(uri);
        var e = name == null ? null : ZipSafety.Find(_index, name);
        if (e == null)
            throw DepotErrors.Invalid(Source, name ?? Display(uri), "the metadata zip is missing from the bundle");
        using var s = ZipReading.OpenEntry(e, Source, _limits, _limits.MaxMetadataBytes);
        return ZipReading.ToSeekable(s, e.Length, cancellationToken);
    }

    public IVibContent VibContent(Uri uri, Vib vib, out string missingReason)
    {
        var name = DepotUris.ZipEntry(uri);
        if (name == null)
        {
            missingReason = $"the metadata points outside the bundle ({UrlRedactor.Redact(uri)})";
            return null;
        }
        var e = ZipSafety.Find(_index, name);
        if (e == null)
        {
            missingReason = $"the bundle has no entry '{name}'";
            return null;
        }
        missingReason = null;
        return new ZipEntryVibContent(_zipPath, e.FullName, $"{Source} [{e.FullName}]", _limits, StoredEntry(e));
    }

    /// <summary>The entry's central-directory record when it is stored and agrees with what ZipArchive read; else null.</summary>
    internal ZipDirectoryEntry StoredEntry(ZipArchiveEntry e)
        => _directory != null && _directory.TryGetValue(e.FullName, out var d) && d != null && d.IsStored
           && d.UncompressedSize == e.Length && d.CompressedSize == e.CompressedLength
            ? d
            : null;

    public void Discard(Uri uri) { }

    public void Dispose()
    {
        _zip.Dispose();
        _file.Dispose();
    }
}

/// <summary>An unpacked depot in a folder (a folder holding index.xml), addressed through file: URIs.</summary>
internal sealed class DirectoryDepotFiles : IDepotFiles
{
    private readonly string _root;
    private readonly DepotLimits _limits;

    public DirectoryDepotFiles(string indexPath, DepotLimits limits)
    {
        _root = Path.GetDirectoryName(Path.GetFullPath(indexPath));
        _limits = limits;
        Source = Path.GetFullPath(indexPath);
        IndexUri = new Uri(Source);
    }

    public string Source { get; }
    public Uri IndexUri { get; }

    public string Display(Uri uri) => uri.IsFile ? uri.LocalPath : UrlRedactor.Redact(uri);

    private string PathOf(Uri uri)
    {
        if (!uri.IsFile) return null;
        var p = Path.GetFullPath(uri.LocalPath);
        var root = _root.EndsWith(Path.DirectorySeparatorChar.ToString(), StringComparison.Ordinal) ? _root : _root + Path.DirectorySeparatorChar;
        // References must stay inside the depot folder.
        return p.StartsWith(root, StringComparison.Ordinal) ? p : null;
    }

    public Stream OpenDocument(Uri uri, string role, long maxBytes, CancellationToken cancellationToken)
    {
        var p = PathOf(uri);
        if (p == null || !File.Exists(p)) throw DepotErrors.Invalid(Source, Display(uri), $"the {role} is missing");
        var fs = new FileStream(p, FileMode.Open, FileAccess.Read, FileShare.Read);
        if (fs.Length > maxBytes)
        {
            fs.Dispose();
            throw DepotErrors.TooLarge(Source, Display(uri), $"{fs.Length} bytes, more than the limit of {maxBytes}");
        }
        return fs;
    }

    public Stream OpenMetadataZip(Uri uri, CancellationToken cancellationToken) => OpenDocument(uri, "metadata zip", _limits.MaxMetadataBytes, cancellationToken);

    public IVibContent VibContent(Uri uri, Vib vib, out string missingReason)
    {
        var p = PathOf(uri);
        if (p == null) { missingReason = $"the metadata points outside the depot folder ({Display(uri)})"; return null; }
        if (!File.Exists(p)) { missingReason = $"no file {p}"; return null; }
        missingReason = null;
        return new FileVibContent(p);
    }

    public void Discard(Uri uri) { }

    public void Dispose() { }
}
