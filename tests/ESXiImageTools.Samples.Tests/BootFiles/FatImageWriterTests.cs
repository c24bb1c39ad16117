using System;
using System.Buffers.Binary;
using System.IO;
using System.Linq;
using System.Text;
using ESXiImageTools.Samples.BootFiles;
using ESXiImageTools.TestSupport;
using Xunit;

namespace ESXiImageTools.Samples.Tests.BootFiles;

public class FatImageWriterTests
{
    private static byte[] Pattern(int length, int seed)
        => Enumerable.Range(0, length).Select(i => (byte)((i * 31 + seed) % 251)).ToArray();

    /// <summary>A tree exercising the layout: nested directories, a multi-cluster file, an empty file,
    /// and a directory with more entries than one 512-byte cluster holds.</summary>
    private static FatImageWriter SampleTree(FatGeometry geometry)
    {
        var fat = new FatImageWriter(geometry, "TESTVOL", 0x12345678);
        fat.AddFile("EFI/BOOT/BOOTX64.EFI", EfiBootProgram.Generate("fat test"));
        fat.AddFile("EFI/BOOT/BOOT.CFG", Encoding.ASCII.GetBytes("kernel=/b.b00\n"));
        fat.AddFile("BIG.BIN", Pattern(5000, 7));
        fat.AddFile("EMPTY.TXT", Array.Empty<byte>());
        fat.AddDirectory("A/B/C/D");
        for (var i = 0; i < 20; i++) fat.AddFile($"MANY/F{i:D2}.DAT", Pattern(100 + i, i));
        return fat;
    }

