using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using ESXiImageTools.Cli;
using ESXiImageTools.TestSupport;
using Xunit;

namespace ESXiImageTools.Cli.Tests;

public class DepotCommandsTests
{
    private static (int Code, string Out, string Err) Cli(params string[] args) => CliRunner.RunHere(args);

    private static string Fling703 => Corpus.Path("usbnic-fling-703", "ESXi703-VMKUSB-NIC-FLING-55634242-component-19849370.zip");

    [CorpusFact]
    public void Packages_table_from_two_depots_with_filters()
    {
        using var tmp = new TempDir();
        var r = Cli("packages", "--depot", Corpus.Path("opennebula-fw-vnc", "v1.0.0", "fw-vnc.zip"), "--depot", Corpus.Path("opennebula-fw-vnc", "v1.1.0", "fw-vnc.zip"),
            "--depot", Fling703, "--cache-dir", tmp.Path);
        Assert.Equal(0, r.Code);
        var lines = r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("Name", lines[0]);
        Assert.Equal(5, lines.Length); // header, rule, 3 packages
        Assert.Contains(lines, l => l.StartsWith("fw-vnc") && l.Contains("1.1.0-1") && l.Contains("OpenNebulaSystems"));
        Assert.Contains(lines, l => l.StartsWith("vmkusb-nic-fling") && l.Contains("VMwareCertified") && l.Contains("2022-05-05"));

        var newest = Cli("packages", "--depot", Corpus.Path("opennebula-fw-vnc", "v1.0.0", "fw-vnc.zip"), "--depot", Corpus.Path("opennebula-fw-vnc", "v1.1.0", "fw-vnc.zip"),
            "--name", "fw-*", "--newest", "--json", "--cache-dir", tmp.Path);
        Assert.Equal(0, newest.Code);
        using var doc = JsonDocument.Parse(newest.Out);
        var only = Assert.Single(doc.RootElement.EnumerateArray());
        Assert.Equal("1.1.0-1", only.GetProperty("version").GetString());
        Assert.Equal("OpenNebulaSystems_bootbank_fw-vnc_1.1.0-1", only.GetProperty("id").GetString());
        Assert.False(only.TryGetProperty("content", out _));

        var since = Cli("packages", "--depot", Fling703, "--since", "2023-01-01", "--json", "--cache-dir", tmp.Path);
        Assert.Equal(0, since.Code);
        Assert.Equal("[]", since.Out.Trim());
        var acc = Cli("packages", "--depot", Fling703, "--acceptance", "community", "--json", "--cache-dir", tmp.Path);
        Assert.Equal("[]", acc.Out.Trim());
        var acc2 = Cli("packages", "--depot", Fling703, "--acceptance", "VMwareCertified", "--vendor", "VMW", "--json", "--cache-dir", tmp.Path);
        Assert.Single(JsonDocument.Parse(acc2.Out).RootElement.EnumerateArray());
    }

    [Fact]
    public void Profiles_table_and_json_from_a_generated_bundle()
    {
        using var tmp = new TempDir();
        var (a, _) = VibFixtures.Build(tmp.File("v"), "esx-base", "7.0.3-0.0.1", "VMware");
        var (b, _) = VibFixtures.Build(tmp.File("v"), "net-foo", "1.0-1", "ACME");
        var bb = new BundleBuilder().AddBuiltVib(a).AddBuiltVib(b);
        bb.AddProfile("ESXi-7.0-x-standard", "VMware, Inc.", bb.VibIds);
        bb.AddProfile("ESXi-7.0-x-no-tools", "VMware, Inc.", bb.VibIds.Take(1).Append("VMware_bootbank_gone_1-1"));
        bb.Write(tmp.File("depot.zip"));

        // Relative --depot paths resolve against the current directory.
        var o = new StringWriter();
        int code = Program.Run(new[] { "profiles", "--depot", "depot.zip", "--cache-dir", tmp.Path }, o, new StringWriter(), default, tmp.Path);
        Assert.Equal(0, code);
        Assert.Contains("ESXi-7.0-x-standard", o.ToString());
        Assert.Contains("1 (+1 missing)", o.ToString());

        // The DepotUrl the PowerShell module prints (zip:<path>?index.xml), absolute or relative.
        foreach (var depotUrl in new[] { "zip:" + tmp.File("depot.zip") + "?index.xml", "zip:depot.zip?index.xml" })
        {
            var u = new StringWriter();
            Assert.Equal(0, Program.Run(new[] { "profiles", "--depot", depotUrl, "--cache-dir", tmp.Path }, u, new StringWriter(), default, tmp.Path));
            Assert.Contains("ESXi-7.0-x-standard", u.ToString());
        }

        var j = new StringWriter();
        Assert.Equal(0, Program.Run(new[] { "profiles", "--depot", tmp.File("depot.zip"), "--name", "*standard", "--json" }, j, new StringWriter()));
        using var doc = JsonDocument.Parse(j.ToString());
        var p = Assert.Single(doc.RootElement.EnumerateArray());
        Assert.Equal("ESXi-7.0-x-standard", p.GetProperty("name").GetString());
        Assert.True(p.GetProperty("readOnly").GetBoolean());
        Assert.Equal(2, p.GetProperty("vibIds").GetArrayLength());
        Assert.Equal("PartnerSupported", p.GetProperty("acceptanceLevel").GetString());
    }

