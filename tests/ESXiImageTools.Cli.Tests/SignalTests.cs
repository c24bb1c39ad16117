using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using ESXiImageTools.Cli;
using ESXiImageTools.TestSupport;
using Xunit;

namespace ESXiImageTools.Cli.Tests;

/// <summary>A theory that sends POSIX signals; skipped on Windows, which has none to send.</summary>
public sealed class PosixTheoryAttribute : TheoryAttribute
{
    public PosixTheoryAttribute()
    {
        if (OperatingSystem.IsWindows()) Skip = "sends POSIX signals (SIGTERM, SIGHUP, SIGINT), which Windows does not have";
    }
}

/// <summary>
/// SIGTERM and SIGHUP mid-export clean up like SIGINT (exit 130, no temp file left). The
/// esximage process exports a bundle whose driver comes from an online depot that stalls mid-download, so the
/// signal arrives while the temp file beside the destination exists.
/// </summary>
public class SignalTests
{
    private const int SIGHUP = 1, SIGINT = 2, SIGTERM = 15;

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);

    private static string SampleDepot => Path.Combine(RepoRoot.Path, "samples", "depot", "ESXi-8.0.0-sample-depot.zip");
    private static string SampleDriver => Path.Combine(RepoRoot.Path, "samples", "drivers", "ESXiImageTools_bootbank_net-community_1.0.0-1sample.800.vib");

    [PosixTheory]
    [InlineData(SIGTERM, "bundle")]
    [InlineData(SIGHUP, "bundle")]
    [InlineData(SIGINT, "bundle")]
    [InlineData(SIGTERM, "iso")] // the ISO export passes cancellation into the payload opens, so a stalled download stops too
    public void A_signal_mid_export_cancels_and_leaves_no_temp_file(int signal, string kind)
    {
        var output = kind == "iso" ? "custom.iso" : "custom.zip";
        using var tmp = new TempDir();
        var www = tmp.File("www");
        new BundleBuilder().AddBuiltVib(SampleDriver, "vib20/net-community/driver.vib").WriteUnpacked(www);
        using var server = new HostileHttpServer(async (path, s, ct) =>
        {
            var file = Path.Combine(www, path.Substring("/depot/".Length).Replace('/', Path.DirectorySeparatorChar));
            var bytes = File.ReadAllBytes(file);
            if (!path.EndsWith(".vib", StringComparison.Ordinal)) { await HostileHttpServer.Respond(s, 200, bytes); return; }
            // The VIB starts, then stalls: the export is mid-write when the signal comes.
            await HostileHttpServer.Write(s, $"HTTP/1.1 200 OK\r\nContent-Length: {bytes.Length}\r\nConnection: close\r\n\r\n");
            await s.WriteAsync(bytes.AsMemory(0, 16), ct);
            await Task.Delay(Timeout.Infinite, ct);
        });
        var outDir = Directory.CreateDirectory(tmp.File("out")).FullName;
        var psi = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var a in new[]
        {
            typeof(Program).Assembly.Location, "build", "--depot", SampleDepot, "--depot", server.Url("/depot/index.xml").AbsoluteUri,
            "--profile", "ESXi-8.0.0-20513097-sample-standard", "--add", "net-community", "--acceptance", "community",
            "--trust-cert", TestSigning.SampleCertificateFile,
            "--" + kind, Path.Combine(outDir, output), "--cache-dir", tmp.File("cache"), "--timeout", "600",
        }) psi.ArgumentList.Add(a);

        using var p = Process.Start(psi);
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEndAsync();
        try
        {
            var clock = Stopwatch.StartNew();
            // A bundle stalls while its temp file is open; an ISO stalls while it gathers payloads, maybe before its temp file.
            while ((kind == "bundle" && !TempFiles(outDir, output).Any()) || !server.Requests.Any(r => r.EndsWith(".vib", StringComparison.Ordinal)))
            {
                if (p.HasExited) Assert.Fail("esximage ended before the export started: " + stderr.Result);
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(120), "the export never reached the stalled download");
                Thread.Sleep(50);
            }
            Assert.Equal(0, kill(p.Id, signal));
            if (!p.WaitForExit(60_000))
            {
                p.Kill(entireProcessTree: true);
                Assert.Fail("esximage did not end after the signal; it wrote: " + stderr.Result);
            }
            p.WaitForExit();
            Assert.Equal(ExitCodes.Cancelled, p.ExitCode);
            Assert.Contains("cancelled", stderr.Result);
            Assert.Empty(TempFiles(outDir, output));
            Assert.False(File.Exists(Path.Combine(outDir, output)));
        }
        finally
        {
            if (!p.HasExited) p.Kill(entireProcessTree: true);
        }
    }

    private static string[] TempFiles(string dir, string output) => Directory.GetFiles(dir, "." + output + ".*.tmp");
}
