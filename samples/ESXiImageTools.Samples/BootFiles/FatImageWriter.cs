using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace ESXiImageTools.Samples.BootFiles;

/// <summary>Geometry of a FAT12 floppy image: the BIOS parameter block values of a standard format.</summary>
public sealed record FatGeometry(int TotalSectors, int SectorsPerCluster, int RootEntries, int SectorsPerFat,
    int SectorsPerTrack, int Heads, byte MediaDescriptor)
{
    /// <summary>3.5" 1.44 MB: 2880 sectors, 512-byte clusters, 224 root entries.</summary>
    public static FatGeometry Floppy1440 { get; } = new FatGeometry(2880, 1, 224, 9, 18, 2, 0xF0);

    /// <summary>5.25" 160 KB: 320 sectors, 512-byte clusters, 64 root entries, one FAT sector (the smallest
    /// standard FAT12 format; keeps the sample's raw EFIBOOT.IMG payload small now that it is a payload of its own).</summary>
    public static FatGeometry Floppy160 { get; } = new FatGeometry(320, 1, 64, 1, 8, 1, 0xFE);

    /// <summary>3.5" 2.88 MB: 5760 sectors, 1 KiB clusters, 240 root entries.</summary>
    public static FatGeometry Floppy2880 { get; } = new FatGeometry(5760, 2, 240, 9, 36, 2, 0xF0);

    public const int BytesPerSector = 512;
    public const int ReservedSectors = 1;   // the boot sector
    public const int FatCount = 2;

    public int RootDirSectors => RootEntries * 32 / BytesPerSector;
    public int FirstDataSector => ReservedSectors + FatCount * SectorsPerFat + RootDirSectors;
    public int ClusterCount => (TotalSectors - FirstDataSector) / SectorsPerCluster;
    public int BytesPerCluster => SectorsPerCluster * BytesPerSector;
}

/// <summary>
/// Builds a FAT12 floppy image (an El Torito EFI boot image such as EFIBOOT.IMG) from directories and
/// files given in memory. Names are 8.3 short names only (stored upper-case, no long-name entries).
/// Output is deterministic: entries sorted by name, clusters allocated in that order, one fixed
/// timestamp and a fixed volume serial number.
/// </summary>
public sealed class FatImageWriter
{
    private const byte AttrVolumeLabel = 0x08, AttrDirectory = 0x10, AttrArchive = 0x20;
    private const int DirEntrySize = 32;
    private const int Fat12EndOfChain = 0xFFF;

    private readonly FatGeometry _geometry;
    private readonly string _volumeLabel;
    private readonly uint _volumeSerial;
    private readonly ushort _fatDate, _fatTime;
    private readonly Node _root = new Node(null, isDirectory: true, content: null);

    /// <summary>Creates an empty image description.</summary>
    /// <param name="geometry">Floppy format; <see cref="FatGeometry.Floppy1440"/> when null.</param>
    /// <param name="volumeLabel">Up to 11 characters, stored upper-case.</param>
    /// <param name="volumeSerial">The volume id written to the boot sector (fixed for reproducible output).</param>
    /// <param name="timestamp">Written to every entry; 2020-01-01 00:00:00 when null. FAT keeps 2-second resolution.</param>
    public FatImageWriter(FatGeometry geometry = null, string volumeLabel = "EFIBOOT", uint volumeSerial = 0x45534958, DateTime? timestamp = null)
    {
        _geometry = geometry ?? FatGeometry.Floppy1440;
        if (_geometry.ClusterCount >= 4085) throw new ArgumentException("geometry has too many clusters for FAT12", nameof(geometry));
        if (volumeLabel == null || volumeLabel.Length == 0 || volumeLabel.Length > 11 || volumeLabel.Any(c => !IsShortNameChar(char.ToUpperInvariant(c)) && c != ' '))
            throw new ArgumentException($"invalid FAT volume label '{volumeLabel}'", nameof(volumeLabel));
        _volumeLabel = volumeLabel.ToUpperInvariant().PadRight(11);
        _volumeSerial = volumeSerial;
        var t = timestamp ?? new DateTime(2020, 1, 1, 0, 0, 0);
        if (t.Year < 1980 || t.Year > 2107) throw new ArgumentOutOfRangeException(nameof(timestamp), "FAT dates span 1980..2107");
        _fatDate = (ushort)(((t.Year - 1980) << 9) | (t.Month << 5) | t.Day);
        _fatTime = (ushort)((t.Hour << 11) | (t.Minute << 5) | (t.Second / 2));
    }

