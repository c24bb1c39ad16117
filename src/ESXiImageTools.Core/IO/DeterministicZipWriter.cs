using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using ICSharpCode.SharpZipLib.Checksum;
using ICSharpCode.SharpZipLib.Zip.Compression;
using ICSharpCode.SharpZipLib.Zip.Compression.Streams;

namespace ESXiImageTools.Core.IO;

/// <summary>
/// Writes a zip whose bytes depend on its entries only, the same on every runtime and OS. System.IO.Compression's
/// ZipArchive does not: the .NET Framework's (Windows PowerShell 5.1) writes a <c>NoCompression</c> entry as deflate,
/// not stored, and .NET's output depends on the native zlib and stamps the OS into "version made by". Here a stored
/// entry is stored (method 0) everywhere, a compressed one goes through SharpZipLib's managed deflater, and the
/// header fields are fixed (made by MS-DOS 2.0, no extra fields, no external attributes).
/// <para>
/// On a seekable output each entry's CRC-32 and sizes are patched into its local header after the data (no data
/// descriptor: streaming readers of stored entries need the sizes up front); on an unseekable output they follow the
/// data in a data descriptor (flag bit 3). Offsets past 4 GiB and more than 65535 entries use zip64 records in the
/// central directory; a single entry must stay under 4 GiB (the local header reserves no zip64 field).
/// </para>
/// </summary>
public sealed class DeterministicZipWriter : IDisposable
{
    private const uint LocalHeaderSignature = 0x04034b50, CentralHeaderSignature = 0x02014b50, EndSignature = 0x06054b50,
                        Zip64EndSignature = 0x06064b50, Zip64LocatorSignature = 0x07064b50, DescriptorSignature = 0x08074b50;
    private const ushort Version20 = 20, Version45 = 45, Utf8Flag = 0x0800, DescriptorFlag = 0x0008;

    private readonly Stream _output;
    private readonly bool _leaveOpen;
    private readonly bool _patch;
    private readonly List<Record> _records = new List<Record>();
    private readonly HashSet<string> _names = new HashSet<string>(StringComparer.Ordinal);
    private EntryStream _open;
    private long _position;
    private bool _finished;

    /// <summary>Starts a zip on <paramref name="output"/> at its current position.</summary>
    public DeterministicZipWriter(Stream output, bool leaveOpen = false)
    {
        _output = output ?? throw new ArgumentNullException(nameof(output));
        if (!output.CanWrite) throw new ArgumentException("the output stream is not writable", nameof(output));
        _leaveOpen = leaveOpen;
        _patch = output.CanSeek;
    }

    /// <summary>
    /// Starts entry <paramref name="name"/> and returns the stream its bytes go to; dispose it before the next entry.
    /// <paramref name="compress"/> false stores the bytes as they are.
    /// </summary>
    public Stream CreateEntry(string name, bool compress, DateTimeOffset lastWriteTime)
    {
        if (_finished) throw new ObjectDisposedException(nameof(DeterministicZipWriter));
        if (_open != null) throw new InvalidOperationException("the previous entry is still open");
        if (string.IsNullOrEmpty(name)) throw new ArgumentException("an entry needs a name", nameof(name));
        if (!_names.Add(name)) throw new ArgumentException($"the zip already has an entry '{name}'", nameof(name));
        var nameBytes = Encoding.UTF8.GetBytes(name);
        if (nameBytes.Length > ushort.MaxValue) throw new ArgumentException("the entry name is too long for a zip", nameof(name));
        var record = new Record
        {
            Name = nameBytes,
            Flags = (ushort)((IsAscii(name) ? 0 : Utf8Flag) | (_patch ? 0 : DescriptorFlag)),
            Method = (ushort)(compress ? 8 : 0),
            DosTime = DosTime(lastWriteTime.DateTime),
            Offset = _position,
        };
        var header = new byte[30 + nameBytes.Length];
        Put32(header, 0, LocalHeaderSignature);
        Put16(header, 4, Version20);
        Put16(header, 6, record.Flags);
        Put16(header, 8, record.Method);
        Put32(header, 10, record.DosTime);
        // CRC-32 and sizes (14..25) are zero until patched or written in the data descriptor.
        Put16(header, 26, (ushort)nameBytes.Length);
        Buffer.BlockCopy(nameBytes, 0, header, 30, nameBytes.Length);
        WriteRaw(header);
        _records.Add(record);
        return _open = new EntryStream(this, record, compress);
    }

