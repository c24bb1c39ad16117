using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using ESXiImageTools.Core.Authoring;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.TestSupport;
using Xunit;

namespace ESXiImageTools.Core.Tests.Authoring;

/// <summary>
/// Package sources built to hurt (second hostile campaign, items 1, 3, 7, 9, 10, 11, 14): each is a typed error
/// naming the source, fast, with nothing written and no member silently dropped.
/// </summary>
public class HostileSourceTests
{
    private static VibAuthoringRequest Request() => new VibAuthoringRequest { Name = "net-foo", Version = "1.0.0-1", Vendor = "Lab" };

    private static EsxFormatException Refused(TempDir tmp, string source)
    {
        // Bounded in time: a source that blocks (a FIFO) must fail the test, not hang the run.
        var task = Task.Run(() => VibAuthor.Create(source, Request(), tmp.File("out.vib")));
        Assert.True(((IAsyncResult)task).AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(60)), "VibAuthor.Create did not return within 60 s");
        var e = Assert.IsAssignableFrom<EsxFormatException>(task.Exception?.InnerException);
        Assert.Equal(source, e.File);
        Assert.False(File.Exists(tmp.File("out.vib")));
        return e;
    }

    private static string Write(TempDir tmp, string name, byte[] bytes)
    {
        File.WriteAllBytes(tmp.File(name), bytes);
        return tmp.File(name);
    }

    private static readonly byte[] Module = Encoding.ASCII.GetBytes("vmkernel module");

    [Fact]
    public void A_pax_header_declaring_8_GiB_is_refused_without_reading_it()
    {
        using var tmp = new TempDir();
        var tgz = Write(tmp, "pax.tgz", new HostileTar().Header("PaxHeaders/x", 'x', 8L << 30).ToTgz());
        Assert.True(new FileInfo(tgz).Length < 200);
        var e = Refused(tmp, tgz);
        Assert.Equal(ErrorCodes.PackageSourceInvalid, e.Code);
        Assert.Contains("pax extended header declares 8589934592 bytes", e.Message);
    }

    [Fact]
    public void A_GNU_long_name_declaring_8_GiB_is_refused_at_once()
    {
        using var tmp = new TempDir();
        var tgz = Write(tmp, "longname.tgz", new HostileTar().Header("././@LongLink", 'L', 8L << 30, gnu: true).Bytes(new byte[4096]).ToTgz());
        var e = Refused(tmp, tgz);
        Assert.Contains("GNU long name header declares 8589934592 bytes", e.Message);
    }

    [Fact]
    public void A_member_cut_short_is_an_unexpected_end_not_zero_padding()
    {
        using var tmp = new TempDir();
        var tar = Write(tmp, "short.tar", new HostileTar().Header("usr/lib/vmware/vmkmod/foo", '0', 4096).Bytes(new byte[100]).ToArray());
        var e = Refused(tmp, tar);
        Assert.Contains("declares 4096 bytes and 100 are present", e.Message);
        Assert.Equal("usr/lib/vmware/vmkmod/foo", e.Member);
    }

    [Theory]
    [InlineData('S', "sparse")]
    [InlineData('M', "multi-volume")]
    [InlineData('V', "volume label")]
    public void Sparse_multi_volume_and_label_members_are_refused_by_name_never_dropped(char type, string said)
    {
        using var tmp = new TempDir();
        var tar = Write(tmp, "odd.tar", new HostileTar().File("usr/lib/vmware/vmkmod/ok", Module).Header("usr/lib/vmware/vmkmod/foo", type, 512, gnu: true)
            .Data(new byte[512]).End().ToArray());
        var e = Refused(tmp, tar);
        Assert.Contains(said, e.Message);
    }

    [Theory]
    [InlineData("GNU.sparse.major", "1")]
    [InlineData("GNU.sparse.map", "0,512")]
    [InlineData("GNU.sparse.size", "10485760")]
    public void Pax_sparse_records_are_refused_as_sparse(string key, string value)
    {
        using var tmp = new TempDir();
        var tar = Write(tmp, "paxsparse.tar", new HostileTar().Pax(false, (key, value), ("GNU.sparse.name", "usr/lib/vmware/vmkmod/foo"))
            .File("./GNUSparseFile.1/foo", new byte[512]).End().ToArray());
        var e = Refused(tmp, tar);
        Assert.Contains("sparse", e.Message);
        Assert.Contains("usr/lib/vmware/vmkmod/foo", e.Message);
    }

    [Fact]
    public void Pax_path_and_size_records_are_applied()
    {
        using var tmp = new TempDir();
        var longPath = "usr/lib/vmware/vmkmod/" + new string('d', 150) + "/module";
        var tar = Write(tmp, "pax.tar", new HostileTar().Pax(true, ("comment", "global")).Pax(false, ("path", longPath))
            .File("short-name", Module).End().ToArray());
        var r = VibAuthor.Create(tar, Request(), tmp.File("ok.vib"));
        Assert.Equal(new[] { longPath }, r.Vib.FileList);
    }

    [ToolFact("tar", "truncate")]
    public void Real_tar_sparse_output_is_refused_as_sparse_in_both_formats()
    {
        using var tmp = new TempDir();
        var root = Directory.CreateDirectory(tmp.File("root/usr/lib/vmware/vmkmod")).FullName;
        var driver = Path.Combine(root, "drv");
        // 10 MB with data at both ends and a hole between: sparse on the file systems tar --sparse detects holes on.
        using (var fs = new FileStream(driver, FileMode.Create))
        {
            fs.Write(Module, 0, Module.Length);
            fs.SetLength(10 << 20);
            fs.Position = (10 << 20) - Module.Length;
            fs.Write(Module, 0, Module.Length);
        }
        foreach (var format in new[] { "gnu", "pax" })
        {
            var tgz = tmp.File($"sparse-{format}.tgz");
            var r = ExternalTools.Run("tar", $"--sparse --format={format} -czf \"{tgz}\" -C \"{tmp.File("root")}\" usr");
            Assert.True(r.ExitCode == 0, r.Stderr);
            var listing = ExternalTools.Run("tar", $"-tvzf \"{tgz}\"").Stdout;
            Assert.Contains("drv", listing);
            var e = Refused(tmp, tgz);
            Assert.Contains("sparse", e.Message);
        }
    }

    [Theory]
    [InlineData('3', "character device")]
    [InlineData('4', "block device")]
    [InlineData('6', "FIFO")]
    public void Device_and_fifo_members_are_refused(char type, string said)
    {
        using var tmp = new TempDir();
        var tar = Write(tmp, "dev.tar", new HostileTar().File("etc/ok", Module).Header("dev/sda", type, 0).End().ToArray());
        var e = Refused(tmp, tar);
        Assert.Equal(ErrorCodes.PackageSourceUnsafePath, e.Code);
        Assert.Contains(said, e.Message);
    }

    [Fact]
    public void A_bad_header_checksum_is_refused()
    {
        using var tmp = new TempDir();
        var bytes = new HostileTar().File("etc/ok", Module).End().ToArray();
        bytes[0] ^= 0x20;
        var e = Refused(tmp, Write(tmp, "sum.tar", bytes));
        Assert.Contains("checksum", e.Message);
    }

    [ToolFact("mkfifo")]
    public void A_fifo_in_a_folder_or_as_the_source_is_refused_without_blocking()
    {
        using var tmp = new TempDir();
        var folder = Directory.CreateDirectory(tmp.File("src/usr/lib/vmware/vmkmod")).FullName;
        File.WriteAllBytes(Path.Combine(folder, "drv"), Module);
        HostileFiles.Fifo(Path.Combine(folder, "pipe"));
        var e = Refused(tmp, tmp.File("src"));
        Assert.Contains("FIFO", e.Message);
        Assert.Equal("usr/lib/vmware/vmkmod/pipe", e.Member);

        var pipe = HostileFiles.Fifo(tmp.File("pipe.tgz"));
        Assert.Contains("FIFO", Refused(tmp, pipe).Message);
        Assert.False(PackageSourceTree.IsPackageSource(pipe));
    }

    [Fact]
    public void Proc_files_are_never_packaged_as_empty_files()
    {
        using var tmp = new TempDir();
        // /proc files list as 0 bytes but read as more: refused, not packaged empty.
        var proc = "/proc/sys/kernel/random";
        if (!Directory.Exists(proc)) return; // not Linux: no /proc
        var e = Refused(tmp, proc);
        Assert.Contains("/proc", e.Message);
    }

    [ToolFact("mknod")]
    public void A_device_node_in_a_folder_is_refused()
    {
        using var tmp = new TempDir();
        var folder = Directory.CreateDirectory(tmp.File("src/etc")).FullName;
        File.WriteAllBytes(Path.Combine(folder, "ok"), Module);
        var r = ExternalTools.Run("mknod", $"\"{Path.Combine(folder, "null")}\" c 1 3");
        if (r.ExitCode != 0)
        {
            // Not root: no device node can be made here; /dev itself then stands in for a folder of devices.
            Assert.Equal(ErrorCodes.PackageSourceUnsafePath, Refused(tmp, "/dev").Code);
            return;
        }
        var e = Refused(tmp, tmp.File("src"));
        Assert.Contains("character device", e.Message);
        Assert.Equal("etc/null", e.Member);
    }

    [Fact]
    public void A_folder_nested_deeper_than_the_bound_is_a_typed_error()
    {
        using var tmp = new TempDir();
        var path = tmp.File("src");
        for (int i = 0; i < 100; i++) path = Path.Combine(path, "d");
        Directory.CreateDirectory(path);
        File.WriteAllBytes(Path.Combine(path, "f"), Module);
        var e = Refused(tmp, tmp.File("src"));
        Assert.Contains("nested deeper than 64 folders", e.Message);
    }

    [ToolFact("sh")]
    public void A_file_name_that_is_not_UTF8_is_reported_as_such()
    {
        using var tmp = new TempDir();
        var folder = Directory.CreateDirectory(tmp.File("src/etc")).FullName;
        var r = ExternalTools.Run("sh", "-c \"touch \\\"$(printf 'bad\\377name')\\\"\"", workDir: folder);
        Assert.True(r.ExitCode == 0, r.Stderr);
        var e = Refused(tmp, tmp.File("src"));
        Assert.Contains("not valid UTF-8", e.Message);
        Assert.DoesNotContain("symbolic link", e.Message);
    }

