using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using ESXiImageTools.Core.Depots;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.IO;
using ESXiImageTools.Core.Packages;
using ESXiImageTools.TestSupport;
using Xunit;
using static ESXiImageTools.Cli.Tests.CliRunner;

namespace ESXiImageTools.Cli.Tests;

/// <summary><c>vib new</c> and <c>bundle new</c> through <see cref="Program.Run"/>.</summary>
public class AuthoringCommandsTests
{
    private static readonly DateTimeOffset Stamp = new(2024, 5, 6, 7, 8, 9, TimeSpan.Zero);

    /// <summary>An OEM.tgz with the three files of a community NIC driver.</summary>
    private static string OemTgz(TempDir tmp, string name = "r8999-OEM.tgz", string extraPath = null)
    {
        var path = tmp.File(name);
        using var fs = File.Create(path);
        using var tar = new TarGzWriter(fs, Stamp);
        tar.AddFile("usr/lib/vmware/vmkmod/r8999", new byte[4000]);
        tar.AddFile("etc/vmware/driver.map.d/r8999.map", System.Text.Encoding.ASCII.GetBytes("regtype=native,bus=pci,id=10ec:8999,driver=r8999\n"));
        tar.AddFile("usr/share/hwdata/driver.pciids.d/r8999.ids", System.Text.Encoding.ASCII.GetBytes("10ec  Realtek\n\t8999  RTL8999\n"));
        if (extraPath != null) tar.AddFile(extraPath, new byte[] { 1 });
        return path;
    }

    [Fact]
    public void Vib_new_writes_a_vib_from_an_oem_tgz()
    {
        using var tmp = new TempDir();
        var oem = OemTgz(tmp);
        var r = Run(tmp.Path, "vib", "new", "--from", oem, "--name", "net-r8999", "--version", "1.0.0-1OEM.700", "--vendor", "Realtek",
                    "--summary", "RTL8999, a fictional NIC", "--depends", "vmkapi_2_2_0_0", "--tag", "driver,module", "--release-date",
                    Stamp.ToUnixTimeSeconds().ToString(), "--out", "out/net-r8999.vib", "--json");
        // out/ did not exist: it is made, and said (a mistyped folder does not pass unnoticed).
        Assert.Equal((0, $"esximage: created the folder '{tmp.File("out")}' for the output"), (r.Code, r.Err.TrimEnd()));
        using var doc = JsonDocument.Parse(r.Out);
        Assert.Equal("Realtek_bootbank_net-r8999_1.0.0-1OEM.700", doc.RootElement.GetProperty("id").GetString());
        Assert.Equal(3, doc.RootElement.GetProperty("files").GetArrayLength());
        var vib = VibFile.Open(tmp.File("out/net-r8999.vib"));
        Assert.Equal(AcceptanceLevel.CommunitySupported, vib.AcceptanceLevel);
        Assert.Equal("RTL8999, a fictional NIC", vib.Summary);
        Assert.Equal(new[] { "driver", "module" }, vib.Tags);
        Assert.Equal("vmkapi_2_2_0_0", Assert.Single(vib.Depends).ToString());
        Assert.Equal(Stamp, vib.ReleaseDate);
        VibVerifier.VerifyAll(vib);
    }

