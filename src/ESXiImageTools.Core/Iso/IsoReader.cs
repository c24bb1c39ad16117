using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.IO;
using static ESXiImageTools.Core.Iso.IsoEncoding;

namespace ESXiImageTools.Core.Iso;

/// <summary>
/// Reads an ISO 9660 image: the primary volume descriptor, the primary directory tree (Joliet and Rock Ridge
/// are ignored), file extents and contents, and the El Torito boot catalog. Lenient about what other tools
/// write, bounded against malformed input: directory loops, out-of-range extents and oversized structures raise
/// <see cref="EsxFormatException"/> <see cref="ErrorCodes.IsoInvalid"/>. Not thread-safe (one shared stream).
/// </summary>
public sealed class IsoReader : IDisposable
{
    /// <summary>Most entries (files and directories) read from one image.</summary>
    public const int MaxEntries = 1_000_000;

    /// <summary>Largest directory extent read.</summary>
    public const int MaxDirectoryBytes = 16 * 1024 * 1024;

    /// <summary>Deepest directory nesting followed (ECMA-119 allows 8; generous for relocated trees).</summary>
    public const int MaxDepth = 64;

    private const int MaxDescriptors = 64;
    private const int MaxCatalogSectors = 16;

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly string _name;
    private readonly long _length;
    private readonly List<IsoFileEntry> _files = new List<IsoFileEntry>();
    private readonly HashSet<uint> _visitedDirectories = new HashSet<uint>();
    private int _entryCount;

