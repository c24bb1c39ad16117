using System;
using System.IO;
using System.Linq;
using ESXiImageTools.Core.Authoring;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.IO;
using ESXiImageTools.Core.Packages;
using ESXiImageTools.TestSupport;
using Xunit;
using static ESXiImageTools.Core.Tests.Authoring.AuthoringFixtures;

namespace ESXiImageTools.Core.Tests.Authoring;

public class VibAuthorTests
{
    private static VibAuthoringRequest Request(string name = "net-foo") => new()
    {
        Name = name,
        Version = "1.0.0-1",
        Vendor = "Community",
        Summary = "Foo network driver",
        Depends = new[] { Constraint.Parse("vmkapi_2_2_0_0") },
        Tags = new[] { "driver", "module" },
        KbUrl = "https://example.org/net-foo",
        ReleaseDate = Date,
    };

    [Theory]
    [InlineData(1969, 12, 31)]
    [InlineData(2200, 1, 1)]
    public void A_release_date_no_output_can_record_is_a_typed_range_error_and_writes_nothing(int y, int m, int d)
    {
        using var tmp = new TempDir();
        var e = Assert.Throws<EsxException>(() => VibAuthor.Create(OemTgz(tmp.Path),
            Request() with { ReleaseDate = new DateTimeOffset(y, m, d, 0, 0, 0, TimeSpan.Zero) }, tmp.File("x.vib")));
        Assert.Equal(ErrorCodes.TimestampOutOfRange, e.Code);
        Assert.Contains("the release date", e.Message);
        Assert.False(File.Exists(tmp.File("x.vib")));
    }

    [Fact]
    public void Oem_tgz_becomes_a_vib_our_reader_reads_back_identically()
    {
        using var tmp = new TempDir();
        var oem = OemTgz(tmp.Path);
        var before = Sha256(oem);
        var r = VibAuthor.Create(oem, Request(), tmp.File("net-foo.vib"));
        Assert.Equal(before, Sha256(oem));                                   // the input is only read
        Assert.Empty(r.Warnings);                                            // the three OEM.tgz folders are where drivers belong

        var read = VibFile.Open(r.Path);
        Assert.Equal("Community_bootbank_net-foo_1.0.0-1", read.Id);
        Assert.Equal(AcceptanceLevel.CommunitySupported, read.AcceptanceLevel);
        Assert.Equal("Foo network driver", read.Summary);
        Assert.Equal(new[] { "vmkapi_2_2_0_0" }, read.Depends.Select(c => c.ToString()));
        Assert.Equal(new[] { "driver", "module" }, read.Tags);
        Assert.True(read.MaintenanceMode.Required);
        Assert.True(read.StatelessReady);
        Assert.False(read.Signed);
        Assert.Equal(Date, read.ReleaseDate);
        Assert.Equal(OemFiles().Select(f => f.Path).OrderBy(p => p, StringComparer.Ordinal), read.FileList);

        // Members: descriptor.xml, an empty sig.pkcs7, one tgz payload named like TGZ2VIB names it (the VIB name cut to 8).
        using (var s = File.OpenRead(r.Path))
        {
            var members = VibFile.ListMembers(s, r.Path);
            Assert.Equal(new[] { "descriptor.xml", "sig.pkcs7", "net-foo" }, members.Select(m => m.Name));
            Assert.Equal(0, members[1].Size);
        }
        var payload = Assert.Single(read.Payloads);
        Assert.Equal(("net-foo", "tgz"), (payload.Name, payload.Type));
        var digests = VibVerifier.VerifyAll(read);                           // every declared checksum holds
        Assert.Equal(new[] { "sha-1(gunzip)", "sha-256", "sha-256(gunzip)" },
            payload.Checksums.Select(c => c.VerifyProcess.Length == 0 ? c.Algorithm : $"{c.Algorithm}({c.VerifyProcess})").OrderBy(k => k, StringComparer.Ordinal));
        Assert.Equal(payload.Sha256, digests[payload.Name].StoredSha256);

        // The descriptor our writer makes from what our reader read is byte for byte the one in the file.
        Assert.Equal(DescriptorBytes(() => File.OpenRead(r.Path)), VibDescriptorWriter.ToBytes(read));

        // The payload holds the three files with their bytes.
        foreach (var (p, content) in OemFiles())
        {
            var ms = new MemoryStream();
            using (var s = read.Content.OpenPayload(payload)) Assert.True(PayloadContents.TryExtract(payload, s, p, ms));
            Assert.Equal(content, ms.ToArray());
        }
    }

