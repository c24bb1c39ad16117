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

/// <summary>Outcome of one <see cref="Qemu.BootIso"/> run.</summary>
public sealed class QemuBootResult
{
    public QemuBootResult(bool markerSeen, string serialLog, int? exitCode, bool timedOut, TimeSpan elapsed, string stderr)
    {
        MarkerSeen = markerSeen; SerialLog = serialLog; ExitCode = exitCode; TimedOut = timedOut; Elapsed = elapsed; Stderr = stderr;
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

    public override string ToString()
        => $"marker={MarkerSeen} exit={ExitCode?.ToString() ?? "killed"} timedOut={TimedOut} elapsed={Elapsed.TotalSeconds:0.0}s\n--- serial ---\n{SerialLog}\n--- stderr ---\n{Stderr}";
}

/// <summary>
/// Boots an ISO in QEMU without KVM (<c>-accel tcg</c>; nested KVM fails on the build machines) and watches
/// the serial port for a marker, following ../shared/docs/iso.md §5. QEMU is stopped as soon as the marker
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
    {
        if (!File.Exists(isoPath)) throw new FileNotFoundException("ISO to boot not found", isoPath);
        var work = Path.Combine(Path.GetTempPath(), "esxit-qemu-" + Guid.NewGuid().ToString("N").Substring(0, 10));
        Directory.CreateDirectory(work);
        try
        {
            var serial = Path.Combine(work, "serial.log");
            string args = "-accel tcg -display none -monitor none -net none -no-reboot -serial file:" + serial + " ";
            if (firmware == Firmware.Bios)
                args += $"-m 256 -boot d -cdrom \"{isoPath}\"";
            else
            {
                var vars = Path.Combine(work, "vars.fd");
                File.Copy(OvmfVars, vars);
                args += "-machine q35 -m 512 " +
                        $"-drive if=pflash,format=raw,readonly=on,file={OvmfCode} " +
                        $"-drive if=pflash,format=raw,file={vars} " +
                        $"-drive \"file={isoPath},media=cdrom,if=ide,format=raw\"";
            }
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
            bool seen = false, timedOut = false;
            while (true)
            {
                if (p.WaitForExit(200)) break;
                if (ReadLog(serial).Contains(expectedMarker, StringComparison.Ordinal)) { seen = true; break; }
                if (sw.Elapsed > timeout) { timedOut = true; break; }
            }
            int? exit = null;
            if (p.HasExited) { p.WaitForExit(); exit = p.ExitCode; }
            else
            {
                try { p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
                p.WaitForExit(5000);
            }
            var log = ReadLog(serial);
            seen = seen || log.Contains(expectedMarker, StringComparison.Ordinal);
            string err;
            lock (stderr) err = stderr.ToString();
            return new QemuBootResult(seen, log, exit, timedOut && !seen, sw.Elapsed, err);
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
