using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.IO;

namespace ESXiImageTools.Core.Packages;

/// <summary>What kind of file an archive entry is.</summary>
public enum PayloadEntryType
{
    File,
    Directory,
    Symlink,
    HardLink,
    Other,
}

/// <summary>One file a payload installs (from a vmtar or tar listing).</summary>
public sealed class PayloadEntry
{
    public PayloadEntry(string path, PayloadEntryType type, long size, int mode, string linkTarget = null, long? dataOffset = null)
    {
        Path = path;
        Type = type;
        Size = size;
        Mode = mode;
        LinkTarget = linkTarget;
        DataOffset = dataOffset;
    }

    /// <summary>Path inside the archive, without a leading "./" or "/" and without a trailing "/" (directories).</summary>
    public string Path { get; }
    public PayloadEntryType Type { get; }
    public long Size { get; }

    /// <summary>Unix permission bits (e.g. 0644).</summary>
    public int Mode { get; }

    /// <summary>Target of a symlink or hard link, else null.</summary>
    public string LinkTarget { get; }

    /// <summary>vmtar only: byte offset of the data in the uncompressed archive.</summary>
    public long? DataOffset { get; }

    public override string ToString() => Type == PayloadEntryType.Directory ? Path + "/" : Path;

    /// <summary>Normalizes an archive path for comparison: no leading "./" or "/", no trailing "/".</summary>
    public static string NormalizePath(string path)
    {
        var p = (path ?? "").Replace('\\', '/');
        while (p.StartsWith("./", StringComparison.Ordinal)) p = p.Substring(2);
        p = p.TrimStart('/');
        return p.TrimEnd('/');
    }
}

/// <summary>A file or directory to put into a vmtar.</summary>
public sealed class VmTarInput
{
    private VmTarInput(string path, bool isDirectory, long size, Func<Stream> open, int mode)
    {
        Path = PayloadEntry.NormalizePath(path);
        if (Path.Length == 0) throw new ArgumentException("entry path is empty", nameof(path));
        IsDirectory = isDirectory;
        Size = size;
        Open = open;
        Mode = mode;
    }

    public string Path { get; }
    public bool IsDirectory { get; }
    public long Size { get; }
    public Func<Stream> Open { get; }
    public int Mode { get; }

    public static VmTarInput File(string path, byte[] content, int mode = 0x1A4 /* 0644 */)
        => new VmTarInput(path, false, content.Length, () => new MemoryStream(content, false), mode);

    /// <summary>A file whose bytes are streamed from <paramref name="open"/> (exactly <paramref name="size"/> bytes).</summary>
    public static VmTarInput File(string path, long size, Func<Stream> open, int mode = 0x1A4)
        => new VmTarInput(path, false, size, open ?? throw new ArgumentNullException(nameof(open)), mode);

    public static VmTarInput Directory(string path, int mode = 0x1ED /* 0755 */) => new VmTarInput(path, true, 0, null, mode);
}

/// <summary>
/// The VMware "visor tar" (vmtar) format of vgz payloads: ustar-like 512-byte headers
/// with magic <c>"visor "</c>, all headers first, each file's data at an absolute offset stored in the
/// header. Typeflag '7' (shared file) is a regular file; GNU 'L' entries carry long names.
/// </summary>
public static class VmTar
{
    public const int BlockSize = 512;

    /// <summary>Upper bound on headers read, so a corrupt archive cannot make the reader loop for long.</summary>
    public const int MaxEntries = 1_000_000;

    private const int MaxLongName = 64 * 1024;

    /// <summary>True when a 512-byte block is a vmtar header (magic "visor " at 257).</summary>
    public static bool IsVmTarHeader(byte[] block, int offset = 0)
        => block.Length - offset >= BlockSize && Encoding.ASCII.GetString(block, offset + 257, 6) == "visor ";

    /// <summary>True when a block is a ustar/GNU tar header (magic "ustar" at 257).</summary>
    public static bool IsUstarHeader(byte[] block, int offset = 0)
        => block.Length - offset >= BlockSize && Encoding.ASCII.GetString(block, offset + 257, 5) == "ustar";

