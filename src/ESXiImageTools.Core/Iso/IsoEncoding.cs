using System;
using System.Text;

namespace ESXiImageTools.Core.Iso;

/// <summary>
/// Byte-level encodings of ECMA-119: both-endian numbers, padded strings and the two date formats.
/// Pure functions over caller-supplied buffers.
/// </summary>
internal static class IsoEncoding
{
    public const int SectorSize = 2048;

    public static void WriteLe16(byte[] b, int o, ushort v) { b[o] = (byte)v; b[o + 1] = (byte)(v >> 8); }
    public static void WriteBe16(byte[] b, int o, ushort v) { b[o] = (byte)(v >> 8); b[o + 1] = (byte)v; }

    public static void WriteLe32(byte[] b, int o, uint v)
    {
        b[o] = (byte)v; b[o + 1] = (byte)(v >> 8); b[o + 2] = (byte)(v >> 16); b[o + 3] = (byte)(v >> 24);
    }

    public static void WriteBe32(byte[] b, int o, uint v)
    {
        b[o] = (byte)(v >> 24); b[o + 1] = (byte)(v >> 16); b[o + 2] = (byte)(v >> 8); b[o + 3] = (byte)v;
    }

    /// <summary>ECMA-119 7.2.3: 16-bit value little-endian, then big-endian (4 bytes).</summary>
    public static void WriteBoth16(byte[] b, int o, ushort v) { WriteLe16(b, o, v); WriteBe16(b, o + 2, v); }

    /// <summary>ECMA-119 7.3.3: 32-bit value little-endian, then big-endian (8 bytes).</summary>
    public static void WriteBoth32(byte[] b, int o, uint v) { WriteLe32(b, o, v); WriteBe32(b, o + 4, v); }

    public static ushort ReadLe16(byte[] b, int o) => (ushort)(b[o] | (b[o + 1] << 8));
    public static ushort ReadBe16(byte[] b, int o) => (ushort)((b[o] << 8) | b[o + 1]);
    public static uint ReadLe32(byte[] b, int o) => (uint)(b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24));
    public static uint ReadBe32(byte[] b, int o) => (uint)((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]);

    /// <summary>Writes ASCII text padded with spaces to <paramref name="length"/> bytes.</summary>
    public static void WritePadded(byte[] b, int o, int length, string text)
    {
        text ??= "";
        if (text.Length > length) throw new ArgumentException($"'{text}' is longer than {length} characters");
        for (int i = 0; i < length; i++) b[o + i] = i < text.Length ? (byte)text[i] : (byte)' ';
    }

    /// <summary>Reads an ASCII field, trimming the space (or NUL) padding.</summary>
    public static string ReadPadded(byte[] b, int o, int length)
    {
        var s = Encoding.ASCII.GetString(b, o, length);
        return s.TrimEnd(' ', '\0');
    }

    /// <summary>ECMA-119 8.4.26.1: 16 digits YYYYMMDDHHMMSSCC and a GMT offset byte (written as UTC, offset 0).</summary>
    public static void WriteVolumeDate(byte[] b, int o, DateTimeOffset? time)
    {
        if (time == null)
        {
            for (int i = 0; i < 16; i++) b[o + i] = (byte)'0';
            b[o + 16] = 0;
            return;
        }
        var t = time.Value.UtcDateTime;
        var s = t.ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture) + (t.Millisecond / 10).ToString("00");
        for (int i = 0; i < 16; i++) b[o + i] = (byte)s[i];
        b[o + 16] = 0;
    }

    /// <summary>Parses a 17-byte volume date; null when unset or not digits (lenient: other tools write NULs).</summary>
    public static DateTimeOffset? ReadVolumeDate(byte[] b, int o)
    {
        for (int i = 0; i < 16; i++) if (b[o + i] < (byte)'0' || b[o + i] > (byte)'9') return null;
        int D(int at, int n) { int v = 0; for (int i = 0; i < n; i++) v = v * 10 + (b[o + at + i] - '0'); return v; }
        int year = D(0, 4), month = D(4, 2), day = D(6, 2), hour = D(8, 2), min = D(10, 2), sec = D(12, 2), cs = D(14, 2);
        if (year == 0 && month == 0) return null;
        var offset = TimeSpan.FromMinutes(15 * (sbyte)b[o + 16]);
        try { return new DateTimeOffset(year, month, day, hour, min, sec, cs * 10, offset); }
        catch (ArgumentException) { return null; }
    }

    /// <summary>ECMA-119 9.1.5: 7-byte recording date (years since 1900 … seconds, GMT offset), written as UTC.</summary>
    public static void WriteRecordDate(byte[] b, int o, DateTimeOffset time)
    {
        var t = time.UtcDateTime;
        b[o] = (byte)(t.Year - 1900); b[o + 1] = (byte)t.Month; b[o + 2] = (byte)t.Day;
        b[o + 3] = (byte)t.Hour; b[o + 4] = (byte)t.Minute; b[o + 5] = (byte)t.Second; b[o + 6] = 0;
    }

    public static DateTimeOffset? ReadRecordDate(byte[] b, int o)
    {
        try
        {
            return new DateTimeOffset(1900 + b[o], b[o + 1], b[o + 2], b[o + 3], b[o + 4], b[o + 5],
                TimeSpan.FromMinutes(15 * Math.Max(-48, Math.Min(52, (int)(sbyte)b[o + 6]))));
        }
        catch (ArgumentException) { return null; }
    }
}
