using System;

namespace ESXiImageTools.Samples.BootFiles;

/// <summary>
/// The sample's BIOS boot program: an El Torito "no emulation" boot image (the ISO's ISOLINUX.BIN).
/// The BIOS loads it at linear 0x7C00 and jumps to it in 16-bit real mode. It sets up COM1, writes one
/// line (the marker) to COM1 and to the screen, then powers the machine off through QEMU's ACPI PM port
/// so qemu exits by itself; on other machines it halts.
/// </summary>
public static class BiosBootProgram
{
    /// <summary>Size of the image: one 2048-byte CD sector, i.e. exactly what <c>-boot-load-size 4</c>
    /// (four 512-byte virtual sectors) loads.</summary>
    public const int ImageSize = 2048;

    /// <summary>Where the BIOS puts a no-emulation image when the catalog's load segment is 0 (El Torito 1.0 §2.5).</summary>
    private const int LoadAddress = 0x7C00;

    /// <summary>mkisofs/xorriso <c>-boot-info-table</c> overwrites bytes 8..63 with PVD LBA, file LBA, length,
    /// checksum and 40 reserved bytes; code must start at or after this offset.</summary>
    public const int BootInfoTableEnd = 64;

    // 16550 UART registers of COM1 (base 0x3F8).
    private const ushort Com1Data = 0x3F8;        // THR/RBR; divisor low byte while DLAB=1
    private const ushort Com1InterruptEnable = 0x3F9; // IER; divisor high byte while DLAB=1
    private const ushort Com1FifoControl = 0x3FA; // FCR
    private const ushort Com1LineControl = 0x3FB; // LCR
    private const ushort Com1ModemControl = 0x3FC; // MCR
    private const ushort Com1LineStatus = 0x3FD;  // LSR; bit 5 = transmit holding register empty

    /// <summary>Generates the boot image: exactly <see cref="ImageSize"/> bytes, deterministic.</summary>
    /// <param name="marker">Printable ASCII text written as one line (CR LF appended).</param>
    public static byte[] Generate(string marker)
    {
        ValidateMarker(marker, ImageSize - 256);
        var a = new RealModeAssembler(LoadAddress);

        // Byte 0: skip the boot-info-table area (bytes 8..63) that the ISO writer may patch.
        a.JmpShort("start");                       // jmp short start   (EB 3E)
        a.ZeroFillTo(BootInfoTableEnd);

        a.Label("start");
        a.Cli();                                   // no interrupts while the stack moves
        a.XorAxAx();                               // ax = 0
        a.MovDsAx();                               // ds = 0: the message is addressed as 0:7Cxx
        a.MovEsAx();                               // es = 0
        a.MovSsAx();                               // ss = 0
        a.MovSp(LoadAddress);                      // stack grows down from just below our code
        a.JmpFar(0, "main");                       // cs:ip = 0000:7Cxx (BIOSes enter at 07C0:0000 or 0000:7C00)

        a.Label("main");
        a.Sti();                                   // BIOS services (int 10h) want interrupts on
        a.Cld();                                   // lodsb counts upwards

        // COM1: 115200 baud, 8 data bits, no parity, 1 stop bit, FIFOs on, DTR+RTS.
        a.MovDx(Com1InterruptEnable); a.MovAl(0x00); a.OutDxAl();   // IER = 0: polled, no UART interrupts
        a.MovDx(Com1LineControl); a.MovAl(0x80); a.OutDxAl();       // LCR = DLAB: next two ports are the divisor
        a.MovDx(Com1Data); a.MovAl(0x01); a.OutDxAl();              // divisor low = 1 (115200 / 1)
        a.MovDx(Com1InterruptEnable); a.MovAl(0x00); a.OutDxAl();   // divisor high = 0
        a.MovDx(Com1LineControl); a.MovAl(0x03); a.OutDxAl();       // LCR = 8N1, DLAB off
        a.MovDx(Com1FifoControl); a.MovAl(0xC7); a.OutDxAl();       // FCR = enable + clear FIFOs, 14-byte trigger
        a.MovDx(Com1ModemControl); a.MovAl(0x03); a.OutDxAl();      // MCR = DTR | RTS

        // Print the NUL-terminated message, each character to COM1 and to the screen.
        a.MovSiAddressOf("message");               // si = 0x7C00 + offset of message
        a.Label("next");
        a.Lodsb();                                 // al = next character
        a.TestAlAl();
        a.Jz("poweroff");                          // NUL: done
        a.MovClAl();                               // keep the character in cl
        a.MovDx(Com1LineStatus);
        a.Label("wait");
        a.InAlDx();                                // al = LSR
        a.TestAl(0x20);                            // transmitter holding register empty?
        a.Jz("wait");                              // not yet: poll again
        a.MovAlCl();
        a.MovDx(Com1Data);
        a.OutDxAl();                               // send the character to COM1
        a.MovAh(0x0E);                             // int 10h AH=0Eh: teletype output of al
        a.MovBx(0x0007);                           // bh = page 0, bl = light grey
        a.Int(0x10);                               // the screen too (for a person watching the VM console)
        a.JmpShort("next");

        // Power off: write SLP_EN (bit 13) with SLP_TYP 0 (QEMU's S5) to the ACPI PM1a control register.
        // SeaBIOS/QEMU put the PM block at 0x600 (register 0x604) on both q35 and pc; 0xB004 is the
        // PIIX4 block of older QEMU and Bochs. Writes to unused ports are ignored.
        a.Label("poweroff");
        a.MovAx(0x2000);                           // ax = SLP_EN | SLP_TYP(0)
        a.MovDx(0x604); a.OutDxAx();               // out 0x604, ax
        a.MovDx(0xB004); a.OutDxAx();              // out 0xB004, ax
        a.Label("halt");                           // not powered off (real hardware): stop here
        a.Cli();
        a.Hlt();
        a.JmpShort("halt");                        // an NMI can wake hlt: halt again

        a.Label("message");
        a.AsciiZ(marker + "\r\n");

        var code = a.ToArray();
        if (code.Length > ImageSize) throw new InvalidOperationException($"BIOS boot program is {code.Length} bytes, more than {ImageSize}");
        var image = new byte[ImageSize];
        Array.Copy(code, image, code.Length);
        return image;
    }

    /// <summary>Printable ASCII only (0x20..0x7E), non-empty, bounded: the line goes to a serial console.</summary>
    internal static void ValidateMarker(string marker, int maxLength)
    {
        if (string.IsNullOrEmpty(marker)) throw new ArgumentException("marker must not be empty", nameof(marker));
        if (marker.Length > maxLength) throw new ArgumentException($"marker is longer than {maxLength} characters", nameof(marker));
        foreach (var c in marker)
            if (c < 0x20 || c > 0x7E) throw new ArgumentException($"marker must be printable ASCII; found U+{(int)c:X4}", nameof(marker));
    }
}
