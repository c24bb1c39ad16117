using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using ESXiImageTools.Core.IO;
using ESXiImageTools.Core.Packages;
using Xunit;

namespace ESXiImageTools.Core.Tests.IO;

public class DeterministicGZipStreamTests
{
    private static byte[] Gunzip(byte[] gz)
    {
        using var d = new GZipStream(new MemoryStream(gz), CompressionMode.Decompress);
        var ms = new MemoryStream();
        d.CopyTo(ms);
        return ms.ToArray();
    }

    [Fact]
    public void Header_has_no_timestamp_and_the_member_gunzips_with_an_independent_reader()
    {
        var data = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 5000).Select(i => (i * 7919 % 1000).ToString())));
        var gz = DeterministicGZipStream.Compress(data);
        Assert.Equal(new byte[] { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff }, gz.Take(10).ToArray());
        Assert.True(gz.Length < data.Length);
        Assert.Equal(data, Gunzip(gz));                                            // System.IO.Compression checks CRC and size
        Assert.Equal((uint)data.Length, BitConverter.ToUInt32(gz, gz.Length - 4));  // ISIZE trailer
    }

    [Fact]
    public void Empty_input_is_a_valid_member()
        => Assert.Empty(Gunzip(DeterministicGZipStream.Compress(Array.Empty<byte>())));

    [Fact]
    public void Vgz_payloads_carry_no_gzip_timestamp()
    {
        // SharpZipLib's GZipOutputStream wrote the current time here, so equal archives built a second apart differed.
        var vgz = VmTar.Build(new[] { ("etc/a.conf", Encoding.ASCII.GetBytes("x=1\n")) });
        Assert.Equal(new byte[4], vgz.Skip(4).Take(4).ToArray());
    }
}
