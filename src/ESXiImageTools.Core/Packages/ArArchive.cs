using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.IO;

namespace ESXiImageTools.Core.Packages;

/// <summary>One member of an ar archive: its name and where its data lies.</summary>
public sealed class ArMember
{
    public ArMember(string name, long headerOffset, long dataOffset, long size)
    {
        Name = name;
        HeaderOffset = headerOffset;
        DataOffset = dataOffset;
        Size = size;
    }

    /// <summary>The member name with GNU '/' and padding removed, BSD/GNU long names resolved.</summary>
    public string Name { get; }

    /// <summary>Byte offset of the 60-byte header in the archive.</summary>
    public long HeaderOffset { get; }

    /// <summary>Byte offset of the member's data in the archive.</summary>
    public long DataOffset { get; }

    /// <summary>Size of the member's data in bytes.</summary>
    public long Size { get; }

    public override string ToString() => $"{Name} ({Size} bytes at {DataOffset})";
}

/// <summary>
/// Streaming reader of Unix <c>ar</c> archives (the VIB container). Works on seekable
/// and forward-only streams: <see cref="MoveNext"/> reads the next header, skipping whatever of the
/// current member's data was not read; <see cref="OpenCurrent"/> reads the current member's data.
/// Handles GNU <c>name/</c>, GNU <c>//</c> long-name tables and <c>/</c> symbol tables (skipped),
/// BSD <c>#1/len</c> names and odd-size padding. Truncation raises <see cref="EsxFormatException"/>
/// (<see cref="ErrorCodes.VibTruncated"/>) naming the file and member.
/// </summary>
public sealed class ArReader : IDisposable
{
    /// <summary>The 8-byte global header <c>!&lt;arch&gt;\n</c>.</summary>
    public static readonly byte[] Magic = Encoding.ASCII.GetBytes("!<arch>\n");

    private const int HeaderSize = 60;
    private const long MaxLongNameTable = 1024 * 1024;
    private const int MaxBsdName = 4096;

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly string _source;
    private readonly long _base; // stream position of archive offset 0 (seekable streams)
    private long _position; // logical position in the archive (bytes consumed)
    private long _nextHeader; // where the next header starts
    private byte[] _longNames;
    private bool _started;
    private bool _done;

    /// <summary>Creates a reader; the global header is checked on the first <see cref="MoveNext"/>.</summary>
    /// <param name="stream">The archive; read from its current position (treated as offset 0).</param>
    /// <param name="source">The file name or location, for messages.</param>
    /// <param name="leaveOpen">Whether disposing the reader leaves <paramref name="stream"/> open.</param>
    public ArReader(Stream stream, string source, bool leaveOpen = false)
    {
        _stream = stream ?? throw new ArgumentNullException(nameof(stream));
        _source = source;
        _leaveOpen = leaveOpen;
        _base = stream.CanSeek ? stream.Position : 0;
    }

    /// <summary>The current member, after <see cref="MoveNext"/> returned true.</summary>
    public ArMember Current { get; private set; }

    /// <summary>Whether a stream starts with the ar global header (the position is restored when seekable).</summary>
    public static bool HasArMagic(Stream s)
    {
        var buf = new byte[Magic.Length];
        long pos = s.CanSeek ? s.Position : 0;
        int n = StreamUtil.ReadFully(s, buf, 0, buf.Length);
        if (s.CanSeek) s.Position = pos;
        return n == Magic.Length && Equal(buf, Magic);
    }

