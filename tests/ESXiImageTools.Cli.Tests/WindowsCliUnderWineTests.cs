using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.TestSupport;
using Xunit;

namespace ESXiImageTools.Cli.Tests;

/// <summary>
/// The Windows CLI leg: esximage published for win-x64 (self-contained) and run under Wine, the nearest this machine
/// gets to Windows. Once per class: publish, make a Wine prefix (wineboot --init), build README's ISO on Linux
/// in-process for the reference bytes. Wine proves the Windows build, its path handling and its output; it does not
/// prove NTFS sharing rules, antivirus or a Windows PowerShell host (README "Windows legs").
/// </summary>
public sealed class WineFixture : IDisposable
{
    public const string Timestamp = "1700000000";

    public static string Wine { get; } = new[] { "/usr/lib/wine/wine64" }.FirstOrDefault(File.Exists)
                                         ?? ExternalTools.Find("wine64") ?? ExternalTools.Find("wine");

    /// <summary>Why the leg cannot run here, or null. Under CI (CI=true) .ci/run installs wine64, so nothing skips.</summary>
    public static string SkipReason { get; } = Wine == null && !Ci.IsCi
        ? "Wine is not installed (apt-get install wine64; .ci/run installs it): the Windows CLI leg needs /usr/lib/wine/wine64"
        : null;


    public TempDir Dir { get; } = new TempDir("wine");
    public string Exe { get; }
    public string Prefix { get; }
    public string[] ReadmeArgs { get; }
    public string LinuxIso { get; }
    public string LinuxSha256 { get; }

    public WineFixture()
    {
        if (SkipReason != null) return;
        Assert.True(Wine != null, "wine64 is missing under CI: .ci/run installs it");
        var publish = Dir.File("publish");
        var cli = Path.Combine(RepoRoot.Path, "src", "ESXiImageTools.Cli", "ESXiImageTools.Cli.csproj");
        var p = ExternalTools.Run("dotnet", $"publish \"{cli}\" -c Release -r win-x64 --self-contained -o \"{publish}\" --nologo -v q", 600_000);
        Assert.True(p.ExitCode == 0, "dotnet publish -r win-x64 failed:\n" + p.Stdout + p.Stderr);
        Exe = Path.Combine(publish, "esximage.exe");
        Assert.True(File.Exists(Exe), "no esximage.exe in " + publish);
        Prefix = Dir.File("prefix");
        var boot = RunWine("wineboot --init", RepoRoot.Path, 300_000);
        Assert.True(boot.ExitCode == 0, "wineboot --init failed:\n" + boot.Stdout + boot.Stderr);

        var line = File.ReadAllLines(Path.Combine(RepoRoot.Path, "README.md"))
                       .Single(l => l.StartsWith(SampleReadmeCommandFixture.CommandPrefix + "build ", StringComparison.Ordinal));
        ReadmeArgs = line.Substring(SampleReadmeCommandFixture.CommandPrefix.Length).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        LinuxIso = Dir.File("linux.iso");
        var o = new StringWriter();
        var e = new StringWriter();
        var rc = Program.Run(WithIso(ReadmeArgs, LinuxIso).Concat(new[] { "--timestamp", Timestamp }).ToArray(), o, e, default, RepoRoot.Path);
        Assert.True(rc == 0, "the Linux build failed: " + e);
        LinuxSha256 = Sha256(LinuxIso);
    }

    public static string[] WithIso(string[] args, string iso)
    {
        var copy = (string[])args.Clone();
        copy[Array.IndexOf(copy, "--iso") + 1] = iso;
        return copy;
    }

