using System;
using System.IO;
using System.Linq;
using ESXiImageTools.Core.Depots;
using ESXiImageTools.Core.Packages;
using ESXiImageTools.TestSupport;
using Xunit;

namespace ESXiImageTools.Cli.Tests;

/// <summary>
/// Runs the main command of README.md (the first command a user runs; samples/README.md repeats it), read
/// from the READMEs themselves so they cannot drift from what is tested, on the
/// committed sample: through <see cref="Program.Run"/> with the repository root as current folder, the output
/// path swapped for a temporary one. Once per class; the tests then check and boot the ISO it wrote.
/// </summary>
public sealed class SampleReadmeCommandFixture : IDisposable
{
    public const string CommandPrefix = "dotnet run --project src/ESXiImageTools.Cli -- ";
    public const string ReadmeIsoPath = "out/ESXi-sample-custom.iso";

    public TempDir Dir { get; } = new TempDir("readmecmd");
    public string Command { get; }
    public string[] Args { get; }
    public int ExitCode { get; }
    public string Stdout { get; }
    public string Stderr { get; }
    public string Iso => Dir.File("ESXi-sample-custom.iso");

    public SampleReadmeCommandFixture()
    {
        string BuildLine(params string[] readme)
        {
            var lines = File.ReadAllLines(Path.Combine(RepoRoot.Path, Path.Combine(readme)));
            var commands = lines.Where(l => l.StartsWith(CommandPrefix + "build ", StringComparison.Ordinal)).ToList();
            Assert.True(commands.Count == 1, Path.Combine(readme) + " should hold exactly one `esximage build` command line");
            return commands[0].Trim();
        }
        Command = BuildLine("README.md");
        Assert.Equal(Command, BuildLine("samples", "README.md"));
        Assert.DoesNotContain("\"", Command);   // plain whitespace-separated arguments, as a shell passes them
        var args = Command.Substring(CommandPrefix.Length).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        int iso = Array.IndexOf(args, "--iso");
        Assert.True(iso >= 0 && args[iso + 1] == ReadmeIsoPath, "the README command writes " + ReadmeIsoPath);
        args[iso + 1] = Iso;
        Args = args;
        (ExitCode, Stdout, Stderr) = CliRunner.Run(RepoRoot.Path, args);
    }

    public void Dispose() => Dir.Dispose();
}

[Collection("qemu")]
public class SampleReadmeCommandTests : IClassFixture<SampleReadmeCommandFixture>
{
    private readonly SampleReadmeCommandFixture _f;

    public SampleReadmeCommandTests(SampleReadmeCommandFixture f) => _f = f;

    [Fact]
    public void Readme_command_builds_the_standard_profile_plus_the_community_driver()
    {
        Assert.True(_f.ExitCode == 0, $"`{_f.Command}` exited {_f.ExitCode}: {_f.Stderr}");
        Assert.Equal("build", _f.Args[0]);
        Assert.Contains("wrote " + _f.Iso, _f.Stdout);
        var profile = Assert.Single(DepotReader.Open(_f.Iso).Profiles);
        Assert.Equal("ESXi-8.0.0-20513097-sample-standard-customized", profile.Name);
        Assert.Equal(AcceptanceLevel.CommunitySupported, profile.AcceptanceLevel);
        Assert.Equal(new[] { "esx-base", "net-community", "net-sample", "nvme-sample", "tools-light" },
            profile.Packages.Select(p => p.Name).OrderBy(n => n, StringComparer.Ordinal));
        var driver = profile.Packages.Single(p => p.Name == "net-community");
        Assert.Equal(_f.Args[Array.IndexOf(_f.Args, "--add") + 1], "samples/drivers/" + driver.Id + ".vib");
    }

    [Trait("Category", "Slow")]
    [QemuFact(Firmware.Bios)]
    public void Readme_iso_boots_to_the_bios_marker_under_seabios()
    {
        Assert.True(_f.ExitCode == 0, _f.Stderr);
        var run = Qemu.BootIso(_f.Iso, Firmware.Bios, "ESXiImageTools sample BIOS", TimeSpan.FromSeconds(30));
        Assert.True(run.MarkerSeen, run.ToString());
    }

    [Trait("Category", "Slow")]
    [QemuFact(Firmware.Uefi)]
    public void Readme_iso_boots_to_the_efi_marker_under_ovmf()
    {
        Assert.True(_f.ExitCode == 0, _f.Stderr);
        var run = Qemu.BootIso(_f.Iso, Firmware.Uefi, "ESXiImageTools sample EFI", TimeSpan.FromSeconds(60));
        Assert.True(run.MarkerSeen, run.ToString());
    }
}