    /// <summary>
    /// Reads the header region of an uncompressed vmtar from the stream's current position, leaving the
    /// stream just after the first non-header block. Returns the entries and the number of bytes consumed.
    /// </summary>
    public static (IReadOnlyList<PayloadEntry> Entries, long BytesConsumed) ReadHeaders(Stream raw, string source, string member = null)
    {
        var list = new List<PayloadEntry>();
        var block = new byte[BlockSize];
        long consumed = 0;
        string longName = null, longLink = null;
        while (true)
        {
            int n = StreamUtil.ReadFully(raw, block, 0, BlockSize);
            consumed += n;
            if (n == 0) break;
            if (n < BlockSize)
            {
                if (list.Count == 0) throw Invalid(source, member, $"too short to be a vmtar ({n} bytes)");
                break;
            }
            if (!IsVmTarHeader(block))
            {
                if (list.Count == 0 && longName == null) throw Invalid(source, member, "not a vmtar archive (no 'visor' header magic)");
                break;
            }
            if (list.Count >= MaxEntries) throw Invalid(source, member, $"more than {MaxEntries} entries");
            char flag = (char)block[156];
            long size = ParseNumber(block, 124, 12, source, member, "size");
            if (flag == 'L' || flag == 'K')
            {
                if (size <= 0 || size > MaxLongName) throw Invalid(source, member, $"GNU long name of {size} bytes");
                var buf = new byte[(size + BlockSize - 1) / BlockSize * BlockSize];
                int got = StreamUtil.ReadFully(raw, buf, 0, buf.Length);
                consumed += got;
                if (got < buf.Length) throw Invalid(source, member, "archive ends inside a GNU long name");
                var text = CString(buf, 0, (int)size);
                if (flag == 'L') longName = text; else longLink = text;
                continue;
            }
            string name = longName ?? JoinPrefix(CString(block, 345, 151), CString(block, 0, 100));
            string link = longLink ?? CString(block, 157, 100);
            longName = longLink = null;
            int mode = (int)(ParseNumber(block, 100, 8, source, member, "mode") & 0xFFF);
            long offset = BitConverter.ToUInt32(new[] { block[496], block[497], block[498], block[499] }, 0);
            var type = TypeOf(flag, name);
            if (type != PayloadEntryType.File) size = type == PayloadEntryType.Directory ? 0 : size;
            list.Add(new PayloadEntry(PayloadEntry.NormalizePath(name), type, size, mode,
                link.Length == 0 ? null : link, type == PayloadEntryType.File ? offset : (long?)null));
        }
        return (list, consumed);
    }

    /// <summary>Lists an uncompressed vmtar.</summary>
    public static IReadOnlyList<PayloadEntry> List(Stream raw, string source, string member = null) => ReadHeaders(raw, source, member).Entries;

    /// <summary>
    /// Streams one regular file out of an uncompressed vmtar (read from its start) into
    /// <paramref name="destination"/>; false when no file has that path.
    /// </summary>
    public static bool TryExtract(Stream raw, string source, string path, Stream destination, string member = null)
    {
        var want = PayloadEntry.NormalizePath(path);
        bool found = false;
        Extract(raw, source, e => found || e.Path != want ? null : content => { content.CopyTo(destination); found = true; }, member, () => found);
        return found;
    }

    /// <summary>
    /// Streams the regular files <paramref name="select"/> chooses out of an uncompressed vmtar (read from its start)
    /// in one pass, in data order: for each file it returns null to skip it, or an action that reads the file's
    /// content from the stream it is given. Stops early once <paramref name="finished"/> says so.
    /// </summary>
    public static void Extract(Stream raw, string source, Func<PayloadEntry, Action<Stream>> select, string member = null, Func<bool> finished = null)
    {
        var (entries, consumed) = ReadHeaders(raw, source, member);
        long position = consumed;
        foreach (var e in entries.Where(x => x.Type == PayloadEntryType.File).OrderBy(x => x.DataOffset.Value))
        {
            if (finished?.Invoke() == true) return;
            var read = select(e);
            if (read == null) continue;
            long offset = e.DataOffset.Value;
            if (offset < position)
            {
                if (!raw.CanSeek)
                    throw Invalid(source, member, offset < consumed
                        ? $"data of '{e.Path}' lies at offset {offset}, inside the header region"
                        : $"data of '{e.Path}' at offset {offset} overlaps the file before it");
                raw.Position = offset;
            }
            else if (StreamUtil.Skip(raw, offset - position) < offset - position)
                throw Invalid(source, member, $"archive ends before the data of '{e.Path}' (offset {offset})");
            var content = new SubReadStream(raw, offset, e.Size, ownsInner: false,
                (got, want) => Invalid(source, member, $"archive ends inside the data of '{e.Path}'"));
            read(content);
            StreamUtil.Skip(content, e.Size);   // whatever the reader left unread
            position = offset + e.Size;
        }
    }