    /// <summary>Runs <c>wine64 esximage.exe</c> (or another Wine program) in <paramref name="workDir"/>.</summary>
    public (int ExitCode, string Stdout, string Stderr) RunWine(string commandLine, string workDir, int timeoutMs = 300_000)
    {
        var psi = new ProcessStartInfo(Wine, commandLine)
        {
            WorkingDirectory = workDir, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        psi.Environment["WINEPREFIX"] = Prefix;
        psi.Environment["WINEDEBUG"] = "-all";
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var proc = Process.Start(psi);
        var so = proc.StandardOutput.ReadToEndAsync();
        var se = proc.StandardError.ReadToEndAsync();
        if (!proc.WaitForExit(timeoutMs)) { try { proc.Kill(true); } catch { } return (124, so.Result, se.Result); }
        proc.WaitForExit();
        return (proc.ExitCode, so.Result, se.Result);
    }

    public static string Sha256(string file)
    {
        using var f = File.OpenRead(file);
        return TestBytes.Hex(SHA256.HashData(f));
    }

    /// <summary>A Linux path as Wine's Z: drive names it.</summary>
    public static string ZPath(string unixPath) => @"Z:" + unixPath.Replace('/', '\\');

    public void Dispose()
    {
        if (Prefix != null) RunWine("wineboot -k", RepoRoot.Path, 30_000);
        Dir.Dispose();
    }
}

public sealed class WineFactAttribute : FactAttribute
{
    public WineFactAttribute() => Skip = WineFixture.SkipReason;
}

public class WindowsCliUnderWineTests : IClassFixture<WineFixture>
{
    private readonly WineFixture _f;
    public WindowsCliUnderWineTests(WineFixture f) => _f = f;

    /// <summary>README's build with its paths rewritten by <paramref name="path"/>, run by the win-x64 esximage under Wine.</summary>
    private string BuildUnderWine(Func<string, string> path, string isoName)
    {
        var args = WineFixture.WithIso(_f.ReadmeArgs, _f.Dir.File(isoName)).ToList();
        for (int i = 0; i < args.Count - 1; i++)
            if (args[i] is "--depot" or "--add" or "--iso") args[i + 1] = path(args[i + 1]);
        // Wine's crypt32 verifies no CMS signature, not even VMware's own VIBs' ("Unknown error (0xc1000002)"), where
        // Windows' does; so under Wine the check is skipped. It changes no byte of the ISO, which is what is compared.
        var trust = args.IndexOf("--trust-cert");
        if (trust >= 0) args.RemoveRange(trust, 2);
        args.Add("--no-signature-check");
        var line = "\"" + _f.Exe + "\" " + string.Join(" ", args.Select(a => "\"" + a + "\"")) + " --timestamp " + WineFixture.Timestamp;
        var r = _f.RunWine(line, RepoRoot.Path);
        Assert.True(r.ExitCode == 0, $"esximage.exe {string.Join(" ", args)}\nexit {r.ExitCode}\n{r.Stdout}\n{r.Stderr}");
        var iso = _f.Dir.File(isoName);
        Assert.True(File.Exists(iso), "no ISO at " + iso + ":\n" + r.Stdout + r.Stderr);
        return iso;
    }

    private static string Absolute(string readmePath)
        => Path.IsPathRooted(readmePath) ? readmePath : Path.Combine(RepoRoot.Path, readmePath);

    [WineFact]
    public void Z_drive_paths_build_the_same_iso_as_linux()
    {
        var iso = BuildUnderWine(a => WineFixture.ZPath(Absolute(a)), "z-drive.iso");
        Assert.Equal(_f.LinuxSha256, WineFixture.Sha256(iso));
    }

    [WineFact]
    public void Relative_backslash_paths_build_the_same_iso_as_linux()
    {
        // samples\depot\… relative to the working folder (the repository root, Z:\…\ under Wine); the output stays absolute.
        var iso = BuildUnderWine(a => a.StartsWith("samples/", StringComparison.Ordinal) ? a.Replace('/', '\\') : WineFixture.ZPath(Absolute(a)), "relative.iso");
        Assert.Equal(_f.LinuxSha256, WineFixture.Sha256(iso));
    }

    [WineFact]
    public void Wrong_case_paths_build_the_same_iso_as_linux()
    {
        // A lower-case drive and upper-cased sample folders: Windows file systems ignore case, and so does Wine's Z:.
        var iso = BuildUnderWine(a => a.StartsWith("samples/", StringComparison.Ordinal)
            ? "z:" + (RepoRoot.Path + "/" + a.Replace("samples/", "SAMPLES/").Replace("/depot/", "/DEPOT/")).Replace('/', '\\')
            : WineFixture.ZPath(Absolute(a)), "wrong-case.iso");
        Assert.Equal(_f.LinuxSha256, WineFixture.Sha256(iso));
    }

