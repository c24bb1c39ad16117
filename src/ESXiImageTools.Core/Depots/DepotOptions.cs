using System;
using System.IO;
using System.Net;

namespace ESXiImageTools.Core.Depots;

/// <summary>Size bounds applied to untrusted depot input (zip entries, XML, metadata).</summary>
public sealed record DepotLimits
{
    /// <summary>Largest XML document read (index, vendor index, bulletin, descriptor, profile).</summary>
    public long MaxXmlBytes { get; init; } = 16L << 20;
    /// <summary>Largest metadata zip.</summary>
    public long MaxMetadataBytes { get; init; } = 512L << 20;
    /// <summary>Largest single zip entry (a VIB or an inner bundle) read or extracted.</summary>
    public long MaxEntryBytes { get; init; } = 16L << 30;
    /// <summary>Largest uncompressed/compressed ratio allowed for entries above <see cref="RatioFloorBytes"/>.</summary>
    public double MaxCompressionRatio { get; init; } = 200;
    /// <summary>Entries smaller than this are not ratio-checked (small XML compresses well).</summary>
    public long RatioFloorBytes { get; init; } = 1L << 20;
    /// <summary>Most entries a zip may have.</summary>
    public int MaxEntries { get; init; } = 200_000;
    /// <summary>Most bytes a single HTTP metadata document (index, vendor index, metadata zip) may have.</summary>
    public long MaxDownloadBytes { get; init; } = 16L << 30;
    /// <summary>Most bytes kept in the cache's partial/ (resumable downloads); older ones go first.</summary>
    public long MaxPartialCacheBytes { get; init; } = 4L << 30;
    /// <summary>Most bytes kept in the cache's extracted/ (inner bundles of wrapped zips); older ones go first.</summary>
    public long MaxExtractedCacheBytes { get; init; } = 4L << 30;
    /// <summary>Partial downloads and extracted copies not touched for this long are deleted.</summary>
    public TimeSpan CacheEntryMaxAge { get; init; } = TimeSpan.FromDays(7);

    public static DepotLimits Default { get; } = new DepotLimits();
}

/// <summary>How depots are reached: credentials, proxy, timeouts, retries, caching.</summary>
public sealed record DepotOptions
{
    /// <summary>Credentials for the depot server (HTTP basic/negotiate), or null.</summary>
    public NetworkCredential Credential { get; init; }

    /// <summary>An explicit proxy; null means HTTPS_PROXY/HTTP_PROXY/NO_PROXY when set, else the system proxy.</summary>
    public Uri Proxy { get; init; }

    /// <summary>Credentials for <see cref="Proxy"/> (or for the environment/system proxy).</summary>
    public NetworkCredential ProxyCredential { get; init; }

    /// <summary>Set to false to connect directly even when a system/environment proxy exists.</summary>
    public bool UseProxy { get; init; } = true;

    /// <summary>Longest wait for a response or for the next bytes of a body (a stall longer than this fails).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Longest time one file keeps being retried after failures: no new attempt starts past it, so a stalled server
    /// fails a command within about <see cref="Deadline"/> + <see cref="Timeout"/> instead of (retries + 1) × timeout.
    /// </summary>
    public TimeSpan Deadline { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>
    /// Slowest transfer still waited for: a file's whole download, retries included, must end within
    /// <see cref="Deadline"/> plus its size at this rate, so a server that trickles a byte at a time is cut off.
    /// </summary>
    public long MinimumBytesPerSecond { get; init; } = 64 * 1024;

    /// <summary>Per-user cache for online metadata, downloaded VIBs and extracted inner bundles; null = default location.</summary>
    public string CacheDirectory { get; init; }

    /// <summary>How many times a failed transfer (connection error, 5xx, timeout) is retried.</summary>
    public int Retries { get; init; } = 3;

    /// <summary>First retry delay; doubled for each further attempt.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    public DepotLimits Limits { get; init; } = DepotLimits.Default;

    public static DepotOptions Default { get; } = new DepotOptions();

    /// <summary>The cache directory to use: <see cref="CacheDirectory"/>, else a per-user default
    /// (%LOCALAPPDATA%\ESXiImageTools\cache on Windows, $XDG_CACHE_HOME or ~/.cache/esximagetools elsewhere).</summary>
    public string ResolveCacheDirectory()
    {
        if (!string.IsNullOrEmpty(CacheDirectory)) return Path.GetFullPath(CacheDirectory);
        // Windows: %LOCALAPPDATA% (~40 characters) + \ESXiImageTools\cache\vibs\by-url\ + 64 hex + ".vib" and a temp
        // suffix stays near 170, under Windows PowerShell 5.1's 260-character limit. Not tested on Windows: no host here.
        if (Path.DirectorySeparatorChar == '\\')
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "ESXiImageTools", "cache");
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        if (!string.IsNullOrEmpty(xdg)) return Path.Combine(xdg, "esximagetools");
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (string.IsNullOrEmpty(home)) home = Path.GetTempPath();
        return Path.Combine(home, ".cache", "esximagetools");
    }
}

/// <summary>What a depot operation is doing, for progress bars.</summary>
public enum DepotStage
{
    ReadingIndex,
    ReadingMetadata,
    Downloading,
    Verifying,
    Extracting,
    Done,
}

/// <summary>A progress report from depot loading or downloading. Locations never hold secrets.</summary>
public sealed record DepotProgress
{
    public string Source { get; init; }
    public DepotStage Stage { get; init; }
    /// <summary>The file, entry or URL being worked on (redacted).</summary>
    public string Item { get; init; }
    public long BytesDone { get; init; }
    /// <summary>Total bytes, or -1 when unknown.</summary>
    public long BytesTotal { get; init; } = -1;

    public override string ToString() => BytesTotal > 0 ? $"{Stage} {Item} {BytesDone}/{BytesTotal}" : $"{Stage} {Item}";
}