    [Fact]
    public void Same_inputs_give_the_same_bytes_and_vgz_holds_a_vmtar()
    {
        using var tmp = new TempDir();
        var oem = OemTgz(tmp.Path);
        var a = VibAuthor.Create(oem, Request(), tmp.File("a.vib")).Path;
        var b = VibAuthor.Create(oem, Request(), tmp.File("b.vib")).Path;
        Assert.Equal(File.ReadAllBytes(a), File.ReadAllBytes(b));

        var vgz = VibAuthor.Create(oem, Request() with { PayloadType = "vgz", PayloadName = "payload1" }, tmp.File("c.vib")).Vib;
        var p = Assert.Single(vgz.Payloads);
        Assert.Equal(("payload1", "vgz"), (p.Name, p.Type));
        using var s = vgz.Content.OpenPayload(p);
        var head = new byte[512];
        using (var gz = new System.IO.Compression.GZipStream(s, System.IO.Compression.CompressionMode.Decompress))
            Assert.Equal(512, gz.Read(head, 0, 512) + (gz.Read(head, 0, 0)));
        Assert.True(VmTar.IsVmTarHeader(head));
        Assert.Equal(OemFiles().Select(f => f.Path).OrderBy(x => x, StringComparer.Ordinal), PayloadFiles(vgz));
        VibVerifier.VerifyAll(vgz);
    }

    [Fact]
    public void A_folder_tree_gives_the_same_file_list_as_the_archive()
    {
        using var tmp = new TempDir();
        foreach (var (p, c) in OemFiles())
        {
            var full = Path.Combine(tmp.Path, "tree", p);
            Directory.CreateDirectory(Path.GetDirectoryName(full));
            File.WriteAllBytes(full, c);
        }
        var fromFolder = VibAuthor.Create(tmp.File("tree"), Request(), tmp.File("f.vib")).Vib;
        var fromTgz = VibAuthor.Create(OemTgz(tmp.Path), Request(), tmp.File("t.vib")).Vib;
        Assert.Equal(fromTgz.FileList, fromFolder.FileList);
        Assert.Equal(fromTgz.Payloads[0].Checksums.Select(c => c.Value), fromFolder.Payloads[0].Checksums.Select(c => c.Value));
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("usr/lib/../../../escape")]
    [InlineData("C:/Windows/evil")]
    public void Paths_that_leave_the_root_are_refused_and_nothing_is_written(string member)
    {
        using var tmp = new TempDir();
        var tar = tmp.File("evil.tar");
        File.WriteAllBytes(tar, RawTar(("etc/ok.conf", '0', new byte[] { 1 }, null), (member, '0', new byte[] { 2 }, null)));
        var e = Assert.Throws<EsxFormatException>(() => VibAuthor.Create(tar, Request(), tmp.File("out.vib")));
        Assert.Equal(ErrorCodes.PackageSourceUnsafePath, e.Code);
        Assert.Equal(tar, e.File);
        Assert.Equal(member, e.Member);
        Assert.False(File.Exists(tmp.File("out.vib")));
        Assert.Empty(Directory.GetFiles(tmp.Path, "*.tmp"));
    }

    [Fact]
    public void Links_are_refused_with_their_target_named()
    {
        using var tmp = new TempDir();
        var tar = tmp.File("link.tar");
        File.WriteAllBytes(tar, RawTar(("etc/vmware/driver.map.d/x.map", '2', null, "/etc/shadow")));
        var e = Assert.Throws<EsxFormatException>(() => VibAuthor.Create(tar, Request(), tmp.File("out.vib")));
        Assert.Equal(ErrorCodes.PackageSourceUnsafePath, e.Code);
        Assert.Contains("/etc/shadow", e.Message);
        Assert.False(File.Exists(tmp.File("out.vib")));
    }

    [Fact]
    public void Not_an_archive_and_empty_archives_are_typed_errors()
    {
        using var tmp = new TempDir();
        var junk = tmp.File("junk.tgz");
        File.WriteAllBytes(junk, Enumerable.Range(0, 3000).Select(i => (byte)(i * 7)).ToArray());
        Assert.Equal(ErrorCodes.PackageSourceInvalid, Assert.Throws<EsxFormatException>(() => VibAuthor.Create(junk, Request(), tmp.File("a.vib"))).Code);
        var truncated = tmp.File("cut.tgz");
        var whole = File.ReadAllBytes(OemTgz(tmp.Path));
        File.WriteAllBytes(truncated, whole.Take(whole.Length / 2).ToArray());
        Assert.Equal(ErrorCodes.PackageSourceInvalid, Assert.Throws<EsxFormatException>(() => VibAuthor.Create(truncated, Request(), tmp.File("b.vib"))).Code);
        var dirsOnly = tmp.File("dirs.tar");
        File.WriteAllBytes(dirsOnly, RawTar(("etc/", '5', null, null)));
        var e = Assert.Throws<EsxFormatException>(() => VibAuthor.Create(dirsOnly, Request(), tmp.File("c.vib")));
        Assert.Contains("holds no files", e.Message);
        Assert.Empty(Directory.GetFiles(tmp.Path, "*.vib"));
    }

