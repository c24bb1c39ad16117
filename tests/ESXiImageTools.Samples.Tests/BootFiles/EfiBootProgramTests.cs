using System;
using System.Buffers.Binary;
using System.Text;
using ESXiImageTools.Samples.BootFiles;
using Xunit;

namespace ESXiImageTools.Samples.Tests.BootFiles;

/// <summary>Checks the PE32+ headers field by field against the PE/COFF specification.</summary>
public class EfiBootProgramTests
{
    private static readonly byte[] Image = EfiBootProgram.Generate("ESXiImageTools sample EFI");

    private static ushort U16(int at) => BinaryPrimitives.ReadUInt16LittleEndian(Image.AsSpan(at));
    private static uint U32(int at) => BinaryPrimitives.ReadUInt32LittleEndian(Image.AsSpan(at));

    [Fact]
    public void Headers_describe_an_x64_efi_application()
    {
        Assert.Equal((byte)'M', Image[0]);
        Assert.Equal((byte)'Z', Image[1]);
        var pe = (int)U32(0x3C);
        Assert.Equal(0x00004550u, U32(pe));                 // "PE\0\0"
        Assert.Equal(0x8664, U16(pe + 4));                  // Machine: AMD64
        Assert.Equal(1, U16(pe + 6));                       // one section
        Assert.Equal(240, U16(pe + 20));                    // SizeOfOptionalHeader (PE32+)
        var characteristics = U16(pe + 22);
        Assert.Equal(0x0002, characteristics & 0x0002);     // executable
        Assert.Equal(0, characteristics & 0x0001);          // relocations not stripped: loadable at any address

        var opt = pe + 24;
        Assert.Equal(0x020B, U16(opt));                     // PE32+
        Assert.Equal(10, U16(opt + 68));                    // Subsystem: EFI application
        Assert.Equal(0x1000u, U32(opt + 32));               // SectionAlignment
        Assert.Equal(0x200u, U32(opt + 36));                // FileAlignment
        Assert.Equal(16u, U32(opt + 108));                  // NumberOfRvaAndSizes
        Assert.Equal(0u, U32(opt + 112 + 5 * 8 + 4));       // base relocation directory empty: nothing to fix up

        var section = opt + 240;
        Assert.Equal(".text\0\0\0", Encoding.ASCII.GetString(Image, section, 8));
        var virtualSize = U32(section + 8);
        var rva = U32(section + 12);
        var rawSize = U32(section + 16);
        var rawPointer = U32(section + 20);
        Assert.Equal(0u, rawPointer % 0x200);
        Assert.Equal(0u, rawSize % 0x200);
        Assert.Equal(0u, rva % 0x1000);
        Assert.True(rawSize >= virtualSize);
        Assert.Equal(rawPointer + rawSize, (uint)Image.Length);
        Assert.Equal(rawPointer, U32(opt + 60));            // SizeOfHeaders
        var sizeOfImage = U32(opt + 56);
        Assert.Equal(0u, sizeOfImage % 0x1000);
        Assert.True(sizeOfImage >= rva + virtualSize);
        var entry = U32(opt + 16);
        Assert.InRange(entry, rva, rva + virtualSize - 1);
        Assert.Equal(0x60000020u, U32(section + 36));       // code, execute, read
    }

    [Fact]
    public void Text_holds_the_serial_line_and_the_console_line()
    {
        Assert.True(BiosBootProgramTests.IndexOf(Image, Encoding.ASCII.GetBytes("ESXiImageTools sample EFI\r\n\0")) > 0);
        var utf16At = BiosBootProgramTests.IndexOf(Image, Encoding.Unicode.GetBytes("ESXiImageTools sample EFI (ConOut)\r\n\0"));
        Assert.True(utf16At > 0);
        Assert.Equal(0, utf16At % 2);                       // CHAR16 alignment
    }

    [Fact]
    public void Generate_is_deterministic()
        => Assert.Equal(EfiBootProgram.Generate("same"), EfiBootProgram.Generate("same"));

    [Fact]
    public void Rejects_a_non_ascii_marker()
        => Assert.Throws<ArgumentException>(() => EfiBootProgram.Generate("\u00fc"));
}