    /// <summary>Writes the central directory and end records; the output is closed unless it was left open.</summary>
    public void Dispose()
    {
        if (_finished) return;
        if (_open != null) throw new InvalidOperationException("an entry is still open");
        _finished = true;
        long start = _position;
        foreach (var r in _records) WriteRaw(CentralHeader(r));
        long size = _position - start;
        bool zip64 = _records.Count >= ushort.MaxValue || start >= uint.MaxValue || size >= uint.MaxValue;
        if (zip64)
        {
            long zip64End = _position;
            var end64 = new byte[56];
            Put32(end64, 0, Zip64EndSignature);
            Put64(end64, 4, 44);
            Put16(end64, 12, Version45);
            Put16(end64, 14, Version45);
            Put64(end64, 24, _records.Count);
            Put64(end64, 32, _records.Count);
            Put64(end64, 40, size);
            Put64(end64, 48, start);
            WriteRaw(end64);
            var locator = new byte[20];
            Put32(locator, 0, Zip64LocatorSignature);
            Put64(locator, 8, zip64End);
            Put32(locator, 16, 1);
            WriteRaw(locator);
        }
        var end = new byte[22];
        Put32(end, 0, EndSignature);
        ushort count = (ushort)Math.Min(_records.Count, ushort.MaxValue);
        Put16(end, 8, count);
        Put16(end, 10, count);
        Put32(end, 12, (uint)Math.Min(size, uint.MaxValue));
        Put32(end, 16, (uint)Math.Min(start, uint.MaxValue));
        WriteRaw(end);
        _output.Flush();
        if (!_leaveOpen) _output.Dispose();
    }

    private byte[] CentralHeader(Record r)
    {
        bool offset64 = r.Offset >= uint.MaxValue;
        var header = new byte[46 + r.Name.Length + (offset64 ? 12 : 0)];
        Put32(header, 0, CentralHeaderSignature);
        Put16(header, 4, offset64 ? Version45 : Version20); // made by MS-DOS (0), so no external attributes apply
        Put16(header, 6, offset64 ? Version45 : Version20);
        Put16(header, 8, r.Flags);
        Put16(header, 10, r.Method);
        Put32(header, 12, r.DosTime);
        Put32(header, 16, r.Crc);
        Put32(header, 20, (uint)r.CompressedSize);
        Put32(header, 24, (uint)r.Size);
        Put16(header, 28, (ushort)r.Name.Length);
        Put16(header, 30, (ushort)(offset64 ? 12 : 0));
        Put32(header, 42, offset64 ? uint.MaxValue : (uint)r.Offset);
        Buffer.BlockCopy(r.Name, 0, header, 46, r.Name.Length);
        if (offset64)
        {
            int x = 46 + r.Name.Length;
            Put16(header, x, 1);
            Put16(header, x + 2, 8);
            Put64(header, x + 4, r.Offset);
        }
        return header;
    }

    private void Close(EntryStream entry)
    {
        var r = entry.Record;
        if (r.Size >= uint.MaxValue || r.CompressedSize >= uint.MaxValue)
            throw new IOException($"zip entry '{Encoding.UTF8.GetString(r.Name)}' reached 4 GiB, more than one entry of this writer may hold");
        var fields = new byte[12];
        Put32(fields, 0, r.Crc);
        Put32(fields, 4, (uint)r.CompressedSize);
        Put32(fields, 8, (uint)r.Size);
        if (_patch)
        {
            long end = _output.Position;
            _output.Position = end - (_position - r.Offset) + 14;
            _output.Write(fields, 0, fields.Length);
            _output.Position = end;
        }
        else
        {
            var descriptor = new byte[16];
            Put32(descriptor, 0, DescriptorSignature);
            Buffer.BlockCopy(fields, 0, descriptor, 4, 12);
            WriteRaw(descriptor);
        }
        _open = null;
    }

