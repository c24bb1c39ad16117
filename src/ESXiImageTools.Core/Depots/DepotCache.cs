using System;
using System.Collections.Concurrent;
using System.IO;
using System.IO.Compression;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using ESXiImageTools.Core.Depots.Zip;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.IO;

namespace ESXiImageTools.Core.Depots;

/// <summary>
/// The per-user depot cache on disk (<see cref="DepotOptions.ResolveCacheDirectory"/>): online metadata with its
/// revalidation headers (metadata/), VIBs by sha-256, or by URL when the depot gives none (vibs/), resumable
/// downloads (partial/) and inner bundles extracted from wrapped zips (extracted/). A VIB enters vibs/ only after its
/// sha-256 (or, without one, its size) matched; everything else is replaced atomically, so a reader never sees half a file.
/// </summary>
public sealed class DepotCache
{
    // One writer per entry in this process; other processes are kept apart by atomic renames.
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Gates = new ConcurrentDictionary<string, SemaphoreSlim>(StringComparer.Ordinal);

    private readonly DepotLimits _limits;

    /// <summary>The cache of <paramref name="options"/> (its <see cref="DepotOptions.CacheDirectory"/> or the per-user default).</summary>
    public DepotCache(DepotOptions options)
    {
        options ??= DepotOptions.Default;
        Root = options.ResolveCacheDirectory();
        _limits = options.Limits;
    }

    /// <summary>The cache root (metadata/, vibs/, partial/ and extracted/ below it).</summary>
    public string Root { get; }

    private string MetadataFolder => Path.Combine(Root, "metadata");
    private string PartialFolder => Path.Combine(Root, "partial");
    private string ExtractedFolder => Path.Combine(Root, "extracted");

    /// <summary>
    /// Removes what interrupted downloads left: resumable partial files past their age or over the size bound, and
    /// metadata temp files of downloads that were killed (kill -9, power loss), which are never resumed.
    /// </summary>
    public void PruneAbandonedDownloads()
    {
        CacheJanitor.Prune(PartialFolder, _limits.CacheEntryMaxAge, _limits.MaxPartialCacheBytes);
        CacheJanitor.Prune(MetadataFolder, CacheJanitor.StaleTempAge, long.MaxValue, "*.tmp");
    }

    /// <summary>The cache path a verified VIB with this sha-256 has (whether or not it is there yet).</summary>
    public string VibPath(string sha256)
    {
        var s = sha256.ToLowerInvariant();
        return Path.Combine(Root, "vibs", s.Substring(0, 2), s + ".vib");
    }

    /// <summary>True when a VIB with this sha-256 is in the cache (it was verified on the way in).</summary>
    public bool HasVib(string sha256) => IsSha256(sha256) && File.Exists(VibPath(sha256));

    /// <summary>The cache entry of the VIB at <paramref name="url"/>: by sha-256 when it is known, else by URL.</summary>
    internal CachedVib Vib(Uri url, string sha256)
        => IsSha256(sha256)
            ? new CachedVib(this, VibPath(sha256), sha256.ToLowerInvariant())
            : new CachedVib(this, Path.Combine(Root, "vibs", "by-url", UrlKey(url) + ".vib"), null);

    /// <summary>The cache entry of the metadata file at <paramref name="url"/>.</summary>
    internal CachedMetadata Metadata(Uri url) => new CachedMetadata(MetadataFolder, UrlKey(url));

    /// <summary>Removes a cached metadata file that its reader rejected, so only data that parsed stays cached.</summary>
    public void DiscardMetadata(Uri url) => Metadata(url).Discard();