    [Fact]
    public void Vib_new_warns_refuses_and_reports_usage_errors_with_documented_codes()
    {
        using var tmp = new TempDir();
        var odd = OemTgz(tmp, "odd.tgz", extraPath: "sbin/helper");
        var r = Run(tmp.Path, "vib", "new", "--from", odd, "--name", "x", "--version", "1-1", "--vendor", "V", "--out", "x.vib");
        Assert.Equal(0, r.Code);
        Assert.Contains("warning: 'sbin/helper' lies in the host's own system files", r.Err);

        File.WriteAllBytes(tmp.File("evil.tar"), EvilTar());
        r = Run(tmp.Path, "vib", "new", "--from", "evil.tar", "--name", "x", "--version", "1-1", "--vendor", "V", "--out", "evil.vib");
        Assert.Equal(ExitCodes.InvalidInput, r.Code);
        Assert.StartsWith("esximage: PackageSourceUnsafePath: " + tmp.File("evil.tar"), r.Err);
        Assert.DoesNotContain("   at ", r.Err);
        Assert.False(File.Exists(tmp.File("evil.vib")));

        Assert.Equal(ExitCodes.OutputFailed, Run(tmp.Path, "vib", "new", "--from", odd, "--name", "x", "--version", "1-1", "--vendor", "V", "--out", "x.vib").Code);
        Assert.Equal(ExitCodes.Usage, Run(tmp.Path, "vib", "new", "--from", odd, "--version", "1-1", "--vendor", "V", "--out", "y.vib").Code);
        Assert.Equal(ExitCodes.Usage, Run(tmp.Path, "vib", "old").Code);
        Assert.Equal(ExitCodes.Usage, Run(tmp.Path, "vib", "new", "--from", odd, "--name", "x", "--version", "1-1", "--vendor", "V", "--out", "z.vib", "--acceptance", "trusted").Code);
        Assert.Equal(ExitCodes.Usage, Run(tmp.Path, "vib", "new", "--from", odd, "--name", "x y", "--version", "1-1", "--vendor", "V", "--out", "z.vib").Code);
        Assert.Equal(ExitCodes.NotFound, Run(tmp.Path, "vib", "new", "--from", "missing.tgz", "--name", "x", "--version", "1-1", "--vendor", "V", "--out", "z.vib").Code);
        Assert.False(File.Exists(tmp.File("z.vib")));
    }

    /// <summary>A tar whose second member climbs out of the root (written byte by byte: our writer would never emit it).</summary>
    private static byte[] EvilTar()
    {
        var ms = new MemoryStream();
        foreach (var name in new[] { "etc/ok", "../../../tmp/evil" })
        {
            var h = new byte[512];
            System.Text.Encoding.ASCII.GetBytes(name).CopyTo(h, 0);
            System.Text.Encoding.ASCII.GetBytes("0000644\0").CopyTo(h, 100);
            System.Text.Encoding.ASCII.GetBytes("00000000001\0").CopyTo(h, 124);
            System.Text.Encoding.ASCII.GetBytes("00000000000\0").CopyTo(h, 136);
            h[156] = (byte)'0';
            System.Text.Encoding.ASCII.GetBytes("ustar\000").CopyTo(h, 257);
            for (int i = 148; i < 156; i++) h[i] = (byte)' ';
            System.Text.Encoding.ASCII.GetBytes(Convert.ToString(h.Sum(b => (long)b), 8).PadLeft(6, '0') + "\0 ").CopyTo(h, 148);
            ms.Write(h);
            var data = new byte[512];
            data[0] = 7;
            ms.Write(data);
        }
        ms.Write(new byte[1024]);
        return ms.ToArray();
    }

    [Fact]
    public void Bundle_new_puts_vibs_into_a_bundle_that_opens_as_a_depot()
    {
        using var tmp = new TempDir();
        var (a, _) = VibFixtures.Build(tmp.File("v"), "net-a", "1.0-1", "Contoso", AcceptanceLevel.CommunitySupported);
        var (b, _) = VibFixtures.Build(tmp.File("v"), "net-b", "2.0-1", "Contoso", AcceptanceLevel.CommunitySupported);
        var r = Run(tmp.Path, "bundle", "new", "--vib", a, b, "--out", "drivers.zip", "--vendor-code", "CTS", "--timestamp", Stamp.ToUnixTimeSeconds().ToString());
        Assert.True(r.Code == 0, r.Err);
        Assert.Contains("2 VIB(s)", r.Out);
        var depot = DepotReader.Open(tmp.File("drivers.zip"));
        Assert.Equal(new[] { "Contoso_bootbank_net-a_1.0-1", "Contoso_bootbank_net-b_2.0-1" }, depot.Packages.Select(p => p.Id).OrderBy(x => x));
        Assert.All(depot.Packages, p => Assert.True(VibVerifier.VerifyVibFile(p)));

        Assert.Equal(ExitCodes.OutputFailed, Run(tmp.Path, "bundle", "new", "--vib", a, "--out", "drivers.zip").Code);
        Assert.Equal(ExitCodes.Success, Run(tmp.Path, "bundle", "new", "--vib", a, "--out", "drivers.zip", "--force").Code);
        Assert.Equal(ExitCodes.Usage, Run(tmp.Path, "bundle", "new", "--out", "none.zip").Code);
        Assert.Equal(ExitCodes.NotFound, Run(tmp.Path, "bundle", "new", "--vib", "missing.vib", "--out", "none.zip").Code);
        Assert.False(File.Exists(tmp.File("none.zip")));
        // A vendor code vLCM would refuse is a usage error before the output folder is made.
        var code = Run(tmp.Path, "bundle", "new", "--vib", a, "--out", "new/drivers.zip", "--vendor-code", "TOOLONG!");
        Assert.True(code.Code == ExitCodes.Usage, code.Err);
        Assert.Contains(ErrorCodes.BundleVendorCodeInvalid, code.Err);
        Assert.False(Directory.Exists(tmp.File("new")));
    }

