using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;
using ESXiImageTools.Core.Diagnostics;

namespace ESXiImageTools.Core.Depots;

/// <summary>
/// HTTP(S) transport for online depots: requests through the configured or environment proxy, redirects to http(s)
/// only (server credentials stay with their host), retries with exponential backoff, an idle timeout on every wait and
/// one deadline per file, conditional requests (ETag / Last-Modified) and resume through Range requests. What it
/// downloads goes into a <see cref="DepotCache"/>, which decides what is kept. Every message goes through <see cref="UrlRedactor"/>.
/// </summary>
public sealed class HttpDepotClient : IDisposable
{
    private readonly HttpClient _http;
    // For redirects to another host: server credentials stay with the host they were given for (as the framework's own redirects do).
    private readonly Lazy<HttpClient> _httpWithoutCredentials;
    private readonly DepotOptions _options;
    private readonly Uri _depotUri;
    private readonly RetryClock _clock;

    /// <summary>A client for the depot at <paramref name="depotUri"/>, downloading into the cache of <paramref name="options"/>.</summary>
    public HttpDepotClient(DepotOptions options, Uri depotUri) : this(options, depotUri, RetryClock.System) { }

    internal HttpDepotClient(DepotOptions options, Uri depotUri, RetryClock clock)
    {
        _options = options ?? DepotOptions.Default;
        _depotUri = depotUri;
        _clock = clock ?? RetryClock.System;
        Cache = new DepotCache(_options);
        _http = new HttpClient(CreateHandler(_options), disposeHandler: true) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("ESXiImageTools", "0.1"));
        _httpWithoutCredentials = new Lazy<HttpClient>(() =>
        {
            var c = new HttpClient(CreateHandler(_options with { Credential = null }), disposeHandler: true) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
            c.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("ESXiImageTools", "0.1"));
            return c;
        });
        Cache.PruneAbandonedDownloads();
    }

    /// <summary>The on-disk cache downloads go into.</summary>
    public DepotCache Cache { get; }

    /// <summary>Builds the handler: explicit proxy, else HTTPS_PROXY/NO_PROXY, else the system proxy; server and proxy credentials.</summary>
    internal static HttpClientHandler CreateHandler(DepotOptions o)
    {
        // Redirects are followed by SendAsync, which refuses targets that are not http or https.
        var h = new HttpClientHandler { AllowAutoRedirect = false, AutomaticDecompression = DecompressionMethods.None };
        if (o.Credential != null) { h.Credentials = o.Credential; h.PreAuthenticate = true; }
        if (!o.UseProxy) { h.UseProxy = false; return h; }
        h.UseProxy = true;
        if (o.Proxy != null)
            h.Proxy = new WebProxy(o.Proxy) { BypassProxyOnLocal = false, Credentials = o.ProxyCredential };
        else
        {
            var env = EnvironmentProxy.FromEnvironment(null, o.ProxyCredential);
            if (env != null) h.Proxy = env;
            else if (o.ProxyCredential != null) h.DefaultProxyCredentials = o.ProxyCredential;
        }
        return h;
    }

    internal string Display(Uri u) => UrlRedactor.Redact(u);

    /// <summary>Fetches a metadata file (index, vendor index, metadata zip) through the on-disk cache; returns its cached path.</summary>
    public string GetMetadataFile(Uri url, long maxBytes, CancellationToken cancellationToken = default)
        => Task.Run(() => GetMetadataFileAsync(url, maxBytes, cancellationToken)).GetAwaiter().GetResult();

    public async Task<string> GetMetadataFileAsync(Uri url, long maxBytes, CancellationToken cancellationToken = default)
    {
        var entry = Cache.Metadata(url);
        using (await entry.LockAsync(cancellationToken).ConfigureAwait(false))
        {
            return await WithRetries(url, async (attempt, deadline) =>
            {
                var cancellationToken = deadline.Token;
                bool cached = entry.IsPresent;
                using var req = new HttpRequestMessage(HttpMethod.Get, url);
                if (cached)
                {
                    var (etag, lastModified) = entry.ReadValidators();
                    if (!string.IsNullOrEmpty(etag) && EntityTagHeaderValue.TryParse(etag, out var tag)) req.Headers.IfNoneMatch.Add(tag);
                    if (!string.IsNullOrEmpty(lastModified) && DateTimeOffset.TryParse(lastModified, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var lm))
                        req.Headers.IfModifiedSince = lm;
                }
                using var resp = await SendAsync(req, url, cancellationToken).ConfigureAwait(false);
                if (resp.StatusCode == HttpStatusCode.NotModified && cached) return entry.DataPath;
                ThrowForStatus(resp, url);
                var tmp = entry.NewTempPath();
                try
                {
                    using (var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920))
                        await CopyBodyAsync(resp, fs, 0, maxBytes, url, null, cancellationToken, deadline).ConfigureAwait(false);
                    entry.Store(tmp, resp.Headers.ETag?.ToString(), resp.Content.Headers.LastModified?.ToString("R"), cancellationToken);
                }
                finally { DepotCache.TryDelete(tmp); }
                return entry.DataPath;
            }, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Returns the cached path of a VIB, downloading it first when needed. With a known sha-256 the file is
    /// verified before it enters the cache (EsxChecksumException otherwise, and nothing is kept).
    /// </summary>
    public async Task<string> GetVibAsync(Uri url, string sha256, long? size, string vibId, IProgress<DepotProgress> progress = null, CancellationToken cancellationToken = default)
    {
        var entry = Cache.Vib(url, sha256);
        if (entry.IsPresent) return entry.Path;
        using (await entry.LockAsync(cancellationToken).ConfigureAwait(false))
        {
            if (entry.IsPresent) return entry.Path;
            var part = entry.PartialPath();
            await WithRetries(url, (attempt, deadline) => DownloadToPartAsync(url, part, size, progress, deadline), cancellationToken).ConfigureAwait(false);
            if (entry.Sha256 != null)
                progress?.Report(new DepotProgress { Source = Display(_depotUri), Stage = DepotStage.Verifying, Item = Display(url) });
            return entry.Admit(Display(url), vibId, size);
        }
    }

    private async Task<bool> DownloadToPartAsync(Uri url, string part, long? size, IProgress<DepotProgress> progress, TransferDeadline deadline)
    {
        var ct = deadline.Token;
        if (size.HasValue) deadline.AllowFor(size.Value);
        long have = File.Exists(part) ? new FileInfo(part).Length : 0;
        if (size.HasValue && have > size.Value) { DepotCache.TryDelete(part); have = 0; }
        if (size.HasValue && have == size.Value && have > 0) return true; // complete from an earlier run; verified next
        using var req = new HttpRequestMessage(HttpMethod.Get, url);
        if (have > 0) req.Headers.Range = new RangeHeaderValue(have, null);
        using var resp = await SendAsync(req, url, ct).ConfigureAwait(false);
        if (resp.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            DepotCache.TryDelete(part);
            throw new TransientHttpException(false, $"{Display(url)}: the server refused to resume; restarting");
        }
        ThrowForStatus(resp, url);
        bool append = resp.StatusCode == HttpStatusCode.PartialContent && have > 0 && resp.Content.Headers.ContentRange?.From == have;
        if (!append) have = 0;
        long total = size ?? -1;
        try
        {
            using var fs = new FileStream(part, append ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None, 81920);
            await CopyBodyAsync(resp, fs, have, size ?? _options.Limits.MaxEntryBytes, url,
                done => progress?.Report(new DepotProgress { Source = Display(_depotUri), Stage = DepotStage.Downloading, Item = Display(url), BytesDone = done, BytesTotal = total }),
                ct, deadline).ConfigureAwait(false);
        }
        catch (EsxException)
        {
            // Over its bound: nothing of it is worth resuming.
            DepotCache.TryDelete(part);
            throw;
        }
        return true;
    }

    /// <summary>Most redirects followed for one request.</summary>
    public const int MaxRedirects = 10;

    /// <summary>Sends <paramref name="req"/>, following up to <see cref="MaxRedirects"/> redirects to http or https URLs only.</summary>
    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage req, Uri url, CancellationToken ct)
    {
        var current = req;
        for (int hop = 0; ; hop++)
        {
            bool sameOrigin = Uri.Compare(current.RequestUri, req.RequestUri, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0;
            var resp = await SendOnceAsync(sameOrigin ? _http : _httpWithoutCredentials.Value, current, url, ct).ConfigureAwait(false);
            int code = (int)resp.StatusCode;
            if (code != 301 && code != 302 && code != 303 && code != 307 && code != 308) return resp;
            var target = RedirectTarget(resp, current.RequestUri, url);
            resp.Dispose();
            if (hop + 1 >= MaxRedirects)
                throw DepotErrors.Unreachable(Display(url), $"more than {MaxRedirects} redirects");
            var next = new HttpRequestMessage(HttpMethod.Get, target);
            // Conditional and range headers carry over; Authorization does not (the handler adds it again where it belongs).
            foreach (var h in current.Headers)
                if (!string.Equals(h.Key, "Authorization", StringComparison.OrdinalIgnoreCase))
                    next.Headers.TryAddWithoutValidation(h.Key, h.Value);
            if (!ReferenceEquals(current, req)) current.Dispose();
            current = next;
        }
    }

    // The Location of a redirect, resolved against the request; anything but an absolute http(s) URL is refused.
    private Uri RedirectTarget(HttpResponseMessage resp, Uri requestUri, Uri url)
    {
        string location = resp.Headers.TryGetValues("Location", out var values) ? values.FirstOrDefault() : null;
        if (string.IsNullOrWhiteSpace(location))
            throw DepotErrors.Unreachable(Display(url), $"HTTP {(int)resp.StatusCode} redirect without a Location");
        if (!Uri.TryCreate(requestUri, location.Trim(), out var target) || !target.IsAbsoluteUri)
            throw DepotErrors.Unreachable(Display(url), "the server redirected to a malformed URL; redirects may only go to http or https URLs");
        if (target.Scheme != Uri.UriSchemeHttp && target.Scheme != Uri.UriSchemeHttps)
            throw DepotErrors.Unreachable(Display(url), $"the server redirected to a '{MessageText.Escape(target.Scheme)}:' URL, which is refused; redirects may only go to http or https URLs");
        return target;
    }

    private async Task<HttpResponseMessage> SendOnceAsync(HttpClient http, HttpRequestMessage req, Uri url, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(_options.Timeout);
        try
        {
            return await http.SendAsync(req, HttpCompletionOption.ResponseHeadersRead, cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new TransientHttpException(true, $"{Display(url)}: no response within {_options.Timeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException e)
        {
            throw new TransientHttpException(false, $"{Display(url)}: {Describe(e)}");
        }
        catch (IOException e)
        {
            throw new TransientHttpException(false, $"{Display(url)}: {UrlRedactor.RedactText(e.Message, url, _depotUri)}");
        }
    }

    /// <summary>
    /// Copies a response body; each read must deliver within the timeout, the whole transfer must end by the
    /// <paramref name="deadline"/>, and the body may not exceed <paramref name="max"/> bytes in total.
    /// </summary>
    private async Task CopyBodyAsync(HttpResponseMessage resp, Stream target, long alreadyHave, long max, Uri url, Action<long> onProgress, CancellationToken ct,
                                     TransferDeadline deadline = null)
    {
        var expected = resp.Content.Headers.ContentLength;
        if (expected.HasValue) deadline?.AllowFor(Math.Min(alreadyHave + expected.Value, max));
        long got = 0;
        var buf = new byte[81920];
        using var body = await resp.Content.ReadAsStreamAsync().ConfigureAwait(false);
        while (true)
        {
            int n;
            using (var cts = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                cts.CancelAfter(_options.Timeout);
                // Disposing the response unblocks a read that ignores the token (older frameworks).
                using (cts.Token.Register(() => { try { resp.Dispose(); } catch { } }))
                {
                    try { n = await body.ReadAsync(buf, 0, buf.Length, cts.Token).ConfigureAwait(false); }
                    catch (Exception e) when (e is OperationCanceledException || e is ObjectDisposedException || e is IOException || e is HttpRequestException)
                    {
                        ct.ThrowIfCancellationRequested();
                        if (cts.IsCancellationRequested)
                            throw new TransientHttpException(true, $"{Display(url)}: no data for {_options.Timeout.TotalSeconds:0.#} s after {alreadyHave + got} bytes");
                        throw new TransientHttpException(false, $"{Display(url)}: connection lost after {alreadyHave + got} bytes");
                    }
                }
            }
            if (n == 0) break;
            got += n;
            if (alreadyHave + got > max)
                throw DepotErrors.TooLarge(Display(url), null, $"the server sent more than {max} bytes");
            target.Write(buf, 0, n);
            onProgress?.Invoke(alreadyHave + got);
        }
        target.Flush();
        if (expected.HasValue && got < expected.Value)
            throw new TransientHttpException(false, $"{Display(url)}: connection closed after {alreadyHave + got} of {alreadyHave + expected.Value} bytes");
    }

    private void ThrowForStatus(HttpResponseMessage resp, Uri url)
    {
        int code = (int)resp.StatusCode;
        if (code >= 200 && code < 300) return;
        var what = $"HTTP {code} {resp.ReasonPhrase}";
        switch (code)
        {
            case 404:
            case 410:
                throw DepotErrors.NotFound(Display(url), what);
            case 401:
            case 403:
            case 407:
                throw DepotErrors.AccessDenied(Display(url), what + (code == 407 ? " (the proxy needs credentials)" : ""));
            case 408:
            case 429:
                throw new TransientHttpException(false, $"{Display(url)}: {what}");
        }
        if (code >= 500) throw new TransientHttpException(false, $"{Display(url)}: {what}");
        throw DepotErrors.Unreachable(Display(url), what);
    }

    /// <summary>
    /// Runs an operation, retrying transient failures with exponential backoff; the last one becomes DepotTimeout /
    /// DepotUnreachable. The whole of it, every attempt and every byte, ends by one <see cref="TransferDeadline"/>:
    /// a body that trickles in never resets it.
    /// </summary>
    private async Task<T> WithRetries<T>(Uri url, Func<int, TransferDeadline, Task<T>> op, CancellationToken ct)
    {
        var started = _clock.Now;
        using var deadline = new TransferDeadline(_options.Deadline, _options.MinimumBytesPerSecond, ct);
        for (int attempt = 0; ; attempt++)
        {
            try { return await op(attempt, deadline).ConfigureAwait(false); }
            catch (OperationCanceledException) when (deadline.Expired)
            {
                throw DepotErrors.Timeout(Display(url), $"not complete within {deadline.Limit.TotalSeconds:0.#} s (the deadline, with time for its size at {_options.MinimumBytesPerSecond} bytes/s); the server sends too slowly");
            }
            catch (TransientHttpException e)
            {
                var delay = TimeSpan.FromMilliseconds(_options.RetryDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 20)));
                // The file's own limit counts (the deadline plus time for its size), as it does for the transfer itself.
                bool pastDeadline = _clock.Now - started + delay >= deadline.Limit || deadline.Expired;
                if (attempt >= _options.Retries || pastDeadline)
                {
                    var msg = e.Message + (attempt > 0 ? $" (after {attempt + 1} attempts)" : "")
                        + (pastDeadline && attempt < _options.Retries ? $"; gave up at the deadline of {deadline.Limit.TotalSeconds:0.#} s" : "");
                    throw e.IsTimeout || deadline.Expired ? DepotErrors.Timeout(Display(url), StripPrefix(msg, url)) : DepotErrors.Unreachable(Display(url), StripPrefix(msg, url));
                }
                try { await _clock.Delay(delay, deadline.Token).ConfigureAwait(false); }
                catch (OperationCanceledException) when (deadline.Expired)
                {
                    throw DepotErrors.Timeout(Display(url), StripPrefix(e.Message, url) + $"; gave up at the deadline of {deadline.Limit.TotalSeconds:0.#} s");
                }
            }
        }
    }

    /// <summary>
    /// The time one file's transfer may take, retries included: <see cref="DepotOptions.Deadline"/>, plus the time its
    /// size needs at the slowest rate still waited for once that size is known. Cancels its token when it passes.
    /// </summary>
    private sealed class TransferDeadline : IDisposable
    {
        private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
        private readonly CancellationTokenSource _cts;
        private readonly CancellationToken _outer;
        private readonly TimeSpan _base;
        private readonly long _minimumRate;
        private TimeSpan _allowance;

        public TransferDeadline(TimeSpan limit, long minimumBytesPerSecond, CancellationToken outer)
        {
            _outer = outer;
            _base = limit;
            _minimumRate = Math.Max(1, minimumBytesPerSecond);
            _cts = CancellationTokenSource.CreateLinkedTokenSource(outer);
            _cts.CancelAfter(TimeSpan.FromMilliseconds(Math.Min(limit.TotalMilliseconds, int.MaxValue - 1)));
        }

        public CancellationToken Token => _cts.Token;
        public TimeSpan Limit => _base + _allowance;

        /// <summary>Whether the deadline (not the caller) ended the transfer.</summary>
        public bool Expired => _cts.IsCancellationRequested && !_outer.IsCancellationRequested;

        /// <summary>Gives a file of <paramref name="bytes"/> the time it needs at the minimum rate (once: the largest size seen counts).</summary>
        public void AllowFor(long bytes)
        {
            var needed = TimeSpan.FromSeconds((double)Math.Max(0, bytes) / _minimumRate);
            if (needed <= _allowance || _cts.IsCancellationRequested) return;
            _allowance = needed;
            var left = Limit - _clock.Elapsed;
            if (left > TimeSpan.Zero) _cts.CancelAfter(TimeSpan.FromMilliseconds(Math.Min(left.TotalMilliseconds, int.MaxValue - 1)));
        }

        public void Dispose() => _cts.Dispose();
    }

    private string StripPrefix(string msg, Uri url)
    {
        var p = Display(url) + ": ";
        return msg.StartsWith(p, StringComparison.Ordinal) ? msg.Substring(p.Length) : msg;
    }

    private string Describe(HttpRequestException e)
    {
        var inner = e.InnerException?.Message;
        var text = inner == null ? e.Message : e.Message + " (" + inner + ")";
        return UrlRedactor.RedactText(text, _depotUri);
    }

    public void Dispose()
    {
        _http.Dispose();
        if (_httpWithoutCredentials.IsValueCreated) _httpWithoutCredentials.Value.Dispose();
    }
}

/// <summary>A failure worth retrying (connection lost, timeout, 5xx); never leaves <see cref="HttpDepotClient"/>.</summary>
internal sealed class TransientHttpException : Exception
{
    public TransientHttpException(bool isTimeout, string message) : base(message) { IsTimeout = isTimeout; }
    public bool IsTimeout { get; }
}