    // Found by the fuzzer (oem target, seed 20261201, input 6346): a tar header whose numeric field overflows
    // SharpZipLib's parser (OverflowException) must be a typed error like any other decoder fault.
    private const string OverflowingTarHeaderBase64 = "H4sICOd2klsAA2Z3LXZuYy50YXIudnRhcgDtWFtvozgU7nN/hXdeZleCgAFzidJI5NKdPvSiJI1GWq1WBJzEWgIZMJn23+/BaQhr49jw3RmFmQb1xLQ9L+BzDvb5/H2+JJT7ytkrmwpmqWr+xBY5eO7sDOu6YWgE6wYBv0kM6wyR1y4stw1L4wShtxiqiUaB/83qu5fQ15PByfxjVYXwB/9vYCX+5yyh370wfHEhRlqtVgScxFoCGTCZ9t/vwWkIGTybf8PSLD3nH5sm+eD/LewY/5vIbz2swhcbIyfYrOQfqxbBP/Cvaxj4V1+sgp/Y/43/8/cu4MOaZJ1+HM3ZYhTHvHuOUCelyYb5NH+HFgu605t+R4Hn1kEjbxbSoMuTjHaUXWsbS+i3DLaQoDv3whSiRft8G/9NlsVLboPYz1Y04h5ncVR4L8pWeGW05HydthXl31lru1e1/HilpIqXcOaHVNFU3VEdUvpiM14vaUIRaZF28XkQ+2m5Axop0+u8JT+lK5CuQGSXtEmFu8UtpdlaKe0LWyyRu/FY6M1YCELdJ2rP608/kjY6loYhbTAdjx8jv+zWjrntEn0HvDnqwXD368DjFF17kbc4yBKTdqXcokuilMPG2IIOlD/vrwayoxHdUgcDeagPsGwQ0pNt3Lfkfk+zXfdSU01stZZ8FR4pyWypp5QE6c8qCVu45zhDV8akp8tGv09ku+e4MrGsga3r5qXrqtUlnTRL5vFZSqmfJYw/vlRN1mk1WeWaaPrAWtl6kXgBrVNPUdDwwQ+zgAZoHSc8RfMkXqHEixYgLUdVoV6MHcdBv89ivkST/p1yP7jb5v5xXNanWdEHcWwbRutfXaMxLFGalCNOEQEG6I8JZl6gjG7GX9GUJTzzQjRgKU/YLOMAbBTDY59tqwLW5jo+WJq2amjgJTzzQjRgKU/YLOPezjr64pYDelXAqAqQioAthh67N2jqjl00pVEAh/NdEm9YUK4Rb2t8ksqll4UcTeKQAjM+LaXZWintC1sskbvxWOjNWAhC3Sdqz+tPP5I2OpaGIW0wHY8fI7/s1o657RJ9B7w56sFw9+vA4xRde5G3OMgSk3al3KJL";

    [FactExceptOnMono(MonoDefect.OversizedArrayOutOfMemory)]
    public void A_tar_header_that_overflows_the_parser_is_a_typed_error()
    {
        using var tmp = new TempDir();
        var input = tmp.File("overflow.tgz");
        File.WriteAllBytes(input, Convert.FromBase64String(OverflowingTarHeaderBase64));
        var e = Assert.Throws<EsxFormatException>(() => VibAuthor.Create(input, Request(), tmp.File("o.vib")));
        Assert.Equal(ErrorCodes.PackageSourceInvalid, e.Code);
        Assert.Empty(Directory.GetFiles(tmp.Path, "*.vib"));
    }

    // Found by the fuzzer in the net48 leg (oem target, seed 20261201, input 48): a gzip stream ending inside a tar
    // record makes SharpZipLib's tar buffer (the .NET Framework's path) throw ArgumentException, a decoder fault.
    private const string TarCutInsideARecordBase64 = "H04IAAAAAAAA/+zUPQ7CMAyGYXOTngABBgBCTTtnACgAnsds7sPFLPHZ5VDiFlNvovyTFo1z7yy2qc47sY2GTk397DBluKYtZ16AQ1sFEEAAAQYAQk07ZwAoAAA=";