    [Fact]
    public void A_malformed_SOURCE_DATE_EPOCH_stops_bundle_new_and_vib_new_before_their_output_folder_is_made()
    {
        using var tmp = new TempDir();
        var (a, _) = VibFixtures.Build(tmp.File("v"), "net-a", "1.0-1", "Contoso", AcceptanceLevel.CommunitySupported);
        Directory.CreateDirectory(tmp.File("tree/etc"));
        File.WriteAllText(tmp.File("tree/etc/a.conf"), "a");
        foreach (var args in new[]
        {
            new[] { "bundle", "new", "--vib", a, "--out", tmp.File("b/drivers.zip") },
            new[] { "vib", "new", "--from", tmp.File("tree"), "--name", "x", "--version", "1.0-1", "--vendor", "v", "--out", tmp.File("c/x.vib") },
        })
        {
            var r = OutputSafetyTests.CliProcess(new[] { "SOURCE_DATE_EPOCH", "abc" }, args);
            Assert.True(r.Code == ExitCodes.Usage, r.Err);
            Assert.Contains(ErrorCodes.TimestampInvalid, r.Err);
        }
        Assert.False(Directory.Exists(tmp.File("b")));
        Assert.False(Directory.Exists(tmp.File("c")));
    }

    [Fact]
    public void Bundle_new_refuses_a_vib_whose_payload_does_not_match_its_checksum_and_leaves_nothing()
    {
        using var tmp = new TempDir();
        var (good, _) = VibFixtures.Build(tmp.File("v"), "net-a", "1.0-1", "Contoso", AcceptanceLevel.CommunitySupported);
        var bytes = File.ReadAllBytes(good);
        bytes[^20] ^= 0xFF;                                                        // inside the payload, the last member
        File.WriteAllBytes(tmp.File("bad.vib"), bytes);
        var r = Run(tmp.Path, "bundle", "new", "--vib", "bad.vib", "--out", "bad.zip");
        Assert.Equal(ExitCodes.InvalidInput, r.Code);
        Assert.StartsWith("esximage: VibChecksumMismatch: ", r.Err);
        Assert.Empty(Directory.GetFiles(tmp.Path, "*bad.zip*"));                  // neither the zip nor a temporary file
    }

    [CorpusFact]
    public void Bundle_new_from_a_vib_author_vib_and_verify_accepts_it()
    {
        using var tmp = new TempDir();
        var r = Run(tmp.Path, "bundle", "new", Corpus.Path("ghettovcb-2015", "vghetto-ghettoVCB.vib"), "--out", "ghetto.zip");
        Assert.True(r.Code == 0, r.Err);
        Assert.Equal("virtuallyGhetto_bootbank_ghettoVCB_1.0.0-0.0.0", Assert.Single(DepotReader.Open(tmp.File("ghetto.zip")).Packages).Id);
        var v = Run(tmp.Path, "verify", "ghetto.zip");
        Assert.True(v.Code == 0, v.Out + v.Err);
        Assert.Contains("ok      checksums: 1 payloads of 1 VIBs and every .vib file verified", v.Out);
    }
}
