using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.Packages;
using Xunit;

namespace ESXiImageTools.Core.Tests.Packages;

public class ArArchiveTests
{
    /// <summary>Builds an ar archive by hand, header field by header field (independent of ArWriter).</summary>
    internal static byte[] RawAr(params (string field, byte[] data)[] members)
    {
        var ms = new MemoryStream();
        var magic = Encoding.ASCII.GetBytes("!<arch>\n");
        ms.Write(magic, 0, magic.Length);
        foreach (var (field, data) in members)
        {
            var h = field.PadRight(16) + "1700000000".PadRight(12) + "1000".PadRight(6) + "1000".PadRight(6) + "100644".PadRight(8) + data.Length.ToString().PadRight(10) + "`\n";
            var hb = Encoding.ASCII.GetBytes(h);
            Assert.Equal(60, hb.Length);
            ms.Write(hb, 0, 60);
            ms.Write(data, 0, data.Length);
            if (data.Length % 2 == 1) ms.WriteByte((byte)'\n');
        }
        return ms.ToArray();
    }

    private static byte[] B(string s) => Encoding.ASCII.GetBytes(s);

    private static List<(string Name, string Data)> ReadAll(Stream s)
    {
        var list = new List<(string, string)>();
        using var r = new ArReader(s, "t.ar");
        while (r.MoveNext())
        {
            using var d = r.OpenCurrent();
            var ms = new MemoryStream();
            d.CopyTo(ms);
            list.Add((r.Current.Name, Encoding.ASCII.GetString(ms.ToArray())));
        }
        return list;
    }

    public static IEnumerable<object[]> Seekability => new[] { new object[] { true }, new object[] { false } };

    [Theory, MemberData(nameof(Seekability))]
    public void ReadsGnuTrailingSlashAndOddPadding(bool seekable)
    {
        var ar = RawAr(("descriptor.xml/", B("<vib/>")), ("sig.pkcs7/", B("")), ("odd/", B("abc")), ("even/", B("wxyz")));
        var got = ReadAll(Wrap(ar, seekable));
        Assert.Equal(new[] { ("descriptor.xml", "<vib/>"), ("sig.pkcs7", ""), ("odd", "abc"), ("even", "wxyz") }, got);
    }

    [Theory, MemberData(nameof(Seekability))]
    public void ReadsGnuLongNameTable(bool seekable)
    {
        var table = B("a-very-long-member-name-1/\nanother-long-member-name/\n");
        var ar = RawAr(("//", table), ("/0", B("one")), ("/27", B("two")), ("short/", B("3")));
        var got = ReadAll(Wrap(ar, seekable));
        Assert.Equal(new[] { ("a-very-long-member-name-1", "one"), ("another-long-member-name", "two"), ("short", "3") }, got);
    }

    [Theory, MemberData(nameof(Seekability))]
    public void ReadsBsdLongNames(bool seekable)
    {
        var name = "bsd-style-long-member-name";
        var data = B(name + "payload!");
        var ar = RawAr(("#1/" + name.Length, data), ("plain", B("x")));
        var got = ReadAll(Wrap(ar, seekable));
        Assert.Equal(new[] { (name, "payload!"), ("plain", "x") }, got);
    }

    [Fact]
    public void SkipsSymbolTable()
    {
        var ar = RawAr(("/", B("\0\0\0\0")), ("m/", B("data")));
        Assert.Equal(new[] { ("m", "data") }, ReadAll(new MemoryStream(ar)));
    }

    [Fact]
    public void ReportsOffsetsOfData()
    {
        var ar = RawAr(("a/", B("abc")), ("b/", B("hello")));
        var index = ArReader.ReadIndex(new MemoryStream(ar), "t.ar");
        Assert.Equal(2, index.Count);
        Assert.Equal(8 + 60, index[0].DataOffset);
        Assert.Equal(3, index[0].Size);
        Assert.Equal(8 + 60 + 4 + 60, index[1].DataOffset);
        Assert.Equal("hello", Encoding.ASCII.GetString(ar, (int)index[1].DataOffset, 5));
    }