    /// <summary>Advances to the next member; false at the end of the archive.</summary>
    public bool MoveNext()
    {
        if (_done) return false;
        if (!_started)
        {
            _started = true;
            var magic = new byte[Magic.Length];
            int n = StreamUtil.ReadFully(_stream, magic, 0, magic.Length);
            _position = n;
            if (n != Magic.Length || !Equal(magic, Magic))
                throw new EsxFormatException(ErrorCodes.NotAnArArchive, _source, null, "not an ar archive (no '!<arch>' header); a VIB is an ar archive");
            _nextHeader = Magic.Length;
        }
        while (true)
        {
            // The last member's padding byte may be missing; tolerate exactly that.
            SkipTo(_nextHeader, Current?.Name, allowShortByOne: Current != null && _nextHeader - (Current.DataOffset + Current.Size) == 1);
            var header = new byte[HeaderSize];
            int n = StreamUtil.ReadFully(_stream, header, 0, HeaderSize);
            _position += n;
            if (n == 0)
            {
                _done = true;
                Current = null;
                return false;
            }
            long headerOffset = _nextHeader;
            if (n < HeaderSize)
                throw Truncated(null, $"member header at offset {headerOffset} is cut short ({n} of {HeaderSize} bytes)");
            if (header[58] != (byte)'`' || header[59] != (byte)'\n')
                throw new EsxFormatException(ErrorCodes.VibTruncated, _source, null,
                    $"member header at offset {headerOffset} is corrupt (bad end marker)");
            string rawName = Encoding.ASCII.GetString(header, 0, 16).TrimEnd(' ');
            long size = ParseDecimal(header, 48, 10, headerOffset, "size");
            long dataOffset = headerOffset + HeaderSize;
            string name;
            long dataSize = size;

            if (rawName == "//")
            {
                // GNU long-name table: "name/\n" records addressed by "/<offset>".
                if (size > MaxLongNameTable)
                    throw new EsxFormatException(ErrorCodes.VibTruncated, _source, "//", $"long-name table of {size} bytes is larger than allowed");
                _longNames = new byte[size];
                int got = StreamUtil.ReadFully(_stream, _longNames, 0, (int)size);
                _position += got;
                if (got < size) throw Truncated("//", $"long-name table is cut short ({got} of {size} bytes)");
                _nextHeader = dataOffset + size + (size & 1);
                continue;
            }
            if (rawName == "/" || rawName == "/SYM64/" || rawName == "__.SYMDEF" || rawName == "__.SYMDEF SORTED")
            {
                _nextHeader = dataOffset + size + (size & 1); // symbol tables are not members
                continue;
            }
            if (rawName.StartsWith("#1/", StringComparison.Ordinal))
            {
                // BSD: the name (len bytes) precedes the data and is counted in size.
                if (!int.TryParse(rawName.Substring(3), NumberStyles.None, CultureInfo.InvariantCulture, out int len) || len < 0 || len > MaxBsdName || len > size)
                    throw new EsxFormatException(ErrorCodes.VibTruncated, _source, rawName, $"BSD long name length '{rawName.Substring(3)}' is invalid");
                var nb = new byte[len];
                int got = StreamUtil.ReadFully(_stream, nb, 0, len);
                _position += got;
                if (got < len) throw Truncated(rawName, "BSD long name is cut short");
                name = Encoding.UTF8.GetString(nb).TrimEnd('\0');
                dataOffset += len;
                dataSize = size - len;
            }
            else if (rawName.Length > 1 && rawName[0] == '/' && char.IsDigit(rawName[1]))
            {
                name = LongName(rawName);
            }
            else
            {
                name = rawName.EndsWith("/", StringComparison.Ordinal) ? rawName.Substring(0, rawName.Length - 1) : rawName;
            }
            if (name.Length == 0)
                throw new EsxFormatException(ErrorCodes.VibTruncated, _source, null, $"member at offset {headerOffset} has an empty name");

            if (_stream.CanSeek)
            {
                long available = _stream.Length - _base;
                if (dataOffset + dataSize > available)
                    throw Truncated(name, $"member declares {dataSize} bytes but the file ends {Math.Max(0, available - dataOffset)} bytes into it");
            }
            Current = new ArMember(name, headerOffset, dataOffset, dataSize);
            _nextHeader = headerOffset + HeaderSize + size + (size & 1);
            return true;
        }
    }

