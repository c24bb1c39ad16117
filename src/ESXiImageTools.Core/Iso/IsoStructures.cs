using System;
using System.Text;
using static ESXiImageTools.Core.Iso.IsoEncoding;

namespace ESXiImageTools.Core.Iso;

/// <summary>The identification fields of the primary volume descriptor.</summary>
internal sealed class IsoVolumeIdentity
{
    public string SystemId, VolumeId, VolumeSetId, PublisherId, DataPreparerId, ApplicationId;
    public DateTimeOffset Timestamp;
}

/// <summary>Encodes the metadata sectors of an image from a computed <see cref="IsoLayout"/>. Pure functions returning byte arrays.</summary>
internal static class IsoStructures
{
    private static readonly byte[] StandardId = Encoding.ASCII.GetBytes("CD001");

    private static byte[] Descriptor(byte type)
    {
        var b = new byte[SectorSize];
        b[0] = type;
        Buffer.BlockCopy(StandardId, 0, b, 1, 5);
        b[6] = 1;
        return b;
    }

    /// <summary>Primary volume descriptor (ECMA-119 8.4).</summary>
    public static byte[] PrimaryVolumeDescriptor(IsoLayout layout, IsoVolumeIdentity id)
    {
        var b = Descriptor(1);
        WritePadded(b, 8, 32, id.SystemId);
        WritePadded(b, 40, 32, id.VolumeId);
        WriteBoth32(b, 80, layout.TotalSectors);
        WriteBoth16(b, 120, 1);
        WriteBoth16(b, 124, 1);
        WriteBoth16(b, 128, SectorSize);
        WriteBoth32(b, 132, layout.PathTableSize);
        WriteLe32(b, 140, layout.LPathTableLba);
        WriteBe32(b, 148, layout.MPathTableLba);
        WriteDirectoryRecord(b, 156, new byte[] { 0 }, layout.Root.Lba, layout.Root.SizeBytes, 0x02, id.Timestamp);
        WritePadded(b, 190, 128, id.VolumeSetId);
        WritePadded(b, 318, 128, id.PublisherId);
        WritePadded(b, 446, 128, id.DataPreparerId);
        WritePadded(b, 574, 128, id.ApplicationId);
        WritePadded(b, 702, 37, "");
        WritePadded(b, 739, 37, "");
        WritePadded(b, 776, 37, "");
        WriteVolumeDate(b, 813, id.Timestamp);
        WriteVolumeDate(b, 830, id.Timestamp);
        WriteVolumeDate(b, 847, null);
        WriteVolumeDate(b, 864, id.Timestamp);
        b[881] = 1;
        return b;
    }

    /// <summary>El Torito boot record volume descriptor pointing at the catalog.</summary>
    public static byte[] BootRecord(uint catalogLba)
    {
        var b = Descriptor(0);
        var s = Encoding.ASCII.GetBytes("EL TORITO SPECIFICATION");
        Buffer.BlockCopy(s, 0, b, 7, s.Length);
        WriteLe32(b, 71, catalogLba);
        return b;
    }

    public static byte[] Terminator() => Descriptor(255);

    /// <summary>Writes one directory record at <paramref name="o"/>; returns its length.</summary>
    public static int WriteDirectoryRecord(byte[] b, int o, byte[] identifier, uint lba, uint size, byte flags, DateTimeOffset time)
    {
        int len = IsoLayout.RecordLength(identifier.Length);
        b[o] = (byte)len;
        b[o + 1] = 0;
        WriteBoth32(b, o + 2, lba);
        WriteBoth32(b, o + 10, size);
        WriteRecordDate(b, o + 18, time);
        b[o + 25] = flags;
        b[o + 26] = 0;
        b[o + 27] = 0;
        WriteBoth16(b, o + 28, 1);
        b[o + 32] = (byte)identifier.Length;
        Buffer.BlockCopy(identifier, 0, b, o + 33, identifier.Length);
        if ((identifier.Length & 1) == 0) b[o + 33 + identifier.Length] = 0;
        return len;
    }

    /// <summary>A directory's extent: ".", "..", then children in identifier order; a record that would straddle a sector starts the next one.</summary>
    public static byte[] DirectoryExtent(IsoDirectoryNode d, DateTimeOffset time)
    {
        var b = new byte[d.SizeBytes];
        var parent = d.Parent ?? d;
        int pos = WriteDirectoryRecord(b, 0, new byte[] { 0 }, d.Lba, d.SizeBytes, 0x02, time);
        pos += WriteDirectoryRecord(b, pos, new byte[] { 1 }, parent.Lba, parent.SizeBytes, 0x02, time);
        foreach (var child in d.Children.Values)
        {
            var id = Encoding.ASCII.GetBytes(child.Identifier);
            int len = IsoLayout.RecordLength(id.Length);
            int inSector = pos % SectorSize;
            if (inSector + len > SectorSize) pos += SectorSize - inSector;
            if (child is IsoDirectoryNode cd) pos += WriteDirectoryRecord(b, pos, id, cd.Lba, cd.SizeBytes, 0x02, time);
            else { var f = (IsoFileNode)child; pos += WriteDirectoryRecord(b, pos, id, f.Lba, (uint)f.Size, 0x00, time); }
        }
        return b;
    }

