using System;

namespace ESXiImageTools.Samples.BootFiles;

/// <summary>
/// Wraps position-independent x86-64 code in a minimal PE32+ image for UEFI: DOS stub header, PE
/// signature, COFF header, PE32+ optional header (subsystem EFI application) and one .text section.
/// Layout follows the Microsoft PE/COFF specification: headers in the first 0x200 bytes
/// (FileAlignment), .text at RVA 0x1000 (SectionAlignment, page-aligned as EDK2's memory protection
/// expects). There is no .reloc section and the "relocations stripped" flag is not set, so a loader may
/// place the image anywhere and has nothing to fix up: the code uses only RIP-relative addressing.
/// </summary>
internal static class EfiPeImage
{
    private const int FileAlignment = 0x200;
    private const int SectionAlignment = 0x1000;
    private const int PeHeaderOffset = 0x40;           // e_lfanew: PE header right after the 64-byte DOS header
    private const int OptionalHeaderSize = 240;        // PE32+: 112 bytes of fields + 16 data directories * 8
    private const int TextRva = SectionAlignment;
    private const int TextFileOffset = FileAlignment;
    private const ulong ImageBase = 0x10000000;        // preferred base; irrelevant because nothing needs relocating

    private const ushort MachineAmd64 = 0x8664;
    private const ushort CharacteristicsExecutable = 0x0002;        // IMAGE_FILE_EXECUTABLE_IMAGE
    private const ushort CharacteristicsLargeAddressAware = 0x0020; // IMAGE_FILE_LARGE_ADDRESS_AWARE
    private const ushort MagicPe32Plus = 0x020B;
    private const ushort SubsystemEfiApplication = 10;
    private const uint SectionCodeExecuteRead = 0x60000020;         // CNT_CODE | MEM_EXECUTE | MEM_READ

    /// <summary>Builds the image around <paramref name="text"/>; execution starts at <paramref name="entryPointOffset"/> in it.</summary>
    public static byte[] Build(byte[] text, int entryPointOffset)
    {
        if (text == null || text.Length == 0) throw new ArgumentException("code must not be empty", nameof(text));
        var rawSize = AlignUp(text.Length, FileAlignment);
        var sizeOfImage = TextRva + AlignUp(text.Length, SectionAlignment);
        var image = new byte[TextFileOffset + rawSize];
        var w = new LittleEndianWriter(image);

        // DOS header: only "MZ" and e_lfanew matter to UEFI loaders.
        w.At(0x00).U16(0x5A4D);                    // e_magic "MZ"
        w.At(0x3C).U32(PeHeaderOffset);            // e_lfanew

        // PE signature and COFF file header.
        w.At(PeHeaderOffset).U32(0x00004550);      // "PE\0\0"
        w.U16(MachineAmd64);                       // Machine
        w.U16(1);                                  // NumberOfSections
        w.U32(0);                                  // TimeDateStamp: 0 for reproducible output
        w.U32(0);                                  // PointerToSymbolTable
        w.U32(0);                                  // NumberOfSymbols
        w.U16(OptionalHeaderSize);                 // SizeOfOptionalHeader
        w.U16(CharacteristicsExecutable | CharacteristicsLargeAddressAware);

        // PE32+ optional header: standard fields.
        var optionalHeader = w.Position;
        w.U16(MagicPe32Plus);                      // Magic
        w.U8(0); w.U8(0);                          // Major/MinorLinkerVersion
        w.U32((uint)rawSize);                      // SizeOfCode
        w.U32(0);                                  // SizeOfInitializedData
        w.U32(0);                                  // SizeOfUninitializedData
        w.U32((uint)(TextRva + entryPointOffset)); // AddressOfEntryPoint
        w.U32(TextRva);                            // BaseOfCode
        // Windows-specific fields.
        w.U64(ImageBase);                          // ImageBase
        w.U32(SectionAlignment);                   // SectionAlignment
        w.U32(FileAlignment);                      // FileAlignment
        w.U16(0); w.U16(0);                        // Major/MinorOperatingSystemVersion
        w.U16(0); w.U16(0);                        // Major/MinorImageVersion
        w.U16(0); w.U16(0);                        // Major/MinorSubsystemVersion
        w.U32(0);                                  // Win32VersionValue
        w.U32((uint)sizeOfImage);                  // SizeOfImage
        w.U32(FileAlignment);                      // SizeOfHeaders
        w.U32(0);                                  // CheckSum (not checked for EFI images)
        w.U16(SubsystemEfiApplication);            // Subsystem
        w.U16(0);                                  // DllCharacteristics
        w.U64(0x10000); w.U64(0x1000);             // SizeOfStackReserve / Commit (unused by UEFI)
        w.U64(0x10000); w.U64(0x1000);             // SizeOfHeapReserve / Commit (unused by UEFI)
        w.U32(0);                                  // LoaderFlags
        w.U32(16);                                 // NumberOfRvaAndSizes; all 16 directories stay zero
        w.At(optionalHeader + OptionalHeaderSize);

        // Section table: .text
        w.Ascii(".text", 8);                       // Name, NUL-padded
        w.U32((uint)text.Length);                  // VirtualSize
        w.U32(TextRva);                            // VirtualAddress
        w.U32((uint)rawSize);                      // SizeOfRawData
        w.U32(TextFileOffset);                     // PointerToRawData
        w.U32(0); w.U32(0);                        // PointerToRelocations / PointerToLinenumbers
        w.U16(0); w.U16(0);                        // NumberOfRelocations / NumberOfLinenumbers
        w.U32(SectionCodeExecuteRead);             // Characteristics
        if (w.Position > FileAlignment) throw new InvalidOperationException("PE headers exceed SizeOfHeaders");

        Array.Copy(text, 0, image, TextFileOffset, text.Length);
        return image;
    }

    private static int AlignUp(int value, int alignment) => (value + alignment - 1) / alignment * alignment;
}

/// <summary>Writes little-endian integers at a moving position in a byte array.</summary>
internal sealed class LittleEndianWriter
{
    private readonly byte[] _buffer;

    public LittleEndianWriter(byte[] buffer) { _buffer = buffer; }

    public int Position { get; private set; }

    public LittleEndianWriter At(int position) { Position = position; return this; }

    public LittleEndianWriter U8(byte v) { _buffer[Position++] = v; return this; }

    public LittleEndianWriter U16(int v) { U8((byte)v); return U8((byte)(v >> 8)); }

    public LittleEndianWriter U32(uint v) { U16((ushort)v); return U16((ushort)(v >> 16)); }

    public LittleEndianWriter U32(int v) => U32((uint)v);

    public LittleEndianWriter U64(ulong v) { U32((uint)v); return U32((uint)(v >> 32)); }

    /// <summary>ASCII text in a fixed-width field, padded with <paramref name="pad"/>.</summary>
    public LittleEndianWriter Ascii(string text, int width, byte pad = 0)
    {
        if (text.Length > width) throw new ArgumentException($"'{text}' does not fit in {width} bytes");
        for (var i = 0; i < width; i++) U8(i < text.Length ? (byte)text[i] : pad);
        return this;
    }

    public LittleEndianWriter Bytes(byte[] bytes) { Array.Copy(bytes, 0, _buffer, Position, bytes.Length); Position += bytes.Length; return this; }
}