    /// <summary>
    /// A copy of a zip entry (an inner bundle of a wrapped zip) as a file of its own, for a zip reader needs random
    /// access. The name derives from the outer file's identity (path, length, time written) and the entry's, so
    /// reopening the same file reuses the copy; the least recently used copies go first when extracted/ is full.
    /// </summary>
    internal string ExtractedZip(string outerPath, ZipArchiveEntry entry, IProgress<DepotProgress> progress, CancellationToken ct)
    {
        var fi = new FileInfo(outerPath);
        var key = Digests.Sha256Hex(Encoding.UTF8.GetBytes($"{fi.FullName}|{fi.Length}|{fi.LastWriteTimeUtc.Ticks}|{entry.FullName}|{entry.Length}|{entry.CompressedLength}"));
        var dir = ExtractedFolder;
        Directory.CreateDirectory(dir);
        var target = Path.Combine(dir, key + ".zip");
        if (File.Exists(target) && new FileInfo(target).Length == entry.Length)
        {
            // Mark it used, so pruning removes the least recently used copies first.
            try { File.SetLastWriteTimeUtc(target, DateTime.UtcNow); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            return target;
        }
        CacheJanitor.Prune(dir, _limits.CacheEntryMaxAge, Math.Max(0, _limits.MaxExtractedCacheBytes - entry.Length));
        progress?.Report(new DepotProgress { Source = outerPath, Stage = DepotStage.Extracting, Item = entry.FullName, BytesTotal = entry.Length });
        var tmp = target + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            using (var src = ZipReading.OpenEntry(entry, outerPath, _limits, _limits.MaxEntryBytes))
            using (var dst = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920))
                StreamUtil.Copy(src, dst, new byte[81920], ct);
            FileReplacer.Replace(tmp, target, ct);
        }
        catch (InvalidDataException e)
        {
            throw DepotErrors.Invalid(outerPath, entry.FullName, "corrupt zip entry: " + e.Message, e);
        }
        finally { TryDelete(tmp); }
        return target;
    }

    /// <summary>Waits until this process holds the entry at <paramref name="path"/>; disposing the result lets it go.</summary>
    internal static async Task<IDisposable> LockAsync(string path, CancellationToken ct)
    {
        var gate = Gates.GetOrAdd(path, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct).ConfigureAwait(false);
        return new Release(gate);
    }

    internal static bool IsSha256(string sha256) => !string.IsNullOrEmpty(sha256) && sha256.Length == 64;

    private static string UrlKey(Uri url) => Digests.Sha256Hex(Encoding.UTF8.GetBytes(url.AbsoluteUri));

    internal static void TryDelete(string path)
    {
        try { if (File.Exists(path)) File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    internal string PreparePartial(string finalPath)
    {
        Directory.CreateDirectory(PartialFolder);
        Directory.CreateDirectory(Path.GetDirectoryName(finalPath));
        return Path.Combine(PartialFolder, Path.GetFileName(finalPath) + ".part");
    }

    private sealed class Release : IDisposable
    {
        private SemaphoreSlim _gate;
        public Release(SemaphoreSlim gate) { _gate = gate; }
        public void Dispose() => Interlocked.Exchange(ref _gate, null)?.Release();
    }
}

/// <summary>
/// One VIB's place in the <see cref="DepotCache"/>: the final file, and the partial file a download resumes into.
/// The partial file becomes the final one only through <see cref="Admit"/>, which checks it first.
/// </summary>
internal sealed class CachedVib
{
    private readonly DepotCache _cache;

    internal CachedVib(DepotCache cache, string path, string sha256)
    {
        _cache = cache;
        Path = path;
        Sha256 = sha256;
    }

    /// <summary>Where the checked file is (or will be).</summary>
    public string Path { get; }

    /// <summary>The sha-256 the file is checked against; null for a VIB kept by URL (only its size is checked).</summary>
    public string Sha256 { get; }

    public bool IsPresent => File.Exists(Path);

    public Task<IDisposable> LockAsync(CancellationToken ct) => DepotCache.LockAsync(Path, ct);

    /// <summary>The partial file to download into (its folders created); a download resumes from what it holds.</summary>
    public string PartialPath() => _cache.PreparePartial(Path);

    /// <summary>
    /// Checks the partial file (sha-256, else the expected <paramref name="size"/>) and moves it into place; a file that
    /// fails is deleted and nothing enters the cache. <paramref name="location"/> and <paramref name="vibId"/> name it in errors.
    /// </summary>
    public string Admit(string location, string vibId, long? size)
    {
        var part = PartialPath();
        if (Sha256 != null)
        {
            string actual;
            using (var fs = new FileStream(part, FileMode.Open, FileAccess.Read, FileShare.Read, 81920))
                actual = Digests.Sha256Hex(fs);
            if (!string.Equals(actual, Sha256, StringComparison.OrdinalIgnoreCase))
            {
                DepotCache.TryDelete(part);
                throw new EsxChecksumException(location, vibId, "(whole .vib file)", "sha-256", Sha256, actual);
            }
        }
        else if (size.HasValue && new FileInfo(part).Length != size.Value)
        {
            var got = new FileInfo(part).Length;
            DepotCache.TryDelete(part);
            throw new EsxFormatException(ErrorCodes.VibSizeMismatch, location, null, $"downloaded {got} bytes, the metadata says {size.Value}");
        }
        try { File.Move(part, Path); }
        catch (IOException) when (File.Exists(Path)) { DepotCache.TryDelete(part); }
        return Path;
    }
}

/// <summary>
/// One metadata file's place in the <see cref="DepotCache"/>: its data, and the ETag / Last-Modified the server sent
/// with it, for a conditional request next time.
/// </summary>
internal sealed class CachedMetadata
{
    private readonly string _folder;
    private readonly string _key;
    private readonly string _validators;

    internal CachedMetadata(string folder, string key)
    {
        _folder = folder;
        _key = key;
        DataPath = Path.Combine(folder, key + ".data");
        _validators = Path.Combine(folder, key + ".meta");
    }

    /// <summary>The cached file.</summary>
    public string DataPath { get; }

    /// <summary>True when both the data and its validators are there (one without the other counts as absent).</summary>
    public bool IsPresent => File.Exists(DataPath) && File.Exists(_validators);

    public Task<IDisposable> LockAsync(CancellationToken ct) => DepotCache.LockAsync(DataPath, ct);

    /// <summary>The ETag and Last-Modified stored with the data (null or empty when the server sent none, or when they are gone).</summary>
    public (string ETag, string LastModified) ReadValidators()
    {
        string etag = null, lastModified = null;
        string[] lines;
        // Another process may be replacing the entry (it deletes the validators first): then nothing is known, and the
        // request goes out unconditional.
        try { lines = File.ReadAllLines(_validators); }
        catch (IOException) { return (null, null); }
        catch (UnauthorizedAccessException) { return (null, null); }
        foreach (var line in lines)
        {
            if (line.StartsWith("etag:", StringComparison.Ordinal)) etag = line.Substring(5);
            else if (line.StartsWith("last-modified:", StringComparison.Ordinal)) lastModified = line.Substring(14);
        }
        return (etag, lastModified);
    }

    /// <summary>A new temp file beside the entry to download into (the folder created); pass it to <see cref="Store"/>.</summary>
    public string NewTempPath()
    {
        Directory.CreateDirectory(_folder);
        return Path.Combine(_folder, _key + "." + Guid.NewGuid().ToString("N") + ".tmp");
    }

    /// <summary>Replaces the cached data with <paramref name="temp"/> and records its validators.</summary>
    public void Store(string temp, string etag, string lastModified, CancellationToken ct)
    {
        // The old validators go first: data with another file's validators would be revalidated as if it were that file.
        DepotCache.TryDelete(_validators);
        FileReplacer.Replace(temp, DataPath, ct);
        File.WriteAllLines(_validators, new[] { "etag:" + (etag ?? ""), "last-modified:" + (lastModified ?? "") });
    }

    public void Discard()
    {
        DepotCache.TryDelete(DataPath);
        DepotCache.TryDelete(_validators);
    }
}
