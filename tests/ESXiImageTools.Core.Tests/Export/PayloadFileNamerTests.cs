using System.Collections.Generic;
using System.Linq;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.Export;
using ESXiImageTools.Core.Packages;
using Xunit;

namespace ESXiImageTools.Core.Tests.Export;

public class PayloadFileNamerTests
{
    private static Vib Pkg(string name, params Payload[] payloads) => new Vib
    {
        Name = name, Vendor = "V", Version = VibVersion.Parse("1.0-1"), Payloads = payloads,
    };

    private static Payload P(string name, string type, int? bootOrder = null, string vfat = null)
        => new Payload { Name = name, Type = type, Size = 1, BootOrder = bootOrder, VfatName = vfat };

    [Fact]
    public void Names_are_truncated_typed_and_counted_on_collision()
    {
        var files = PayloadFileNamer.Assign(new[]
        {
            Pkg("esx-base", P("b", "boot", 1), P("s", "vgz"), P("jumpstrt", "boot", 2, "jumpstrt.gz")),
            Pkg("lsi-msgpt2", P("lsi_msgpt2", "vgz")),
            Pkg("lsi-msgpt3", P("lsi_msgpt3", "vgz")),
            Pkg("tools-light", P("tools", "tgz")),
            Pkg("elx", P("elx-esx-libelxima", "vgz")),
        }, new[] { "imgdb.tgz" });
        // BOOT.CFG order: boot-order first, then by VIB id (V_bootbank_elx < V_bootbank_esx-base < V_bootbank_lsi-...).
        Assert.Equal(new[] { "b.b00", "jumpstrt.gz", "elx_esx_.v00", "s.v00", "lsi_msgp.v00", "lsi_msgp.v01", "tools.t00" },
            files.Select(f => f.FileName));
        Assert.Equal("LSI_MSGP.V01", files[5].IsoName);
        Assert.All(files, f => Assert.True(PayloadFileNamer.IsValid83(f.FileName)));
    }

    [Fact]
    public void Reserved_names_are_skipped()
    {
        var files = PayloadFileNamer.Assign(new[] { Pkg("x", P("imgdb", "tgz")) }, new[] { "IMGDB.T00" });
        Assert.Equal("imgdb.t01", files[0].FileName);
    }

    [Fact]
    public void A_vfatname_that_collides_or_is_not_8_3_is_an_error()
    {
        Assert.Throws<EsxException>(() => PayloadFileNamer.Assign(new[] { Pkg("x", P("a", "vgz", vfat: "toolongname.v00")) }, new string[0]));
        var e = Assert.Throws<EsxException>(() => PayloadFileNamer.Assign(new[] { Pkg("x", P("a", "vgz", vfat: "imgdb.tgz")) }, new[] { "imgdb.tgz" }));
        Assert.Equal(ErrorCodes.IsoLayoutInvalid, e.Code);
    }

    [Fact]
    public void Boot_config_puts_kernel_first_then_boot_modules_by_order_then_the_rest()
    {
        var files = PayloadFileNamer.Assign(new[]
        {
            Pkg("esx-base", P("s", "vgz"), P("k", "boot", 3), P("b", "boot", 1), P("jumpstrt", "boot", 2, "jumpstrt.gz")),
            Pkg("drv", P("drv", "vgz")),
            Pkg("tools-light", P("tools", "tgz")),
            Pkg("upg", P("upgrade", "upgrade")),
        }, new[] { "imgdb.tgz" });
        var cfg = EsxBootConfig.Build(files, new[] { "IMGDB.TGZ" }, "Loading ESXi installer", "8.0.0-1.0.1");
        Assert.Equal("/b.b00", cfg["kernel"]);
        // The upgrade payload is no module; after the boot-order payloads the rest go by VIB id (V_bootbank_drv first).
        Assert.Equal(new[] { "/jumpstrt.gz", "/k.b00", "/drv.v00", "/s.v00", "/tools.t00", "/imgdb.tgz" }, cfg.Modules);
        Assert.DoesNotContain(files, f => f.Payload.Type == "upgrade");
        Assert.Equal(new[] { "bootstate", "title", "timeout", "prefix", "kernel", "kernelopt", "modules", "build", "updated" }, cfg.Keys);
    }

    [Fact]
    public void No_boot_payload_means_no_kernel_and_a_clear_error()
    {
        var files = PayloadFileNamer.Assign(new[] { Pkg("drv", P("drv", "vgz")) }, new string[0]);
        var e = Assert.Throws<EsxException>(() => EsxBootConfig.Build(files, new string[0], "t", "b"));
        Assert.Equal(ErrorCodes.ExportBootFileMissing, e.Code);
        Assert.Contains("esx-base", e.Message);
    }
}
