using System.Collections.Generic;
using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using ESXiImageTools.Cli;
using ESXiImageTools.Cli.Commands;
using ESXiImageTools.Core.Export;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.IO;
using ESXiImageTools.TestSupport;
using Xunit;

namespace ESXiImageTools.Cli.Tests;

/// <summary>
/// Outputs written only where asked, as asked: --force replaces a regular file only, out-of-range dates are usage
/// errors at option parsing, a made output folder is reported (second hostile campaign, items 6, 12, 16).
/// </summary>
public class OutputSafetyTests
{
    private const string Profile = "ESXi-8.0.0-20513097-sample-standard";
    private static string SampleDepot => Path.Combine(RepoRoot.Path, "samples", "depot", "ESXi-8.0.0-sample-depot.zip");
    private static string SampleDriver => Path.Combine(RepoRoot.Path, "samples", "drivers", "ESXiImageTools_bootbank_net-community_1.0.0-1sample.800.vib");

    private static (int Code, string Out, string Err) Cli(params string[] args) => CliRunner.RunHere(args);

    /// <summary>Runs esximage in its own process (environment variables stay out of this test process).</summary>
    internal static (int Code, string Out, string Err) CliProcess(string[] environment, params string[] args)
    {
        var env = new Dictionary<string, string>();
        for (int i = 0; i + 1 < environment.Length; i += 2) env[environment[i]] = environment[i + 1];
        return CliRunner.RunProcess(new[] { CliRunner.DotnetHost, typeof(Program).Assembly.Location }, args, env);
    }

    [Fact]
    public void Every_command_refuses_a_timestamp_after_2107_at_option_parsing()
    {
        using var tmp = new TempDir();
        var tree = Directory.CreateDirectory(tmp.File("tree")).FullName;
        File.WriteAllText(Path.Combine(tree, "a.txt"), "a");
        const string late = "4354819200"; // 2108-01-01
        var runs = new[]
        {
            Cli("build", "--depot", SampleDepot, "--profile", Profile, "--trust-cert", TestSigning.SampleCertificateFile, "--bundle", tmp.File("b.zip"), "--timestamp", late),
            Cli("build", "--depot", SampleDepot, "--profile", Profile, "--trust-cert", TestSigning.SampleCertificateFile, "--iso", tmp.File("b.iso"), "--timestamp", late),
            Cli("customize", "--source", SampleDepot, "--out", tmp.File("c.zip"), "--timestamp", late),
            Cli("vib", "new", "--from", tree, "--name", "x", "--version", "1.0-1", "--vendor", "v", "--out", tmp.File("x.vib"), "--release-date", late),
            Cli("bundle", "new", "--vib", SampleDriver, "--out", tmp.File("d.zip"), "--timestamp", late),
        };
        foreach (var r in runs)
        {
            Assert.True(ExitCodes.Usage == r.Code, r.Err);
            Assert.Contains(late, r.Err);
            Assert.Contains("2107-12-31", r.Err);
            Assert.DoesNotContain("InternalError", r.Err);
        }
        Assert.Empty(Directory.GetFiles(tmp.Path));
        // An ISO records dates to 2155: iso-create takes 2108 and refuses 2156.
        Assert.Equal(0, Cli("iso-create", tree, "--out", tmp.File("t.iso"), "--timestamp", late).Code);
        var r2 = Cli("iso-create", tree, "--out", tmp.File("u.iso"), "--timestamp", "5900000000");
        Assert.Equal(ExitCodes.Usage, r2.Code);
        Assert.Contains("2155", r2.Err);
    }

