using System;
using System.Collections.Generic;

namespace ESXiImageTools.Core.Iso;

/// <summary>A file or directory read from an image's primary (ISO 9660) directory tree.</summary>
public abstract class IsoEntry
{
    internal IsoEntry(string name, string path, DateTimeOffset? recordedAt)
    {
        Name = name; Path = path; RecordedAt = recordedAt;
    }

    /// <summary>Name without the <c>;1</c> version or a trailing dot, e.g. <c>BOOT.CFG</c>; empty for the root.</summary>
    public string Name { get; }

    /// <summary>Full path with '/' separators and no leading slash, e.g. <c>EFI/BOOT/BOOT.CFG</c>; empty for the root.</summary>
    public string Path { get; }

    /// <summary>The directory record's date, or null when it is not a valid date.</summary>
    public DateTimeOffset? RecordedAt { get; }

    public abstract bool IsDirectory { get; }

    public override string ToString() => Path;
}

/// <summary>One contiguous run of sectors holding part of a file.</summary>
public sealed class IsoExtent
{
    public IsoExtent(uint lba, uint length) { Lba = lba; Length = length; }

    /// <summary>First sector (2048-byte logical block address).</summary>
    public uint Lba { get; }

    /// <summary>Bytes in this extent.</summary>
    public uint Length { get; }
}

/// <summary>A file: one extent, or several for multi-extent (ISO level 3) files.</summary>
public sealed class IsoFileEntry : IsoEntry
{
    internal IsoFileEntry(string name, string path, DateTimeOffset? recordedAt, IReadOnlyList<IsoExtent> extents)
        : base(name, path, recordedAt)
    {
        Extents = extents;
        long size = 0;
        foreach (var e in extents) size += e.Length;
        Size = size;
    }

    public override bool IsDirectory => false;

    /// <summary>LBA of the first extent.</summary>
    public uint Lba => Extents[0].Lba;

    /// <summary>Size in bytes (sum of the extents).</summary>
    public long Size { get; }

    public IReadOnlyList<IsoExtent> Extents { get; }
}

/// <summary>A directory and its entries in recorded order.</summary>
public sealed class IsoDirectoryEntry : IsoEntry
{
    internal IsoDirectoryEntry(string name, string path, DateTimeOffset? recordedAt, uint lba, uint size)
        : base(name, path, recordedAt)
    {
        Lba = lba; Size = size;
    }

    public override bool IsDirectory => true;

    /// <summary>First sector of the directory's extent.</summary>
    public uint Lba { get; }

    /// <summary>Bytes of the directory's extent.</summary>
    public uint Size { get; }

    public IReadOnlyList<IsoEntry> Children => ChildList;

    internal List<IsoEntry> ChildList { get; } = new List<IsoEntry>();
}

/// <summary>The identification fields of the primary volume descriptor.</summary>
public sealed class IsoVolumeInfo
{
    public string SystemId { get; internal set; }
    public string VolumeId { get; internal set; }
    public string VolumeSetId { get; internal set; }
    public string PublisherId { get; internal set; }
    public string DataPreparerId { get; internal set; }
    public string ApplicationId { get; internal set; }

    /// <summary>Volume space size in 2048-byte sectors.</summary>
    public uint VolumeSpaceSize { get; internal set; }
    public ushort LogicalBlockSize { get; internal set; }
    public uint PathTableSize { get; internal set; }
    public uint LPathTableLba { get; internal set; }
    public uint MPathTableLba { get; internal set; }
    public DateTimeOffset? CreatedAt { get; internal set; }
    public DateTimeOffset? ModifiedAt { get; internal set; }

    /// <summary>True when a Joliet supplementary volume descriptor is present (its tree is not read).</summary>
    public bool HasJoliet { get; internal set; }
}

/// <summary>The El Torito boot catalog.</summary>
public sealed class IsoBootCatalog
{
    internal IsoBootCatalog(uint lba, byte platform, string manufacturerId, IReadOnlyList<IsoBootEntry> entries)
    {
        Lba = lba; ValidationPlatform = platform; ManufacturerId = manufacturerId; Entries = entries;
    }

    /// <summary>Sector of the catalog (from the boot record at LBA 17).</summary>
    public uint Lba { get; }

    /// <summary>Platform of the validation entry (0 x86, 0xEF EFI).</summary>
    public byte ValidationPlatform { get; }
    public string ManufacturerId { get; }

    /// <summary>The default entry first, then section entries in order.</summary>
    public IReadOnlyList<IsoBootEntry> Entries { get; }
}

/// <summary>One El Torito boot entry.</summary>
public sealed class IsoBootEntry
{
    internal IsoBootEntry(bool isDefault, byte platform, bool bootable, byte mediaType, ushort loadSegment, byte systemType, ushort sectorCount, uint lba)
    {
        IsDefault = isDefault; Platform = platform; Bootable = bootable; MediaType = mediaType;
        LoadSegment = loadSegment; SystemType = systemType; SectorCount = sectorCount; Lba = lba;
    }

    /// <summary>The initial/default entry (platform from the validation entry) rather than a section entry.</summary>
    public bool IsDefault { get; }

    /// <summary>0 x86 BIOS, 1 PowerPC, 2 Mac, 0xEF EFI.</summary>
    public byte Platform { get; }
    public bool Bootable { get; }

    /// <summary>Emulation: 0 none, 1/2/3 floppy 1.2/1.44/2.88 MB, 4 hard disk (low 4 bits of the media byte).</summary>
    public byte MediaType { get; }
    public bool IsNoEmulation => MediaType == 0;
    public ushort LoadSegment { get; }
    public byte SystemType { get; }

    /// <summary>512-byte virtual sectors to load.</summary>
    public ushort SectorCount { get; }

    /// <summary>Sector of the boot image.</summary>
    public uint Lba { get; }

    public bool IsEfi => Platform == 0xEF;
}
