using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using ESXiImageTools.Core.Depots;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.TestSupport;
using Xunit;

namespace ESXiImageTools.Core.Tests.Depots;

/// <summary>Hostile zips: corrupt root entries, control characters in names, duplicate entries.</summary>
public class HostileZipTests
{
    private static string WriteBundle(TempDir d, Action<BundleBuilder> extra = null)
    {
        var (vibPath, _) = VibFixtures.Build(d.Path, "net-hostile", "1.0.0-1");
        var b = new BundleBuilder().AddBuiltVib(vibPath, "vib20/net-hostile/net-hostile.vib");
        extra?.Invoke(b);
        var zip = d.File("bundle.zip");
        b.Write(zip);
        return zip;
    }

    /// <summary>Overwrites the start of an entry's deflate data with a reserved block type (BTYPE 11).</summary>
    internal static void CorruptDeflate(string zipPath, string entryName)
    {
        var bytes = File.ReadAllBytes(zipPath);
        var name = Encoding.UTF8.GetBytes(entryName);
        for (int i = 0; i + 30 + name.Length < bytes.Length; i++)
        {
            if (bytes[i] != 0x50 || bytes[i + 1] != 0x4b || bytes[i + 2] != 3 || bytes[i + 3] != 4) continue;
            int nameLen = BitConverter.ToUInt16(bytes, i + 26), extraLen = BitConverter.ToUInt16(bytes, i + 28);
            if (nameLen != name.Length || !bytes.Skip(i + 30).Take(nameLen).SequenceEqual(name)) continue;
            Assert.Equal(8, BitConverter.ToUInt16(bytes, i + 8)); // deflated
            int data = i + 30 + nameLen + extraLen;
            for (int k = 0; k < 4; k++) bytes[data + k] = 0xff;
            File.WriteAllBytes(zipPath, bytes);
            return;
        }
        throw new InvalidOperationException("entry not found: " + entryName);
    }

    [TheoryExceptOnMono(MonoDefect.DeflateIOException)]
    [InlineData("index.xml")]
    [InlineData("vendor-index.xml")]
    [InlineData("metadata.zip")]
    public void Corrupt_deflate_in_a_root_entry_is_DepotInvalid_naming_the_entry(string entry)
    {
        using var d = new TempDir();
        var zip = WriteBundle(d);
        CorruptDeflate(zip, entry);
        var e = Assert.IsAssignableFrom<EsxFormatException>(Record.Exception(() => DepotReader.Open(zip)));
        Assert.Equal(ErrorCodes.DepotInvalid, e.Code);
        Assert.Contains(entry, e.Message);
    }

    [Theory]
    [InlineData("index.xml", "index.xml")]
    [InlineData("index.xml", "INDEX.xml")]
    [InlineData("vib20/net-hostile/net-hostile.vib", "vib20/net-hostile/net-hostile.vib")]
    public void Duplicate_entries_are_refused_as_unsafe(string first, string second)
    {
        using var d = new TempDir();
        var zip = WriteBundle(d, b => b.AddEntry(second, Encoding.UTF8.GetBytes("<vendorList/>")));
        var e = Assert.IsAssignableFrom<EsxException>(Record.Exception(() => DepotReader.Open(zip)));
        Assert.Equal(ErrorCodes.DepotUnsafeEntry, e.Code);
        Assert.Contains(first == second ? "twice" : "case", e.Message);
    }

    [Theory]
    [InlineData("evil\0name.xml", "U+0000")]
    [InlineData("evil\u001b[31mred.xml", "U+001B")]
    public void Control_characters_in_entry_names_are_named_and_escaped_in_the_message(string entry, string named)
    {
        using var d = new TempDir();
        var zip = WriteBundle(d, b => b.AddEntry(entry, new byte[] { 1 }));
        var e = Assert.IsAssignableFrom<EsxException>(Record.Exception(() => DepotReader.Open(zip)));
        Assert.Equal(ErrorCodes.DepotUnsafeEntry, e.Code);
        Assert.Contains(named, e.Message);
        Assert.DoesNotContain("absolute path", e.Message);
        Assert.DoesNotContain(e.Message, char.IsControl);
    }
}
