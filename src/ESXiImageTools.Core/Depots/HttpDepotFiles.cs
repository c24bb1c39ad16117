using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using ESXiImageTools.Core.Packages;

namespace ESXiImageTools.Core.Depots;

/// <summary>Content whose bytes live remotely and are fetched into a local cache on first use.</summary>
public interface IRemoteVibContent : IVibContent
{
    /// <summary>True when a verified copy is already in the local cache.</summary>
    bool IsCached { get; }

    /// <summary>Downloads (and verifies) the VIB into the cache unless it is there; returns the cached path.</summary>
    Task<string> FetchAsync(IProgress<DepotProgress> progress = null, CancellationToken cancellationToken = default);
}

/// <summary>An online depot's files over HTTP(S), metadata through the revalidating cache.</summary>
internal sealed class HttpDepotFiles : IDepotFiles
{
    private readonly HttpDepotClient _client;
    private readonly DepotLimits _limits;

    public HttpDepotFiles(Uri indexUri, DepotOptions options)
    {
        _limits = (options ?? DepotOptions.Default).Limits;
        IndexUri = indexUri;
        Source = UrlRedactor.Redact(indexUri);
        _client = new HttpDepotClient(options, indexUri);
    }

    public string Source { get; }
    public Uri IndexUri { get; }
    public string Display(Uri uri) => UrlRedactor.Redact(uri);

    public Stream OpenDocument(Uri uri, string role, long maxBytes, CancellationToken cancellationToken)
    {
        var path = _client.GetMetadataFile(uri, maxBytes, cancellationToken);
        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
    }

    public Stream OpenMetadataZip(Uri uri, CancellationToken cancellationToken)
    {
        var path = _client.GetMetadataFile(uri, _limits.MaxMetadataBytes, cancellationToken);
        var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return fs;
    }

    public void Discard(Uri uri) => _client.Cache.DiscardMetadata(uri);

    public IVibContent VibContent(Uri uri, Vib vib, out string missingReason)
    {
        missingReason = null;
        return new HttpVibContent(_client, uri, vib.VibSha256, vib.PackedSize, vib.Id);
    }

    // The client stays alive: the depot's packages download through it later.
    public void Dispose() { }
}

/// <summary>A VIB of an online depot: downloaded on first open into the content-addressed cache, verified by sha-256.</summary>
internal sealed class HttpVibContent : VibContentBase, IRemoteVibContent
{
    private readonly HttpDepotClient _client;
    private readonly Uri _url;
    private readonly string _sha256;
    private readonly long? _size;
    private readonly string _vibId;

    public HttpVibContent(HttpDepotClient client, Uri url, string sha256, long? size, string vibId)
    {
        _client = client;
        _url = url;
        _sha256 = sha256;
        _size = size;
        _vibId = vibId;
    }

    public override string Location => UrlRedactor.Redact(_url);

    public bool IsCached => _client.Cache.HasVib(_sha256);

    public Task<string> FetchAsync(IProgress<DepotProgress> progress = null, CancellationToken cancellationToken = default)
        => _client.GetVibAsync(_url, _sha256, _size, _vibId, progress, cancellationToken);

    public override Stream OpenVibFile(CancellationToken cancellationToken = default)
    {
        var path = Task.Run(() => FetchAsync(null, cancellationToken)).GetAwaiter().GetResult();
        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920);
    }
}
