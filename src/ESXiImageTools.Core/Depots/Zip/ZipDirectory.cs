using System;
using System.Collections.Generic;
using System.IO;
using ESXiImageTools.Core.IO;

namespace ESXiImageTools.Core.Depots.Zip;

/// <summary>One central-directory record: where an entry's local header is and how its bytes are stored.</summary>
internal sealed record ZipDirectoryEntry
{
    public string Name { get; init; }
    public int Method { get; init; }
    public int Flags { get; init; }
    public long CompressedSize { get; init; }
    public long UncompressedSize { get; init; }
    public long LocalHeaderOffset { get; init; }

    /// <summary>Stored as is (method 0, not encrypted): the entry's bytes are a plain window of the zip file.</summary>
    public bool IsStored => Method == 0 && (Flags & 1) == 0 && CompressedSize == UncompressedSize;
}

/// <summary>
/// A minimal reader of a zip's central directory (EOCD, ZIP64 EOCD, central headers) and local headers, used only to
/// find where a stored entry's bytes lie so they can be read straight from the file; System.IO.Compression does not
/// expose that offset. Every value is checked against the file's length; on anything unexpected the answer is
/// "unknown" (null / -1) and callers fall back to <see cref="System.IO.Compression.ZipArchive"/>, never fail.
/// </summary>
internal static class ZipDirectory
{
    private const uint EocdSignature = 0x06054b50;
    private const uint Zip64LocatorSignature = 0x07064b50;
    private const uint Zip64EocdSignature = 0x06064b50;
    private const uint CentralHeaderSignature = 0x02014b50;
    private const uint LocalHeaderSignature = 0x04034b50;
    private const int EocdSize = 22, Zip64LocatorSize = 20, Zip64EocdSize = 56, CentralHeaderSize = 46, LocalHeaderSize = 30;
    private const ushort Zip64ExtraId = 0x0001;

    /// <summary>
    /// The central directory's entries by name, or null when the zip cannot be read with certainty.
    /// Names that are not plain ASCII are left out (their decoding depends on the reader), and a name that occurs
    /// twice maps to null (which of the two another reader picks is not defined).
    /// </summary>
    public static Dictionary<string, ZipDirectoryEntry> TryRead(Stream zip, int maxEntries)
    {
        try { return Read(zip, maxEntries); }
        catch (IOException) { return null; }
    }

    /// <summary>The absolute offset of a stored entry's first byte, after checking its local header; -1 when unknown.</summary>
    public static long TryDataOffset(Stream zip, ZipDirectoryEntry entry)
    {
        try
        {
            long length = zip.Length;
            var h = new byte[LocalHeaderSize];
            if (entry == null || !entry.IsStored || entry.LocalHeaderOffset < 0 || entry.LocalHeaderOffset > length - LocalHeaderSize
                || !ReadAt(zip, entry.LocalHeaderOffset, h, LocalHeaderSize)
                || U32(h, 0) != LocalHeaderSignature || U16(h, 8) != entry.Method)
                return -1;
            long data = entry.LocalHeaderOffset + LocalHeaderSize + U16(h, 26) + U16(h, 28);
            return entry.CompressedSize <= length - data ? data : -1;
        }
        catch (IOException) { return -1; }
    }

