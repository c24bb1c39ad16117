using System;
using System.IO;
using System.Text.Json;
using ESXiImageTools.Core.Export;
using ESXiImageTools.Core.Iso;
using ESXiImageTools.TestSupport;
using Xunit;
using static ESXiImageTools.Cli.Tests.CliRunner;

namespace ESXiImageTools.Cli.Tests;

public class VerifyCommandTests
{
    [Fact]
    public void Verify_exits_0_on_a_good_iso_1_on_a_damaged_one_and_3_on_junk()
    {
        using var tmp = new TempDir();
        var fx = EsxImageFixture.Create(tmp.File("src"));
        var iso = tmp.File("esxi.iso");
        IsoExporter.Export(fx.Profile, new IsoExportOptions { Destination = iso, Timestamp = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero) });
        var ok = Run(tmp.Path, "verify", "esxi.iso");
        Assert.True(ok.Code == 0, ok.Out + ok.Err);
        Assert.Contains("ok      El Torito BIOS entry", ok.Out);
        Assert.Contains("no problems found", ok.Out);

        var bytes = File.ReadAllBytes(iso);
        using (var r = IsoReader.Open(iso)) bytes[(long)((IsoFileEntry)r.Find("IMGDB.TGZ")).Lba * 2048 + 40] ^= 0x55;
        File.WriteAllBytes(tmp.File("bad.iso"), bytes);
        var bad = Run(tmp.Path, "verify", "bad.iso", "--json");
        Assert.Equal(ExitCodes.ProblemsFound, bad.Code);
        using var doc = JsonDocument.Parse(bad.Out);
        Assert.False(doc.RootElement.GetProperty("valid").GetBoolean());
        Assert.Equal("ImageDatabase", doc.RootElement.GetProperty("problems")[0].GetProperty("check").GetString());

        File.WriteAllText(tmp.File("junk.iso"), "junk");
        Assert.Equal(ExitCodes.InvalidInput, Run(tmp.Path, "verify", "junk.iso").Code);
        Assert.Equal(ExitCodes.NotFound, Run(tmp.Path, "verify", "none.iso").Code);
        Assert.Equal(ExitCodes.Usage, Run(tmp.Path, "verify").Code);
    }
}