    [WineFact]
    public void Extended_length_paths_build_the_same_iso_as_linux()
    {
        var iso = BuildUnderWine(a => @"\\?\" + WineFixture.ZPath(Absolute(a)), "extended.iso");
        Assert.Equal(_f.LinuxSha256, WineFixture.Sha256(iso));
    }

    [WineFact]
    public void A_depot_named_twice_in_different_case_is_one_depot_on_windows()
    {
        // Windows compares paths ignoring case (DepotSourceComparison's Windows branch): the second --depot replaces the
        // first, so the sample's profiles are listed once. On Linux two such names are two files (DepotSourceComparisonTests).
        var depot = _f.ReadmeArgs[Array.IndexOf(_f.ReadmeArgs, "--depot") + 1];
        var exact = WineFixture.ZPath(Absolute(depot));
        var otherCase = "z:" + (RepoRoot.Path + "/" + depot.Replace("samples/", "SAMPLES/").Replace("-sample-", "-SAMPLE-")).Replace('/', '\\');
        var r = _f.RunWine($"\"{_f.Exe}\" profiles --depot \"{exact}\" --depot \"{otherCase}\" --json", RepoRoot.Path);
        Assert.True(r.ExitCode == 0, $"exit {r.ExitCode}\n{r.Stdout}\n{r.Stderr}");
        var standard = System.Text.RegularExpressions.Regex.Matches(r.Stdout, "\"ESXi-8\\.0\\.0-20513097-sample-standard\"").Count;
        Assert.True(standard >= 1, r.Stdout);
        var o = new StringWriter();
        Assert.Equal(0, Program.Run(new[] { "profiles", "--depot", depot, "--json" }, o, new StringWriter(), default, RepoRoot.Path));
        // As many as one depot lists on Linux: the second name added nothing.
        Assert.Equal(System.Text.RegularExpressions.Regex.Matches(o.ToString(), "\"ESXi-8\\.0\\.0-20513097-sample-standard\"").Count, standard);
    }

    [WineFact]
    public void Verify_under_wine_accepts_the_iso()
    {
        var r = _f.RunWine($"\"{_f.Exe}\" verify \"{WineFixture.ZPath(_f.LinuxIso)}\"", RepoRoot.Path);
        Assert.True(r.ExitCode == 0, $"exit {r.ExitCode}\n{r.Stdout}\n{r.Stderr}");
    }

    [WineFact]
    public void A_windows_device_name_is_never_written_or_read_as_a_file()
    {
        // NUL is the null device in every Windows folder: an export to it is refused as a device even with --force, and a
        // depot named CON is refused as a device instead of reading the console.
        var args = WineFixture.WithIso(_f.ReadmeArgs, "NUL").ToList();
        var trust = args.IndexOf("--trust-cert");
        if (trust >= 0) args.RemoveRange(trust, 2);
        for (int i = 0; i < args.Count - 1; i++)
            if (args[i] is "--depot" or "--add") args[i + 1] = WineFixture.ZPath(Absolute(args[i + 1]));
        var line = "\"" + _f.Exe + "\" " + string.Join(" ", args.Select(a => "\"" + a + "\"")) + " --no-signature-check --force";
        var r = _f.RunWine(line, _f.Dir.Path);
        Assert.True(r.ExitCode == ExitCodes.OutputFailed, $"exit {r.ExitCode}\n{r.Stdout}\n{r.Stderr}");
        Assert.Contains(ErrorCodes.ExportDestinationNotAFile, r.Stderr);
        Assert.Contains("device", r.Stderr);
        Assert.Empty(Directory.GetFiles(_f.Dir.Path, "NUL*"));

        var read = _f.RunWine($"\"{_f.Exe}\" profiles --depot CON", _f.Dir.Path);
        Assert.True(read.ExitCode == ExitCodes.InvalidInput, $"exit {read.ExitCode}\n{read.Stdout}\n{read.Stderr}");
        Assert.Contains("device", read.Stderr);
    }
}
