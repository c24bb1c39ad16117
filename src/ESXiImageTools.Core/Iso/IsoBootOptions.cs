namespace ESXiImageTools.Core.Iso;

/// <summary>The El Torito BIOS entry: a no-emulation boot image that is already a file in the tree (e.g. ISOLINUX.BIN).</summary>
public sealed class IsoBiosBoot
{
    /// <summary>ISO path of the boot image, e.g. <c>ISOLINUX.BIN</c>.</summary>
    public string Path { get; set; }

    /// <summary>512-byte virtual sectors the BIOS loads (mkisofs <c>-boot-load-size</c>); ISOLINUX needs 4.</summary>
    public ushort LoadSectors { get; set; } = 4;

    /// <summary>Patch the 56-byte ISOLINUX boot info table at offset 8 of the image's copy (mkisofs <c>-boot-info-table</c>).
    /// The source is never modified; the file is then buffered, so it must be at most <see cref="IsoBuilder.MaxPatchedBootFileSize"/>.</summary>
    public bool PatchBootInfoTable { get; set; } = true;
}

/// <summary>The El Torito UEFI entry (platform 0xEF, no emulation): a FAT image already in the tree (e.g. EFIBOOT.IMG).</summary>
public sealed class IsoEfiBoot
{
    /// <summary>ISO path of the FAT image, e.g. <c>EFIBOOT.IMG</c>.</summary>
    public string Path { get; set; }
}

/// <summary>Progress of <see cref="IsoBuilder.WriteTo"/>: image bytes written so far, the image size, and the file being copied.</summary>
public sealed class IsoWriteProgress
{
    public IsoWriteProgress(long bytesWritten, long totalBytes, string currentFile)
    {
        BytesWritten = bytesWritten;
        TotalBytes = totalBytes;
        CurrentFile = currentFile;
    }

    public long BytesWritten { get; }
    public long TotalBytes { get; }

    /// <summary>ISO path of the file being written, or null while metadata is written.</summary>
    public string CurrentFile { get; }
}