    [Fact]
    public void Boot_sector_carries_a_fat12_bpb_and_signature()
    {
        var image = SampleTree(FatGeometry.Floppy1440).ToArray();
        Assert.Equal(1474560, image.Length);
        Assert.Equal(0x55, image[510]);
        Assert.Equal(0xAA, image[511]);
        Assert.Equal(512, BinaryPrimitives.ReadUInt16LittleEndian(image.AsSpan(11)));
        Assert.Equal(2880, BinaryPrimitives.ReadUInt16LittleEndian(image.AsSpan(19)));
        Assert.Equal(0x12345678u, BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan(39)));
        Assert.Equal("TESTVOL    FAT12   ", Encoding.ASCII.GetString(image, 43, 19));
        // FAT[0] = 0xFF0 (media F0), FAT[1] = 0xFFF, in both copies.
        Assert.Equal(new byte[] { 0xF0, 0xFF, 0xFF }, image.Skip(512).Take(3).ToArray());
        Assert.Equal(image.Skip(512).Take(9 * 512), image.Skip(512 + 9 * 512).Take(9 * 512));
    }

    [Fact]
    public void Output_is_deterministic_and_independent_of_insertion_order()
    {
        var a = new FatImageWriter();
        a.AddFile("X/ONE.TXT", new byte[] { 1 });
        a.AddFile("TWO.TXT", new byte[] { 2 });
        var b = new FatImageWriter();
        b.AddFile("TWO.TXT", new byte[] { 2 });
        b.AddFile("x/one.txt", new byte[] { 1 });
        Assert.Equal(a.ToArray(), b.ToArray());
        Assert.Equal(SampleTree(FatGeometry.Floppy1440).ToArray(), SampleTree(FatGeometry.Floppy1440).ToArray());
        Assert.Equal(SampleBootFiles.EfiBootImg(), SampleBootFiles.EfiBootImg());
    }

    [Theory]
    [InlineData("TOOLONGNAME.TXT")]
    [InlineData("NAME.LONG")]
    [InlineData("BAD NAME.TXT")]
    [InlineData("A.B.C")]
    [InlineData("PLUS+.TXT")]
    [InlineData("DOT.")]
    public void Rejects_names_that_are_not_8_3(string name)
        => Assert.Throws<ArgumentException>(() => new FatImageWriter().AddFile(name, new byte[1]));

    [Fact]
    public void Rejects_duplicates_and_files_used_as_directories()
    {
        var fat = new FatImageWriter();
        fat.AddFile("EFI/BOOT/X.EFI", new byte[1]);
        Assert.Throws<ArgumentException>(() => fat.AddFile("efi/boot/x.efi", new byte[1]));
        Assert.Throws<ArgumentException>(() => fat.AddFile("EFI/BOOT/X.EFI/Y", new byte[1]));
    }

    [Fact]
    public void Rejects_content_that_does_not_fit()
    {
        var fat = new FatImageWriter();
        fat.AddFile("HUGE.BIN", new byte[1474560]);
        Assert.Throws<InvalidOperationException>(() => fat.ToArray());
    }

    [ToolFact("fsck.fat", "mdir", "mcopy", "mtype")]
    public void Floppy1440_passes_fsck_and_mtools_reads_every_file_back() => CheckWithTools(FatGeometry.Floppy1440, usedClusters: 41);

    [ToolFact("fsck.fat", "mdir", "mcopy", "mtype")]
    public void Floppy2880_passes_fsck_and_mtools_reads_every_file_back() => CheckWithTools(FatGeometry.Floppy2880, usedClusters: 34);

    private static void CheckWithTools(FatGeometry geometry, int usedClusters)
    {
        using var dir = new TempDir("fatimg");
        var img = dir.File("EFIBOOT.IMG");
        SampleTree(geometry).WriteTo(img);

        // fsck.fat -n exits 1 when it finds problems and prints each one; a clean image gives exactly
        // the version line and the summary line.
        var fsck = ExternalTools.Run("fsck.fat", $"-n \"{img}\"");
        Assert.True(fsck.ExitCode == 0, fsck.Stdout + fsck.Stderr);
        var lines = fsck.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("fsck.fat", lines[0]);
        // 24 files + 7 directories + the volume label; clusters counted by hand from the sizes above
        // (512-byte clusters: EFI 2, CFG 1, BIG 10, MANY files 20, directories 1 each but MANY 2 = 41;
        //  1 KiB clusters: 1 + 1 + 5 + 20 + 7 = 34).
        Assert.EndsWith($": 32 files, {usedClusters}/{geometry.ClusterCount} clusters", lines[1]);

        var mdir = ExternalTools.Run("mdir", $"-/ -a -i \"{img}\" ::");
        Assert.True(mdir.ExitCode == 0, mdir.Stderr);
        Assert.Contains("TESTVOL", mdir.Stdout);
        foreach (var name in new[] { "BOOTX64  EFI", "BOOT     CFG", "BIG      BIN", "EMPTY    TXT", "F19      DAT", "Directory for ::/A/B/C/D" })
            Assert.Contains(name, mdir.Stdout);
        Assert.Contains("2020-01-01", mdir.Stdout);

        var type = ExternalTools.Run("mtype", $"-i \"{img}\" ::/EFI/BOOT/BOOT.CFG");
        Assert.Equal("kernel=/b.b00\n", type.Stdout.Replace("\r\n", "\n"));

        void ExpectFile(string path, byte[] expected)
        {
            var outFile = dir.File("out.bin");
            File.Delete(outFile);
            var copy = ExternalTools.Run("mcopy", $"-n -i \"{img}\" \"::/{path}\" \"{outFile}\"");
            Assert.True(copy.ExitCode == 0, path + ": " + copy.Stderr);
            Assert.Equal(expected, File.ReadAllBytes(outFile));
        }
        ExpectFile("EFI/BOOT/BOOTX64.EFI", EfiBootProgram.Generate("fat test"));
        ExpectFile("BIG.BIN", Pattern(5000, 7));
        ExpectFile("EMPTY.TXT", Array.Empty<byte>());
        for (var i = 0; i < 20; i++) ExpectFile($"MANY/F{i:D2}.DAT", Pattern(100 + i, i));
    }
}