    /// <summary>
    /// A stream over the current member's data. For forward-only input it must be read before the next
    /// <see cref="MoveNext"/>; disposing it does not close the archive. A short read raises
    /// <see cref="EsxFormatException"/> (<see cref="ErrorCodes.VibTruncated"/>).
    /// </summary>
    public Stream OpenCurrent()
    {
        var m = Current ?? throw new InvalidOperationException("no current member");
        SkipTo(m.DataOffset, m.Name, allowShortByOne: false);
        return new ArMemberStream(this, m);
    }

    /// <summary>Enumerates all remaining members.</summary>
    public IEnumerable<ArMember> Members()
    {
        while (MoveNext()) yield return Current;
    }

    /// <summary>Lists every member of an archive (reads headers only on seekable streams).</summary>
    public static IReadOnlyList<ArMember> ReadIndex(Stream stream, string source)
    {
        using var r = new ArReader(stream, source, leaveOpen: true);
        return new List<ArMember>(r.Members());
    }

    public void Dispose()
    {
        if (!_leaveOpen) _stream.Dispose();
    }

    internal EsxFormatException Truncated(string member, string problem)
        => new EsxFormatException(ErrorCodes.VibTruncated, _source, member, "truncated: " + problem);

    private void SkipTo(long target, string member, bool allowShortByOne)
    {
        if (_position == target) return;
        if (_position > target) throw new InvalidOperationException("ar reader cannot move backwards");
        long want = target - _position;
        long skipped = StreamUtil.Skip(_stream, want);
        _position += skipped;
        if (skipped < want && !(allowShortByOne && want - skipped == 1))
            throw Truncated(member, $"file ends at offset {_position}, expected data up to offset {target}");
    }

    private int ReadData(ArMember m, long offsetInMember, byte[] buffer, int offset, int count)
    {
        long abs = m.DataOffset + offsetInMember;
        if (_stream.CanSeek)
        {
            _stream.Position = _base + abs;
            _position = abs;
        }
        else if (_position != abs) throw new InvalidOperationException("member data must be read in order on a forward-only stream");
        int n = _stream.Read(buffer, offset, count);
        if (n > 0) _position += n;
        return n;
    }

    private string LongName(string raw)
    {
        if (_longNames == null)
            throw new EsxFormatException(ErrorCodes.VibTruncated, _source, raw, "GNU long name without a '//' name table");
        if (!int.TryParse(raw.Substring(1), NumberStyles.None, CultureInfo.InvariantCulture, out int off) || off < 0 || off >= _longNames.Length)
            throw new EsxFormatException(ErrorCodes.VibTruncated, _source, raw, "GNU long name offset is outside the name table");
        int end = off;
        while (end < _longNames.Length && _longNames[end] != (byte)'\n') end++;
        var s = Encoding.UTF8.GetString(_longNames, off, end - off);
        return s.EndsWith("/", StringComparison.Ordinal) ? s.Substring(0, s.Length - 1) : s;
    }

    private long ParseDecimal(byte[] header, int offset, int length, long headerOffset, string field)
    {
        var text = Encoding.ASCII.GetString(header, offset, length).Trim(' ', '\0');
        if (text.Length == 0) return 0;
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v))
            throw new EsxFormatException(ErrorCodes.VibTruncated, _source, null,
                $"member header at offset {headerOffset} has an invalid {field} field '{text}'");
        return v;
    }

    private static bool Equal(byte[] a, byte[] b)
    {
        if (a.Length != b.Length) return false;
        for (int i = 0; i < a.Length; i++) if (a[i] != b[i]) return false;
        return true;
    }

    private sealed class ArMemberStream : ReadOnlyStream
    {
        private readonly ArReader _reader;
        private readonly ArMember _member;
        private long _pos;

        public ArMemberStream(ArReader reader, ArMember member)
        {
            _reader = reader;
            _member = member;
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            long remaining = _member.Size - _pos;
            if (remaining <= 0 || count == 0) return 0;
            if (count > remaining) count = (int)remaining;
            int n = _reader.ReadData(_member, _pos, buffer, offset, count);
            if (n <= 0) throw _reader.Truncated(_member.Name, $"member data ends after {_pos} of {_member.Size} bytes");
            _pos += n;
            return n;
        }

        public override long Length => _member.Size;
        public override long Position { get => _pos; set => throw new NotSupportedException(); }
    }
}