#if NET
    [Fact]
    public void A_socket_in_a_folder_or_as_the_source_is_an_input_error()
    {
        if (OperatingSystem.IsWindows()) return; // Unix-domain sockets in folders are a Unix matter
        using var tmp = new TempDir();
        var folder = Directory.CreateDirectory(tmp.File("src/etc")).FullName;
        File.WriteAllBytes(Path.Combine(folder, "ok"), Module);
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
        socket.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(Path.Combine(folder, "sock")));
        Assert.Contains("socket", Refused(tmp, tmp.File("src")).Message);
        Assert.Contains("socket", Refused(tmp, Path.Combine(folder, "sock")).Message);
    }
#endif

    [Fact]
    public void A_large_all_zero_file_is_packaged_and_the_result_reads_back_past_the_bomb_ratio()
    {
        using var tmp = new TempDir();
        var folder = Directory.CreateDirectory(tmp.File("src/usr/lib/vmware/vmkmod")).FullName;
        // 64 MiB of zeros (sparse on disk): gzip shrinks it about 1000 times, five times the bomb ratio.
        using (var fs = new FileStream(Path.Combine(folder, "zeros"), FileMode.Create)) fs.SetLength(64L << 20);
        var r = VibAuthor.Create(tmp.File("src"), Request(), tmp.File("zeros.vib"));
        var payload = r.Vib.Payloads.Single();
        Assert.True(ESXiImageTools.Core.Packages.PayloadVerifier.ExceedsRatio(payload.Size, payload.InstallSize ?? 0), "the payload should be past the ratio");
        Assert.True(payload.InstallSize >= 64L << 20);
        // Read back as every reader does: the declared expanded size lets it through; checksums all match.
        ESXiImageTools.Core.Packages.VibVerifier.VerifyAll(r.Vib);
        using (var s = new ESXiImageTools.Core.Packages.GunzipVerifyingReadStream(r.Vib.Content.OpenPayload(payload), payload, r.Vib.Id, r.Path)) s.CopyTo(Stream.Null);
        // The same bytes without the declaration are still stopped as a bomb.
        var undeclared = payload with { InstallSize = null };
        using var stored = r.Vib.Content.OpenPayload(payload);
        var e = Assert.ThrowsAny<EsxException>(() => ESXiImageTools.Core.Packages.PayloadVerifier.Verify(undeclared, stored, r.Vib.Id, r.Path));
        Assert.Contains("gzip bomb", e.Message);
    }
}
