using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using ESXiImageTools.Core.IO;
using ESXiImageTools.TestSupport;
using Xunit;

namespace ESXiImageTools.Core.Tests.IO;

/// <summary>
/// The bundle's zip writer: stored entries stored and the same bytes on every runtime (the .NET Framework's ZipArchive
/// deflates NoCompression entries). Checked with 7z and System.IO.Compression as independent readers, and in both
/// test legs (net10.0, and net48 under Mono) against one digest.
/// </summary>
public class DeterministicZipWriterTests
{
    private static readonly DateTimeOffset Stamp = new(2025, 6, 7, 8, 9, 10, TimeSpan.Zero);

    private static readonly (string Name, bool Compress, byte[] Data)[] Entries =
    {
        ("index.xml", true, Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("<vendorList><vendor/></vendorList>\n", 200)))),
        ("vib20/net-foo/ACME_bootbank_net-foo_1.0-1.vib", false, Enumerable.Range(0, 70_000).Select(i => (byte)(i * 7 % 251)).ToArray()),
        ("empty.txt", true, new byte[0]),
        ("profiles/Größe-ü.xml", true, Encoding.UTF8.GetBytes("<imageProfile/>")),
    };

    private static byte[] Write(Stream output)
    {
        using (var zip = new DeterministicZipWriter(output, leaveOpen: true))
            foreach (var (name, compress, data) in Entries)
                using (var s = zip.CreateEntry(name, compress, Stamp)) s.Write(data, 0, data.Length);
        return output is MemoryStream ms ? ms.ToArray() : null;
    }

    [Fact]
    public void The_bytes_are_the_same_on_every_runtime()
    {
        // The same digest in the net10.0 leg and the net48 (Mono) leg: nothing in the bytes comes from the runtime.
        var bytes = Write(new MemoryStream());
        Assert.Equal("570f1011d23bd052b66221e9d1365108f64a5a1d577a71fea469096e4c7977f0", TestBytes.Hex(SHA256.HashData(bytes)));
    }

    [Fact]
    public void System_IO_Compression_reads_every_entry_with_its_method_and_time()
    {
        var bytes = Write(new MemoryStream());
        using var zip = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read);
        Assert.Equal(Entries.Select(e => e.Name), zip.Entries.Select(e => e.FullName));
        foreach (var (name, compress, data) in Entries)
        {
            var e = zip.GetEntry(name);
            var ms = new MemoryStream();
            using (var s = e.Open()) s.CopyTo(ms);
            Assert.Equal(data, ms.ToArray());
            Assert.Equal(new DateTime(2025, 6, 7, 8, 9, 10), e.LastWriteTime.DateTime);
            if (!compress) Assert.Equal(e.Length, e.CompressedLength);
        }
    }

    [ToolFact("7z")]
    public void Seven_zip_tests_every_crc_and_sees_stored_and_deflated_entries()
    {
        using var tmp = new TempDir();
        var path = tmp.File("t.zip");
        using (var fs = File.Create(path)) Write(fs);
        var test = ExternalTools.Run("7z", $"t \"{path}\"");
        Assert.True(test.ExitCode == 0, test.Stdout + test.Stderr);
        var methods = Methods(path);
        Assert.Equal("Store", methods["vib20/net-foo/ACME_bootbank_net-foo_1.0-1.vib"]);
        Assert.Equal("Deflate", methods["index.xml"]);
        Assert.True(methods.ContainsKey("profiles/Größe-ü.xml"), string.Join(", ", methods.Keys));
    }

    [ToolFact("7z")]
    public void An_unseekable_output_gets_data_descriptors_that_7z_and_ZipArchive_read()
    {
        using var tmp = new TempDir();
        var path = tmp.File("s.zip");
        using (var fs = File.Create(path)) Write(new UnseekableStream(fs));
        var test = ExternalTools.Run("7z", $"t \"{path}\"");
        Assert.True(test.ExitCode == 0, test.Stdout + test.Stderr);
        using var zip = ZipFile.OpenRead(path);
        var e = zip.GetEntry("vib20/net-foo/ACME_bootbank_net-foo_1.0-1.vib");
        var ms = new MemoryStream();
        using (var s = e.Open()) s.CopyTo(ms);
        Assert.Equal(Entries[1].Data, ms.ToArray());
    }

    [Fact]
    public void Duplicate_names_and_overlapping_entries_are_refused()
    {
        using var zip = new DeterministicZipWriter(new MemoryStream());
        using (zip.CreateEntry("a", false, Stamp)) { }
        Assert.Throws<ArgumentException>(() => zip.CreateEntry("a", false, Stamp));
        var open = zip.CreateEntry("b", true, Stamp);
        Assert.Throws<InvalidOperationException>(() => zip.CreateEntry("c", true, Stamp));
        open.Dispose();
    }

    private static Dictionary<string, string> Methods(string zip)
    {
        var result = new Dictionary<string, string>();
        string path = null;
        foreach (var line in ExternalTools.Run("7z", $"l -slt \"{zip}\"").Stdout.Split('\n').Select(l => l.TrimEnd('\r')))
        {
            if (line.StartsWith("Path = ", StringComparison.Ordinal)) path = line.Substring(7);
            else if (line.StartsWith("Method = ", StringComparison.Ordinal) && path != null) result[path] = line.Substring(9);
        }
        return result;
    }

    private sealed class UnseekableStream : Stream
    {
        private readonly Stream _inner;
        public UnseekableStream(Stream inner) => _inner = inner;
        public override void Write(byte[] buffer, int offset, int count) => _inner.Write(buffer, offset, count);
        public override void Flush() => _inner.Flush();
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