/// <summary>
/// Writes ar archives deterministically: plain space-padded names (no GNU '/'), mtime 0, uid/gid 0,
/// mode 100644, '\n' padding to even offsets.
/// Names longer than 16 bytes are written BSD-style (<c>#1/len</c>).
/// </summary>
public sealed class ArWriter : IDisposable
{
    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private bool _headerWritten;

    public ArWriter(Stream stream, bool leaveOpen = false)
    {
        _stream = stream ?? throw new ArgumentNullException(nameof(stream));
        _leaveOpen = leaveOpen;
    }

    /// <summary>Adds a member of exactly <paramref name="size"/> bytes copied from <paramref name="data"/>.</summary>
    public void Add(string name, long size, Stream data)
    {
        if (string.IsNullOrEmpty(name)) throw new ArgumentException("member name is empty", nameof(name));
        if (name.IndexOf('/') >= 0 || name.IndexOf(' ') >= 0) throw new ArgumentException($"ar member name '{name}' must not contain '/' or spaces", nameof(name));
        if (size < 0) throw new ArgumentOutOfRangeException(nameof(size));
        EnsureGlobalHeader();
        var nameBytes = Encoding.UTF8.GetBytes(name);
        bool bsd = nameBytes.Length > 16 || name.StartsWith("#1/", StringComparison.Ordinal);
        long total = bsd ? size + nameBytes.Length : size;
        string field = bsd ? "#1/" + nameBytes.Length.ToString(CultureInfo.InvariantCulture) : name;
        var hb = new byte[60];
        for (int i = 0; i < hb.Length; i++) hb[i] = (byte)' ';
        var fieldBytes = bsd ? Encoding.ASCII.GetBytes(field) : nameBytes;
        Buffer.BlockCopy(fieldBytes, 0, hb, 0, fieldBytes.Length);
        PutAscii(hb, 16, "0");       // mtime
        PutAscii(hb, 28, "0");       // uid
        PutAscii(hb, 34, "0");       // gid
        PutAscii(hb, 40, "100644");  // mode (octal)
        PutAscii(hb, 48, total.ToString(CultureInfo.InvariantCulture));
        hb[58] = (byte)'`';
        hb[59] = (byte)'\n';
        _stream.Write(hb, 0, hb.Length);
        if (bsd) _stream.Write(nameBytes, 0, nameBytes.Length);
        long copied = 0;
        if (data != null)
        {
            var buf = new byte[81920];
            while (copied < size)
            {
                int n = data.Read(buf, 0, (int)Math.Min(buf.Length, size - copied));
                if (n <= 0) break;
                _stream.Write(buf, 0, n);
                copied += n;
            }
        }
        if (copied != size) throw new InvalidOperationException($"ar member '{name}': expected {size} bytes of data, got {copied}");
        if ((total & 1) != 0) _stream.WriteByte((byte)'\n');
    }

    /// <summary>Adds a member from a byte array.</summary>
    public void Add(string name, byte[] data)
    {
        data ??= Array.Empty<byte>();
        using var ms = new MemoryStream(data, false);
        Add(name, data.Length, ms);
    }

    /// <summary>Writes the global header even for an empty archive.</summary>
    public void Finish() => EnsureGlobalHeader();

    public void Dispose()
    {
        EnsureGlobalHeader();
        _stream.Flush();
        if (!_leaveOpen) _stream.Dispose();
    }

    private void EnsureGlobalHeader()
    {
        if (_headerWritten) return;
        _stream.Write(ArReader.Magic, 0, ArReader.Magic.Length);
        _headerWritten = true;
    }

    private static void PutAscii(byte[] buffer, int offset, string text)
    {
        var b = Encoding.ASCII.GetBytes(text);
        Buffer.BlockCopy(b, 0, buffer, offset, b.Length);
    }
}
