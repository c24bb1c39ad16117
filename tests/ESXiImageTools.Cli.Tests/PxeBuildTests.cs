using System;
using System.IO;
using System.Linq;
using ESXiImageTools.Core.Export;
using ESXiImageTools.TestSupport;
using Xunit;

namespace ESXiImageTools.Cli.Tests;

/// <summary>
/// <c>esximage build --spec … --pxe</c> on the committed sample: one PXE folder per class, written into a TFTP root as
/// the folder <c>esxi</c>, then checked and booted over QEMU's built-in TFTP server.
/// </summary>
public sealed class PxeBuildFixture : IDisposable
{
    public TempDir Dir { get; } = new TempDir("pxebuild");
    public string TftpRoot => Dir.File("tftp");
    public string Folder => Path.Combine(TftpRoot, "esxi");
    public (int ExitCode, string Stdout, string Stderr) Run { get; }

    public PxeBuildFixture()
    {
        File.WriteAllText(Dir.File("spec.json"), "{ \"base_image\": { \"version\": \"8.0.0-1.0.20513097\" } }");
        var depot = Path.Combine(RepoRoot.Path, "samples", "depot", "ESXi-8.0.0-sample-depot.zip");
        var (code, o, e) = CliRunner.Run(Dir.Path, "build", "--depot", depot, "--spec", "spec.json", "--pxe", "tftp/esxi", "--trust-cert", TestSigning.SampleCertificateFile, "--timestamp", "1700000000", "--no-sync");
        Run = (code, o, e);
    }

    public void Dispose() => Dir.Dispose();
}

[Collection("qemu")]
public class PxeBuildTests : IClassFixture<PxeBuildFixture>
{
    private readonly PxeBuildFixture _f;

    public PxeBuildTests(PxeBuildFixture f) => _f = f;

    private static (int ExitCode, string Stdout, string Stderr) Run(string cwd, params string[] args) => CliRunner.Run(cwd, args);

    [Fact]
    public void Build_with_pxe_writes_a_folder_whose_boot_cfg_modules_all_exist()
    {
        Assert.True(_f.Run.ExitCode == 0, _f.Run.Stderr);
        Assert.Contains("wrote " + _f.Folder + "/", _f.Run.Stdout);
        var cfg = BootCfg.Parse(File.ReadAllText(Path.Combine(_f.Folder, "boot.cfg")));
        Assert.Equal("esxi", cfg["prefix"]);
        var modules = new[] { cfg["kernel"] }.Concat(cfg.Modules.Select(BootCfg.ModuleFileName)).ToList();
        Assert.Equal(15, modules.Count);
        Assert.All(modules, m => Assert.True(File.Exists(Path.Combine(_f.Folder, m)), $"boot.cfg names {m}, which the folder lacks"));
        foreach (var f in new[] { "mboot.c32", "mboot.efi", "efi/boot/bootx64.efi", "efi/boot/boot.cfg", "README.txt" })
            Assert.True(File.Exists(Path.Combine(_f.Folder, f)), f);
    }

    [Fact]
    public void Pxe_is_one_of_the_outputs_and_prefix_belongs_to_it()
    {
        using var tmp = new TempDir();
        var depot = Path.Combine(RepoRoot.Path, "samples", "depot", "ESXi-8.0.0-sample-depot.zip");
        var r = Run(tmp.Path, "build", "--depot", depot, "--profile", "ESXi-8.0.0-20513097-sample-standard", "--pxe", "p", "--iso", "x.iso");
        Assert.Equal(2, r.ExitCode);
        r = Run(tmp.Path, "build", "--depot", depot, "--profile", "ESXi-8.0.0-20513097-sample-standard", "--iso", "x.iso", "--prefix", "p");
        Assert.Equal(2, r.ExitCode);
        Assert.Empty(Directory.GetFileSystemEntries(tmp.Path));
        // An existing folder is replaced only with --force.
        Directory.CreateDirectory(tmp.File("p"));
        r = Run(tmp.Path, "build", "--depot", depot, "--profile", "ESXi-8.0.0-20513097-sample-standard", "--pxe", "p", "--prefix", "", "--trust-cert", TestSigning.SampleCertificateFile);
        Assert.Equal(6, r.ExitCode);
        Assert.Contains("ExportDestinationExists", r.Stderr);
        r = Run(tmp.Path, "build", "--depot", depot, "--profile", "ESXi-8.0.0-20513097-sample-standard", "--pxe", "p", "--prefix", "", "--force", "--trust-cert", TestSigning.SampleCertificateFile);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("prefix=\n", File.ReadAllText(tmp.File("p/boot.cfg")));
    }

    /// <summary>OVMF's PXE client fetches esxi/mboot.efi (the sample's EFI program) over TFTP and runs it.</summary>
    [Trait("Category", "Slow")]
    [QemuFact(Firmware.Uefi)]
    public void Pxe_folder_boots_to_the_efi_marker_under_ovmf_over_tftp()
    {
        Assert.True(_f.Run.ExitCode == 0, _f.Run.Stderr);
        var run = Qemu.BootNetwork(_f.TftpRoot, "esxi/mboot.efi", Firmware.Uefi, "ESXiImageTools sample EFI", TimeSpan.FromSeconds(120));
        Assert.True(run.MarkerSeen, run.ToString());
        Assert.Contains("NBP filename is esxi/mboot.efi", run.SerialLog);
    }
}