    /// <summary>
    /// Every command that writes an output refuses an existing one through the engine's one destination check: one
    /// code, one wording, the CLI's hint, exit 6, and the file untouched (the cmdlets: Pester Workflow.Tests 'Export').
    /// </summary>
    [Fact]
    public void Every_command_refuses_an_existing_output_in_one_wording()
    {
        using var tmp = new TempDir();
        var tree = Directory.CreateDirectory(tmp.File("tree")).FullName;
        File.WriteAllText(Path.Combine(tree, "a.txt"), "a");
        var file = tmp.File("taken.iso");
        File.WriteAllText(file, "keep");
        var folder = Directory.CreateDirectory(tmp.File("taken-pxe")).FullName;
        var build = new[] { "build", "--depot", SampleDepot, "--profile", Profile, "--trust-cert", TestSigning.SampleCertificateFile, "--json" };
        var runs = new (string Path, string[] Args)[]
        {
            (file, build.Concat(new[] { "--iso", file }).ToArray()),
            (file, build.Concat(new[] { "--bundle", file }).ToArray()),
            (folder, build.Concat(new[] { "--pxe", folder }).ToArray()),
            (file, new[] { "customize", "--source", SampleDepot, "--add", SampleDriver, "--out", file }),
            (file, new[] { "bundle", "new", "--vib", SampleDriver, "--out", file }),
            (file, new[] { "vib", "new", "--from", tree, "--name", "x", "--version", "1.0-1", "--vendor", "v", "--out", file }),
            (file, new[] { "iso-create", tree, "--out", file }),
        };
        foreach (var (path, args) in runs)
        {
            var r = Cli(args);
            Assert.True(ExitCodes.OutputFailed == r.Code, args[0] + ": " + r.Err);
            Assert.Equal($"esximage: {ErrorCodes.ExportDestinationExists}: '{path}' already exists (use --force to replace it)", r.Err.TrimEnd('\n').Split('\n').Last());
        }
        Assert.Equal("keep", File.ReadAllText(file));
        Assert.Empty(Directory.GetFileSystemEntries(folder));
    }

    /// <summary>build and customize map their shared options through one function onto the engine's one export request.</summary>
    [Fact]
    public void Build_and_customize_ask_the_same_of_the_export_for_the_same_options()
    {
        var shared = new[] { "--force", "--no-signature-check", "--no-sync", "--timestamp", "1700000000", "--trust-cert", TestSigning.SampleCertificateFile };
        var context = new CliContext(TextWriter.Null, TextWriter.Null, default, RepoRoot.Path);
        ExportRequest Request(ICliOptions command) =>
            ExportArguments.Request(CliArguments.Parse(shared, command.ValueOptions, command.Flags), context, "/out/x.iso");
        var build = Request(new BuildCommand());
        var customize = Request(new CustomizeCommand());
        Assert.NotNull(build.TrustStore);
        Assert.Equal(build with { TrustStore = null }, customize with { TrustStore = null });
        Assert.Equal(new ExportRequest
        {
            Destination = "/out/x.iso", Overwrite = true, AllowInvalidProfile = true, NoSignatureCheck = true, FlushToDisk = false,
            Timestamp = DateTimeOffset.FromUnixTimeSeconds(1700000000),
        }, build with { TrustStore = null });
        // Nothing asked: the engine's defaults (no overwrite, validation and signature checks on, flushed, timestamp from the environment).
        var none = ExportArguments.Request(CliArguments.Parse(Array.Empty<string>(), new[] { "timestamp" }, new[] { "force" }), context, "/out/x.iso");
        Assert.Equal(new ExportRequest { Destination = "/out/x.iso" }, none with { TrustStore = null });
    }

    [Fact]
    public void A_SOURCE_DATE_EPOCH_after_2107_is_a_clear_range_error_naming_it()
    {
        using var tmp = new TempDir();
        var r = CliProcess(new[] { "SOURCE_DATE_EPOCH", "4354819200" },
            "build", "--depot", SampleDepot, "--profile", Profile, "--trust-cert", TestSigning.SampleCertificateFile, "--bundle", tmp.File("b.zip"));
        Assert.True(ExitCodes.Usage == r.Code, r.Err);
        Assert.Contains(ErrorCodes.TimestampOutOfRange, r.Err);
        Assert.Contains("SOURCE_DATE_EPOCH 4354819200", r.Err);
        Assert.False(File.Exists(tmp.File("b.zip")));
    }

    [Fact]
    public void A_malformed_SOURCE_DATE_EPOCH_is_a_usage_error_before_any_depot_is_read()
    {
        using var tmp = new TempDir();
        // The depot does not exist: were it read first, the error would be a missing file (exit 4), not a usage error.
        var r = CliProcess(new[] { "SOURCE_DATE_EPOCH", "yesterday" },
            "build", "--depot", tmp.File("absent.zip"), "--profile", Profile, "--bundle", tmp.File("b.zip"));
        Assert.True(ExitCodes.Usage == r.Code, r.Err);
        Assert.Contains(ErrorCodes.TimestampInvalid, r.Err);
        Assert.Contains("SOURCE_DATE_EPOCH 'yesterday'", r.Err);
        Assert.False(File.Exists(tmp.File("b.zip")));
    }