    private static Dictionary<string, ZipDirectoryEntry> Read(Stream zip, int maxEntries)
    {
        long length = zip.Length;
        long eocd = FindEocd(zip, length);
        if (eocd < 0) return null;
        var b = new byte[Zip64EocdSize];
        if (!ReadAt(zip, eocd, b, EocdSize)) return null;
        long disk = U16(b, 4), cdDisk = U16(b, 6), diskEntries = U16(b, 8), entries = U16(b, 10);
        long cdSize = U32(b, 12), cdOffset = U32(b, 16);
        long cdEnd = eocd; // the directory must end before the records that describe it

        if (disk == 0xFFFF || cdDisk == 0xFFFF || entries == 0xFFFF || diskEntries == 0xFFFF || cdSize == 0xFFFFFFFF || cdOffset == 0xFFFFFFFF)
        {
            long locator = eocd - Zip64LocatorSize;
            if (locator < 0 || !ReadAt(zip, locator, b, Zip64LocatorSize) || U32(b, 0) != Zip64LocatorSignature || U32(b, 4) != 0 || U32(b, 16) > 1)
                return null;
            long z64 = U64(b, 8);
            if (z64 < 0 || z64 > locator - Zip64EocdSize || !ReadAt(zip, z64, b, Zip64EocdSize) || U32(b, 0) != Zip64EocdSignature)
                return null;
            disk = U32(b, 16); cdDisk = U32(b, 20); diskEntries = U64(b, 24); entries = U64(b, 32);
            cdSize = U64(b, 40); cdOffset = U64(b, 48);
            cdEnd = z64;
        }
        // Single-disk archives only; sizes must fit inside the file before the end records.
        if (disk != 0 || cdDisk != 0 || diskEntries != entries || entries < 0 || entries > maxEntries
            || cdOffset < 0 || cdSize < 0 || cdOffset > cdEnd || cdSize > cdEnd - cdOffset)
            return null;

        var map = new Dictionary<string, ZipDirectoryEntry>(StringComparer.Ordinal);
        var header = new byte[CentralHeaderSize];
        var variable = new byte[ushort.MaxValue];
        zip.Position = cdOffset;
        long consumed = 0;
        for (long i = 0; i < entries; i++)
        {
            if (cdSize - consumed < CentralHeaderSize || StreamUtil.ReadFully(zip, header, 0, CentralHeaderSize) != CentralHeaderSize
                || U32(header, 0) != CentralHeaderSignature)
                return null;
            int nameLength = U16(header, 28), extraLength = U16(header, 30), commentLength = U16(header, 32);
            consumed += CentralHeaderSize + nameLength + extraLength + commentLength;
            if (consumed > cdSize) return null;

            if (StreamUtil.ReadFully(zip, variable, 0, nameLength) != nameLength) return null;
            string name = AsciiOrNull(variable, nameLength);
            if (StreamUtil.ReadFully(zip, variable, 0, extraLength) != extraLength) return null;
            long uncompressed = U32(header, 24), compressed = U32(header, 20), local = U32(header, 42);
            if (!ApplyZip64Extra(variable, extraLength, ref uncompressed, ref compressed, ref local)) return null;
            if (StreamUtil.ReadFully(zip, variable, 0, commentLength) != commentLength) return null;

            if (name == null) continue;
            if (local < 0 || local > cdOffset || compressed < 0 || compressed > length || uncompressed < 0) return null;
            var entry = new ZipDirectoryEntry
            {
                Name = name, Flags = U16(header, 8), Method = U16(header, 10),
                CompressedSize = compressed, UncompressedSize = uncompressed, LocalHeaderOffset = local,
            };
            map[name] = map.ContainsKey(name) ? null : entry;
        }
        return map;
    }

    /// <summary>
    /// The ZIP64 extra field (0x0001) holds 64-bit values for exactly those of uncompressed size, compressed size and
    /// local header offset (in that order) whose 32-bit field is 0xFFFFFFFF. False when a needed value is missing.
    /// </summary>
    private static bool ApplyZip64Extra(byte[] extra, int extraLength, ref long uncompressed, ref long compressed, ref long local)
    {
        bool needU = uncompressed == 0xFFFFFFFF, needC = compressed == 0xFFFFFFFF, needL = local == 0xFFFFFFFF;
        if (!needU && !needC && !needL) return true;
        for (int p = 0; p + 4 <= extraLength;)
        {
            int id = U16(extra, p), size = U16(extra, p + 2);
            int start = p + 4, end = start + size;
            if (end > extraLength) return false;
            if (id == Zip64ExtraId)
            {
                int q = start;
                if (needU) { if (q + 8 > end) return false; uncompressed = U64(extra, q); q += 8; }
                if (needC) { if (q + 8 > end) return false; compressed = U64(extra, q); q += 8; }
                if (needL) { if (q + 8 > end) return false; local = U64(extra, q); }
                return true;
            }
            p = end;
        }
        return false;
    }

    /// <summary>The end-of-central-directory record's offset: the last signature in the final 64 KiB + 22 bytes (as ZipArchive picks it), or -1 when its comment overruns the file.</summary>
    private static long FindEocd(Stream zip, long length)
    {
        if (length < EocdSize) return -1;
        int window = (int)Math.Min(length, ushort.MaxValue + EocdSize);
        var tail = new byte[window];
        if (!ReadAt(zip, length - window, tail, window)) return -1;
        for (int i = window - EocdSize; i >= 0; i--)
            if (U32(tail, i) == EocdSignature)
                return i + EocdSize + U16(tail, i + 20) <= window ? length - window + i : -1;
        return -1;
    }

    private static string AsciiOrNull(byte[] bytes, int count)
    {
        var c = new char[count];
        for (int i = 0; i < count; i++)
        {
            if (bytes[i] >= 0x80) return null;
            c[i] = (char)bytes[i];
        }
        return new string(c);
    }

    private static bool ReadAt(Stream s, long position, byte[] buffer, int count)
    {
        s.Position = position;
        return StreamUtil.ReadFully(s, buffer, 0, count) == count;
    }

    private static int U16(byte[] b, int i) => b[i] | (b[i + 1] << 8);
    private static long U32(byte[] b, int i) => (uint)(b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24));

    // A value above long.MaxValue comes out negative, which every caller rejects.
    private static long U64(byte[] b, int i) => U32(b, i) | (U32(b, i + 4) << 32);
}