    /// <summary>
    /// Writes a vmtar: parent directories are added and everything is sorted; headers
    /// first, two zero blocks, then each file's data at a <paramref name="alignment"/>-aligned offset
    /// (4096 like VMware's own archives); the result is padded to 512 bytes and gzip'd when
    /// <paramref name="gzip"/> (a vgz payload). Deterministic: mtime 0, uid/gid 0, gzip header without a timestamp.
    /// </summary>
    public static void Write(Stream output, IEnumerable<VmTarInput> entries, bool gzip = false, int alignment = 4096)
    {
        if (alignment < BlockSize || alignment % BlockSize != 0) throw new ArgumentOutOfRangeException(nameof(alignment));
        var all = new Dictionary<string, VmTarInput>(StringComparer.Ordinal);
        foreach (var e in entries)
        {
            if (all.ContainsKey(e.Path)) throw new ArgumentException($"vmtar entry '{e.Path}' is given twice", nameof(entries));
            all[e.Path] = e;
        }
        foreach (var p in all.Keys.ToList())
            for (int i = p.IndexOf('/'); i > 0; i = p.IndexOf('/', i + 1))
            {
                var dir = p.Substring(0, i);
                if (!all.ContainsKey(dir)) all[dir] = VmTarInput.Directory(dir);
            }
        var ordered = all.Values.OrderBy(e => e.Path, StringComparer.Ordinal).ToList();

        int headerBlocks = 0;
        foreach (var e in ordered)
        {
            var n = NameOf(e);
            headerBlocks += 1 + (Encoding.UTF8.GetByteCount(n) > 100 ? 1 + (Encoding.UTF8.GetByteCount(n) + 1 + BlockSize - 1) / BlockSize : 0);
        }
        long dataStart = Align((headerBlocks + 2L) * BlockSize, alignment);
        var offsets = new Dictionary<VmTarInput, long>();
        long next = dataStart;
        foreach (var e in ordered.Where(x => !x.IsDirectory))
        {
            if (next > uint.MaxValue) throw new InvalidOperationException("vmtar data beyond 4 GiB cannot be addressed");
            offsets[e] = next;
            next = Align(next + e.Size, alignment);
        }

        Stream target = output;
        DeterministicGZipStream gz = null;
        if (gzip)
        {
            // Not SharpZipLib's GZipOutputStream: it stamps the current time into the gzip header.
            gz = new DeterministicGZipStream(output);
            target = gz;
        }
        long written = 0;
        void Put(byte[] b)
        {
            target.Write(b, 0, b.Length);
            written += b.Length;
        }
        void Zero(long count)
        {
            var z = new byte[Math.Min(count, 65536)];
            while (count > 0)
            {
                int n = (int)Math.Min(count, z.Length);
                target.Write(z, 0, n);
                written += n;
                count -= n;
            }
        }
        foreach (var e in ordered)
        {
            var name = NameOf(e);
            var nameBytes = Encoding.UTF8.GetBytes(name);
            if (nameBytes.Length > 100)
            {
                Put(Header("././@LongLink", 'L', nameBytes.Length + 1, 0, 0));
                var nb = new byte[(nameBytes.Length + 1 + BlockSize - 1) / BlockSize * BlockSize];
                Buffer.BlockCopy(nameBytes, 0, nb, 0, nameBytes.Length);
                Put(nb);
            }
            Put(Header(name, e.IsDirectory ? '5' : '0', e.IsDirectory ? 0 : e.Size, e.Mode, e.IsDirectory ? 0 : offsets[e]));
        }
        Zero(dataStart - written);
        var buf = new byte[81920];
        foreach (var e in ordered.Where(x => !x.IsDirectory))
        {
            Zero(offsets[e] - written);
            long left = e.Size;
            using (var s = e.Open())
            {
                while (left > 0)
                {
                    int n = s.Read(buf, 0, (int)Math.Min(buf.Length, left));
                    if (n <= 0) throw new InvalidOperationException($"vmtar entry '{e.Path}': source ended {left} bytes early");
                    target.Write(buf, 0, n);
                    written += n;
                    left -= n;
                }
            }
        }
        Zero(Align(written, BlockSize) - written);
        gz?.Dispose();
    }

