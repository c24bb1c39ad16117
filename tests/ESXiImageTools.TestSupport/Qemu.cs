using System;
using System.Diagnostics;
using System.IO;
using System.Threading;

namespace ESXiImageTools.TestSupport;

/// <summary>Which firmware QEMU boots the CD with.</summary>
public enum Firmware
{
    /// <summary>SeaBIOS (QEMU's default, i440fx).</summary>
    Bios,
    /// <summary>OVMF (q35, pflash with a fresh copy of the vars store).</summary>
    Uefi,
}

/// <summary>How a <see cref="Qemu.BootIso(string, Firmware, string, TimeSpan, QemuBootOptions)"/> run differs from the default
/// (i440fx for BIOS, stop as soon as the marker appears).</summary>
public sealed class QemuBootOptions
{
    /// <summary>Machine type under SeaBIOS: <c>pc</c> (i440fx, the default) or <c>q35</c>. OVMF always runs on q35.</summary>
    public string BiosMachine { get; init; } = "pc";

    /// <summary>Keep running after the marker until the guest powers off or the timeout passes, so a test can check that
    /// the guest shut down by itself (<see cref="QemuBootResult.ExitCode"/> is then not null).</summary>
    public bool WaitForPowerOff { get; init; }

    /// <summary>Stop as soon as this text appears on COM1 or in SeaBIOS's debug log, e.g. <c>UEFI Interactive Shell</c> or
    /// <c>No bootable device</c>: for tests that expect the firmware to give up, without waiting for the timeout.</summary>
    public string StopText { get; init; }
}

/// <summary>Outcome of one <see cref="Qemu.BootIso(string, Firmware, string, TimeSpan, QemuBootOptions)"/> run.</summary>
public sealed class QemuBootResult
{
    public QemuBootResult(bool markerSeen, string serialLog, int? exitCode, bool timedOut, TimeSpan elapsed, string stderr,
                          bool stopTextSeen = false, string firmwareLog = "")
    {
        MarkerSeen = markerSeen; SerialLog = serialLog; ExitCode = exitCode; TimedOut = timedOut; Elapsed = elapsed; Stderr = stderr;
        StopTextSeen = stopTextSeen; FirmwareLog = firmwareLog ?? "";
    }

    /// <summary>True when the expected marker appeared on COM1 (the only success criterion: a triple fault also exits 0).</summary>
    public bool MarkerSeen { get; }

    /// <summary>Everything the guest wrote to COM1.</summary>
    public string SerialLog { get; }

    /// <summary>QEMU's exit code, or null when it was stopped (marker seen or timeout).</summary>
    public int? ExitCode { get; }
    public bool TimedOut { get; }
    public TimeSpan Elapsed { get; }
    public string Stderr { get; }

    /// <summary>True when the run was stopped because <see cref="QemuBootOptions.StopText"/> appeared.</summary>
    public bool StopTextSeen { get; }

    /// <summary>SeaBIOS's own messages (debug console, port 0x402); empty under OVMF.</summary>
    public string FirmwareLog { get; }

    public override string ToString()
        => $"marker={MarkerSeen} stopText={StopTextSeen} exit={ExitCode?.ToString() ?? "killed"} timedOut={TimedOut} elapsed={Elapsed.TotalSeconds:0.0}s\n--- serial ---\n{SerialLog}\n--- firmware ---\n{FirmwareLog}\n--- stderr ---\n{Stderr}";
}

/// <summary>
/// Boots an ISO in QEMU without KVM (<c>-accel tcg</c>; nested KVM fails on the build machines) and watches
/// the serial port for a marker. QEMU is stopped as soon as the marker
/// appears, so guests that halt instead of powering off still finish quickly.
/// </summary>
public static class Qemu
{
    public const string Binary = "qemu-system-x86_64";
    public const string OvmfCode = "/usr/share/OVMF/OVMF_CODE_4M.fd";
    public const string OvmfVars = "/usr/share/OVMF/OVMF_VARS_4M.fd";

    /// <summary>True when QEMU (and for UEFI, OVMF) is installed.</summary>
    public static bool Available(Firmware firmware)
        => ExternalTools.Find(Binary) != null && (firmware == Firmware.Bios || (File.Exists(OvmfCode) && File.Exists(OvmfVars)));