    private void WriteRaw(byte[] bytes)
    {
        _output.Write(bytes, 0, bytes.Length);
        _position += bytes.Length;
    }

    private static bool IsAscii(string s)
    {
        foreach (var c in s) if (c > 0x7E || c < 0x20) return false;
        return true;
    }

    /// <summary>MS-DOS date and time (2-second resolution), clamped to the format's 1980–2107 range.</summary>
    private static uint DosTime(DateTime t)
    {
        if (t.Year < 1980) t = new DateTime(1980, 1, 1);
        if (t.Year > 2107) t = new DateTime(2107, 12, 31, 23, 59, 58);
        uint date = (uint)(((t.Year - 1980) << 9) | (t.Month << 5) | t.Day);
        uint time = (uint)((t.Hour << 11) | (t.Minute << 5) | (t.Second / 2));
        return (date << 16) | time;
    }

    private static void Put16(byte[] b, int at, ushort v) { b[at] = (byte)v; b[at + 1] = (byte)(v >> 8); }
    private static void Put32(byte[] b, int at, uint v) { for (int i = 0; i < 4; i++) b[at + i] = (byte)(v >> (8 * i)); }
    private static void Put64(byte[] b, int at, long v) { for (int i = 0; i < 8; i++) b[at + i] = (byte)((ulong)v >> (8 * i)); }

    private sealed class Record
    {
        public byte[] Name;
        public ushort Flags, Method;
        public uint DosTime, Crc;
        public long Offset, Size, CompressedSize;
    }

    /// <summary>One entry's data: counted and CRC-checked on the way in, deflated when asked, counted again on the way out.</summary>
    private sealed class EntryStream : Stream
    {
        private readonly DeterministicZipWriter _zip;
        private readonly Crc32 _crc = new Crc32();
        private readonly DeflaterOutputStream _deflate;
        private bool _closed;

        public EntryStream(DeterministicZipWriter zip, Record record, bool compress)
        {
            _zip = zip;
            Record = record;
            if (compress)
                _deflate = new DeflaterOutputStream(new RawOut(zip), new Deflater(Deflater.BEST_COMPRESSION, noZlibHeaderOrFooter: true)) { IsStreamOwner = false };
        }

        public Record Record { get; }

        public override void Write(byte[] buffer, int offset, int count)
        {
            if (_closed) throw new ObjectDisposedException("zip entry");
            if (count == 0) return;
            _crc.Update(new ArraySegment<byte>(buffer, offset, count));
            Record.Size += count;
            if (_deflate != null) _deflate.Write(buffer, offset, count);
            else { _zip._output.Write(buffer, offset, count); _zip._position += count; }
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing && !_closed)
            {
                _closed = true;
                long dataStart = Record.Offset + 30 + Record.Name.Length;
                _deflate?.Finish();
                Record.CompressedSize = _zip._position - dataStart;
                Record.Crc = (uint)_crc.Value;
                _zip.Close(this);
            }
            base.Dispose(disposing);
        }

        public override void Flush() { }
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => !_closed;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => Record.Size; set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }

    /// <summary>The deflater's output: straight to the zip, counted.</summary>
    private sealed class RawOut : Stream
    {
        private readonly DeterministicZipWriter _zip;
        public RawOut(DeterministicZipWriter zip) => _zip = zip;
        public override void Write(byte[] buffer, int offset, int count) { _zip._output.Write(buffer, offset, count); _zip._position += count; }
        public override void Flush() { }
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
