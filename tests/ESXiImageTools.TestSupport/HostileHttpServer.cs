using System;
using System.Collections.Concurrent;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace ESXiImageTools.TestSupport;

/// <summary>
/// A deliberately misbehaving HTTP/1.1 server on 127.0.0.1 over a raw socket, so tests can send what a correct
/// server never would: redirects to other schemes, endless bodies, stalls before the headers. The handler gets
/// the request path and the connection stream and writes the response itself.
/// </summary>
public sealed class HostileHttpServer : IDisposable
{
    private readonly TcpListener _listener;
    private readonly Func<string, string, Stream, CancellationToken, Task> _handler;
    private readonly CancellationTokenSource _stop = new();

    public HostileHttpServer(Func<string, Stream, CancellationToken, Task> handler)
        : this((path, head, s, ct) => handler(path, s, ct)) { }

    /// <summary>A server whose handler also sees the request head (request line and headers).</summary>
    public HostileHttpServer(Func<string, string, Stream, CancellationToken, Task> handler)
    {
        _handler = handler;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _ = Task.Run(AcceptLoop);
    }

    public int Port { get; }
    public Uri Url(string path) => new Uri($"http://127.0.0.1:{Port}{path}");

    /// <summary>Request paths in arrival order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>Bytes written by <see cref="Endless"/> bodies so far.</summary>
    public long BytesSent;

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch { return; }
            _ = Task.Run(async () =>
            {
                using (client)
                {
                    try
                    {
                        var stream = client.GetStream();
                        var head = await ReadRequestHead(stream);
                        var first = head?.Split("\r\n")[0].Split(' ');
                        if (first == null || first.Length < 2) return;
                        Requests.Enqueue(first[1]);
                        await _handler(first[1], head, stream, _stop.Token);
                    }
                    catch (Exception) { /* the client went away */ }
                }
            });
        }
    }

    private static async Task<string> ReadRequestHead(Stream s)
    {
        var head = new StringBuilder();
        var b = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal) && head.Length < 65536)
        {
            if (await s.ReadAsync(b, 0, 1) == 0) return null;
            head.Append((char)b[0]);
        }
        return head.ToString();
    }

    public static Task Write(Stream s, string text) => s.WriteAsync(Encoding.ASCII.GetBytes(text)).AsTask();

    /// <summary>A response with a body and a Content-Length.</summary>
    public static async Task Respond(Stream s, int status, byte[] body, string extraHeaders = "")
    {
        await Write(s, $"HTTP/1.1 {status} X\r\nContent-Length: {body.Length}\r\nConnection: close\r\n{extraHeaders}\r\n");
        await s.WriteAsync(body);
    }

    /// <summary>A 200 response without a length whose body never ends (until the client hangs up).</summary>
    public async Task Endless(Stream s, CancellationToken ct)
    {
        await Write(s, "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nConnection: close\r\n\r\n");
        var chunk = new byte[64 * 1024];
        while (!ct.IsCancellationRequested)
        {
            await s.WriteAsync(chunk, ct);
            Interlocked.Add(ref BytesSent, chunk.Length);
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
    }
}
