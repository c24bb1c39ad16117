using System;
using System.Collections.Generic;

namespace ESXiImageTools.Core.Iso;

/// <summary>
/// Assigns every structure its sectors before a byte is written: system area (0–15), PVD (16),
/// boot record (17, when booting), terminator, L and M path tables, directories in path-table order,
/// boot catalog, then file contents in tree order. Pure computation over the tree.
/// </summary>
internal sealed class IsoLayout
{
    public const uint PvdLba = 16;

    public IsoDirectoryNode Root { get; }
    public IReadOnlyList<IsoDirectoryNode> Directories { get; }   // path-table order
    public IReadOnlyList<IsoFileNode> Files { get; }              // content order (ascending LBA)
    public bool HasBootRecord { get; }
    public uint TerminatorLba { get; }
    public uint PathTableSize { get; }
    public uint LPathTableLba { get; }
    public uint MPathTableLba { get; }
    public uint TotalSectors { get; }
    public long TotalBytes => (long)TotalSectors * IsoEncoding.SectorSize;
    public IsoFileNode BootCatalog { get; }

    public IsoLayout(IsoDirectoryNode root, bool hasBootRecord, IsoFileNode bootCatalog)
    {
        Root = root;
        HasBootRecord = hasBootRecord;
        BootCatalog = bootCatalog;
        var dirs = OrderForPathTable(root);
        if (dirs.Count > ushort.MaxValue)
            throw IsoNames.Invalid("/", $"{dirs.Count} directories exceed the path table's limit of {ushort.MaxValue}");
        Directories = dirs;

        long size = 0;
        foreach (var d in dirs) size += PathTableRecordLength(d);
        PathTableSize = (uint)size;

        long next = PvdLba + 1;
        if (hasBootRecord) next++;
        TerminatorLba = (uint)next++;
        LPathTableLba = (uint)next; next += Sectors(size);
        MPathTableLba = (uint)next; next += Sectors(size);
        foreach (var d in dirs)
        {
            long bytes = DirectoryExtentSize(d);
            if (bytes > uint.MaxValue) throw IsoNames.Invalid(d.Path, "the directory has too many entries");
            d.Lba = (uint)next;
            d.SizeBytes = (uint)bytes;
            next += bytes / IsoEncoding.SectorSize;
        }
        var files = new List<IsoFileNode>();
        if (bootCatalog != null) files.Add(bootCatalog);
        CollectFiles(root, files, bootCatalog);
        foreach (var f in files)
        {
            // Empty files own no sectors; they point at the current position like DiscUtils and xorriso do.
            f.Lba = (uint)Math.Min(next, uint.MaxValue);
            next += Sectors(f.Size);
            if (next > uint.MaxValue) throw IsoNames.Invalid(f.Path, "the image would exceed 2^32 sectors");
        }
        Files = files;
        TotalSectors = (uint)next;
    }

    public static long Sectors(long bytes) => (bytes + IsoEncoding.SectorSize - 1) / IsoEncoding.SectorSize;

    /// <summary>Record length of a directory record with an identifier of <paramref name="idLength"/> bytes (ECMA-119 9.1.12: even).</summary>
    public static int RecordLength(int idLength) => 33 + idLength + ((idLength & 1) == 0 ? 1 : 0);

    public static int PathTableRecordLength(IsoDirectoryNode d)
    {
        int len = d.Parent == null ? 1 : d.Name.Length;
        return 8 + len + (len & 1);
    }

    /// <summary>Bytes of a directory extent: records never straddle a sector (ECMA-119 6.8.1.1), whole sectors.</summary>
    public static long DirectoryExtentSize(IsoDirectoryNode d)
    {
        long sectors = 1;
        int pos = 2 * RecordLength(1);   // "." and ".."
        foreach (var child in d.Children.Values)
        {
            int len = RecordLength(child.Identifier.Length);
            if (pos + len > IsoEncoding.SectorSize) { sectors++; pos = 0; }
            pos += len;
        }
        return sectors * IsoEncoding.SectorSize;
    }

    /// <summary>Breadth-first; within a level by parent number, then identifier (ECMA-119 6.9.1).</summary>
    private static List<IsoDirectoryNode> OrderForPathTable(IsoDirectoryNode root)
    {
        var result = new List<IsoDirectoryNode> { root };
        root.Number = 1;
        root.Level = 1;
        for (int i = 0; i < result.Count; i++)
        {
            var d = result[i];
            foreach (var c in d.Children.Values)
            {
                if (c is IsoDirectoryNode cd)
                {
                    cd.Level = d.Level + 1;
                    result.Add(cd);
                    cd.Number = result.Count;
                }
            }
        }
        return result;
    }

    private static void CollectFiles(IsoDirectoryNode d, List<IsoFileNode> files, IsoFileNode skip)
    {
        foreach (var c in d.Children.Values)
        {
            if (c is IsoFileNode f) { if (f != skip) files.Add(f); }
            else CollectFiles((IsoDirectoryNode)c, files, skip);
        }
    }
}
