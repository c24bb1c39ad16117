using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using ESXiImageTools.Core.Depots.Zip;
using ESXiImageTools.Core.Depots;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.Export;
using ESXiImageTools.Core.Packages;
using ESXiImageTools.TestSupport;
using Xunit;

namespace ESXiImageTools.Core.Tests.Depots;

/// <summary>
/// <see cref="ZipDirectory"/> and the stored-entry fast path of <see cref="ZipEntryVibContent"/>: the offsets it
/// computes give exactly the bytes ZipArchive returns, and anything it cannot read with certainty falls back to ZipArchive.
/// </summary>
public class ZipDirectoryTests
{
    // ---- every entry of real and generated zips ----

    public static IEnumerable<object[]> CorpusZips()
        => !Corpus.Available ? Array.Empty<object[]>()
            : Directory.EnumerateFiles(Corpus.Root, "*.zip", SearchOption.AllDirectories).OrderBy(x => x).Select(f => new object[] { f });

    [CorpusTheory]
    [MemberData(nameof(CorpusZips))]
    public void Corpus_zip_entries_agree_with_ZipArchive(string zipPath)
    {
        var stored = CheckEveryEntry(zipPath);
        // Only the fling download's wrapped bundle is stored in the corpus; the others are all deflated.
        Assert.Equal(zipPath.Contains("usbnic-fling-650") ? 1 : 0, stored.Count);
    }

    [CorpusFact]
    public void Corpus_stored_inner_bundle_reads_through_the_window()
    {
        var zipPath = Corpus.Path("usbnic-fling-650", "ESXi650-VMKUSB-NIC-FLING-39176435-16775917.zip");
        var (content, expected) = ContentFor(zipPath, "ESXi650-VMKUSB-NIC-FLING-39176435-offline_bundle-16775917.zip");
        Assert.Equal(expected, ReadAll(content));
        Assert.True(content.IsWindowed);
    }

    [CorpusFact]
    public void Corpus_deflated_vib_still_reads_through_ZipArchive()
    {
        var zipPath = Corpus.Path("usbnic-fling-703", "ESXi703-VMKUSB-NIC-FLING-55634242-component-19849370.zip");
        var (content, expected) = ContentFor(zipPath, "vib20/vmkusb-nic-fling/VMW_bootbank_vmkusb-nic-fling_1.10-1vmw.703.0.50.55634242.vib");
        Assert.Equal(expected, ReadAll(content));
        Assert.False(content.IsWindowed);
    }

    [Fact]
    public void BundleBuilder_bundle_entries_agree_and_its_vibs_are_windowed()
    {
        using var d = new TempDir();
        var zip = d.File("bundle.zip");
        var b = new BundleBuilder();
        foreach (var v in GeneratedBundleTests.Vibs(d)) b.AddVib(v.Xml, v.Bytes);
        b.Write(zip);
        Assert.Equal(b.VibIds.Select(id => $"vib20/{id.Split('_')[2]}/{id}.vib").OrderBy(x => x), CheckEveryEntry(zip).OrderBy(x => x)); // the XML is deflated

        var depot = DepotReader.Open(zip, CorpusDepotTests.Options(d));
        foreach (var vib in depot.Packages)
        {
            Assert.True(VibVerifier.VerifyVibFile(vib));
            Assert.NotEmpty(VibVerifier.VerifyAll(vib));
            Assert.True(((ZipEntryVibContent)vib.Content).IsWindowed);
        }
    }

    [Fact]
    public void BundleWriter_bundle_payloads_read_through_the_window()
    {
        using var d = new TempDir();
        var vibs = GeneratedBundleTests.Vibs(d, ("esx-base", "8.0.0-1.0.1", "VMware"), ("net-a", "1.0-1", "ACME"), ("net-b", "2.0-1", "ACME"))
            .Select(v => v.Vib).ToList();
        var zip = d.File("written.zip");
        using (var fs = File.Create(zip))
            BundleWriter.Write(fs, new BundleContent { Packages = vibs }, new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero));
        Assert.Equal(3, CheckEveryEntry(zip).Count(n => n.EndsWith(".vib")));

