using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace ESXiImageTools.Core.Tests.Depots;

/// <summary>How the test server misbehaves for one path.</summary>
public enum Fault { None, NotFound, Forbidden, DropMidFileOnce, DropMidFileAlways, Stall, WrongBody, ServerErrorOnce }

/// <summary>
/// A real HTTP server on 127.0.0.1 (HttpListener) serving a folder under a path prefix, with Range, ETag /
/// If-None-Match, and per-file fault modes. Records every request so tests can assert what crossed the wire.
/// </summary>
public sealed class LoopbackDepotServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly string _root;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly ConcurrentDictionary<string, int> _faultHits = new();

    public LoopbackDepotServer(string root, string prefix = "/depot/")
    {
        _root = root;
        Prefix = prefix;
        Port = FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(Loop);
    }

    public int Port { get; }
    public string Prefix { get; }
    public Uri BaseUri => new Uri($"http://127.0.0.1:{Port}{Prefix}");

    /// <summary>The base address under <see cref="LoopbackProxy.LoopbackAlias"/>, for requests through the proxy: the
    /// .NET Framework never sends a request for a loopback address through a proxy, whatever the proxy's settings.</summary>
    public Uri ProxiedBaseUri => new Uri($"http://{LoopbackProxy.LoopbackAlias}:{Port}{Prefix}");
    public ConcurrentDictionary<string, Fault> Faults { get; } = new(StringComparer.Ordinal);
    public ConcurrentQueue<(string Path, string Range, string IfNoneMatch, int Status)> Requests { get; } = new();
    public TimeSpan StallFor { get; set; } = TimeSpan.FromSeconds(10);
    /// <summary>Requests for a path, counted when they arrive: <see cref="Requests"/> records one only after its response
    /// ended, which for an aborted response can be after the client has already seen the failure.</summary>
    public int Served(string pathSuffix) => _arrived.Count(p => p.EndsWith(pathSuffix, StringComparison.Ordinal));
    private readonly ConcurrentQueue<string> _arrived = new();

    public static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        int p = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return p;
    }

    private async Task Loop()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext ctx;
            try { ctx = await _listener.GetContextAsync(); }
            catch { break; }
            _ = Task.Run(() => Handle(ctx));
        }
    }

    private async Task Handle(HttpListenerContext ctx)
    {
        var req = ctx.Request;
        var res = ctx.Response;
        var path = Uri.UnescapeDataString(req.Url.AbsolutePath);
        _arrived.Enqueue(path);
        int status = 200;
        try
        {
            if (!path.StartsWith(Prefix, StringComparison.Ordinal)) { status = 404; res.StatusCode = 404; return; }
            var rel = path.Substring(Prefix.Length);
            var file = Path.Combine(_root, rel.Replace('/', Path.DirectorySeparatorChar));
            Faults.TryGetValue(rel, out var fault);
            int hit = _faultHits.AddOrUpdate(rel, 1, (_, n) => n + 1);
            if (fault == Fault.NotFound || !File.Exists(file)) { status = 404; res.StatusCode = 404; return; }
            if (fault == Fault.Forbidden) { status = 403; res.StatusCode = 403; return; }
            if (fault == Fault.ServerErrorOnce && hit == 1) { status = 503; res.StatusCode = 503; return; }
            var bytes = File.ReadAllBytes(file);
            if (fault == Fault.WrongBody) { bytes = (byte[])bytes.Clone(); bytes[bytes.Length / 2] ^= 0xFF; }
            var etag = "\"" + bytes.Length + "-" + File.GetLastWriteTimeUtc(file).Ticks + "\"";
            res.Headers["ETag"] = etag;
            if (req.Headers["If-None-Match"] == etag) { status = 304; res.StatusCode = 304; return; }
            long from = 0;
            var range = req.Headers["Range"];
            if (range != null && range.StartsWith("bytes=", StringComparison.Ordinal) && range.EndsWith("-", StringComparison.Ordinal))
            {
                from = long.Parse(range.Substring(6, range.Length - 7));
                if (from >= bytes.Length) { status = 416; res.StatusCode = 416; return; }
                status = 206;
                res.StatusCode = 206;
                res.Headers["Content-Range"] = $"bytes {from}-{bytes.Length - 1}/{bytes.Length}";
            }
            res.ContentLength64 = bytes.Length - from;
            var body = res.OutputStream;
            if ((fault == Fault.DropMidFileOnce && hit == 1) || fault == Fault.DropMidFileAlways)
            {
                int half = (int)((bytes.Length - from) / 2);
                await body.WriteAsync(bytes, (int)from, half);
                await body.FlushAsync();
                status = -1;
                res.Abort();
                return;
            }
            if (fault == Fault.Stall)
            {
                await body.WriteAsync(bytes, (int)from, 16);
                await body.FlushAsync();
                try { await Task.Delay(StallFor, _stop.Token); } catch (OperationCanceledException) { }
                status = -2;
                res.Abort();
                return;
            }
            await body.WriteAsync(bytes, (int)from, (int)(bytes.Length - from));
        }
        catch (Exception) { /* client went away */ }
        finally
        {
            Requests.Enqueue((path, req.Headers["Range"], req.Headers["If-None-Match"], status));
            if (status >= 0) try { res.Close(); } catch { }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        try { _listener.Stop(); _listener.Close(); } catch { }
        _loop.Wait(TimeSpan.FromSeconds(5));
    }
}