    /// <summary>Opens the image file at <paramref name="path"/>.</summary>
    public static IsoReader Open(string path)
    {
        if (!File.Exists(path))
            throw new EsxException(ErrorCodes.FileNotFound, EsxErrorCategory.ObjectNotFound, $"ISO '{path}' does not exist", path);
        var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024);
        try { return new IsoReader(fs, path, leaveOpen: false); }
        catch { fs.Dispose(); throw; }
    }

    /// <summary>Reads the image in a seekable <paramref name="stream"/>; <paramref name="name"/> is used in error messages.</summary>
    public IsoReader(Stream stream, string name = null, bool leaveOpen = false)
    {
        _stream = stream ?? throw new ArgumentNullException(nameof(stream));
        if (!stream.CanSeek || !stream.CanRead) throw new ArgumentException("the ISO stream must be readable and seekable", nameof(stream));
        _leaveOpen = leaveOpen;
        _name = name ?? "ISO image";
        _length = stream.Length;
        ReadDescriptors(out var pvd, out uint catalogLba);
        Volume = ParseVolume(pvd);
        Root = ReadTree(pvd);
        Files = _files;
        if (catalogLba != uint.MaxValue) BootCatalog = ReadBootCatalog(catalogLba);
    }

    public IsoVolumeInfo Volume { get; }
    public IsoDirectoryEntry Root { get; }

    /// <summary>Every file of the tree, depth-first in recorded order.</summary>
    public IReadOnlyList<IsoFileEntry> Files { get; }

    /// <summary>The El Torito catalog, or null when the image has no boot record.</summary>
    public IsoBootCatalog BootCatalog { get; }

    /// <summary>Finds an entry by path ('/' separated, leading '/' and <c>;1</c> optional, case-insensitive); null when absent.</summary>
    public IsoEntry Find(string path)
    {
        if (path == null) return null;
        IsoEntry node = Root;
        foreach (var raw in path.Split(new[] { '/', '\\' }, StringSplitOptions.RemoveEmptyEntries))
        {
            var part = StripVersion(raw);
            if (!(node is IsoDirectoryEntry d)) return null;
            node = null;
            foreach (var c in d.ChildList)
                if (string.Equals(c.Name, part, StringComparison.OrdinalIgnoreCase)) { node = c; break; }
            if (node == null) return null;
        }
        return node;
    }

    /// <summary>Opens a file's content as a read-only seekable stream over the image (valid while the reader is open).</summary>
    public Stream OpenFile(IsoFileEntry file)
    {
        if (file == null) throw new ArgumentNullException(nameof(file));
        foreach (var e in file.Extents)
            if ((long)e.Lba * SectorSize + e.Length > _length)
                throw Invalid(file.Path, $"the file's extent at LBA {e.Lba} ({e.Length} bytes) lies beyond the end of the image");
        return new IsoFileStream(_stream, file.Extents, file.Size);
    }

    /// <summary>Opens the file at <paramref name="path"/>; throws <see cref="ErrorCodes.FileNotFound"/> when it is absent.</summary>
    public Stream OpenFile(string path)
    {
        if (Find(path) is IsoFileEntry f) return OpenFile(f);
        throw new EsxException(ErrorCodes.FileNotFound, EsxErrorCategory.ObjectNotFound, $"'{path}' is not a file in {_name}", path);
    }

    public void Dispose()
    {
        if (!_leaveOpen) _stream.Dispose();
    }

    private EsxFormatException Invalid(string member, string problem) => new EsxFormatException(ErrorCodes.IsoInvalid, _name, member, problem);

    private byte[] ReadSectors(uint lba, int count, string member)
    {
        long offset = (long)lba * SectorSize;
        long bytes = (long)count * SectorSize;
        if (offset + bytes > _length) throw Invalid(member, $"sector {lba} (+{count}) lies beyond the end of the image ({_length} bytes)");
        var b = new byte[bytes];
        _stream.Position = offset;
        int got = 0;
        while (got < b.Length)
        {
            int n = _stream.Read(b, got, b.Length - got);
            if (n <= 0) throw Invalid(member, $"the image ends inside sector {lba + got / SectorSize}");
            got += n;
        }
        return b;
    }

    private void ReadDescriptors(out byte[] pvd, out uint catalogLba)
    {
        pvd = null;
        catalogLba = uint.MaxValue;
        if (_length < 17 * SectorSize) throw Invalid(null, "the file is too small to be an ISO 9660 image");
        for (uint lba = 16; lba < 16 + MaxDescriptors; lba++)
        {
            if ((long)(lba + 1) * SectorSize > _length) break;
            var d = ReadSectors(lba, 1, "volume descriptor");
            if (Encoding.ASCII.GetString(d, 1, 5) != "CD001")
                throw Invalid("volume descriptor", $"sector {lba} is not a volume descriptor (no CD001)");
            switch (d[0])
            {
                case 255: goto done;
                case 1: if (pvd == null) pvd = d; break;
                case 0:
                    if (Encoding.ASCII.GetString(d, 7, 23) == "EL TORITO SPECIFICATION") catalogLba = ReadLe32(d, 71);
                    break;
                case 2:
                    if (d[88] == 0x25 && d[89] == 0x2F && (d[90] == 0x40 || d[90] == 0x43 || d[90] == 0x45)) _joliet = true;
                    break;
            }
        }
        done:
        if (pvd == null) throw Invalid("volume descriptor", "no primary volume descriptor found");
    }

    private bool _joliet;

    private IsoVolumeInfo ParseVolume(byte[] b)
    {
        var v = new IsoVolumeInfo
        {
            SystemId = ReadPadded(b, 8, 32),
            VolumeId = ReadPadded(b, 40, 32),
            VolumeSpaceSize = ReadLe32(b, 80),
            LogicalBlockSize = ReadLe16(b, 128),
            PathTableSize = ReadLe32(b, 132),
            LPathTableLba = ReadLe32(b, 140),
            MPathTableLba = ReadBe32(b, 148),
            VolumeSetId = ReadPadded(b, 190, 128),
            PublisherId = ReadPadded(b, 318, 128),
            DataPreparerId = ReadPadded(b, 446, 128),
            ApplicationId = ReadPadded(b, 574, 128),
            CreatedAt = ReadVolumeDate(b, 813),
            ModifiedAt = ReadVolumeDate(b, 830),
            HasJoliet = _joliet,
        };
        if (v.LogicalBlockSize != SectorSize)
            throw Invalid("primary volume descriptor", $"logical block size {v.LogicalBlockSize} is not supported (only 2048)");
        return v;
    }

    private IsoDirectoryEntry ReadTree(byte[] pvd)
    {
        if (pvd[156] < 34) throw Invalid("primary volume descriptor", "the root directory record is malformed");
        uint lba = ReadLe32(pvd, 158), size = ReadLe32(pvd, 166);
        var root = new IsoDirectoryEntry("", "", ReadRecordDate(pvd, 174), lba, size);
        ReadDirectory(root, 1);
        return root;
    }

    private void ReadDirectory(IsoDirectoryEntry dir, int depth)
    {
        string where = dir.Path.Length == 0 ? "/" : dir.Path;
        if (depth > MaxDepth) throw Invalid(where, $"directories are nested deeper than {MaxDepth} levels");
        if (!_visitedDirectories.Add(dir.Lba)) throw Invalid(where, $"directory extent at LBA {dir.Lba} is referenced twice (a loop)");
        if (dir.Size > MaxDirectoryBytes) throw Invalid(where, $"the directory extent is {dir.Size} bytes, more than {MaxDirectoryBytes}");
        int sectors = (int)((dir.Size + SectorSize - 1) / SectorSize);
        if (sectors == 0) throw Invalid(where, "the directory extent is empty");
        var b = ReadSectors(dir.Lba, sectors, where);
        int end = (int)dir.Size;
        int pos = 0;
        List<IsoExtent> pending = null;   // multi-extent file in progress
        string pendingName = null;
        var subdirs = new List<IsoDirectoryEntry>();
        // Two records of one name (or names differing only in case or version) make every lookup ambiguous.
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        void Unique(string name, string path)
        {
            if (!names.Add(name)) throw Invalid(path, $"the directory holds two entries named '{name}' (names may not repeat, whatever their case or version)");
        }
        while (pos < end)
        {
            int len = b[pos];
            if (len == 0)
            {
                // Zero padding up to the next sector: records never straddle sectors.
                pos = (pos / SectorSize + 1) * SectorSize;
                continue;
            }
            if (len < 34 || pos + len > end) throw Invalid(where, $"malformed directory record at offset {pos} (length {len})");
            int idLen = b[pos + 32];
            if (33 + idLen > len) throw Invalid(where, $"directory record at offset {pos} has an identifier longer than the record");
            uint extLba = ReadLe32(b, pos + 2), extLen = ReadLe32(b, pos + 10);
            byte flags = b[pos + 25];
            var date = ReadRecordDate(b, pos + 18);
            bool special = idLen == 1 && (b[pos + 33] == 0 || b[pos + 33] == 1);
            if (!special && (flags & 0x04) == 0)   // skip "." / ".." and associated files
            {
                if (++_entryCount > MaxEntries) throw Invalid(where, $"the image has more than {MaxEntries} entries");
                string name = StripVersion(Encoding.ASCII.GetString(b, pos + 33, idLen));
                string path = dir.Path.Length == 0 ? name : dir.Path + "/" + name;
                if ((flags & 0x02) != 0)
                {
                    if (name.Length == 0) throw Invalid(where, $"directory record at offset {pos} has an empty name");
                    var sub = new IsoDirectoryEntry(name, path, date, extLba, extLen);
                    Unique(name, path);
                    dir.ChildList.Add(sub);
                    subdirs.Add(sub);
                }
                else
                {
                    if (pending != null && pendingName != name) throw Invalid(path, "a multi-extent file is not continued by its next record");
                    pending ??= new List<IsoExtent>();
                    pending.Add(new IsoExtent(extLba, extLen));
                    if (pending.Count > 4096) throw Invalid(path, "too many extents for one file");
                    pendingName = name;
                    if ((flags & 0x80) == 0)
                    {
                        var f = new IsoFileEntry(name, path, date, pending);
                        Unique(name, path);
                        dir.ChildList.Add(f);
                        _files.Add(f);
                        pending = null;
                        pendingName = null;
                    }
                }
            }
            pos += len;
        }
        if (pending != null) throw Invalid(where, $"multi-extent file '{pendingName}' has no final extent");
        foreach (var sub in subdirs) ReadDirectory(sub, depth + 1);
    }

    /// <summary><c>NAME.EXT;1</c> → <c>NAME.EXT</c>; <c>NAME.;1</c> → <c>NAME</c>.</summary>
    private static string StripVersion(string id)
    {
        int semi = id.IndexOf(';');
        if (semi >= 0) id = id.Substring(0, semi);
        if (id.EndsWith(".", StringComparison.Ordinal)) id = id.Substring(0, id.Length - 1);
        return id;
    }

    private IsoBootCatalog ReadBootCatalog(uint lba)
    {
        const string member = "El Torito boot catalog";
        var first = ReadSectors(lba, 1, member);
        if (first[0] != 0x01 || first[30] != 0x55 || first[31] != 0xAA)
            throw Invalid(member, $"no validation entry at LBA {lba}");
        int sum = 0;
        for (int i = 0; i < 32; i += 2) sum += ReadLe16(first, i);
        if ((sum & 0xFFFF) != 0) throw Invalid(member, "the validation entry's checksum is wrong");
        byte platform = first[1];
        string manufacturer = ReadPadded(first, 4, 24);
        var entries = new List<IsoBootEntry> { ParseEntry(first, 32, true, platform) };

        // Sections may run past the first sector; read more sectors lazily, within a bound.
        var data = first;
        int pos = 64;
        byte[] Ensure(int p)
        {
            if (p + 32 <= data.Length) return data;
            int sectors = data.Length / SectorSize + 1;
            if (sectors > MaxCatalogSectors) throw Invalid(member, $"the catalog is longer than {MaxCatalogSectors} sectors");
            data = ReadSectors(lba, sectors, member);
            return data;
        }
        while (true)
        {
            Ensure(pos);
            byte header = data[pos];
            if (header != 0x90 && header != 0x91) break;
            byte sectionPlatform = data[pos + 1];
            int count = ReadLe16(data, pos + 2);
            pos += 32;
            for (int i = 0; i < count; i++)
            {
                Ensure(pos);
                entries.Add(ParseEntry(data, pos, false, sectionPlatform));
                pos += 32;
                // Extension entries (0x44) follow their section entry; they carry selection criteria only.
                while (Ensure(pos)[pos] == 0x44) pos += 32;
            }
            if (header == 0x91) break;
        }
        return new IsoBootCatalog(lba, platform, manufacturer, entries);
    }

    private static IsoBootEntry ParseEntry(byte[] b, int o, bool isDefault, byte platform)
        => new IsoBootEntry(isDefault, platform, b[o] == 0x88, (byte)(b[o + 1] & 0x0F), ReadLe16(b, o + 2), b[o + 4], ReadLe16(b, o + 6), ReadLe32(b, o + 8));
}

/// <summary>A read-only view of a file's extents inside the image stream.</summary>
internal sealed class IsoFileStream : ReadOnlyStream
{
    private readonly Stream _base;
    private readonly IReadOnlyList<IsoExtent> _extents;
    private readonly long _length;
    private long _position;

    public IsoFileStream(Stream @base, IReadOnlyList<IsoExtent> extents, long length)
    {
        _base = @base; _extents = extents; _length = length;
    }

    public override bool CanSeek => true;
    public override long Length => _length;

    public override long Position
    {
        get => _position;
        set => _position = value < 0 ? throw new ArgumentOutOfRangeException(nameof(value)) : value;
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        if (_position >= _length || count <= 0) return 0;
        long skip = _position;
        foreach (var e in _extents)
        {
            if (skip >= e.Length) { skip -= e.Length; continue; }
            int n = (int)Math.Min(count, e.Length - skip);
            _base.Position = (long)e.Lba * IsoEncoding.SectorSize + skip;
            int got = _base.Read(buffer, offset, n);
            _position += got;
            return got;
        }
        return 0;
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => _length + offset,
        };
        return _position;
    }

}
