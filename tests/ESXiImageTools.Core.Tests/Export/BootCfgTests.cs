using System.IO;
using System.Linq;
using ESXiImageTools.Core.Export;
using ESXiImageTools.TestSupport;
using Xunit;

namespace ESXiImageTools.Core.Tests.Export;

public class BootCfgTests
{
    [CorpusTheory]
    [InlineData("esxi-8.0.0", 101)]
    [InlineData("esxi-7.0.2-hpe", 116)]
    public void Real_boot_cfg_parses_and_round_trips(string folder, int expectedModules)
    {
        var text = File.ReadAllText(Corpus.Path("bootcfg", folder, "boot.cfg"));
        var cfg = BootCfg.Parse(text);
        Assert.Equal("/b.b00", cfg["kernel"]);
        Assert.Equal(expectedModules, cfg.Modules.Count);
        Assert.Equal("/jumpstrt.gz", cfg.Modules[0]);
        Assert.Equal("/imgpayld.tgz", cfg.Modules[cfg.Modules.Count - 1]);
        Assert.Contains("/imgdb.tgz", cfg.Modules);
        // Writing back keeps every key, in order, with the same values.
        var again = BootCfg.Parse(cfg.ToString());
        Assert.Equal(cfg.Keys, again.Keys);
        foreach (var k in cfg.Keys) Assert.Equal(cfg[k], again[k]);
        Assert.Equal(Normalize(text), Normalize(cfg.ToString()));
    }

    private static string Normalize(string s) => string.Join("\n", s.Replace("\r\n", "\n").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0));

    [Fact]
    public void New_keys_follow_the_installer_template_order()
    {
        var cfg = new BootCfg { ["modules"] = "/a.v00", ["kernel"] = "/b.b00", ["title"] = "T", ["updated"] = "0" };
        Assert.Equal(new[] { "title", "kernel", "modules", "updated" }, cfg.Keys);
    }

    [Fact]
    public void Modules_split_on_triple_dash_and_keep_options()
    {
        var mods = BootCfg.SplitModules(" /a.v00 ---/b.b00 opt=1 ---  --- /c.t00");
        Assert.Equal(new[] { "/a.v00", "/b.b00 opt=1", "/c.t00" }, mods);
        Assert.Equal("/b.b00", BootCfg.ModuleFileName(mods[1]));
    }

    [Fact]
    public void Comments_and_unknown_lines_are_preserved()
    {
        var cfg = BootCfg.Parse("# comment\nkernel=/b.b00\nnot a key\nfoo=bar\n");
        var text = cfg.ToString();
        Assert.Contains("# comment", text);
        Assert.Contains("not a key", text);
        Assert.Equal("bar", cfg["foo"]);
        cfg["foo"] = null;
        Assert.DoesNotContain("foo=", cfg.ToString());
    }
}