    /// <summary>
    /// Boots <paramref name="isoPath"/> as a CD-ROM and returns whether <paramref name="expectedMarker"/> appeared on
    /// the serial port before <paramref name="timeout"/>, with the serial log.
    /// </summary>
    public static QemuBootResult BootIso(string isoPath, Firmware firmware, string expectedMarker, TimeSpan timeout)
        => BootIso(isoPath, firmware, expectedMarker, timeout, null);

    /// <summary>As <see cref="BootIso(string, Firmware, string, TimeSpan)"/>, with a machine type, waiting for power-off,
    /// or an early stop on other text (<paramref name="options"/>).</summary>
    public static QemuBootResult BootIso(string isoPath, Firmware firmware, string expectedMarker, TimeSpan timeout, QemuBootOptions options)
    {
        options ??= new QemuBootOptions();
        if (!File.Exists(isoPath)) throw new FileNotFoundException("ISO to boot not found", isoPath);
        return Run(work =>
        {
            string args = "-net none ";
            if (firmware == Firmware.Bios)
                return args + $"-machine {options.BiosMachine ?? "pc"} -m 256 -boot d -cdrom \"{isoPath}\" ";
            return args + OvmfArguments(work) + $"-drive \"file={isoPath},media=cdrom,if=ide,format=raw\"";
        }, expectedMarker, timeout, options);
    }

    /// <summary>
    /// Boots from the network: QEMU's user-mode network serves <paramref name="tftpRoot"/> over its built-in TFTP server
    /// and names <paramref name="bootFile"/> in DHCP. Under SeaBIOS the e1000's option ROM (iPXE, Debian's ipxe-qemu)
    /// fetches and runs it; under OVMF its own PXE client on a virtio NIC (no option ROM) does.
    /// </summary>
    public static QemuBootResult BootNetwork(string tftpRoot, string bootFile, Firmware firmware, string expectedMarker, TimeSpan timeout,
                                             QemuBootOptions options = null)
    {
        options ??= new QemuBootOptions();
        if (!Directory.Exists(tftpRoot)) throw new DirectoryNotFoundException("TFTP root not found: " + tftpRoot);
        var netdev = $"-netdev \"user,id=n0,tftp={tftpRoot},bootfile={bootFile}\" ";
        return Run(work => firmware == Firmware.Bios
            ? $"-machine {options.BiosMachine ?? "pc"} -m 256 -boot n {netdev}-device e1000,netdev=n0 "
            : OvmfArguments(work) + netdev + "-device virtio-net-pci,netdev=n0,bootindex=1,romfile= ", expectedMarker, timeout, options);
    }

    private static string OvmfArguments(string work)
    {
        var vars = Path.Combine(work, "vars.fd");
        File.Copy(OvmfVars, vars);
        return "-machine q35 -m 512 " +
               $"-drive if=pflash,format=raw,readonly=on,file={OvmfCode} " +
               $"-drive if=pflash,format=raw,file={vars} ";
    }