    [Fact]
    public void Build_refuses_an_existing_output_before_any_depot_is_read()
    {
        using var tmp = new TempDir();
        File.WriteAllText(tmp.File("old.iso"), "keep");
        Directory.CreateDirectory(tmp.File("pxe"));
        // The depot does not exist: were it read first, the error would be a missing file (exit 4).
        foreach (var output in new[] { new[] { "--iso", tmp.File("old.iso") }, new[] { "--pxe", tmp.File("pxe") } })
        {
            var r = CliRunner.RunHere(new[] { "build", "--depot", tmp.File("absent.zip"), "--profile", Profile }.Concat(output).ToArray());
            Assert.True(ExitCodes.OutputFailed == r.Code, r.Err);
            Assert.Contains(ErrorCodes.ExportDestinationExists, r.Err);
        }
        Assert.Equal("keep", File.ReadAllText(tmp.File("old.iso")));
        // A missing parent folder is not refused early: build makes it (and here then finds no depot).
        var deep = CliRunner.RunHere("build", "--depot", tmp.File("absent.zip"), "--profile", Profile, "--iso", tmp.File("new/sub/x.iso"));
        Assert.True(ExitCodes.NotFound == deep.Code, deep.Err);
    }

    [ToolFact("mkfifo")]
    public void Force_never_replaces_a_device_fifo_or_symbolic_link()
    {
        using var tmp = new TempDir();
        File.WriteAllText(tmp.File("real.zip"), "keep");
        HostileFiles.Symlink(tmp.File("link.zip"), tmp.File("real.zip"));
        HostileFiles.Fifo(tmp.File("pipe.iso"));
        foreach (var (dest, kind) in new[] { ("/dev/null", "character device"), (tmp.File("link.zip"), "symbolic link"), (tmp.File("pipe.iso"), "FIFO") })
        {
            var flag = dest.EndsWith(".iso", StringComparison.Ordinal) || dest == "/dev/null" ? "--iso" : "--bundle";
            var r = Cli("build", "--depot", SampleDepot, "--profile", Profile, "--trust-cert", TestSigning.SampleCertificateFile, flag, dest, "--force", "--timestamp", "1700000000");
            Assert.True(ExitCodes.OutputFailed == r.Code, r.Err);
            Assert.Contains(ErrorCodes.ExportDestinationNotAFile, r.Err);
            Assert.Contains(kind, r.Err);
        }
        Assert.Equal(FileKindType.CharacterDevice, FileKind.Of("/dev/null"));
        Assert.Equal(FileKindType.SymbolicLink, FileKind.Of(tmp.File("link.zip")));
        Assert.Equal(FileKindType.Fifo, FileKind.Of(tmp.File("pipe.iso")));
        Assert.Equal("keep", File.ReadAllText(tmp.File("real.zip")));

        var v = Cli("vib", "new", "--from", SampleDriver, "--name", "x", "--version", "1.0-1", "--vendor", "v", "--out", tmp.File("link.zip"), "--force");
        Assert.True(ExitCodes.OutputFailed == v.Code || ExitCodes.InvalidInput == v.Code, v.Err);
        Assert.Equal(FileKindType.SymbolicLink, FileKind.Of(tmp.File("link.zip")));
    }

    [Fact]
    public void A_249_character_output_name_is_written_and_a_made_output_folder_is_reported()
    {
        using var tmp = new TempDir();
        var name = new string('b', 245) + ".zip";
        var r = Cli("build", "--depot", SampleDepot, "--profile", Profile, "--trust-cert", TestSigning.SampleCertificateFile, "--bundle", tmp.File(name), "--timestamp", "1700000000");
        Assert.True(r.Code == 0, r.Err);
        Assert.True(File.Exists(tmp.File(name)));

        var nested = Path.Combine(tmp.Path, "new", "folder", "out.zip");
        var r2 = Cli("build", "--depot", SampleDepot, "--profile", Profile, "--trust-cert", TestSigning.SampleCertificateFile, "--bundle", nested, "--timestamp", "1700000000");
        Assert.True(r2.Code == 0, r2.Err);
        Assert.Contains("created the folder '" + Path.GetDirectoryName(nested) + "'", r2.Err);
        Assert.True(File.Exists(nested));
    }
}