        var depot = DepotReader.Open(zip, CorpusDepotTests.Options(d));
        Assert.Equal(3, depot.Packages.Count);
        foreach (var vib in depot.Packages)
        {
            var original = vibs.Single(v => v.Id == vib.Id);
            foreach (var p in vib.Payloads)
            {
                using var fromZip = vib.Content.OpenPayload(p);
                using var fromFile = original.Content.OpenPayload(p);
                Assert.True(fromZip.CanSeek);
                Assert.Equal(ReadAll(fromFile), ReadAll(fromZip));
            }
            Assert.True(((ZipEntryVibContent)vib.Content).IsWindowed);
        }
    }

    [Fact]
    public void Deflated_vib_entries_still_read_through_ZipArchive()
    {
        using var d = new TempDir();
        var zip = d.File("deflated.zip");
        var b = new BundleBuilder();
        foreach (var v in GeneratedBundleTests.Vibs(d)) b.AddVib(v.Xml, v.Bytes);
        b.Write(zip);
        Recompress(zip, CompressionLevel.Optimal);
        Assert.Empty(CheckEveryEntry(zip));

        var depot = DepotReader.Open(zip, CorpusDepotTests.Options(d));
        Assert.Equal(2, depot.Packages.Count);
        foreach (var vib in depot.Packages)
        {
            Assert.True(VibVerifier.VerifyVibFile(vib));
            Assert.NotEmpty(VibVerifier.VerifyAll(vib));
            Assert.False(((ZipEntryVibContent)vib.Content).IsWindowed);
        }
    }

    [Fact]
    public void Fast_path_enforces_the_entry_size_limit()
    {
        using var d = new TempDir();
        var zip = StoredZip(d, ("big.vib", Bytes(5000, 1)));
        var small = DepotLimits.Default with { MaxEntryBytes = 4096 };
        using var files = new ZipDepotFiles(zip, zip, DepotLimits.Default);
        var e = files.Entries["big.vib"];
        var content = new ZipEntryVibContent(zip, e.FullName, "big", small, files.StoredEntry(e));
        var ex = Assert.ThrowsAny<EsxException>(() => content.OpenVibFile());
        Assert.Equal(ErrorCodes.DepotTooLarge, ex.Code);
        Assert.True(content.IsWindowed); // refused on the fast path, not by ZipArchive
    }

    // ---- ZIP64 ----

    [Fact]
    public void Zip64_records_and_extra_fields_are_read()
    {
        using var d = new TempDir();
        var zip = d.File("zip64.zip");
        var entries = new[]
        {
            new HandEntry("first.txt", Bytes(300, 7), Zip64Sizes: false, Zip64Offset: false),
            new HandEntry("sizes-and-offset.vib", Bytes(5000, 9), Zip64Sizes: true, Zip64Offset: true),
            new HandEntry("offset-only.vib", Bytes(1234, 11), Zip64Sizes: false, Zip64Offset: true),
            new HandEntry("deflated.xml", Encoding.ASCII.GetBytes(new string('x', 4000)), Zip64Sizes: true, Zip64Offset: true, Deflate: true),
        };
        File.WriteAllBytes(zip, HandBuiltZip64(entries));

        using (var fs = File.OpenRead(zip))
        {
            var dir = ZipDirectory.TryRead(fs, 100);
            Assert.NotNull(dir);
            Assert.Equal(entries.Select(e => e.Name).OrderBy(x => x), dir.Keys.OrderBy(x => x));
            Assert.False(dir["deflated.xml"].IsStored);
            foreach (var e in entries.Where(x => !x.Deflate))
            {
                Assert.Equal(e.Data.LongLength, dir[e.Name].UncompressedSize);
                long offset = ZipDirectory.TryDataOffset(fs, dir[e.Name]);
                Assert.True(offset > 0);
                Assert.Equal(e.Data, ReadAt(fs, offset, e.Data.Length));
            }
        }
        Assert.Equal(3, CheckEveryEntry(zip).Count); // and ZipArchive agrees with every byte
    }

    [Fact]
    public void Zip64_extra_field_missing_a_value_is_not_guessed()
    {
        using var d = new TempDir();
        var zip = d.File("zip64-short.zip");
        var bytes = HandBuiltZip64(new[] { new HandEntry("a.vib", Bytes(100, 3), Zip64Sizes: true, Zip64Offset: true) });
        // Shrink the central header's ZIP64 extra's declared size (24 → 16): the offset is then missing.
        int cd = LastIndexOf(bytes, 0x02014b50);
        int extra = cd + 46 + "a.vib".Length;
        Assert.Equal(1, BitConverter.ToUInt16(bytes, extra));
        bytes[extra + 2] = 16;
        File.WriteAllBytes(zip, bytes);
        using var fs = File.OpenRead(zip);
        Assert.Null(ZipDirectory.TryRead(fs, 100));
    }

    // ---- anything unexpected falls back ----

    [Fact]
    public void Truncated_or_garbage_end_records_give_no_directory_and_no_exception()
    {
        using var d = new TempDir();
        var good = File.ReadAllBytes(StoredZip(d, ("a.vib", Bytes(700, 1)), ("b.vib", Bytes(900, 2))));
        int eocd = LastIndexOf(good, 0x06054b50);
        for (int cut = 1; cut <= good.Length; cut++) // every truncation of the file's tail
            Assert.Null(DirectoryOf(good.Take(good.Length - cut).ToArray()));
        for (int i = eocd; i < good.Length; i++) // each EOCD byte set to garbage
        {
            var bad = (byte[])good.Clone();
            bad[i] ^= 0x5A;
            var dir = DirectoryOf(bad);
            if (i >= eocd + 20) Assert.Null(dir); // comment length now overruns the file
        }
        var random = new byte[70_000];
        new Random(5).NextBytes(random);
        Assert.Null(DirectoryOf(random));
        Assert.Null(DirectoryOf(Array.Empty<byte>()));
    }

    [Fact]
    public void Wrong_directory_size_falls_back_to_ZipArchive()
    {
        // ZipArchive ignores the EOCD's central-directory size; ZipDirectory checks it and declines.
        using var d = new TempDir();
        var zip = StoredZip(d, ("a.vib", Bytes(700, 1)));
        var bytes = File.ReadAllBytes(zip);
        bytes[LastIndexOf(bytes, 0x06054b50) + 12] -= 10;
        File.WriteAllBytes(zip, bytes);
        Assert.Null(DirectoryOf(bytes));

        var (content, expected) = ContentFor(zip, "a.vib");
        Assert.Equal(expected, ReadAll(content));
        Assert.False(content.IsWindowed);
    }

    [Fact]
    public void Bad_local_headers_and_offsets_fall_back_to_ZipArchive()
    {
        using var d = new TempDir();
        var zip = StoredZip(d, ("a.vib", Bytes(700, 1)), ("b.vib", Bytes(900, 2)));
        long length = new FileInfo(zip).Length;
        using var files = new ZipDepotFiles(zip, zip, DepotLimits.Default);
        var e = files.Entries["b.vib"];
        var real = files.StoredEntry(e);
        Assert.NotNull(real);
        var expected = ReadAll(e.Open());

        foreach (var wrong in new[]
        {
            real with { LocalHeaderOffset = real.LocalHeaderOffset + 1 },   // no local header signature there
            real with { LocalHeaderOffset = length + 100 },                 // beyond the file
            real with { LocalHeaderOffset = length - 10 },                  // header would run past the end
            real with { CompressedSize = length, UncompressedSize = length }, // data would run past the end
            real with { Method = 8 },                                       // not stored
        })
        {
            var content = new ZipEntryVibContent(zip, e.FullName, "b", DepotLimits.Default, wrong);
            Assert.Equal(expected, ReadAll(content));
            Assert.False(content.IsWindowed);
        }
    }

    [Fact]
    public void Local_header_with_another_method_is_not_windowed()
    {
        using var d = new TempDir();
        var zip = StoredZip(d, ("a.vib", Bytes(700, 1)));
        var bytes = File.ReadAllBytes(zip);
        var entry = DirectoryOf(bytes)["a.vib"];
        using (var ms = new MemoryStream(bytes)) Assert.True(ZipDirectory.TryDataOffset(ms, entry) > 0);
        bytes[entry.LocalHeaderOffset + 8] = 8; // the local header says deflated, the central one stored
        using (var ms = new MemoryStream(bytes)) Assert.Equal(-1, ZipDirectory.TryDataOffset(ms, entry));
    }

    [FactExceptOnMono(MonoDefect.ZipArchiveIOException)]
    public void Every_single_byte_corruption_either_agrees_with_ZipArchive_or_falls_back()
    {
        using var d = new TempDir();
        var good = File.ReadAllBytes(StoredZip(d, ("a.vib", Bytes(300, 1)), ("b.txt", Bytes(200, 2))));
        var zip = d.File("fuzz.zip");
        int windowed = 0;
        for (int i = 0; i < good.Length; i++)
        {
            var bad = (byte[])good.Clone();
            bad[i] ^= 0xA5;
            File.WriteAllBytes(zip, bad);
            ZipDepotFiles files;
            try { files = new ZipDepotFiles(zip, zip, DepotLimits.Default); }
            catch (EsxException) { continue; } // ZipArchive rejects the zip: depots never get this far
            using (files)
            {
                foreach (var e in files.Entries.Values)
                {
                    var content = new ZipEntryVibContent(zip, e.FullName, "fuzz", DepotLimits.Default, files.StoredEntry(e));
                    byte[] fast;
                    try { fast = ReadAll(content); }
                    catch (Exception ex) when (ex is EsxException || ex is InvalidDataException || ex is IOException) { continue; }
                    if (!content.IsWindowed) continue;
                    windowed++;
                    byte[] viaArchive;
                    try { viaArchive = ReadAll(e.Open()); }
                    catch (InvalidDataException) { continue; } // e.g. a bad CRC: ZipArchive checks it, payload checksums catch it later
                    Assert.Equal(viaArchive, fast);
                }
            }
        }
        Assert.True(windowed > good.Length / 2, $"only {windowed} windowed reads"); // most corruptions hit the payload bytes
    }

    // ---- helpers ----

    /// <summary>For every entry: directory sizes match ZipArchive's, and a stored entry's window holds ZipArchive's bytes. Returns the stored entries' names.</summary>
    private static List<string> CheckEveryEntry(string zipPath)
    {
        using var fs = File.OpenRead(zipPath);
        using var zip = new ZipArchive(fs, ZipArchiveMode.Read, leaveOpen: true);
        var dir = ZipDirectory.TryRead(fs, 1000);
        Assert.NotNull(dir);
        Assert.Equal(zip.Entries.Select(e => e.FullName).OrderBy(x => x, StringComparer.Ordinal), dir.Keys.OrderBy(x => x, StringComparer.Ordinal));
        var stored = new List<string>();
        foreach (var e in zip.Entries)
        {
            var r = dir[e.FullName];
            Assert.Equal(e.Length, r.UncompressedSize);
            Assert.Equal(e.CompressedLength, r.CompressedSize);
            if (!r.IsStored) continue;
            stored.Add(e.FullName);
            long offset = ZipDirectory.TryDataOffset(fs, r);
            Assert.True(offset > 0, e.FullName);
            byte[] expected;
            using (var s = e.Open()) expected = ReadAll(s);
            Assert.Equal(expected, ReadAt(fs, offset, (int)r.UncompressedSize));
        }
        return stored;
    }

    private static (ZipEntryVibContent Content, byte[] Expected) ContentFor(string zipPath, string entry)
    {
        using var files = new ZipDepotFiles(zipPath, zipPath, DepotLimits.Default);
        var e = files.Entries[entry];
        using var s = e.Open();
        return (new ZipEntryVibContent(zipPath, e.FullName, entry, DepotLimits.Default, files.StoredEntry(e)), ReadAll(s));
    }

    private static Dictionary<string, ZipDirectoryEntry> DirectoryOf(byte[] bytes)
    {
        using var ms = new MemoryStream(bytes);
        return ZipDirectory.TryRead(ms, 1000);
    }

    private static string StoredZip(TempDir d, params (string Name, byte[] Data)[] entries)
    {
        var path = d.File("stored-" + Guid.NewGuid().ToString("N").Substring(0, 6) + ".zip");
        // SharpZipLib, not ZipArchive: the .NET Framework's ZipArchive deflates NoCompression entries.
        using var zip = new ICSharpCode.SharpZipLib.Zip.ZipOutputStream(File.Create(path));
        foreach (var (name, data) in entries)
        {
            var stored = name.EndsWith(".vib");
            zip.PutNextEntry(new ICSharpCode.SharpZipLib.Zip.ZipEntry(name)
            {
                CompressionMethod = stored ? ICSharpCode.SharpZipLib.Zip.CompressionMethod.Stored : ICSharpCode.SharpZipLib.Zip.CompressionMethod.Deflated,
                Size = data.Length, Crc = Crc32(data), DateTime = new DateTime(2024, 1, 1),
            });
            zip.Write(data, 0, data.Length);
            zip.CloseEntry();
        }
        return path;
    }

    private static void Recompress(string zipPath, CompressionLevel level)
    {
        var entries = new List<(string, byte[])>();
        using (var zip = ZipFile.OpenRead(zipPath))
            foreach (var e in zip.Entries)
                using (var s = e.Open()) entries.Add((e.FullName, ReadAll(s)));
        File.Delete(zipPath);
        using var output = ZipFile.Open(zipPath, ZipArchiveMode.Create);
        foreach (var (name, data) in entries)
            using (var s = output.CreateEntry(name, level).Open()) s.Write(data, 0, data.Length);
    }

    private static byte[] Bytes(int count, int seed)
    {
        var b = new byte[count];
        new Random(seed).NextBytes(b);
        return b;
    }

    private static byte[] ReadAll(ZipEntryVibContent content)
    {
        using var s = content.OpenVibFile();
        return ReadAll(s);
    }

    private static byte[] ReadAll(Stream s)
    {
        using (s)
        {
            var ms = new MemoryStream();
            s.CopyTo(ms);
            return ms.ToArray();
        }
    }

    private static byte[] ReadAt(Stream s, long offset, int count)
    {
        var buf = new byte[count];
        s.Position = offset;
        s.ReadExactly(buf);
        return buf;
    }

    private static int LastIndexOf(byte[] bytes, uint signature)
    {
        for (int i = bytes.Length - 4; i >= 0; i--)
            if (BitConverter.ToUInt32(bytes, i) == signature) return i;
        return -1;
    }

    private sealed record HandEntry(string Name, byte[] Data, bool Zip64Sizes, bool Zip64Offset, bool Deflate = false)
    {
        public ushort Method => (ushort)(Deflate ? 8 : 0);

        /// <summary>The bytes as stored in the zip (deflated when <see cref="Deflate"/>).</summary>
        public byte[] Stored { get; } = Deflate ? Deflated(Data) : Data;

        private static byte[] Deflated(byte[] data)
        {
            var ms = new MemoryStream();
            using (var z = new DeflateStream(ms, CompressionLevel.Optimal, leaveOpen: true)) z.Write(data, 0, data.Length);
            return ms.ToArray();
        }
    }

    /// <summary>
    /// A zip written byte by byte with ZIP64 end records (EOCD fields saturated) and, per entry, ZIP64
    /// extra fields for the sizes and/or the local header offset (the 32-bit fields then hold 0xFFFFFFFF).
    /// </summary>
    private static byte[] HandBuiltZip64(HandEntry[] entries)
    {
        var ms = new MemoryStream();
        var w = new BinaryWriter(ms);
        var offsets = new long[entries.Length];
        for (int i = 0; i < entries.Length; i++)
        {
            var e = entries[i];
            offsets[i] = ms.Position;
            var name = Encoding.ASCII.GetBytes(e.Name);
            w.Write(0x04034b50u); w.Write((ushort)45); w.Write((ushort)0); w.Write(e.Method); w.Write(0u); // sig, version, flags, method, time+date
            w.Write(Crc32(e.Data));
            w.Write(e.Zip64Sizes ? 0xFFFFFFFFu : (uint)e.Stored.Length); w.Write(e.Zip64Sizes ? 0xFFFFFFFFu : (uint)e.Data.Length); // compressed, uncompressed
            w.Write((ushort)name.Length); w.Write((ushort)(e.Zip64Sizes ? 20 : 0));
            w.Write(name);
            if (e.Zip64Sizes) { w.Write((ushort)1); w.Write((ushort)16); w.Write((long)e.Data.Length); w.Write((long)e.Stored.Length); }
            w.Write(e.Stored);
        }
        long cdOffset = ms.Position;
        for (int i = 0; i < entries.Length; i++)
        {
            var e = entries[i];
            var name = Encoding.ASCII.GetBytes(e.Name);
            int extra = (e.Zip64Sizes ? 16 : 0) + (e.Zip64Offset ? 8 : 0);
            w.Write(0x02014b50u); w.Write((ushort)45); w.Write((ushort)45); w.Write((ushort)0); w.Write(e.Method); w.Write(0u);
            w.Write(Crc32(e.Data));
            w.Write(e.Zip64Sizes ? 0xFFFFFFFFu : (uint)e.Stored.Length); w.Write(e.Zip64Sizes ? 0xFFFFFFFFu : (uint)e.Data.Length); // compressed, uncompressed
            w.Write((ushort)name.Length); w.Write((ushort)(extra > 0 ? extra + 4 : 0)); w.Write((ushort)0); // name, extra, comment lengths
            w.Write((ushort)0); w.Write((ushort)0); w.Write(0u); // disk, internal and external attributes
            w.Write(e.Zip64Offset ? 0xFFFFFFFFu : (uint)offsets[i]);
            w.Write(name);
            if (extra > 0)
            {
                w.Write((ushort)1); w.Write((ushort)extra);
                if (e.Zip64Sizes) { w.Write((long)e.Data.Length); w.Write((long)e.Stored.Length); } // uncompressed, then compressed
                if (e.Zip64Offset) w.Write(offsets[i]);
            }
        }
        long cdSize = ms.Position - cdOffset;
        long z64 = ms.Position;
        w.Write(0x06064b50u); w.Write(44L); w.Write((ushort)45); w.Write((ushort)45); w.Write(0u); w.Write(0u);
        w.Write((long)entries.Length); w.Write((long)entries.Length); w.Write(cdSize); w.Write(cdOffset);
        w.Write(0x07064b50u); w.Write(0u); w.Write(z64); w.Write(1u);
        w.Write(0x06054b50u); w.Write((ushort)0); w.Write((ushort)0); w.Write((ushort)0xFFFF); w.Write((ushort)0xFFFF);
        w.Write(0xFFFFFFFFu); w.Write(0xFFFFFFFFu); w.Write((ushort)0);
        w.Flush();
        return ms.ToArray();
    }

    private static uint Crc32(byte[] data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (var b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        }
        return ~crc;
    }
}