    [Fact]
    public void A_gzip_stream_ending_inside_a_tar_record_is_a_typed_error()
    {
        using var tmp = new TempDir();
        var input = tmp.File("cut.tgz");
        File.WriteAllBytes(input, Convert.FromBase64String(TarCutInsideARecordBase64));
        var e = Assert.ThrowsAny<EsxException>(() => VibAuthor.Create(input, Request(), tmp.File("o.vib")));
        Assert.Contains("cut.tgz", e.Message);
        Assert.Empty(Directory.GetFiles(tmp.Path, "*.vib"));
    }

    [Fact]
    public void Tar_reading_and_writing_do_not_depend_on_what_the_shared_pool_holds()
    {
        // The .NET Framework's ArrayPool (Windows PowerShell 5.1; Mono here) rounds a 512-byte rent up to a pooled
        // 1024-byte array when its 512 bucket is empty, and SharpZipLib's tar then fails. Empty that bucket, stock
        // the next one, and author a VIB (tar read and tar.gz written).
        var pool = System.Buffers.ArrayPool<byte>.Shared;
        var held = Enumerable.Range(0, 200).Select(_ => pool.Rent(512)).ToList();
        try
        {
            for (int i = 0; i < 16; i++) pool.Return(new byte[1024]);
            using var tmp = new TempDir();
            var oem = OemTgz(tmp.Path);
            VibAuthor.Create(oem, Request(), tmp.File("pooled.vib"));
            Assert.True(new FileInfo(tmp.File("pooled.vib")).Length > 0);
        }
        finally { foreach (var b in held) pool.Return(b); }
    }

    [Fact]
    public void Bad_metadata_and_an_existing_output_are_refused_before_any_work()
    {
        using var tmp = new TempDir();
        var oem = OemTgz(tmp.Path);
        Assert.Equal(ErrorCodes.PackageMetadataInvalid, Assert.Throws<EsxException>(() => VibAuthor.Create(oem, Request() with { Version = "" }, tmp.File("a.vib"))).Code);
        Assert.Equal(ErrorCodes.PackageMetadataInvalid, Assert.Throws<EsxException>(() => VibAuthor.Create(oem, Request() with { Name = "net foo" }, tmp.File("a.vib"))).Code);
        Assert.Equal(ErrorCodes.PackageMetadataInvalid, Assert.Throws<EsxException>(() => VibAuthor.Create(oem, Request() with { Vendor = "" }, tmp.File("a.vib"))).Code);
        Assert.Equal(ErrorCodes.PackageMetadataInvalid, Assert.Throws<EsxException>(() => VibAuthor.Create(oem, Request() with { PayloadType = "zip" }, tmp.File("a.vib"))).Code);
        File.WriteAllText(tmp.File("keep.vib"), "keep");
        Assert.Equal(ErrorCodes.ExportDestinationExists, Assert.Throws<EsxException>(() => VibAuthor.Create(oem, Request(), tmp.File("keep.vib"))).Code);
        Assert.Equal("keep", File.ReadAllText(tmp.File("keep.vib")));
        Assert.Equal("Community_bootbank_net-foo_1.0.0-1", VibAuthor.Create(oem, Request(), tmp.File("keep.vib"), overwrite: true).Vib.Id);
    }

    [Fact]
    public void Unusual_and_system_paths_are_warned_about_not_refused()
    {
        using var tmp = new TempDir();
        var tar = tmp.File("odd.tar");
        File.WriteAllBytes(tar, RawTar(("./usr/lib/vmware/vmkmod/foo", '0', new byte[] { 1 }, null), ("/bin/evil", '0', new byte[] { 2 }, null),
                                      ("var/log/x", '0', new byte[] { 3 }, null)));
        var r = VibAuthor.Create(tar, Request(), tmp.File("odd.vib"));
        Assert.Equal(new[] { "bin/evil", "usr/lib/vmware/vmkmod/foo", "var/log/x" }, r.Vib.FileList);
        Assert.Equal(2, r.Warnings.Count);
        Assert.Contains(r.Warnings, w => w.Contains("'bin/evil'") && w.Contains("system files"));
        Assert.Contains(r.Warnings, w => w.Contains("'var/log/x'") && w.Contains("outside"));
    }
}
