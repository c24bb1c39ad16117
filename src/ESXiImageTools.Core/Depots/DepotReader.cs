using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using ESXiImageTools.Core.Depots.Zip;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.IO;
using ESXiImageTools.Core.Packages;

namespace ESXiImageTools.Core.Depots;

/// <summary>
/// Opens any depot source: an offline bundle or ESXi 7 component zip, a zip wrapping bundles, a loose .vib,
/// a folder of .vib files and bundles (or an unpacked depot), or an online depot URL. Either the depot loads or a
/// typed <see cref="EsxException"/> names the source and the problem; a package the metadata names but the source
/// lacks does not fail the load: it is listed in <see cref="Depot.UnavailablePackages"/>.
/// </summary>
public static class DepotReader
{
    /// <summary>Opens <paramref name="source"/> (path, <c>zip:path?index.xml</c>, file: URI or http(s) URL).</summary>
    public static Depot Open(string source, DepotOptions options = null, IProgress<DepotProgress> progress = null, CancellationToken cancellationToken = default)
    {
        options ??= DepotOptions.Default;
        if (string.IsNullOrWhiteSpace(source))
            throw new EsxException(ErrorCodes.DepotInvalid, EsxErrorCategory.InvalidArgument, "no depot source given");
        var s = ZipFormPath(source.Trim()) ?? source.Trim();
        if (Uri.TryCreate(s, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
            return OpenOnline(uri, options, progress, cancellationToken);
        if (uri != null && uri.IsFile && s.StartsWith("file:", StringComparison.OrdinalIgnoreCase)) s = uri.LocalPath;
        string path;
        try { path = Path.GetFullPath(s); }
        catch (Exception e) when (e is ArgumentException || e is NotSupportedException || e is PathTooLongException)
        {
            throw new EsxException(ErrorCodes.DepotInvalid, EsxErrorCategory.InvalidArgument, $"'{UrlRedactor.Redact(s)}' is neither a path nor an http(s) URL", null, e);
        }
        // First: a device (Windows' CON or NUL too) may not "exist" as a file, and must never be opened.
        FileKind.RequireFileOrFolder(path, ErrorCodes.DepotInvalid);
        if (Directory.Exists(path)) return OpenFolder(path, options, progress, cancellationToken);
        if (!File.Exists(path))
            throw new EsxException(ErrorCodes.FileNotFound, EsxErrorCategory.ObjectNotFound, $"{path}: no such file or folder", path);
        RequireReadable(path);
        return OpenFile(path, options, progress, cancellationToken);
    }

    /// <summary>
    /// The path inside ImageBuilder's normalised form of a local bundle, <c>zip:C:\path\bundle.zip?index.xml</c> (as
    /// <see cref="Depot.DepotUrl"/> prints it), or null when <paramref name="source"/> is not in that form.
    /// </summary>
    public static string ZipFormPath(string source)
    {
        if (source == null || !source.StartsWith("zip:", StringComparison.OrdinalIgnoreCase)) return null;
        var s = source.Substring(4);
        int q = s.LastIndexOf('?');
        return q >= 0 ? s.Substring(0, q) : s;
    }

    /// <summary>Opens an online depot from its index.xml / vmw-depot-index.xml URL.</summary>
    public static Depot OpenOnline(Uri indexUrl, DepotOptions options = null, IProgress<DepotProgress> progress = null, CancellationToken cancellationToken = default)
    {
        options ??= DepotOptions.Default;
        using var files = new HttpDepotFiles(indexUrl, options);
        return BundleLoader.Load(files, DepotKind.Online, options, progress, cancellationToken);
    }

    private static Depot OpenFile(string path, DepotOptions options, IProgress<DepotProgress> progress, CancellationToken ct)
    {
        var head = new byte[8];
        int n;
        bool iso;
        using (var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read))
        {
            n = fs.Read(head, 0, head.Length);
            iso = IsoDepotReader.LooksLikeIso(fs);
        }
        var magic = Encoding.ASCII.GetString(head, 0, n);
        if (magic.StartsWith("!<arch>", StringComparison.Ordinal)) return OpenVib(path);
        if (magic.StartsWith("PK", StringComparison.Ordinal)) return OpenZip(path, options, progress, ct);
        if (iso) return IsoDepotReader.Open(path, ct);
        var name = Path.GetFileName(path);
        if (name.EndsWith(".xml", StringComparison.OrdinalIgnoreCase))
        {
            using var files = new DirectoryDepotFiles(path, options.Limits);
            return BundleLoader.Load(files, DepotKind.Folder, options, progress, ct);
        }
        throw DepotErrors.Invalid(path, null, "not a VIB (ar archive), a zip, an ESXi ISO or a depot index");
    }

    /// <summary>A loose .vib as a depot of one package.</summary>
    public static Depot OpenVib(string path)
    {
        var vib = VibFile.Open(path);
        return new Depot { Source = path, Kind = DepotKind.VibFile, Packages = new[] { vib.Source == null ? vib with { Source = path } : vib } };
    }

    /// <summary>An offline bundle zip, or a zip wrapping bundle zips.</summary>
    public static Depot OpenZip(string path, DepotOptions options = null, IProgress<DepotProgress> progress = null, CancellationToken cancellationToken = default)
    {
        options ??= DepotOptions.Default;
        using var files = new ZipDepotFiles(path, path, options.Limits);
        var index = files.FindRootIndex();
        if (index != null)
        {
            files.UseIndex(index);
            return BundleLoader.Load(files, DepotKind.OfflineBundle, options, progress, cancellationToken);
        }
        var inner = files.Entries.Keys.Where(ZipSafety.IsZipName).OrderBy(k => k, StringComparer.Ordinal).ToList();
        string Holds()
        {
            var found = files.Entries.Keys.OrderBy(k => k, StringComparer.Ordinal).Take(8).ToList();
            return found.Count == 0 ? "nothing" : string.Join(", ", found) + (files.Entries.Count > found.Count ? $", … ({files.Entries.Count} entries)" : "");
        }
        if (inner.Count == 0)
            throw DepotErrors.Invalid(path, null, $"not an offline bundle (no index.xml at the root) and it wraps no bundle zip; it holds {Holds()}");
        var cache = new DepotCache(options);
        var depots = new List<Depot>();
        var notBundles = new List<string>();
        foreach (var name in inner)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var extracted = cache.ExtractedZip(path, files.Entries[name], progress, cancellationToken);
            var display = $"{path} [{name}]";
            using var innerFiles = new ZipDepotFiles(extracted, display, options.Limits);
            var innerIndex = innerFiles.FindRootIndex();
            if (innerIndex == null) { notBundles.Add(name); continue; }
            innerFiles.UseIndex(innerIndex);
            depots.Add(BundleLoader.Load(innerFiles, DepotKind.OfflineBundle, options, progress, cancellationToken));
        }
        if (depots.Count == 0)
            throw DepotErrors.Invalid(path, null, $"not an offline bundle (no index.xml at the root), and none of the zips it wraps is one; it holds {Holds()}");
        return DepotAssembler.Merge(path, DepotKind.WrappedBundle, depots);
    }