    [Fact]
    public void NotAnArchiveIsTyped()
    {
        var e = Assert.Throws<EsxFormatException>(() => ArReader.ReadIndex(new MemoryStream(B("PK\x03\x04 this is a zip")), "x.vib"));
        Assert.Equal(ErrorCodes.NotAnArArchive, e.Code);
        Assert.Contains("x.vib", e.Message);
        e = Assert.Throws<EsxFormatException>(() => ArReader.ReadIndex(new MemoryStream(new byte[0]), "empty.vib"));
        Assert.Equal(ErrorCodes.NotAnArArchive, e.Code);
    }

    [Theory, MemberData(nameof(Seekability))]
    public void TruncatedMemberNamesFileAndMember(bool seekable)
    {
        var ar = RawAr(("descriptor.xml/", B("<vib/>")), ("payload/", new byte[1000]));
        var cut = ar.Take(ar.Length - 400).ToArray();
        var e = Assert.Throws<EsxFormatException>(() => ReadAll(Wrap(cut, seekable)));
        Assert.Equal(ErrorCodes.VibTruncated, e.Code);
        Assert.Equal("payload", e.Member);
        Assert.Contains("t.ar", e.Message);
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void TruncatedHeaderIsTyped()
    {
        var ar = RawAr(("a/", B("ab")), ("b/", B("cd")));
        var cut = ar.Take(ar.Length - 40).ToArray(); // inside b's header
        var e = Assert.Throws<EsxFormatException>(() => ArReader.ReadIndex(new MemoryStream(cut), "t.ar"));
        Assert.Equal(ErrorCodes.VibTruncated, e.Code);
    }

    [Fact]
    public void CorruptHeaderFieldIsTyped()
    {
        var ar = RawAr(("a/", B("ab")));
        Encoding.ASCII.GetBytes("12x4").CopyTo(ar, 8 + 48); // size field
        var e = Assert.Throws<EsxFormatException>(() => ArReader.ReadIndex(new MemoryStream(ar), "t.ar"));
        Assert.Equal(ErrorCodes.VibTruncated, e.Code);
        Assert.Contains("size", e.Message);
    }

    [Fact]
    public void WriterIsDeterministicAndReadable()
    {
        byte[] Write()
        {
            var ms = new MemoryStream();
            using (var w = new ArWriter(ms, leaveOpen: true))
            {
                w.Add("descriptor.xml", B("<vib/>"));
                w.Add("sig.pkcs7", Array.Empty<byte>());
                w.Add("p", B("odd"));
                w.Add("a-name-longer-than-sixteen", B("long"));
            }
            return ms.ToArray();
        }
        var a = Write();
        Assert.Equal(a, Write());
        // Header fields: plain name, mtime 0, uid/gid 0, mode 100644.
        var h = Encoding.ASCII.GetString(a, 8, 60);
        Assert.Equal("descriptor.xml  0           0     0     100644  6         `\n", h);
        Assert.Equal(new[] { ("descriptor.xml", "<vib/>"), ("sig.pkcs7", ""), ("p", "odd"), ("a-name-longer-than-sixteen", "long") }, ReadAll(new MemoryStream(a)));
    }

    [ESXiImageTools.TestSupport.ToolFact("ar")]
    public void WriterOutputIsReadByGnuAr()
    {
        using var dir = new ESXiImageTools.TestSupport.TempDir();
        var path = dir.File("x.ar");
        using (var w = new ArWriter(File.Create(path)))
        {
            w.Add("descriptor.xml", B("<vib/>"));
            w.Add("odd", B("abc"));
        }
        var (code, stdout, _) = ESXiImageTools.TestSupport.ExternalTools.Run("ar", $"t \"{path}\"");
        Assert.Equal(0, code);
        Assert.Equal(new[] { "descriptor.xml", "odd" }, stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    internal static Stream Wrap(byte[] data, bool seekable) => seekable ? new MemoryStream(data) : new ForwardOnlyStream(new MemoryStream(data));
}

/// <summary>A stream that hides seeking, like a zip entry or a download.</summary>
public sealed class ForwardOnlyStream : Stream
{
    private readonly Stream _inner;
    public ForwardOnlyStream(Stream inner) => _inner = inner;
    public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, Math.Min(count, 7919)); // short reads too
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    protected override void Dispose(bool disposing) { if (disposing) _inner.Dispose(); base.Dispose(disposing); }
}
