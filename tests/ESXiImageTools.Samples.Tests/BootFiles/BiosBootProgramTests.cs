using System;
using System.Linq;
using System.Text;
using ESXiImageTools.Samples.BootFiles;
using Xunit;

namespace ESXiImageTools.Samples.Tests.BootFiles;

public class BiosBootProgramTests
{
    [Fact]
    public void Image_is_one_cd_sector_and_starts_with_a_jump_past_the_boot_info_table()
    {
        var image = BiosBootProgram.Generate("hello marker");
        Assert.Equal(2048, image.Length);
        Assert.Equal(0xEB, image[0]);                  // jmp short
        Assert.Equal(64, 2 + (sbyte)image[1]);         // ... to offset 64
        Assert.All(image.Skip(2).Take(62), b => Assert.Equal(0, b)); // 2..63 untouched by code: the table may be patched there
    }

    [Fact]
    public void Message_is_the_marker_line_once_and_NUL_terminated()
    {
        var image = BiosBootProgram.Generate("ESXiImageTools sample BIOS");
        var text = Encoding.ASCII.GetBytes("ESXiImageTools sample BIOS\r\n\0");
        var at = IndexOf(image, text);
        Assert.True(at >= 64, "message not found after the boot-info-table");
        Assert.Equal(-1, IndexOf(image.Skip(at + 1).ToArray(), text));
    }

    [Fact]
    public void Generate_is_deterministic_and_depends_on_the_marker()
    {
        Assert.Equal(BiosBootProgram.Generate("A marker"), BiosBootProgram.Generate("A marker"));
        Assert.NotEqual(BiosBootProgram.Generate("A marker"), BiosBootProgram.Generate("B marker"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("two\nlines")]
    [InlineData("caf\u00e9")]
    public void Rejects_markers_that_are_not_printable_ascii(string marker)
        => Assert.Throws<ArgumentException>(() => BiosBootProgram.Generate(marker));

    [Fact]
    public void Rejects_a_marker_that_would_not_fit()
        => Assert.Throws<ArgumentException>(() => BiosBootProgram.Generate(new string('x', 2000)));

    internal static int IndexOf(byte[] haystack, byte[] needle)
    {
        for (var i = 0; i + needle.Length <= haystack.Length; i++)
            if (haystack.AsSpan(i, needle.Length).SequenceEqual(needle)) return i;
        return -1;
    }
}