    /// <summary>Writes a vmtar of (path, bytes) files; <paramref name="gzip"/> gives a vgz payload.</summary>
    public static byte[] Build(IEnumerable<(string Path, byte[] Content)> files, bool gzip = true)
    {
        var ms = new MemoryStream();
        Write(ms, files.Select(f => VmTarInput.File(f.Path, f.Content)), gzip);
        return ms.ToArray();
    }

    private static string NameOf(VmTarInput e) => e.IsDirectory ? e.Path + "/" : e.Path;

    private static long Align(long v, long a) => (v + a - 1) / a * a;

    private static byte[] Header(string name, char flag, long size, int mode, long offset)
    {
        var h = new byte[BlockSize];
        var nb = Encoding.UTF8.GetBytes(name);
        Buffer.BlockCopy(nb, 0, h, 0, Math.Min(100, nb.Length));
        Octal(h, 100, 8, mode);
        Octal(h, 108, 8, 0);
        Octal(h, 116, 8, 0);
        Octal(h, 124, 12, size);
        Octal(h, 136, 12, 0);
        h[156] = (byte)flag;
        Encoding.ASCII.GetBytes("visor ").CopyTo(h, 257);
        h[263] = (byte)' ';
        h[264] = 0;
        Encoding.ASCII.GetBytes("root").CopyTo(h, 265);
        Encoding.ASCII.GetBytes("root").CopyTo(h, 297);
        BitConverter.GetBytes((uint)offset).CopyTo(h, 496); // little-endian on every platform .NET runs ESXi tooling on
        if (!BitConverter.IsLittleEndian) Array.Reverse(h, 496, 4);
        for (int i = 148; i < 156; i++) h[i] = (byte)' ';
        long sum = 0;
        foreach (var b in h) sum += b;
        var cs = Convert.ToString(sum, 8).PadLeft(6, '0');
        Encoding.ASCII.GetBytes(cs).CopyTo(h, 148);
        h[154] = 0;
        h[155] = (byte)' ';
        return h;
    }

    private static void Octal(byte[] h, int offset, int length, long value)
    {
        var s = Convert.ToString(value, 8).PadLeft(length - 1, '0');
        if (s.Length > length - 1) throw new InvalidOperationException($"value {value} does not fit a {length}-byte tar field");
        Encoding.ASCII.GetBytes(s).CopyTo(h, offset);
        h[offset + length - 1] = 0;
    }

    private static PayloadEntryType TypeOf(char flag, string name) => flag switch
    {
        '0' or '\0' or '7' => name.EndsWith("/", StringComparison.Ordinal) ? PayloadEntryType.Directory : PayloadEntryType.File,
        '1' => PayloadEntryType.HardLink,
        '2' => PayloadEntryType.Symlink,
        '5' => PayloadEntryType.Directory,
        _ => PayloadEntryType.Other,
    };

    private static string JoinPrefix(string prefix, string name) => prefix.Length == 0 ? name : prefix.TrimEnd('/') + "/" + name;

    private static string CString(byte[] b, int offset, int length)
    {
        int end = offset;
        while (end < offset + length && b[end] != 0) end++;
        return Encoding.UTF8.GetString(b, offset, end - offset);
    }

    internal static long ParseNumber(byte[] b, int offset, int length, string source, string member, string field)
    {
        if ((b[offset] & 0x80) != 0)
        {
            // GNU base-256 for large values.
            long v = b[offset] & 0x7F;
            for (int i = 1; i < length; i++) v = checked((v << 8) | b[offset + i]);
            return v;
        }
        var text = Encoding.ASCII.GetString(b, offset, length).Trim(' ', '\0');
        if (text.Length == 0) return 0;
        long r = 0;
        foreach (var c in text)
        {
            if (c < '0' || c > '7') throw Invalid(source, member, $"header {field} field '{text}' is not octal");
            r = checked(r * 8 + (c - '0'));
        }
        return r;
    }

    private static EsxFormatException Invalid(string source, string member, string problem)
        => new EsxFormatException(ErrorCodes.VmtarInvalid, source, member, problem);
}
