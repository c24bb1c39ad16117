using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Threading;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.IO;

namespace ESXiImageTools.Core.Packages;

/// <summary>One member of a tar archive as <see cref="TarReader"/> reads it (pax and GNU long names applied).</summary>
public sealed class TarMember
{
    internal TarMember(string name, char typeFlag, long size, int mode, string linkName)
    {
        Name = name;
        TypeFlag = typeFlag;
        Size = size;
        Mode = mode;
        LinkName = linkName;
    }

    public string Name { get; }

    /// <summary>The tar type flag: '0' (or NUL, '7') a file, '5' a folder, '1'/'2' links, '3'/'4' devices, '6' a FIFO.</summary>
    public char TypeFlag { get; }

    /// <summary>Bytes of content that follow the header.</summary>
    public long Size { get; }

    /// <summary>Unix permission bits.</summary>
    public int Mode { get; }

    public string LinkName { get; }

    public bool IsFile => TypeFlag == '0' || TypeFlag == '\0' || TypeFlag == '7';
    public bool IsDirectory => TypeFlag == '5';

    public override string ToString() => Name;
}

/// <summary>
/// A bounded, streaming reader of ustar, GNU and pax tar archives for untrusted input. Everything a header declares
/// is checked before it is believed: a long name or pax header larger than its bound, a member whose content ends
/// early (GNU tar's "Unexpected EOF"), a bad header checksum, are typed errors. Members this engine cannot carry
/// faithfully are refused by name, never dropped: sparse files (GNU 'S' and pax GNU.sparse.*), multi-volume
/// continuations ('M') and volume labels ('V'). Pax global headers are read (bounded) and ignored.
/// </summary>
public sealed class TarReader
{
    public const int BlockSize = 512;

    /// <summary>Largest GNU long name or link ('L', 'K') accepted: far above any path a host takes.</summary>
    public const int MaxLongNameBytes = 64 * 1024;

    /// <summary>Largest pax extended header accepted.</summary>
    public const int MaxPaxHeaderBytes = 1024 * 1024;

    private readonly Stream _raw;
    private readonly string _source;
    private readonly byte[] _block = new byte[BlockSize];
    private long _remaining;   // content bytes of the current member not yet read
    private long _padding;     // zero bytes after it up to the block boundary
    private TarMember _current;

    /// <summary>Reads <paramref name="raw"/> (an uncompressed tar) from its current position; <paramref name="source"/> names it in errors.</summary>
    public TarReader(Stream raw, string source)
    {
        _raw = raw ?? throw new ArgumentNullException(nameof(raw));
        _source = source;
    }