    /// <summary>The L (little-endian) or M (big-endian) path table, padded to whole sectors (ECMA-119 9.4).</summary>
    public static byte[] PathTable(IsoLayout layout, bool bigEndian)
    {
        var b = new byte[IsoLayout.Sectors(layout.PathTableSize) * SectorSize];
        int pos = 0;
        foreach (var d in layout.Directories)
        {
            var id = d.Parent == null ? new byte[] { 0 } : Encoding.ASCII.GetBytes(d.Name);
            b[pos] = (byte)id.Length;
            b[pos + 1] = 0;
            ushort parent = (ushort)(d.Parent?.Number ?? 1);
            if (bigEndian) { WriteBe32(b, pos + 2, d.Lba); WriteBe16(b, pos + 6, parent); }
            else { WriteLe32(b, pos + 2, d.Lba); WriteLe16(b, pos + 6, parent); }
            Buffer.BlockCopy(id, 0, b, pos + 8, id.Length);
            pos += 8 + id.Length + (id.Length & 1);
        }
        return b;
    }

    public const byte PlatformX86 = 0;
    public const byte PlatformEfi = 0xEF;

    /// <summary>
    /// The El Torito boot catalog: validation entry, default entry (BIOS when present, else EFI),
    /// and with both, a final section header for platform 0xEF and its entry.
    /// </summary>
    public static byte[] BootCatalog(IsoFileNode bios, ushort biosLoadSectors, IsoFileNode efi)
    {
        var b = new byte[SectorSize];
        b[0] = 0x01;
        b[1] = bios != null ? PlatformX86 : PlatformEfi;
        b[30] = 0x55; b[31] = 0xAA;
        int sum = 0;
        for (int i = 0; i < 32; i += 2) sum += ReadLe16(b, i);
        WriteLe16(b, 28, (ushort)(-sum & 0xFFFF));

        if (bios != null)
        {
            WriteBootEntry(b, 32, biosLoadSectors, bios.Lba);
            if (efi != null)
            {
                b[64] = 0x91;
                b[65] = PlatformEfi;
                WriteLe16(b, 66, 1);
                WriteBootEntry(b, 96, EfiSectorCount(efi.Size), efi.Lba);
            }
        }
        else WriteBootEntry(b, 32, EfiSectorCount(efi.Size), efi.Lba);
        return b;
    }

    /// <summary>The image size in 512-byte sectors when it fits 16 bits, else 0 (UEFI then uses the FAT image's own size).</summary>
    public static ushort EfiSectorCount(long size)
    {
        long count = (size + 511) / 512;
        return count <= ushort.MaxValue ? (ushort)count : (ushort)0;
    }

    private static void WriteBootEntry(byte[] b, int o, ushort sectorCount, uint lba)
    {
        b[o] = 0x88;         // bootable
        b[o + 1] = 0;        // no emulation
        WriteLe16(b, o + 2, 0); // load segment 0 = 0x07C0
        b[o + 4] = 0;
        WriteLe16(b, o + 6, sectorCount);
        WriteLe32(b, o + 8, lba);
    }

    /// <summary>
    /// Patches the ISOLINUX boot info table into a copy of the boot file: bytes 8–63 become
    /// PVD LBA, file LBA, file length, and the LE u32 sum of the 32-bit words from byte 64 to the end, then zeros.
    /// </summary>
    public static void PatchBootInfoTable(byte[] file, int length, uint fileLba)
    {
        Array.Clear(file, 8, 56);
        WriteLe32(file, 8, IsoLayout.PvdLba);
        WriteLe32(file, 12, fileLba);
        WriteLe32(file, 16, (uint)length);
        WriteLe32(file, 20, BootInfoChecksum(file, length));
    }

    public static uint BootInfoChecksum(byte[] file, int length)
    {
        uint sum = 0;
        for (int i = 64; i < length; i += 4)
        {
            uint w = 0;
            for (int k = 0; k < 4 && i + k < length; k++) w |= (uint)file[i + k] << (8 * k);
            sum += w;
        }
        return sum;
    }
}
