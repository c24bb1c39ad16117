namespace ESXiImageTools.Samples.BootFiles;

/// <summary>The sample's boot loader files, as the sample base package carries them and as an ESXi ISO
/// places them: ISOLINUX.BIN (BIOS El Torito image), EFIBOOT.IMG (EFI El Torito image) and the EFI
/// application itself, EFI/BOOT/BOOTX64.EFI.</summary>
public static class SampleBootFiles
{
    /// <summary>The line the BIOS program prints on COM1.</summary>
    public const string BiosMarker = "ESXiImageTools sample BIOS";

    /// <summary>The line the EFI program prints on COM1.</summary>
    public const string EfiMarker = "ESXiImageTools sample EFI";

    /// <summary>ISOLINUX.BIN: the BIOS no-emulation boot image (2048 bytes).</summary>
    public static byte[] IsolinuxBin() => BiosBootProgram.Generate(BiosMarker);

    /// <summary>BOOTX64.EFI: the x86-64 EFI application.</summary>
    public static byte[] BootX64Efi() => EfiBootProgram.Generate(EfiMarker);

    /// <summary>EFIBOOT.IMG: a 160 KB FAT12 image holding EFI/BOOT/BOOTX64.EFI (real ESXi's is a 1 MB FAT image; the
    /// sample's is a typed payload stored raw, as real esx-base stores its efiboot.img, so it is kept small).</summary>
    public static byte[] EfiBootImg()
    {
        var fat = new FatImageWriter(FatGeometry.Floppy160, volumeLabel: "EFIBOOT");
        fat.AddFile("EFI/BOOT/BOOTX64.EFI", BootX64Efi());
        return fat.ToArray();
    }
}
