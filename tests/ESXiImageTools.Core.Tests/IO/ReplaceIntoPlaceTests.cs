using System;
using System.IO;
using System.Linq;
using System.Threading;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.IO;
using ESXiImageTools.TestSupport;
using Xunit;

namespace ESXiImageTools.Core.Tests.IO;

public class ReplaceIntoPlaceTests
{
    private static void Write(Stream s) => s.Write(new byte[] { 1, 2, 3 }, 0, 3);

    [ToolFact("mkfifo")]
    public void FileKind_tells_regular_files_from_folders_links_fifos_and_devices()
    {
        using var tmp = new TempDir();
        File.WriteAllText(tmp.File("f"), "x");
        HostileFiles.Symlink(tmp.File("link"), tmp.File("f"));
        HostileFiles.Fifo(tmp.File("pipe"));
        Assert.Equal(FileKindType.Regular, FileKind.Of(tmp.File("f")));
        Assert.Equal(FileKindType.Directory, FileKind.Of(tmp.Path));
        Assert.Equal(FileKindType.SymbolicLink, FileKind.Of(tmp.File("link")));
        Assert.Equal(FileKindType.Fifo, FileKind.Of(tmp.File("pipe")));
        Assert.Equal(FileKindType.CharacterDevice, FileKind.Of("/dev/null"));
        Assert.Equal(FileKindType.Missing, FileKind.Of(tmp.File("none")));
        Assert.Equal(FileKindType.Missing, FileKind.Of(tmp.File("f/under-a-file")));
    }