/// <summary>
/// A small forwarding HTTP proxy on loopback (absolute-form requests, plain HTTP), optionally demanding
/// Basic proxy credentials. Records the request lines it forwarded.
/// </summary>
public sealed class LoopbackProxy : IDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public LoopbackProxy(string user = null, string password = null)
    {
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        RequiredAuth = user == null ? null : "Basic " + Convert.ToBase64String(Encoding.ASCII.GetBytes(user + ":" + password));
        _loop = Task.Run(Loop);
    }

    /// <summary>A host name the proxy forwards to 127.0.0.1 (the client never resolves it: the proxy does).</summary>
    public const string LoopbackAlias = "depot.test";

    public int Port { get; }
    public Uri Uri => new Uri($"http://127.0.0.1:{Port}/");
    public string RequiredAuth { get; }
    public ConcurrentQueue<string> Forwarded { get; } = new();
    public int Rejected;

    private async Task Loop()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient c;
            try { c = await _listener.AcceptTcpClientAsync(); }
            catch { break; }
            _ = Task.Run(() => Serve(c));
        }
    }

    private async Task Serve(TcpClient client)
    {
        using var _ = client;
        var cs = client.GetStream();
        try
        {
            while (true)
            {
                var head = await ReadHead(cs);
                if (head == null) return;
                var lines = head.Split("\r\n").ToList();
                var parts = lines[0].Split(' ');
                var target = new Uri(parts[1]);
                var auth = lines.FirstOrDefault(l => l.StartsWith("Proxy-Authorization:", StringComparison.OrdinalIgnoreCase))?.Substring(20).Trim();
                if (RequiredAuth != null && auth != RequiredAuth)
                {
                    Interlocked.Increment(ref Rejected);
                    var deny = Encoding.ASCII.GetBytes("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test\"\r\nContent-Length: 0\r\n\r\n");
                    await cs.WriteAsync(deny);
                    continue;
                }
                Forwarded.Enqueue(lines[0]);
                var host = target.Host == LoopbackAlias ? "127.0.0.1" : target.Host;
                var headers = lines.Skip(1).Where(l => l.Length > 0 && !l.StartsWith("Proxy-", StringComparison.OrdinalIgnoreCase) && !l.StartsWith("Connection:", StringComparison.OrdinalIgnoreCase))
                                   .Select(l => l.StartsWith("Host:", StringComparison.OrdinalIgnoreCase) ? $"Host: {host}:{target.Port}" : l);
                var outHead = $"{parts[0]} {target.PathAndQuery} {parts[2]}\r\n" + string.Join("\r\n", headers) + "\r\nConnection: close\r\n\r\n";
                using var upstream = new TcpClient();
                await upstream.ConnectAsync(host, target.Port);
                var us = upstream.GetStream();
                await us.WriteAsync(Encoding.ASCII.GetBytes(outHead));
                await us.CopyToAsync(cs);
                return; // upstream closed: close the client connection too
            }
        }
        catch { }
    }

    private static async Task<string> ReadHead(NetworkStream s)
    {
        var buf = new List<byte>();
        var one = new byte[1];
        while (true)
        {
            int n = await s.ReadAsync(one, 0, 1);
            if (n == 0) return null;
            buf.Add(one[0]);
            int c = buf.Count;
            if (c >= 4 && buf[c - 4] == '\r' && buf[c - 3] == '\n' && buf[c - 2] == '\r' && buf[c - 1] == '\n')
                return Encoding.ASCII.GetString(buf.ToArray(), 0, c - 4);
            if (c > 65536) return null;
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        try { _listener.Stop(); } catch { }
        _loop.Wait(TimeSpan.FromSeconds(5));
    }
}
