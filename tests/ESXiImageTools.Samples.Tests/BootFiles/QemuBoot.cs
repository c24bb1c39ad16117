using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using ESXiImageTools.TestSupport;
using Xunit;

namespace ESXiImageTools.Samples.Tests.BootFiles;

/// <summary>How a qemu run ended: by itself (guest powered off, exit code meaningful) or killed by us.</summary>
public sealed record QemuResult(bool ExitedByItself, int ExitCode, bool StopTextSeen, string Serial, TimeSpan Elapsed);

/// <summary>Boots an ISO in qemu (TCG, no display, no network) and captures COM1 into a file (recipe: docs/iso.md §5).</summary>
public static class QemuBoot
{
    /// <summary>OVMF code and variable-store templates as Debian's ovmf package installs them, or nulls.</summary>
    public static (string Code, string Vars) FindOvmf()
    {
        foreach (var (code, vars) in new[] { ("OVMF_CODE_4M.fd", "OVMF_VARS_4M.fd"), ("OVMF_CODE.fd", "OVMF_VARS.fd") })
        {
            var c = Path.Combine("/usr/share/OVMF", code);
            var v = Path.Combine("/usr/share/OVMF", vars);
            if (File.Exists(c) && File.Exists(v)) return (c, v);
        }
        return (null, null);
    }

    /// <summary>SeaBIOS (qemu's default firmware) on <paramref name="machine"/> ("pc" or "q35").
    /// SeaBIOS's own messages go to a debugcon log, watched for <paramref name="stopText"/>.</summary>
    public static QemuResult Bios(string iso, string workDir, string machine, TimeSpan timeout, string stopText = null)
    {
        var serial = Path.Combine(workDir, $"bios-{machine}.serial");
        var debug = Path.Combine(workDir, $"bios-{machine}.seabios");
        return Run($"-machine {machine} -boot d -cdrom \"{iso}\" -debugcon file:\"{debug}\" -global isa-debugcon.iobase=0x402",
            serial, timeout, stopText == null ? null : debug, stopText);
    }

    /// <summary>OVMF on q35 with a fresh copy of the variable store; stops early when <paramref name="stopText"/> reaches serial.</summary>
    public static QemuResult Uefi(string iso, string workDir, TimeSpan timeout, string stopText = null)
    {
        var (code, varsTemplate) = FindOvmf();
        Assert.True(code != null, "OVMF firmware not found under /usr/share/OVMF (Debian package ovmf)");
        var vars = Path.Combine(workDir, "OVMF_VARS.fd");
        File.Copy(varsTemplate, vars, overwrite: true);
        var serial = Path.Combine(workDir, "uefi.serial");
        return Run("-machine q35 " +
                   $"-drive if=pflash,format=raw,readonly=on,file=\"{code}\" -drive if=pflash,format=raw,file=\"{vars}\" " +
                   $"-drive file=\"{iso}\",media=cdrom,if=ide",
            serial, timeout, stopText == null ? null : serial, stopText);
    }

    private static QemuResult Run(string machineArgs, string serialLog, TimeSpan timeout, string watchFile, string stopText)
    {
        File.Delete(serialLog);
        var args = "-accel tcg -m 256 -display none -monitor none -net none -no-reboot " +
                   $"-serial file:\"{serialLog}\" " + machineArgs;
        var psi = new ProcessStartInfo(ExternalTools.Find("qemu-system-x86_64"), args)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var clock = Stopwatch.StartNew();
        using var qemu = Process.Start(psi);
        qemu.OutputDataReceived += (_, _) => { };
        qemu.ErrorDataReceived += (_, _) => { };
        qemu.BeginOutputReadLine();
        qemu.BeginErrorReadLine();
        var stopSeen = false;
        while (!qemu.WaitForExit(100))
        {
            stopSeen = stopText != null && ReadShared(watchFile).Contains(stopText);
            if (stopSeen || clock.Elapsed > timeout)
            {
                try { qemu.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
                qemu.WaitForExit();
                return new QemuResult(false, -1, stopSeen, ReadShared(serialLog), clock.Elapsed);
            }
        }
        qemu.WaitForExit();
        return new QemuResult(true, qemu.ExitCode, false, ReadShared(serialLog), clock.Elapsed);
    }

    private static string ReadShared(string path)
    {
        if (path == null || !File.Exists(path)) return "";
        using var s = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var r = new StreamReader(s);
        return r.ReadToEnd();
    }
}