    [ToolFact("mkfifo")]
    public void Force_replaces_only_a_regular_file_never_a_device_fifo_or_link()
    {
        using var tmp = new TempDir();
        File.WriteAllText(tmp.File("target"), "keep");
        HostileFiles.Symlink(tmp.File("link.iso"), tmp.File("target"));
        HostileFiles.Fifo(tmp.File("pipe.iso"));
        foreach (var dest in new[] { "/dev/null", "/dev/full", tmp.File("link.iso"), tmp.File("pipe.iso") })
        {
            var kind = FileKind.Of(dest);
            // A device seen as a regular file would be replaced by the write below: stop before it.
            if (dest.StartsWith("/dev/", StringComparison.Ordinal)) Assert.Equal(FileKindType.CharacterDevice, kind);
            var e = Assert.Throws<EsxException>(() => AtomicFileWriter.Write(dest, true, (s, _) => Write(s)));
            Assert.Equal(ErrorCodes.ExportDestinationNotAFile, e.Code);
            Assert.Contains(dest, e.Message);
            Assert.Contains("only a regular file", e.Message);
            Assert.Equal(kind, FileKind.Of(dest)); // untouched
        }
        Assert.Equal("keep", File.ReadAllText(tmp.File("target")));
        Assert.Equal(FileKindType.SymbolicLink, FileKind.Of(tmp.File("link.iso")));
        Assert.Equal(new[] { "link.iso", "pipe.iso", "target" }, Directory.GetFileSystemEntries(tmp.Path).Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal));
    }

    [Fact]
    public void A_name_of_249_characters_is_written_and_its_stale_temp_files_are_found()
    {
        using var tmp = new TempDir();
        var name = new string('n', 245) + ".iso";
        Assert.Equal(249, name.Length);
        var dest = tmp.File(name);
        AtomicFileWriter.Write(dest, false, (s, _) => Write(s));
        Assert.Equal(new byte[] { 1, 2, 3 }, File.ReadAllBytes(dest));
        Assert.Single(Directory.GetFileSystemEntries(tmp.Path));

        // A killed writer's temp file for that name (cut to fit 255 bytes) is removed by the next write.
        var stale = tmp.File("." + name.Substring(0, 255 - 14) + ".0123abcd.tmp");
        File.WriteAllText(stale, "left by a killed run");
        Assert.Equal(255, Path.GetFileName(stale).Length);
        AtomicFileWriter.Write(dest, true, (s, _) => Write(s));
        Assert.False(File.Exists(stale));
        Assert.Single(Directory.GetFileSystemEntries(tmp.Path));
    }

    [Fact]
    public void A_multibyte_name_near_the_limit_gets_a_temp_name_within_255_bytes()
    {
        using var tmp = new TempDir();
        var name = string.Concat(Enumerable.Repeat("é", 120)) + ".zip"; // 244 bytes of UTF-8
        var dest = tmp.File(name);
        string seen = null;
        AtomicFileWriter.Write(dest, false, (s, _) => { seen = Directory.GetFiles(tmp.Path).Single(); Write(s); });
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(Path.GetFileName(seen)) <= 255);
        Assert.True(File.Exists(dest));
    }

    private static IOException SharingViolation() => new IOException("The process cannot access the file because it is being used by another process.", unchecked((int)0x80070020));

    [Fact]
    public void A_sharing_violation_is_retried_and_the_replace_then_succeeds()
    {
        using var tmp = new TempDir();
        File.WriteAllText(tmp.File("a.tmp"), "new");
        File.WriteAllText(tmp.File("a.iso"), "old");
        int calls = 0;
        FileReplacer.Replace(tmp.File("a.tmp"), tmp.File("a.iso"), (t, d) =>
        {
            if (++calls < 3) throw SharingViolation();
            File.Replace(t, d, null);
        }, new[] { TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(1) }, CancellationToken.None);
        Assert.Equal(3, calls);
        Assert.Equal("new", File.ReadAllText(tmp.File("a.iso")));
    }

    [Fact]
    public void A_file_held_open_past_the_retries_is_a_typed_error_naming_it_and_nothing_is_lost()
    {
        using var tmp = new TempDir();
        File.WriteAllText(tmp.File("a.tmp"), "new");
        File.WriteAllText(tmp.File("a.iso"), "old");
        int calls = 0;
        var e = Assert.Throws<EsxException>(() => FileReplacer.Replace(tmp.File("a.tmp"), tmp.File("a.iso"), (_, _) => { calls++; throw SharingViolation(); },
            new[] { TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(1) }, CancellationToken.None));
        Assert.Equal(3, calls);
        Assert.Equal(ErrorCodes.FileInUse, e.Code);
        Assert.Equal(EsxErrorCategory.WriteError, e.Category);
        Assert.Contains(tmp.File("a.iso"), e.Message);
        Assert.Contains("in use", e.Message);
        Assert.Equal("old", File.ReadAllText(tmp.File("a.iso")));
        Assert.Equal("new", File.ReadAllText(tmp.File("a.tmp")));
    }

    [Fact]
    public void Other_io_errors_are_not_retried()
    {
        int calls = 0;
        Assert.Throws<IOException>(() => FileReplacer.Replace("a", "b", (_, _) => { calls++; throw new IOException("disk full", unchecked((int)0x80070070)); },
            new[] { TimeSpan.FromMilliseconds(1) }, CancellationToken.None));
        Assert.Equal(1, calls);
    }

    [Fact]
    public void Replace_moves_into_place_whether_or_not_the_destination_exists()
    {
        using var tmp = new TempDir();
        File.WriteAllText(tmp.File("1.tmp"), "one");
        FileReplacer.Replace(tmp.File("1.tmp"), tmp.File("x"));
        File.WriteAllText(tmp.File("2.tmp"), "two");
        FileReplacer.Replace(tmp.File("2.tmp"), tmp.File("x"));
        Assert.Equal("two", File.ReadAllText(tmp.File("x")));
        Assert.Single(Directory.GetFiles(tmp.Path));
    }

    [Fact]
    public void Work_folders_a_killed_run_left_are_removed_by_a_later_run_but_live_ones_and_others_stay()
    {
        using var tmp = new TempDir();
        // Killed runs: a lock file nobody holds; an older version's folder without one, two hours old.
        foreach (var kind in new[] { "vib", "customize", "export" })
        {
            var stale = Directory.CreateDirectory(tmp.File($"esxit-{kind}-0123456789")).FullName;
            File.WriteAllText(Path.Combine(stale, WorkDirectory.LockFileName), "");
            File.SetLastWriteTimeUtc(Path.Combine(stale, WorkDirectory.LockFileName), DateTime.UtcNow.AddMinutes(-5));
            File.WriteAllText(Path.Combine(stale, "payload"), "big");
        }
        var legacy = Directory.CreateDirectory(tmp.File("esxit-src-abcdefabcd")).FullName;
        Directory.SetLastWriteTimeUtc(legacy, DateTime.UtcNow.AddHours(-2));
        var recentLegacy = Directory.CreateDirectory(tmp.File("esxit-vib-abcdefabce")).FullName;
        var notOurs = Directory.CreateDirectory(tmp.File("esxit-fuzz-findings")).FullName;
        var notOurs2 = Directory.CreateDirectory(tmp.File("esxit-vib-notahexname")).FullName;
        Directory.SetLastWriteTimeUtc(notOurs2, DateTime.UtcNow.AddHours(-2));

        var young = Directory.CreateDirectory(tmp.File("esxit-vib-abcdefabcf")).FullName; // a run starting right now
        File.WriteAllText(Path.Combine(young, WorkDirectory.LockFileName), "");
        using var live = WorkDirectory.Create("export", tmp.Path);
        Assert.True(Directory.Exists(live.Path));
        var left = Directory.GetDirectories(tmp.Path).Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal).ToArray();
        Assert.Equal(new[] { Path.GetFileName(live.Path), "esxit-fuzz-findings", "esxit-vib-abcdefabce", "esxit-vib-abcdefabcf", "esxit-vib-notahexname" }.OrderBy(n => n, StringComparer.Ordinal), left);

        // A live folder (its lock held, however old) survives another run's sweep; disposing removes it.
        File.SetLastWriteTimeUtc(Path.Combine(live.Path, WorkDirectory.LockFileName), DateTime.UtcNow.AddMinutes(-5));
        Assert.Equal(0, CacheJanitor.RemoveStaleWorkDirectories(tmp.Path));
        Assert.True(Directory.Exists(live.Path));
        live.Dispose();
        Assert.False(Directory.Exists(live.Path));
    }
}
