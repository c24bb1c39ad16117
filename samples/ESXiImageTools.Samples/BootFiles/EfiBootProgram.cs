namespace ESXiImageTools.Samples.BootFiles;

/// <summary>
/// The sample's UEFI boot program: an x86-64 EFI application (EFI/BOOT/BOOTX64.EFI in EFIBOOT.IMG).
/// It writes the marker line to COM1 by port I/O, then through ConOut->OutputString (the screen; OVMF
/// also mirrors ConOut to the serial port), then calls RuntimeServices->ResetSystem(EfiResetShutdown)
/// so qemu exits by itself; if that returns it halts. The code is position-independent (RIP-relative),
/// so the image needs no relocations.
/// </summary>
public static class EfiBootProgram
{
    /// <summary>Appended to the marker in the ConOut line, so a serial log shows which path each line took.</summary>
    public const string ConsoleSuffix = " (ConOut)";

    // Offsets in UEFI 2.x tables (x64: pointers and UINTN are 8 bytes; EFI_TABLE_HEADER is 24 bytes).
    private const byte SystemTableConOut = 64;          // EFI_SYSTEM_TABLE.ConOut
    private const byte SystemTableRuntimeServices = 88; // EFI_SYSTEM_TABLE.RuntimeServices
    private const byte TextOutputOutputString = 8;      // EFI_SIMPLE_TEXT_OUTPUT_PROTOCOL.OutputString (after Reset)
    private const byte RuntimeResetSystem = 104;        // EFI_RUNTIME_SERVICES.ResetSystem (11th entry after the header)
    private const uint EfiResetShutdown = 2;            // EFI_RESET_TYPE

    private const uint Com1Data = 0x3F8, Com1InterruptEnable = 0x3F9, Com1FifoControl = 0x3FA,
        Com1LineControl = 0x3FB, Com1ModemControl = 0x3FC, Com1LineStatus = 0x3FD;

    /// <summary>Generates the PE32+ EFI application; deterministic.</summary>
    /// <param name="marker">Printable ASCII text written as one line (CR LF appended).</param>
    public static byte[] Generate(string marker)
    {
        BiosBootProgram.ValidateMarker(marker, 1024);
        var a = new LongModeAssembler();

        // efi_main(EFI_HANDLE ImageHandle = rcx, EFI_SYSTEM_TABLE *SystemTable = rdx), Microsoft x64 ABI.
        a.SubRsp(0x28);                            // 32 bytes shadow space + 8 to realign rsp to 16 for calls
        a.MovRbxRdx();                             // rbx = SystemTable (rbx survives calls)

        // COM1: 115200 8N1, FIFOs on, DTR+RTS (same settings as the BIOS program and as OVMF's own).
        a.MovEdx(Com1InterruptEnable); a.MovAl(0x00); a.OutDxAl();  // IER = 0
        a.MovEdx(Com1LineControl); a.MovAl(0x80); a.OutDxAl();      // LCR = DLAB
        a.MovEdx(Com1Data); a.MovAl(0x01); a.OutDxAl();             // divisor low = 1
        a.MovEdx(Com1InterruptEnable); a.MovAl(0x00); a.OutDxAl();  // divisor high = 0
        a.MovEdx(Com1LineControl); a.MovAl(0x03); a.OutDxAl();      // LCR = 8N1
        a.MovEdx(Com1FifoControl); a.MovAl(0xC7); a.OutDxAl();      // FCR = enable + clear FIFOs
        a.MovEdx(Com1ModemControl); a.MovAl(0x03); a.OutDxAl();     // MCR = DTR | RTS

        // Write the ASCII message to COM1, polling the line status register before each byte.
        a.LeaRsiRip("ascii");                      // rsi = &ascii (position-independent)
        a.Label("next");
        a.Lodsb();                                 // al = [rsi++]  (UEFI guarantees DF = 0)
        a.TestAlAl();
        a.Jz("conout");                            // NUL: done with the serial port
        a.MovClAl();                               // keep the character
        a.MovEdx(Com1LineStatus);
        a.Label("wait");
        a.InAlDx();                                // al = LSR
        a.TestAl(0x20);                            // transmitter holding register empty?
        a.Jz("wait");
        a.MovAlCl();
        a.MovEdx(Com1Data);
        a.OutDxAl();                               // send it
        a.JmpShort("next");

        // SystemTable->ConOut->OutputString(ConOut, L"marker (ConOut)\r\n")
        a.Label("conout");
        a.MovRcxFromRbx(SystemTableConOut);        // rcx = ConOut (first argument: This)
        a.LeaRdxRip("utf16");                      // rdx = &utf16 (second argument: String)
        a.CallIndirectRcx(TextOutputOutputString); // call ConOut->OutputString

        // SystemTable->RuntimeServices->ResetSystem(EfiResetShutdown, EFI_SUCCESS, 0, NULL)
        a.MovRaxFromRbx(SystemTableRuntimeServices); // rax = RuntimeServices
        a.MovEcx(EfiResetShutdown);                // rcx = ResetType
        a.XorEdxEdx();                             // rdx = ResetStatus = EFI_SUCCESS
        a.XorR8dR8d();                             // r8  = DataSize = 0
        a.XorR9dR9d();                             // r9  = ResetData = NULL
        a.CallIndirectRax(RuntimeResetSystem);     // does not return on success
        a.Label("halt");
        a.Cli();
        a.Hlt();
        a.JmpShort("halt");

        a.Label("ascii");
        a.AsciiZ(marker + "\r\n");
        a.Align(2);                                // CHAR16 strings must be 2-byte aligned
        a.Label("utf16");
        a.Utf16Z(marker + ConsoleSuffix + "\r\n");

        return EfiPeImage.Build(a.ToArray(), entryPointOffset: 0);
    }
}