    /// <summary>Adds a directory (and its parents), e.g. <c>EFI/BOOT</c>.</summary>
    public void AddDirectory(string path)
    {
        var dir = _root;
        foreach (var part in SplitPath(path)) dir = GetOrAddDirectory(dir, part, path);
    }

    /// <summary>Adds a file with its content, creating parent directories, e.g. <c>EFI/BOOT/BOOTX64.EFI</c>.</summary>
    public void AddFile(string path, byte[] content)
    {
        if (content == null) throw new ArgumentNullException(nameof(content));
        var parts = SplitPath(path);
        var parent = _root;
        for (var i = 0; i < parts.Length - 1; i++) parent = GetOrAddDirectory(parent, parts[i], path);
        var name = parts[parts.Length - 1];
        if (parent.Children.ContainsKey(name)) throw new ArgumentException($"'{path}' already exists in the image", nameof(path));
        parent.Children.Add(name, new Node(name, isDirectory: false, content: (byte[])content.Clone()));
    }

    /// <summary>Writes the complete image (TotalSectors * 512 bytes) to a file.</summary>
    public void WriteTo(string path) => File.WriteAllBytes(path, ToArray());

    /// <summary>Lays out and returns the complete image.</summary>
    public byte[] ToArray()
    {
        var g = _geometry;
        var image = new byte[g.TotalSectors * FatGeometry.BytesPerSector];
        var fat = new byte[g.SectorsPerFat * FatGeometry.BytesPerSector];
        if (_root.Children.Count + 1 > g.RootEntries)
            throw new InvalidOperationException($"root directory holds at most {g.RootEntries - 1} entries besides the volume label");

        // Allocate clusters depth-first in name order; every node gets one contiguous run.
        var nextCluster = 2;
        void Allocate(Node dir)
        {
            foreach (var child in dir.Children.Values)
            {
                var bytes = child.IsDirectory ? (child.Children.Count + 2) * DirEntrySize : child.Content.Length;
                var clusters = (bytes + g.BytesPerCluster - 1) / g.BytesPerCluster;
                child.FirstCluster = clusters == 0 ? 0 : nextCluster;
                child.ClusterCount = clusters;
                nextCluster += clusters;
                if (nextCluster - 2 > g.ClusterCount)
                    throw new InvalidOperationException($"content does not fit in a {g.TotalSectors * 512 / 1024} KiB FAT12 image");
                for (var c = 0; c < clusters; c++)
                    SetFat12(fat, child.FirstCluster + c, c == clusters - 1 ? Fat12EndOfChain : child.FirstCluster + c + 1);
                if (child.IsDirectory) Allocate(child);
            }
        }
        Allocate(_root);
        SetFat12(fat, 0, 0xF00 | g.MediaDescriptor);   // FAT[0]: media descriptor in the low byte
        SetFat12(fat, 1, Fat12EndOfChain);              // FAT[1]: reserved, all ones

        WriteBootSector(image);
        for (var i = 0; i < FatGeometry.FatCount; i++)
            Array.Copy(fat, 0, image, (FatGeometry.ReservedSectors + i * g.SectorsPerFat) * FatGeometry.BytesPerSector, fat.Length);

        // Root directory: volume label entry first, then the entries.
        var rootOffset = (FatGeometry.ReservedSectors + FatGeometry.FatCount * g.SectorsPerFat) * FatGeometry.BytesPerSector;
        WriteDirEntry(image, rootOffset, Encoding.ASCII.GetBytes(_volumeLabel), AttrVolumeLabel, 0, 0);
        WriteChildren(image, _root, rootOffset + DirEntrySize);

        void WriteTree(Node dir)
        {
            foreach (var child in dir.Children.Values)
            {
                var offset = ClusterOffset(child.FirstCluster);
                if (child.IsDirectory)
                {
                    // "." points at this directory, ".." at the parent (cluster 0 means the root).
                    WriteDirEntry(image, offset, DotName("."), AttrDirectory, child.FirstCluster, 0);
                    WriteDirEntry(image, offset + DirEntrySize, DotName(".."), AttrDirectory, dir == _root ? 0 : dir.FirstCluster, 0);
                    WriteChildren(image, child, offset + 2 * DirEntrySize);
                    WriteTree(child);
                }
                else if (child.Content.Length > 0)
                {
                    Array.Copy(child.Content, 0, image, offset, child.Content.Length);
                }
            }
        }
        WriteTree(_root);
        return image;
    }