    /// <summary>An input that cannot be read is an input error naming it (not an output failure, as an untyped exception would be).</summary>
    private static void RequireReadable(string path)
    {
        try { new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1).Dispose(); }
        catch (UnauthorizedAccessException e)
        {
            throw new EsxException(ErrorCodes.DepotInvalid, EsxErrorCategory.ReadError, $"{path}: cannot be read (permission denied)", path, e);
        }
    }

    /// <summary>A folder: an unpacked depot when it holds index.xml / vmw-depot-index.xml, else its .vib files and zips (not recursive, like ESXi-Customizer-PS -pkgDir).</summary>
    public static Depot OpenFolder(string path, DepotOptions options = null, IProgress<DepotProgress> progress = null, CancellationToken cancellationToken = default)
    {
        options ??= DepotOptions.Default;
        foreach (var indexName in new[] { "index.xml", "vmw-depot-index.xml" })
        {
            var idx = Path.Combine(path, indexName);
            if (File.Exists(idx))
            {
                using var files = new DirectoryDepotFiles(idx, options.Limits);
                return BundleLoader.Load(files, DepotKind.Folder, options, progress, cancellationToken) with { Source = path };
            }
        }
        var members = Directory.GetFiles(path)
            .Where(f => f.EndsWith(".vib", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
            .OrderBy(f => f, StringComparer.Ordinal).ToList();
        if (members.Count == 0)
            throw DepotErrors.Invalid(path, null, "the folder holds no .vib files, bundle zips or index.xml");
        var depots = new List<Depot>();
        foreach (var m in members)
        {
            cancellationToken.ThrowIfCancellationRequested();
            depots.Add(m.EndsWith(".vib", StringComparison.OrdinalIgnoreCase) ? OpenVib(m) : OpenZip(m, options, progress, cancellationToken));
        }
        return DepotAssembler.Merge(path, DepotKind.Folder, depots);
    }
}