    /// <summary>Runs QEMU with the machine arguments <paramref name="machineArguments"/> makes (given a work folder) and watches COM1.</summary>
    private static QemuBootResult Run(Func<string, string> machineArguments, string expectedMarker, TimeSpan timeout, QemuBootOptions options)
    {
        var work = Path.Combine(Path.GetTempPath(), "esxit-qemu-" + Guid.NewGuid().ToString("N").Substring(0, 10));
        Directory.CreateDirectory(work);
        try
        {
            var serial = Path.Combine(work, "serial.log");
            var firmwareLog = Path.Combine(work, "seabios.log");
            var machine = machineArguments(work);
            string args = "-accel tcg -display none -monitor none -no-reboot -serial file:" + serial + " " + machine;
            // SeaBIOS's own log (debug console); OVMF runs on q35 with pflash and has none.
            if (!machine.Contains("if=pflash")) args += $" -debugcon file:{firmwareLog} -global isa-debugcon.iobase=0x402";
            var psi = new ProcessStartInfo(ExternalTools.Find(Binary) ?? Binary, args)
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            var sw = Stopwatch.StartNew();
            using var p = Process.Start(psi);
            var stderr = new System.Text.StringBuilder();
            p.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (stderr) stderr.AppendLine(e.Data); };
            p.OutputDataReceived += (_, e) => { };
            p.BeginErrorReadLine();
            p.BeginOutputReadLine();
            bool seen = false, timedOut = false, stopSeen = false;
            while (true)
            {
                if (p.WaitForExit(200)) break;
                var log = ReadLog(serial);
                if (!options.WaitForPowerOff && log.Contains(expectedMarker, StringComparison.Ordinal)) { seen = true; break; }
                if (options.StopText != null && (log.Contains(options.StopText, StringComparison.Ordinal) ||
                                                 ReadLog(firmwareLog).Contains(options.StopText, StringComparison.Ordinal))) { stopSeen = true; break; }
                if (sw.Elapsed > timeout) { timedOut = true; break; }
            }
            int? exit = null;
            if (p.HasExited) { p.WaitForExit(); exit = p.ExitCode; }
            else
            {
                try { p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
                p.WaitForExit(5000);
            }
            var serialLog = ReadLog(serial);
            seen = seen || serialLog.Contains(expectedMarker, StringComparison.Ordinal);
            string err;
            lock (stderr) err = stderr.ToString();
            return new QemuBootResult(seen, serialLog, exit, timedOut && !seen, sw.Elapsed, err, stopSeen, ReadLog(firmwareLog));
        }
        finally
        {
            try { Directory.Delete(work, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private static string ReadLog(string path)
    {
        try
        {
            using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var r = new StreamReader(fs);
            return r.ReadToEnd();
        }
        catch (FileNotFoundException) { return ""; }
        catch (IOException) { return ""; }
    }
}

/// <summary>A fact that boots an ISO with <see cref="Qemu"/>: needs qemu-system-x86_64, OVMF when <paramref name="firmware"/>
/// is UEFI, and any other <paramref name="tools"/>. Skips on machines without them, never under CI (same rule as ToolFact).</summary>
public sealed class QemuFactAttribute : Xunit.FactAttribute
{
    public QemuFactAttribute(Firmware firmware = Firmware.Bios, params string[] tools)
    {
        var missing = new System.Collections.Generic.List<string>();
        foreach (var t in tools) if (ExternalTools.Find(t) == null) missing.Add(t);
        if (ExternalTools.Find(Qemu.Binary) == null) missing.Add(Qemu.Binary);
        else if (!Qemu.Available(firmware)) missing.Add($"OVMF firmware ({Qemu.OvmfCode})");
        Skip = ExternalTools.SkipReason(missing);
    }
}

/// <summary>
/// A fact that boots over QEMU's TFTP with <see cref="Qemu.BootNetwork"/>: needs QEMU, OVMF for UEFI, and for BIOS
/// Debian's pxelinux (packages pxelinux, syslinux-common) and the e1000's iPXE ROM (ipxe-qemu). Skips on machines
/// without them, never under CI.
/// </summary>
public sealed class QemuPxeFactAttribute : Xunit.FactAttribute
{
    /// <summary>pxelinux and the syslinux BIOS modules a BIOS network boot test serves beside it.</summary>
    public static readonly string[] PxelinuxFiles =
    {
        "/usr/lib/PXELINUX/pxelinux.0", "/usr/lib/syslinux/modules/bios/ldlinux.c32", "/usr/lib/syslinux/modules/bios/libcom32.c32",
        "/usr/lib/syslinux/modules/bios/libutil.c32", "/usr/lib/syslinux/modules/bios/cat.c32", "/usr/lib/ipxe/qemu/efi-e1000.rom",
    };

    public QemuPxeFactAttribute(Firmware firmware)
    {
        var missing = new System.Collections.Generic.List<string>();
        if (ExternalTools.Find(Qemu.Binary) == null) missing.Add(Qemu.Binary);
        else if (!Qemu.Available(firmware)) missing.Add($"OVMF firmware ({Qemu.OvmfCode})");
        if (firmware == Firmware.Bios) foreach (var f in PxelinuxFiles) if (!File.Exists(f)) missing.Add(f);
        Skip = ExternalTools.SkipReason(missing);
    }
}
