using System;
using System.IO;
using System.Linq;
using System.Text;
using ESXiImageTools.Core.IO;
using ESXiImageTools.TestSupport;
using Xunit;

namespace ESXiImageTools.Core.Tests.IO;

/// <summary>
/// Gunzip on every runtime the engine meets: .NET (pwsh 7, the CLI) and the .NET Framework (Windows PowerShell 5.1;
/// here Mono stands in for it in the net48 build). Its choice of decompressor follows behaviour, not the runtime's name.
/// </summary>
public class GunzipTests
{
    [Fact]
    public void Every_member_of_a_multi_member_stream_is_read_on_every_runtime()
    {
        var first = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("first member ", 5000)));
        var second = Encoding.ASCII.GetBytes("second member");
        // Members written by the runtime's own compressor, independently of the engine's gzip writer.
        var stored = TestBytes.Gzip(first).Concat(TestBytes.Gzip(second)).ToArray();
        using var gz = Core.IO.Gunzip.Open(new MemoryStream(stored));
        var all = new MemoryStream();
        gz.CopyTo(all);
        Assert.Equal(first.Concat(second).ToArray(), all.ToArray());
    }

    [Fact]
    public void Corrupt_deflate_data_is_a_decoder_fault_on_every_runtime()
    {
        var stored = TestBytes.Gzip(Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("some text to corrupt ", 2000))));
        for (int i = 12; i < 40; i++) stored[i] ^= 0x5A;
        var e = Record.Exception(() =>
        {
            using var gz = Core.IO.Gunzip.Open(new MemoryStream(stored));
            gz.CopyTo(Stream.Null);
        });
        Assert.NotNull(e);
        Assert.True(DecoderFaults.IsDecoderFault(e), e.GetType() + ": " + e.Message);
    }

    [Fact]
    public void The_runtime_gzip_stream_is_used_exactly_where_it_reads_every_member()
    {
        // .NET 3.0+ reads every member; the .NET Framework and Mono stop after the first one.
        Assert.Equal(!TestRuntime.IsNetFramework, Core.IO.Gunzip.UsesRuntimeZlib);
    }
}
