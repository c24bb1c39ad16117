using System.IO;
using System.Linq;
using System.Threading;
using ESXiImageTools.Core.Export;
using ESXiImageTools.TestSupport;
using Xunit;

namespace ESXiImageTools.Core.Tests.Export;

public class BootLoaderFilesTests
{
    [Fact]
    public void Boot_files_are_found_in_any_payload_when_no_file_list_or_btldr_points_at_them()
    {
        using var tmp = new TempDir();
        var meta = VibFixtures.Metadata("misc-loader", "1.0-1");
        var (_, vib) = VibFixtures.Build(tmp.File("d"), meta,
            ("other", "tgz", VibFixtures.TarGz(("etc/other.conf", new byte[] { 1 }))),
            ("stuff", "vgz", VibFixtures.Vgz(("boot/isolinux.bin", new byte[] { 0xEB, 1 }), ("boot/mboot.c32", new byte[] { 2 }),
                                             ("boot/efiboot.img", new byte[] { 3, 3 }), ("boot/efi/boot/bootx64.efi", new byte[] { 4 }))));
        Assert.Empty(vib.FileList);
        var work = Directory.CreateDirectory(tmp.File("work")).FullName;
        var found = BootLoaderFiles.Extract(new[] { vib }, work, CancellationToken.None);
        Assert.Equal(new byte[] { 0xEB, 1 }, File.ReadAllBytes(found["ISOLINUX.BIN"]));
        Assert.Equal(new byte[] { 3, 3 }, File.ReadAllBytes(found["EFIBOOT.IMG"]));
        Assert.Equal(new byte[] { 4 }, File.ReadAllBytes(found["EFI/BOOT/BOOTX64.EFI"]));
        Assert.False(found.ContainsKey("MENU.C32"));
    }

    [Fact]
    public void Matching_is_by_path_suffix_and_case_insensitive()
    {
        var efi = BootLoaderFiles.All.Single(b => b.IsoPath == "EFI/BOOT/BOOTX64.EFI");
        Assert.True(efi.Matches("usr/lib/vmware/efi/EFI/BOOT/BOOTX64.EFI"));
        Assert.False(efi.Matches("usr/lib/other/bootx64.efi"));
        var iso = BootLoaderFiles.All.Single(b => b.IsoPath == "ISOLINUX.BIN");
        Assert.True(iso.Matches("/ISOLINUX.BIN"));
        Assert.False(iso.Matches("usr/lib/notisolinux.bin"));
    }
}
