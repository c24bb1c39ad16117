using System;
using System.IO;
using System.Linq;
using System.Text;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.Packages;
using ESXiImageTools.TestSupport;
using Xunit;

namespace ESXiImageTools.Core.Tests.Packages;

public class VibFileTests
{
    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    private const string Descriptor = "<vib version=\"5.0\"><type>bootbank</type><name>t</name><version>1.0-1</version><vendor>V</vendor>" +
        "<payloads><payload name=\"p1\" type=\"tgz\" size=\"5\"/><payload name=\"p2\" type=\"boot\" size=\"3\"/></payloads></vib>";

    private static byte[] Vib(string descriptor = Descriptor, string sig = "", string p1 = "hello", string p2 = "abc")
        => ArArchiveTests.RawAr(("descriptor.xml/", B(descriptor)), ("sig.pkcs7/", B(sig)), ("p1/", B(p1)), ("p2/", B(p2)));

    private static string ReadPayload(Vib v, string name)
    {
        using var s = v.Content.OpenPayload(v.Payloads.Single(p => p.Name == name));
        return new StreamReader(s).ReadToEnd();
    }

    [Fact]
    public void OpensFileAndReadsPayloadsByOffset()
    {
        using var dir = new TempDir();
        var path = dir.File("t.vib");
        File.WriteAllBytes(path, Vib(sig: "-----BEGIN PKCS7-----"));
        var v = VibFile.Open(path);
        Assert.Equal("V_bootbank_t_1.0-1", v.Id);
        Assert.Equal(path, v.Source);
        Assert.Equal(path, v.Content.Location);
        Assert.True(v.Signed);
        Assert.Equal("hello", ReadPayload(v, "p1"));
        Assert.Equal("abc", ReadPayload(v, "p2"));
        Assert.Equal("abc", ReadPayload(v, "p2")); // reopenable
        using var whole = v.Content.OpenVibFile();
        Assert.Equal(new FileInfo(path).Length, whole.Length);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ReadsFromReopenableStreams(bool seekable)
    {
        var bytes = Vib();
        int opens = 0;
        var v = VibFile.Read(() => { opens++; return ArArchiveTests.Wrap(bytes, seekable); }, "zip:x.zip?t.vib");
        Assert.False(v.Signed);
        Assert.Equal("zip:x.zip?t.vib", v.Source);
        Assert.Equal("abc", ReadPayload(v, "p2"));
        Assert.Equal("hello", ReadPayload(v, "p1"));
        Assert.Equal(3, opens);
    }

    [Fact]
    public void MissingFileIsNotFound()
    {
        var e = Assert.Throws<EsxException>(() => VibFile.Open("/nonexistent/x.vib"));
        Assert.Equal(ErrorCodes.FileNotFound, e.Code);
        Assert.Equal(EsxErrorCategory.ObjectNotFound, e.Category);
    }

    [Fact]
    public void DescriptorMustBeFirst()
    {
        var bytes = ArArchiveTests.RawAr(("sig.pkcs7/", B("")), ("descriptor.xml/", B(Descriptor)));
        var e = Assert.Throws<EsxFormatException>(() => VibFile.Read(() => new MemoryStream(bytes), "x.vib"));
        Assert.Equal(ErrorCodes.VibMissingDescriptor, e.Code);
        Assert.Contains("sig.pkcs7", e.Message);
        bytes = ArArchiveTests.RawAr();
        e = Assert.Throws<EsxFormatException>(() => VibFile.Read(() => new MemoryStream(bytes), "x.vib"));
        Assert.Equal(ErrorCodes.VibMissingDescriptor, e.Code);
    }

    [Fact]
    public void DeclaredPayloadMustExist()
    {
        var bytes = ArArchiveTests.RawAr(("descriptor.xml/", B(Descriptor)), ("sig.pkcs7/", B("")), ("p1/", B("hello")));
        var e = Assert.Throws<EsxFormatException>(() => VibFile.Read(() => new MemoryStream(bytes), "x.vib"));
        Assert.Equal(ErrorCodes.VibPayloadMissing, e.Code);
        Assert.Equal("p2", e.Member);
        Assert.Contains("x.vib [p2]", e.Message);
    }

    [Fact]
    public void DeclaredSizeMustMatch()
    {
        var e = Assert.Throws<EsxFormatException>(() => VibFile.Read(() => new MemoryStream(Vib(p1: "hello!")), "x.vib"));
        Assert.Equal(ErrorCodes.VibSizeMismatch, e.Code);
        Assert.Equal("p1", e.Member);
        Assert.Contains("5 bytes", e.Message);
        Assert.Contains("6 bytes", e.Message);
    }

    [Fact]
    public void BadDescriptorXmlNamesMember()
    {
        var e = Assert.Throws<EsxFormatException>(() => VibFile.Read(() => new MemoryStream(Vib(descriptor: "<vib><name>")), "x.vib"));
        Assert.Equal(ErrorCodes.VibInvalidDescriptor, e.Code);
        Assert.Equal("descriptor.xml", e.Member);
        Assert.StartsWith("x.vib [descriptor.xml]: not well-formed", e.Message);
    }

    [Fact]
    public void NotArIsTyped()
    {
        var e = Assert.Throws<EsxFormatException>(() => VibFile.Read(() => new MemoryStream(B("<vib/>")), "x.vib"));
        Assert.Equal(ErrorCodes.NotAnArArchive, e.Code);
    }

    [CorpusTheory]
    [InlineData("esxcli-nsx-ext/esxcli-nsx-ext.vib", "esxcliext_bootbank_esxcli-nsx-ext_1.0.0-0.0.0")]
    [InlineData("ghettovcb-2015/vghetto-ghettoVCB.vib", "virtuallyGhetto_bootbank_ghettoVCB_1.0.0-0.0.0")]
    [InlineData("opennebula-fw-vnc/v1.0.0/fw-vnc.vib", "OpenNebulaSystems_bootbank_fw-vnc_1.0.0-1")]
    [InlineData("opennebula-fw-vnc/v1.1.0/fw-vnc.vib", "OpenNebulaSystems_bootbank_fw-vnc_1.1.0-1")]
    public void OpensLooseCorpusVibs(string rel, string id)
    {
        var v = VibFile.Open(Corpus.Path(rel.Split('/')));
        Assert.Equal(id, v.Id);
        Assert.False(v.Signed);
        Assert.All(v.Payloads, p => Assert.True(p.Size > 0));
    }

    [CorpusFact]
    public void EsxcliNsxExtQuirksParse()
    {
        var v = VibFile.Open(Corpus.Path("esxcli-nsx-ext", "esxcli-nsx-ext.vib"));
        Assert.Equal(new DateTimeOffset(2025, 2, 15, 7, 55, 20, TimeSpan.Zero).AddTicks(3012170), v.ReleaseDate);
        Assert.Empty(v.CompatibleWith);
        Assert.Empty(v.UnknownElements);
        Assert.Equal(9, v.FileList.Count);
        Assert.Equal("esxcli extensions for NSX networking & security", v.Summary);
        Assert.Equal(3, v.Payloads.Single().Checksums.Count);
    }
}
