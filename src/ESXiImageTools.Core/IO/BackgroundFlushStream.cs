using System;
using System.IO;
using System.Threading;

namespace ESXiImageTools.Core.IO;

/// <summary>
/// Passes writes through to a file stream and, every <see cref="FlushInterval"/> bytes, asks a background thread
/// to flush the file to disk through a second handle. Disk write-back then overlaps with producing the data
/// instead of all happening in the final fsync, which roughly halves the wall time of a large flushed write.
/// </summary>
internal sealed class BackgroundFlushStream : Stream
{
    public const long FlushInterval = 32L * 1024 * 1024;

    private readonly Stream _inner;
    private readonly FileStream _syncHandle;
    private readonly Thread _thread;
    private readonly AutoResetEvent _signal = new AutoResetEvent(false);
    private volatile bool _done;
    private Exception _error;
    private long _sinceFlush;

    public BackgroundFlushStream(FileStream inner, string path)
    {
        _inner = inner;
        // A second handle: fsync on it writes back the file's dirty pages without touching the writer's handle.
        _syncHandle = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 1);
        _thread = new Thread(Run) { IsBackground = true, Name = "AtomicFileWriter flush" };
        _thread.Start();
    }

    private void Run()
    {
        try
        {
            while (true)
            {
                _signal.WaitOne();
                if (_done) return;
                _syncHandle.Flush(flushToDisk: true);
            }
        }
        catch (Exception e) { _error = e; }
    }

    /// <summary>Stops the flusher and surfaces any error it met; the caller does the final flush.</summary>
    public void Complete()
    {
        Stop();
        if (_error != null) throw new IOException("flushing the output to disk failed: " + _error.Message, _error);
    }

    private void Stop()
    {
        if (_done) return;
        _done = true;
        _signal.Set();
        _thread.Join();
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        _inner.Write(buffer, offset, count);
        _sinceFlush += count;
        if (_sinceFlush >= FlushInterval)
        {
            _sinceFlush = 0;
            _inner.Flush();   // hand buffered bytes to the OS so the flusher sees them
            _signal.Set();
        }
    }

    public override void WriteByte(byte value) { _inner.WriteByte(value); _sinceFlush++; }
    public override bool CanRead => _inner.CanRead;
    public override bool CanSeek => _inner.CanSeek;
    public override bool CanWrite => _inner.CanWrite;
    public override long Length => _inner.Length;
    public override long Position { get => _inner.Position; set => _inner.Position = value; }
    public override void Flush() => _inner.Flush();
    public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);
    public override long Seek(long offset, SeekOrigin origin) => _inner.Seek(offset, origin);
    public override void SetLength(long value) => _inner.SetLength(value);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Stop();
            _syncHandle.Dispose();
            _signal.Dispose();
        }
        base.Dispose(disposing);
    }
}
