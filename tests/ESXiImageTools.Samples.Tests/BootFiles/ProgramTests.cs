using System.IO;
using ESXiImageTools.Samples.BootFiles;
using ESXiImageTools.TestSupport;
using Xunit;

namespace ESXiImageTools.Samples.Tests.BootFiles;

public class ProgramTests
{
    [Fact]
    public void Main_writes_the_boot_files_and_regenerating_gives_the_same_bytes()
    {
        using var dir = new TempDir("samples");
        Assert.Equal(0, Program.Main(new[] { dir.Path }));
        var boot = Path.Combine(dir.Path, "bootfiles");
        Assert.Equal(SampleBootFiles.IsolinuxBin(), File.ReadAllBytes(Path.Combine(boot, "ISOLINUX.BIN")));
        Assert.Equal(SampleBootFiles.EfiBootImg(), File.ReadAllBytes(Path.Combine(boot, "EFIBOOT.IMG")));
        Assert.Equal(SampleBootFiles.BootX64Efi(), File.ReadAllBytes(Path.Combine(boot, "EFI", "BOOT", "BOOTX64.EFI")));
    }

    [Fact]
    public void Main_without_an_output_folder_prints_usage()
        => Assert.Equal(2, Program.Main(new string[0]));
}
