using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.Packages;
using ESXiImageTools.TestSupport;
using Xunit;

namespace ESXiImageTools.Core.Tests.Packages;

/// <summary>
/// The gunzipped sha-256 and sha-1 are each hashed on a thread of their own (<see cref="OffThreadHash"/>).
/// Digests must equal a plain single-threaded computation, and every failure must keep its type and never hang.
/// </summary>
public class PayloadVerifierOffThreadHashTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private const int Chunk = OffThreadHash.ChunkSize;
    private const int Inline = (int)OffThreadHash.DefaultInlineBytes;

    private static string Hex(byte[] b) => TestBytes.Hex(b);

    /// <summary>Half random, half a repeated phrase: reads of the decompressor then come in varied sizes.</summary>
    private static byte[] Data(int size, int seed = 1)
    {
        var data = new byte[size];
        new Random(seed).NextBytes(data);
        var phrase = System.Text.Encoding.ASCII.GetBytes("vmtar-ish content ");
        for (int i = 0; i < size; i++)
            if ((i / 50_000) % 2 == 1) data[i] = phrase[i % phrase.Length];
        return data;
    }

    private static byte[] Gzip(byte[] data) => TestBytes.Gzip(data, CompressionLevel.Fastest);

    /// <summary>The reference: System.IO.Compression's gunzip, hashed in one call each.</summary>
    private static (string Sha256, string Sha1, long Size) Reference(byte[] stored)
    {
        var raw = new MemoryStream();
        using (var gz = new GZipStream(new MemoryStream(stored), CompressionMode.Decompress)) gz.CopyTo(raw);
        var bytes = raw.ToArray();
        return (Hex(SHA256.HashData(bytes)), Hex(SHA1.HashData(bytes)), bytes.Length);
    }

    /// <summary>Runs <paramref name="action"/> on another thread and fails the test if it has not finished within the timeout.</summary>
    private static T Bounded<T>(Func<T> action)
    {
        var t = Task.Run(action);
        Assert.True(t.Wait(Timeout), "did not finish within " + Timeout);
        return t.Result;
    }

    private static Exception BoundedException(Action action) => Bounded(() => Record.Exception(action));

    public static TheoryData<int> Sizes => new()
    {
        0, 1, 5 * 1024, Chunk - 1, Chunk, Chunk + 1, 3 * Chunk + 7,
        Inline - 1, Inline, Inline + 1, Inline + Chunk, 6 << 20,
    };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Gunzip_digests_equal_a_single_threaded_computation(int size)
    {
        var stored = Gzip(Data(size, seed: size));
        var expected = Reference(stored);
        foreach (var hashStored in new[] { true, false })
        {
            var d = Bounded(() => PayloadVerifier.Compute(new ForwardOnlyStream(new MemoryStream(stored)), gunzip: true, out var notGzip, hashStored: hashStored));
            Assert.Equal(expected.Sha256, d.GunzippedSha256);
            Assert.Equal(expected.Sha1, d.GunzippedSha1);
            Assert.Equal(expected.Size, d.GunzippedSize);
            Assert.Equal(stored.Length, d.StoredSize);
            Assert.Equal(hashStored ? Hex(SHA256.HashData(stored)) : null, d.StoredSha256);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(Chunk + 1)]
    [InlineData(5 << 20)]
    public void The_export_stream_accepts_the_reference_digests(int size)
    {
        var stored = Gzip(Data(size, seed: 3));
        var expected = Reference(stored);
        var payload = new Payload
        {
            Name = "p", Type = "vgz", Size = stored.Length,
            Checksums = new[]
            {
                new PayloadChecksum("sha-256", "", Hex(SHA256.HashData(stored))),
                new PayloadChecksum("sha-256", "gunzip", expected.Sha256),
                new PayloadChecksum("sha-1", "gunzip", expected.Sha1),
            },
        };
        var copy = Bounded(() =>
        {
            using var s = new GunzipVerifyingReadStream(new MemoryStream(stored), payload, "V_x", "x.vib");
            var ms = new MemoryStream();
            s.CopyTo(ms);
            return ms.ToArray();
        });
        Assert.Equal(stored, copy);
    }

    [Fact]
    public void Multi_member_gzip_is_hashed_over_all_members()
    {
        var first = Data((2 << 20) + 3, seed: 5);
        var second = Data(Chunk * 2 + 11, seed: 6);
        var stored = Gzip(first).Concat(Gzip(second)).ToArray();
        // The reference is the plain bytes themselves: the .NET Framework's GZipStream would stop after the first member.
        var plain = first.Concat(second).ToArray();
        var expected = (Sha256: Hex(SHA256.HashData(plain)), Sha1: Hex(SHA1.HashData(plain)), Size: (long)plain.Length);
        var d = Bounded(() => PayloadVerifier.Compute(new MemoryStream(stored), gunzip: true));
        Assert.Equal(expected.Size, d.GunzippedSize);
        Assert.Equal(expected.Sha256, d.GunzippedSha256);
        Assert.Equal(expected.Sha1, d.GunzippedSha1);
    }

    [Fact]
    public void OffThreadHash_equals_the_algorithm_for_any_split_of_the_input()
    {
        var data = Data(3 * Chunk + 12345, seed: 9);
        foreach (var inline in new long[] { 0, 1000, long.MaxValue })
        foreach (var block in new[] { 1, 4096, Chunk, Chunk + 1, 300_000 })
        {
            var hex = Bounded(() =>
            {
                using var h = new OffThreadHash(SHA1.Create(), inline);
                // Larger buffers than one chunk are split; 1-byte blocks only over a prefix (slow otherwise).
                int end = block == 1 ? 5000 : data.Length;
                for (int i = 0; i < end; i += block) h.Add(data, i, Math.Min(block, end - i));
                Assert.Equal(inline < end, h.OffThread);
                return (h.Complete(), end);
            });
            Assert.Equal(Hex(SHA1.HashData(data.AsSpan(0, hex.end))), hex.Item1);
        }
    }

    [Fact]
    public void OffThreadHash_disposed_without_completing_does_not_hang_and_cannot_be_reused()
    {
        var data = Data(Chunk, seed: 2);
        Bounded(() =>
        {
            var h = new OffThreadHash(SHA256.Create(), inlineBytes: 0);
            for (int i = 0; i < 100; i++) h.Add(data, 0, data.Length); // more than the queue holds
            h.Dispose();
            h.Dispose();
            Assert.Throws<InvalidOperationException>(() => h.Add(data, 0, 1));
            Assert.Throws<InvalidOperationException>(() => h.Complete());
            return 0;
        });
        using var done = new OffThreadHash(SHA256.Create(), inlineBytes: 0);
        done.Add(data, 0, data.Length);
        Assert.Equal(Hex(SHA256.HashData(data)), done.Complete());
        Assert.Throws<InvalidOperationException>(() => done.Complete());
    }

    [Fact]
    public void A_gzip_stream_cut_short_after_the_worker_started_fails_verification()
    {
        var raw = Data(4 << 20, seed: 4);
        var stored = Gzip(raw);
        var cut = stored.AsSpan(0, stored.Length * 3 / 4).ToArray();
        // SharpZipLib (on .NET Framework) calls the early end not gzip; the runtime's zlib ends quietly at the end of
        // the input, and the digest of the shorter output then differs: a checksum error either way.
        var payload = new Payload
        {
            Name = "p", Type = "vgz", Size = cut.Length,
            Checksums = new[] { new PayloadChecksum("sha-1", "gunzip", Hex(SHA1.HashData(raw))) },
        };
        Assert.IsType<EsxChecksumException>(BoundedException(() => PayloadVerifier.Verify(payload, new MemoryStream(cut), "V_x", "x.vib")));
    }

    [Fact]
    public void A_corrupt_gzip_stream_after_the_worker_started_is_a_typed_error()
    {
        var raw = Data(4 << 20, seed: 8);
        var stored = Gzip(raw);
        // Flip bytes well past the first MiB of output: the decoder fails or the gzip trailer's CRC-32 does not match.
        for (int i = stored.Length / 2; i < stored.Length / 2 + 64; i++) stored[i] ^= 0x5A;
        var e = BoundedException(() => PayloadVerifier.Compute(new MemoryStream(stored), gunzip: true));
        Assert.IsType<InvalidDataException>(e);

        var payload = new Payload
        {
            Name = "p", Type = "vgz", Size = stored.Length,
            Checksums = new[] { new PayloadChecksum("sha-1", "gunzip", Hex(SHA1.HashData(raw))) },
        };
        Assert.IsType<EsxChecksumException>(BoundedException(() => PayloadVerifier.Verify(payload, new MemoryStream(stored), "V_x", "x.vib")));
        var f = BoundedException(() =>
        {
            using var s = new GunzipVerifyingReadStream(new MemoryStream(stored), payload, "V_x", "x.vib");
            s.CopyTo(Stream.Null);
        });
        Assert.Contains("not a valid gzip", Assert.IsType<EsxFormatException>(f).Message);
    }

    [Fact]
    public void A_gzip_bomb_beyond_the_ratio_stops_with_the_same_typed_errors()
    {
        // 64 MiB of zeros deflate to about 64 KiB: a ratio near 1000, past the bound once the output passes its floor.
        var bomb = new MemoryStream();
        using (var gz = new GZipStream(bomb, CompressionLevel.Optimal, leaveOpen: true))
        {
            var zeros = new byte[1 << 20];
            for (int i = 0; i < 64; i++) gz.Write(zeros, 0, zeros.Length);
        }
        var stored = bomb.ToArray();
        var e = Assert.IsType<InvalidDataException>(BoundedException(() => PayloadVerifier.Compute(new MemoryStream(stored), gunzip: true)));
        Assert.Contains("gzip bomb", e.Message);

        var payload = new Payload
        {
            Name = "p", Type = "vgz", Size = stored.Length,
            Checksums = new[] { new PayloadChecksum("sha-256", "gunzip", new string('0', 64)), new PayloadChecksum("sha-1", "gunzip", new string('0', 40)) },
        };
        Assert.Contains("gzip bomb", Assert.IsType<EsxChecksumException>(BoundedException(() => PayloadVerifier.Verify(payload, new MemoryStream(stored), "V_x", "bomb.vib"))).Message);
        var f = BoundedException(() =>
        {
            using var s = new GunzipVerifyingReadStream(new MemoryStream(stored), payload, "V_x", "bomb.vib");
            s.CopyTo(Stream.Null);
        });
        Assert.Contains("gzip bomb", Assert.IsType<EsxFormatException>(f).Message);
    }

    [Fact]
    public void Cancellation_mid_stream_is_an_OperationCanceledException_not_a_hang()
    {
        var stored = Gzip(Data(8 << 20, seed: 10));
        using var cts = new CancellationTokenSource();
        // Cancels once 3 MiB of the stored bytes were read: the hash workers are running by then.
        var source = new CancelAfterStream(new MemoryStream(stored), 3 << 20, cts);
        var e = BoundedException(() => PayloadVerifier.Compute(source, gunzip: true, cts.Token));
        Assert.IsAssignableFrom<OperationCanceledException>(e);
        Assert.True(source.Position < stored.Length, "stopped before the end");
    }

    /// <summary>Cancels a token once a given number of bytes were read through it.</summary>
    private sealed class CancelAfterStream : Stream
    {
        private readonly Stream _inner;
        private readonly long _after;
        private readonly CancellationTokenSource _cts;

        public CancelAfterStream(Stream inner, long after, CancellationTokenSource cts) { _inner = inner; _after = after; _cts = cts; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = _inner.Read(buffer, offset, count);
            if (_inner.Position >= _after) _cts.Cancel();
            return n;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _inner.Position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