    [Fact]
    public void Errors_map_to_exit_codes()
    {
        using var tmp = new TempDir();
        Assert.Equal(ExitCodes.Usage, Cli("packages").Code);
        Assert.Equal(ExitCodes.Usage, Cli("packages", "--depot", tmp.Path, "--acceptance", "bogus").Code);
        Assert.Equal(ExitCodes.Usage, Cli("packages", "--depot", tmp.Path, "--since", "yesterday-ish").Code);
        var missing = Cli("packages", "--depot", tmp.File("nope.zip"));
        Assert.Equal(ExitCodes.NotFound, missing.Code);
        Assert.Contains("FileNotFound", missing.Err);
        File.WriteAllText(tmp.File("bad.zip"), "PK not really");
        var bad = Cli("profiles", "--depot", tmp.File("bad.zip"));
        Assert.Equal(ExitCodes.InvalidInput, bad.Code);
        Assert.Contains("DepotInvalid", bad.Err);
        var unreachable = Cli("packages", "--depot", $"http://127.0.0.1:{FreePort()}/Zx81Qw7PmT4kLs9VbN2cR6yH/index.xml", "--timeout", "5", "--no-proxy", "--cache-dir", tmp.Path);
        Assert.Equal(ExitCodes.Network, unreachable.Code);
        Assert.DoesNotContain("Zx81Qw7PmT4kLs9VbN2cR6yH", unreachable.Err);
    }

    private static int FreePort()
    {
        var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        l.Start();
        int p = ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return p;
    }
}

public class InspectDepotTests
{
    [CorpusFact]
    public void Inspect_lists_a_component_zip_as_a_depot()
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = Program.Run(new[] { "inspect", Corpus.Path("usbnic-fling-703", "ESXi703-VMKUSB-NIC-FLING-55634242-component-19849370.zip") }, o, e);
        Assert.True(code == 0, e.ToString());
        var text = o.ToString();
        Assert.Contains("OfflineBundle", text);
        Assert.Contains("VMware (VMX)", text);
        Assert.Contains("vmkusb-nic-fling", text);
        Assert.Contains("Components (1):", text);
        Assert.Contains("VMware-vmkusb-nic-fling", text);
    }

    [Fact]
    public void Inspect_json_is_the_depot_object_with_profiles()
    {
        using var tmp = new TempDir();
        var (a, _) = VibFixtures.Build(tmp.File("v"), "esx-base", "7.0.3-0.0.1", "VMware");
        var bb = new BundleBuilder().AddBuiltVib(a);
        bb.AddProfile("P1", "VMware, Inc.", bb.VibIds);
        var folder = tmp.File("folder");
        Directory.CreateDirectory(folder);
        bb.Write(Path.Combine(folder, "depot.zip"));
        var o = new StringWriter();
        Assert.Equal(0, Program.Run(new[] { "inspect", folder, "--json" }, o, new StringWriter()));
        using var doc = JsonDocument.Parse(o.ToString());
        Assert.Equal("Folder", doc.RootElement.GetProperty("kind").GetString());
        Assert.Equal(folder, doc.RootElement.GetProperty("source").GetString());
        Assert.Equal("VMware_bootbank_esx-base_7.0.3-0.0.1", doc.RootElement.GetProperty("packages")[0].GetProperty("id").GetString());
        Assert.Equal("P1", doc.RootElement.GetProperty("profiles")[0].GetProperty("name").GetString());
    }
}