    private int ClusterOffset(int cluster)
        => (_geometry.FirstDataSector + (cluster - 2) * _geometry.SectorsPerCluster) * FatGeometry.BytesPerSector;

    private void WriteChildren(byte[] image, Node dir, int offset)
    {
        foreach (var child in dir.Children.Values)
        {
            WriteDirEntry(image, offset, ShortName(child.Name), child.IsDirectory ? AttrDirectory : AttrArchive,
                child.FirstCluster, child.IsDirectory ? 0 : (uint)child.Content.Length);
            offset += DirEntrySize;
        }
    }

    private void WriteDirEntry(byte[] image, int offset, byte[] name11, byte attributes, int firstCluster, uint size)
    {
        var w = new LittleEndianWriter(image).At(offset);
        w.Bytes(name11);              // DIR_Name (8 + 3, space padded)
        w.U8(attributes);             // DIR_Attr
        w.U8(0);                      // DIR_NTRes
        w.U8(0);                      // DIR_CrtTimeTenth
        w.U16(_fatTime);              // DIR_CrtTime
        w.U16(_fatDate);              // DIR_CrtDate
        w.U16(_fatDate);              // DIR_LstAccDate
        w.U16(0);                     // DIR_FstClusHI (always 0 on FAT12)
        w.U16(_fatTime);              // DIR_WrtTime
        w.U16(_fatDate);              // DIR_WrtDate
        w.U16(firstCluster);          // DIR_FstClusLO
        w.U32(size);                  // DIR_FileSize
    }

    private void WriteBootSector(byte[] image)
    {
        var g = _geometry;
        var w = new LittleEndianWriter(image);
        w.U8(0xEB).U8(0x3C).U8(0x90);                // jmp short 0x3E; nop
        w.Ascii("ESXIIMGT", 8, (byte)' ');            // BS_OEMName
        w.U16(FatGeometry.BytesPerSector);            // BPB_BytsPerSec
        w.U8((byte)g.SectorsPerCluster);              // BPB_SecPerClus
        w.U16(FatGeometry.ReservedSectors);           // BPB_RsvdSecCnt
        w.U8(FatGeometry.FatCount);                   // BPB_NumFATs
        w.U16(g.RootEntries);                         // BPB_RootEntCnt
        w.U16(g.TotalSectors);                        // BPB_TotSec16
        w.U8(g.MediaDescriptor);                      // BPB_Media
        w.U16(g.SectorsPerFat);                       // BPB_FATSz16
        w.U16(g.SectorsPerTrack);                     // BPB_SecPerTrk
        w.U16(g.Heads);                               // BPB_NumHeads
        w.U32(0);                                     // BPB_HiddSec
        w.U32(0);                                     // BPB_TotSec32 (TotSec16 is used)
        w.U8(0x00);                                   // BS_DrvNum: floppy
        w.U8(0);                                      // BS_Reserved1
        w.U8(0x29);                                   // BS_BootSig: the next three fields are present
        w.U32(_volumeSerial);                         // BS_VolID
        w.Bytes(Encoding.ASCII.GetBytes(_volumeLabel)); // BS_VolLab
        w.Ascii("FAT12", 8, (byte)' ');               // BS_FilSysType

        // Boot code at 0x3E: this image is a file system, not a BIOS boot disk, so just halt.
        var a = new RealModeAssembler(0x7C00 + 0x3E);
        a.Label("halt");
        a.Cli();
        a.Hlt();
        a.JmpShort("halt");
        w.Bytes(a.ToArray());

        w.At(510).U8(0x55).U8(0xAA);                  // boot sector signature
    }

