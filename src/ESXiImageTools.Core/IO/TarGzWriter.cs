using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using ICSharpCode.SharpZipLib.Tar;

namespace ESXiImageTools.Core.IO;

/// <summary>
/// Writes a gzip'd ustar archive deterministically: fixed mtime, uid/gid 0, root owner, mode 0644 (0755 for
/// folders), and a <see cref="DeterministicGZipStream"/>, so equal input gives equal bytes on every platform.
/// Entries are streamed; nothing is buffered whole. The output stream is left open.
/// </summary>
public sealed class TarGzWriter : IDisposable
{
    private readonly DeterministicGZipStream _gzip;
    private readonly TarOutputStream _tar;
    private readonly DateTime _mtime;

    public TarGzWriter(Stream output, DateTimeOffset mtime)
    {
        _gzip = new DeterministicGZipStream(output);
        TarBlockBuffers.Stock();
        _tar = new TarOutputStream(_gzip, Encoding.UTF8) { IsStreamOwner = false };
        _mtime = mtime.UtcDateTime;
    }

    /// <summary>A .tar.gz of <paramref name="files"/>, in the order given (parent folders implied).</summary>
    public static byte[] Build(IEnumerable<(string Path, byte[] Content)> files, DateTimeOffset mtime)
    {
        var ms = new MemoryStream();
        using (var tar = new TarGzWriter(ms, mtime))
            foreach (var (path, content) in files) tar.AddFile(path, content);
        return ms.ToArray();
    }

    public void AddDirectory(string path)
    {
        var e = Entry(path.TrimEnd('/') + "/", 0, "755");
        e.TarHeader.TypeFlag = TarHeader.LF_DIR;
        _tar.PutNextEntry(e);
        _tar.CloseEntry();
    }

    public void AddFile(string path, byte[] content) => AddFile(path, content.Length, new MemoryStream(content, false));

    /// <summary>Adds a file of <paramref name="size"/> bytes copied from <paramref name="content"/>; mode 0644, or 0755 when <paramref name="executable"/>.</summary>
    public void AddFile(string path, long size, Stream content, bool executable = false)
    {
        _tar.PutNextEntry(Entry(path, size, executable ? "755" : "644"));
        var buffer = new byte[81920];
        long left = size;
        while (left > 0)
        {
            int n = content.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
            if (n <= 0) throw new EndOfStreamException($"tar entry {path}: source ended {left} bytes early");
            _tar.Write(buffer, 0, n);
            left -= n;
        }
        _tar.CloseEntry();
    }

    private TarEntry Entry(string path, long size, string mode)
    {
        var e = TarEntry.CreateTarEntry(path.TrimStart('/'));
        e.Size = size;
        e.ModTime = _mtime;
        e.TarHeader.Mode = Convert.ToInt32(mode, 8);
        e.UserId = 0;
        e.GroupId = 0;
        e.UserName = "root";
        e.GroupName = "root";
        return e;
    }

    public void Dispose()
    {
        _tar.Close();
        _gzip.Dispose();
    }
}