    /// <summary>The next member, or null at the end of the archive. Unread content of the previous member is skipped.</summary>
    public TarMember Next(CancellationToken cancellationToken = default)
    {
        SkipRest();
        string longName = null, longLink = null;
        Dictionary<string, string> pax = null;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int n = StreamUtil.ReadFully(_raw, _block, 0, BlockSize);
            if (n == 0)
            {
                if (longName != null || longLink != null || pax != null) throw Invalid(null, "the archive ends after an extended header, before its member");
                return null; // no end-of-archive blocks: GNU tar accepts this too
            }
            if (n < BlockSize) throw Invalid(null, $"the archive ends inside a header ({n} of {BlockSize} bytes)");
            if (IsZero(_block))
            {
                if (longName != null || longLink != null || pax != null) throw Invalid(null, "an extended header is followed by the end of the archive");
                return null;
            }
            VerifyChecksum();
            char flag = (char)_block[156];
            string headerName = HeaderName();
            long size = Number(124, 12, headerName, "size");
            if (size < 0) throw Invalid(headerName, $"declares a negative size ({size})");
            switch (flag)
            {
                case 'L':
                case 'K':
                    if (size > MaxLongNameBytes)
                        throw Invalid(headerName, $"a GNU long {(flag == 'L' ? "name" : "link")} header declares {size} bytes, over the {MaxLongNameBytes} byte bound");
                    var text = CString(ReadExtension(size, headerName), 0, (int)size);
                    if (flag == 'L') longName = text; else longLink = text;
                    continue;
                case 'x':
                case 'g':
                case 'X': // Solaris pax
                    if (size > MaxPaxHeaderBytes)
                        throw Invalid(headerName, $"a pax extended header declares {size} bytes, over the {MaxPaxHeaderBytes} byte bound");
                    var records = ParsePax(ReadExtension(size, headerName), (int)size, headerName);
                    if (flag != 'g') pax = records;
                    else if (Sparse(records)) throw Invalid(headerName, "the archive declares sparse files (pax GNU.sparse.* in a global header), which a package cannot carry: pack it as ordinary files");
                    continue;
                case 'S':
                    throw Invalid(longName ?? headerName, "is a sparse file (GNU tar type 'S', written by GNU tar's sparse mode), which a package cannot carry: pack it as ordinary files");
                case 'M':
                    throw Invalid(longName ?? headerName, "is the continuation of a file from another volume (GNU tar type 'M', multi-volume): pack the archive as one volume");
                case 'V':
                    throw Invalid(headerName, "is a volume label (GNU tar type 'V'); a package archive holds files and folders only: pack it without a label");
            }
            if (pax != null && Sparse(pax))
                throw Invalid(pax.TryGetValue("GNU.sparse.name", out var sparseName) ? sparseName : longName ?? headerName,
                    "is a sparse file (pax GNU.sparse.* headers, written by GNU tar's sparse mode), which a package cannot carry: pack it as ordinary files");
            string name = longName ?? headerName, link = longLink ?? CString(_block, 157, 100);
            if (pax != null)
            {
                if (pax.TryGetValue("path", out var p)) name = p;
                if (pax.TryGetValue("linkpath", out var l)) link = l;
                if (pax.TryGetValue("size", out var s))
                {
                    if (!long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out size))
                        throw Invalid(name, $"pax size '{s}' is not a number");
                }
            }
            int mode = (int)(Number(100, 8, name, "mode") & 0xFFF);
            // Links, devices, FIFOs and folders carry no content whatever their size field says (as GNU tar reads them).
            long content = flag >= '1' && flag <= '6' ? 0 : size;
            _current = new TarMember(name, flag, content, mode, link);
            _remaining = content;
            _padding = (BlockSize - content % BlockSize) % BlockSize;
            return _current;
        }
    }

    /// <summary>Copies the current member's whole content to <paramref name="destination"/>; a member cut short is a typed error.</summary>
    public void CopyContent(Stream destination, CancellationToken cancellationToken = default)
    {
        if (_current == null) throw new InvalidOperationException("no current member");
        var buf = new byte[81920];
        while (_remaining > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int n = _raw.Read(buf, 0, (int)Math.Min(buf.Length, _remaining));
            if (n <= 0) throw Truncated();
            destination.Write(buf, 0, n);
            _remaining -= n;
        }
    }

    private void SkipRest()
    {
        if (_current == null) return;
        if (_remaining > 0 && StreamUtil.Skip(_raw, _remaining) < _remaining) throw Truncated();
        _remaining = 0;
        if (_padding > 0 && StreamUtil.Skip(_raw, _padding) < _padding) throw Invalid(_current.Name, "the archive ends inside the padding after this member");
        _padding = 0;
        _current = null;
    }

    private EsxFormatException Truncated()
        => Invalid(_current.Name, $"the archive ends inside this member: it declares {_current.Size} bytes and {_current.Size - _remaining} are present (unexpected end of file)");

    private byte[] ReadExtension(long size, string headerName)
    {
        var buf = new byte[(size + BlockSize - 1) / BlockSize * BlockSize];
        if (StreamUtil.ReadFully(_raw, buf, 0, buf.Length) < buf.Length) throw Invalid(headerName, "the archive ends inside an extended header");
        return buf;
    }

    private Dictionary<string, string> ParsePax(byte[] data, int length, string headerName)
    {
        var records = new Dictionary<string, string>(StringComparer.Ordinal);
        int pos = 0;
        while (pos < length)
        {
            if (data[pos] == 0) break; // padding some writers leave
            int space = Array.IndexOf(data, (byte)' ', pos, Math.Min(20, length - pos));
            if (space < 0 || !int.TryParse(Encoding.ASCII.GetString(data, pos, space - pos), NumberStyles.None, CultureInfo.InvariantCulture, out int recordLength)
                || recordLength <= space - pos + 1 || pos + recordLength > length || data[pos + recordLength - 1] != (byte)'\n')
                throw Invalid(headerName, $"a pax extended header has a malformed record at byte {pos}");
            var record = Encoding.UTF8.GetString(data, space + 1, pos + recordLength - space - 2);
            int eq = record.IndexOf('=');
            if (eq <= 0) throw Invalid(headerName, $"a pax extended header has a record without a key at byte {pos}");
            records[record.Substring(0, eq)] = record.Substring(eq + 1);
            pos += recordLength;
        }
        return records;
    }

    private static bool Sparse(Dictionary<string, string> records)
    {
        foreach (var key in records.Keys)
            if (key.StartsWith("GNU.sparse.", StringComparison.Ordinal)) return true;
        return false;
    }

    private string HeaderName()
    {
        var name = CString(_block, 0, 100);
        bool ustar = Encoding.ASCII.GetString(_block, 257, 5) == "ustar";
        // Old GNU headers keep other data at 345 (times, sparse map); only POSIX ustar has a name prefix there.
        bool posix = ustar && _block[262] == 0;
        if (posix)
        {
            var prefix = CString(_block, 345, 155);
            if (prefix.Length > 0) name = prefix.TrimEnd('/') + "/" + name;
        }
        return name;
    }

    private void VerifyChecksum()
    {
        long stored = Number(148, 8, HeaderName(), "checksum");
        long unsigned = 0, signedSum = 0;
        for (int i = 0; i < BlockSize; i++)
        {
            byte b = i >= 148 && i < 156 ? (byte)' ' : _block[i];
            unsigned += b;
            signedSum += (sbyte)b;
        }
        if (stored != unsigned && stored != signedSum)
            throw Invalid(null, $"a header's checksum is {stored}, its bytes sum to {unsigned}: not a tar header (or a corrupt one)");
    }

    private long Number(int offset, int length, string member, string field)
    {
        try { return VmTar.ParseNumber(_block, offset, length, _source, member, field); }
        catch (OverflowException) { throw Invalid(member, $"header {field} field does not fit 64 bits"); }
        catch (EsxFormatException e) { throw Invalid(member, e.Problem); }
    }

    private static bool IsZero(byte[] b)
    {
        foreach (var x in b) if (x != 0) return false;
        return true;
    }

    private static string CString(byte[] b, int offset, int length)
    {
        int end = offset;
        while (end < offset + length && b[end] != 0) end++;
        return Encoding.UTF8.GetString(b, offset, end - offset);
    }

    private EsxFormatException Invalid(string member, string problem)
        => new EsxFormatException(ErrorCodes.TarInvalid, _source, member, problem);
}