    /// <summary>Sets FAT12 entry <paramref name="cluster"/>: 12-bit values packed two per three bytes.</summary>
    private static void SetFat12(byte[] fat, int cluster, int value)
    {
        var offset = cluster + cluster / 2;
        if ((cluster & 1) == 0)
        {
            fat[offset] = (byte)value;
            fat[offset + 1] = (byte)((fat[offset + 1] & 0xF0) | ((value >> 8) & 0x0F));
        }
        else
        {
            fat[offset] = (byte)((fat[offset] & 0x0F) | ((value & 0x0F) << 4));
            fat[offset + 1] = (byte)(value >> 4);
        }
    }

    private static Node GetOrAddDirectory(Node parent, string name, string path)
    {
        if (parent.Children.TryGetValue(name, out var existing))
        {
            if (!existing.IsDirectory) throw new ArgumentException($"'{name}' in '{path}' is a file, not a directory", nameof(path));
            return existing;
        }
        var dir = new Node(name, isDirectory: true, content: null);
        parent.Children.Add(name, dir);
        return dir;
    }

    /// <summary>Splits on / or \ and checks that each part is a valid 8.3 name; returns upper-case parts.</summary>
    private static string[] SplitPath(string path)
    {
        if (string.IsNullOrEmpty(path)) throw new ArgumentException("path must not be empty", nameof(path));
        var parts = path.Split('/', '\\').Where(p => p.Length > 0).Select(p => p.ToUpperInvariant()).ToArray();
        if (parts.Length == 0) throw new ArgumentException("path must name an entry below the root", nameof(path));
        foreach (var p in parts) ShortName(p);
        return parts;
    }

    /// <summary>The 11-byte directory name of an 8.3 name ("BOOTX64.EFI" -> "BOOTX64 EFI").</summary>
    private static byte[] ShortName(string name)
    {
        var dot = name.IndexOf('.');
        var baseName = dot < 0 ? name : name.Substring(0, dot);
        var ext = dot < 0 ? "" : name.Substring(dot + 1);
        if (baseName.Length is < 1 or > 8 || ext.Length > 3 || (dot >= 0 && ext.Length == 0)
            || !baseName.All(IsShortNameChar) || !ext.All(IsShortNameChar))
            throw new ArgumentException($"'{name}' is not a valid FAT 8.3 name");
        return Encoding.ASCII.GetBytes(baseName.PadRight(8) + ext.PadRight(3));
    }

    private static byte[] DotName(string dots) => Encoding.ASCII.GetBytes(dots.PadRight(11));

    /// <summary>Characters allowed in short names (upper-case letters, digits and the FAT specification's specials).</summary>
    private static bool IsShortNameChar(char c)
        => (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "!#$%&'()-@^_`{}~".IndexOf(c) >= 0;

    private sealed class Node
    {
        public Node(string name, bool isDirectory, byte[] content) { Name = name; IsDirectory = isDirectory; Content = content; }
        public string Name { get; }
        public bool IsDirectory { get; }
        public byte[] Content { get; }
        public SortedDictionary<string, Node> Children { get; } = new SortedDictionary<string, Node>(StringComparer.Ordinal);
        public int FirstCluster { get; set; }
        public int ClusterCount { get; set; }
    }
}
