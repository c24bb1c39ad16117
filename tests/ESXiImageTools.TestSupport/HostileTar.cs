using System;
using System.IO;
using System.IO.Compression;
using System.Text;

namespace ESXiImageTools.TestSupport;

/// <summary>
/// Writes tar archives header by header, so tests and the fuzzer can state exactly what a hostile archive declares
/// (pax records, GNU long names, sparse types, sizes larger than the data) without committed binaries.
/// </summary>
public sealed class HostileTar
{
    private readonly MemoryStream _out = new MemoryStream();

    /// <summary>A header block (ustar, or old GNU with <paramref name="gnu"/>) with a correct checksum; no data.</summary>
    public HostileTar Header(string name, char type, long size, int mode = 0x1A4, string link = null, bool gnu = false)
    {
        var h = new byte[512];
        var nameBytes = Encoding.UTF8.GetBytes(name);
        Buffer.BlockCopy(nameBytes, 0, h, 0, Math.Min(100, nameBytes.Length));
        Octal(h, 100, 8, mode);
        Octal(h, 108, 8, 0);
        Octal(h, 116, 8, 0);
        if (size < 0x1FFFFFFFF) Octal(h, 124, 12, size);
        else
        {
            h[124] = 0x80; // GNU base-256
            for (int i = 0; i < 8; i++) h[135 - i] = (byte)(size >> (8 * i));
        }
        Octal(h, 136, 12, 1700000000);
        h[156] = (byte)type;
        if (link != null) Encoding.UTF8.GetBytes(link).CopyTo(h, 157);
        Encoding.ASCII.GetBytes(gnu ? "ustar  \0" : "ustar\u000000").CopyTo(h, 257);
        for (int i = 148; i < 156; i++) h[i] = (byte)' ';
        long sum = 0;
        foreach (var b in h) sum += b;
        Octal(h, 148, 7, sum);
        _out.Write(h, 0, 512);
        return this;
    }

    /// <summary>Raw bytes (content, possibly fewer than a header declared), not padded.</summary>
    public HostileTar Bytes(byte[] data)
    {
        _out.Write(data, 0, data.Length);
        return this;
    }

    /// <summary>Content padded to the next 512-byte block.</summary>
    public HostileTar Data(byte[] data)
    {
        Bytes(data);
        var pad = (512 - data.Length % 512) % 512;
        return Bytes(new byte[pad]);
    }

    /// <summary>A regular file: header and padded content.</summary>
    public HostileTar File(string name, byte[] content, int mode = 0x1A4) => Header(name, '0', content.Length, mode).Data(content);

    /// <summary>A pax extended header ('x', or 'g' when <paramref name="global"/>) with the given records.</summary>
    public HostileTar Pax(bool global, params (string Key, string Value)[] records)
    {
        var sb = new StringBuilder();
        foreach (var (k, v) in records)
        {
            var body = " " + k + "=" + v + "\n";
            int len = Encoding.UTF8.GetByteCount(body);
            int total = len + len.ToString().Length;
            if (total.ToString().Length != len.ToString().Length) total++;
            sb.Append(total).Append(body);
        }
        var bytes = Encoding.UTF8.GetBytes(sb.ToString());
        return Header("PaxHeaders/x", global ? 'g' : 'x', bytes.Length).Data(bytes);
    }

    /// <summary>Two zero blocks: the end of the archive.</summary>
    public HostileTar End() => Bytes(new byte[1024]);

    public byte[] ToArray() => _out.ToArray();

    /// <summary>The archive gzip'd (an OEM.tgz).</summary>
    public byte[] ToTgz()
    {
        var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Optimal, leaveOpen: true)) gz.Write(ToArray(), 0, (int)_out.Length);
        return ms.ToArray();
    }

    private static void Octal(byte[] h, int offset, int length, long value)
    {
        var s = Convert.ToString(value, 8).PadLeft(length - 1, '0');
        Encoding.ASCII.GetBytes(s).CopyTo(h, offset);
        h[offset + length - 1] = 0;
    }
}
