using System;
using System.IO;
using System.Linq;
using System.Threading;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.IO;
using ESXiImageTools.TestSupport;
using Xunit;

namespace ESXiImageTools.Core.Tests.IO;

public class AtomicFileWriterTests
{
    private static void WriteText(Stream s, string text) { var b = System.Text.Encoding.ASCII.GetBytes(text); s.Write(b, 0, b.Length); }

    [Fact]
    public void WritesNewFileAndLeavesNoTemp()
    {
        using var tmp = new TempDir();
        var dest = tmp.File("a.iso");
        AtomicFileWriter.Write(dest, false, (s, _) => WriteText(s, "hello"));
        Assert.Equal("hello", File.ReadAllText(dest));
        Assert.Single(Directory.GetFileSystemEntries(tmp.Path));
    }

    [Fact]
    public void ExistingDestinationIsRefusedBeforeAnyWorkUnlessOverwrite()
    {
        using var tmp = new TempDir();
        var dest = tmp.File("a.iso");
        File.WriteAllText(dest, "old");
        bool called = false;
        var e = Assert.Throws<EsxException>(() => AtomicFileWriter.Write(dest, false, (s, _) => called = true));
        Assert.Equal(ErrorCodes.ExportDestinationExists, e.Code);
        Assert.Equal(EsxErrorCategory.ResourceExists, e.Category);
        Assert.False(called);
        Assert.Equal("old", File.ReadAllText(dest));

        AtomicFileWriter.Write(dest, true, (s, _) => WriteText(s, "new"));
        Assert.Equal("new", File.ReadAllText(dest));
        Assert.Single(Directory.GetFileSystemEntries(tmp.Path));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void WithOrWithoutFlushingToDiskTheWriteIsAllOrNothing(bool flushToDisk)
    {
        using var tmp = new TempDir();
        var dest = tmp.File("a.iso");
        File.WriteAllText(dest, "old");
        Stream seen = null;
        Assert.Throws<InvalidDataException>(() => AtomicFileWriter.Write(dest, true, flushToDisk,
            (s, _) => { WriteText(s, "partial"); throw new InvalidDataException("boom"); }));
        using (var cts = new CancellationTokenSource())
            Assert.ThrowsAny<OperationCanceledException>(() => AtomicFileWriter.Write(dest, true, flushToDisk,
                (s, ct) => { WriteText(s, "partial"); cts.Cancel(); ct.ThrowIfCancellationRequested(); }, cts.Token));
        Assert.Equal("old", File.ReadAllText(dest));
        Assert.Single(Directory.GetFileSystemEntries(tmp.Path));

        AtomicFileWriter.Write(dest, true, flushToDisk, (s, _) => { seen = s; WriteText(s, "new"); });
        Assert.Equal("new", File.ReadAllText(dest));
        Assert.Single(Directory.GetFileSystemEntries(tmp.Path));
        // Only the flushing mode hands the writer the stream that flushes in the background (and fsyncs at the end).
        Assert.Equal(flushToDisk, seen is BackgroundFlushStream);
    }

    [Fact]
    public void FailureDeletesTempAndKeepsDestination()
    {
        using var tmp = new TempDir();
        var dest = tmp.File("a.iso");
        File.WriteAllText(dest, "old");
        Assert.Throws<InvalidDataException>(() => AtomicFileWriter.Write(dest, true, (s, _) => { WriteText(s, "partial"); throw new InvalidDataException("boom"); }));
        Assert.Equal("old", File.ReadAllText(dest));
        Assert.Single(Directory.GetFileSystemEntries(tmp.Path));

        var fresh = tmp.File("b.iso");
        Assert.Throws<InvalidDataException>(() => AtomicFileWriter.Write(fresh, false, (s, _) => throw new InvalidDataException("boom")));
        Assert.False(File.Exists(fresh));
        Assert.Single(Directory.GetFileSystemEntries(tmp.Path));
    }

    [Fact]
    public void CancellationDeletesTempAndKeepsDestination()
    {
        using var tmp = new TempDir();
        var dest = tmp.File("a.iso");
        File.WriteAllText(dest, "old");
        using var cts = new CancellationTokenSource();
        Assert.ThrowsAny<OperationCanceledException>(() => AtomicFileWriter.Write(dest, true, (s, ct) =>
        {
            WriteText(s, "partial");
            cts.Cancel();     // cancelled after the writer returns normally: still not committed
        }, cts.Token));
        Assert.Equal("old", File.ReadAllText(dest));
        Assert.Single(Directory.GetFileSystemEntries(tmp.Path));
    }

    [Fact]
    public void MissingFolderAndDirectoryDestinationAreErrors()
    {
        using var tmp = new TempDir();
        Assert.Equal(ErrorCodes.FileNotFound, Assert.Throws<EsxException>(() => AtomicFileWriter.Write(tmp.File("no/such/a.iso"), false, (s, _) => { })).Code);
        Directory.CreateDirectory(tmp.File("dir"));
        Assert.Equal(ErrorCodes.ExportDestinationExists, Assert.Throws<EsxException>(() => AtomicFileWriter.Write(tmp.File("dir"), true, (s, _) => { })).Code);
    }

    [Fact]
    public void LargeWritesGoThroughTheBackgroundFlusherIntact()
    {
        using var tmp = new TempDir();
        var dest = tmp.File("big.bin");
        var chunk = new byte[1024 * 1024 + 7];   // odd size: flush points fall mid-chunk
        new Random(5).NextBytes(chunk);
        int chunks = 80;                          // ~80 MiB: two background flushes
        using var expected = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        AtomicFileWriter.Write(dest, false, (s, _) =>
        {
            for (int i = 0; i < chunks; i++) { chunk[0] = (byte)i; s.Write(chunk, 0, chunk.Length); expected.AppendData(chunk); }
        });
        Assert.Equal((long)chunk.Length * chunks, new FileInfo(dest).Length);
        using var f = File.OpenRead(dest);
        Assert.Equal(expected.GetHashAndReset(), System.Security.Cryptography.SHA256.HashData(f));
        Assert.Single(Directory.GetFileSystemEntries(tmp.Path));
    }

    [Fact]
    public void A_later_write_removes_temp_files_a_killed_writer_left_but_keeps_a_live_writers()
    {
        using var tmp = new TempDir();
        var dest = tmp.File("a.iso");
        var stale = tmp.File(".a.iso.0123abcd.tmp");   // what kill -9 leaves behind
        File.WriteAllText(stale, "half-written");
        var live = tmp.File(".a.iso.89ef4567.tmp");    // a concurrent writer, still open as AtomicFileWriter holds it
        var other = tmp.File(".b.iso.0123abcd.tmp");   // another destination's
        var notOurs = tmp.File(".a.iso.backup.tmp");   // not our naming
        File.WriteAllText(other, "x");
        File.WriteAllText(notOurs, "x");
        using (var holder = new FileStream(live, FileMode.CreateNew, FileAccess.Write, FileShare.ReadWrite))
        {
            AtomicFileWriter.Write(dest, false, (s, _) => WriteText(s, "new"));
            Assert.False(File.Exists(stale));
            Assert.True(File.Exists(live));
        }
        Assert.True(File.Exists(other));
        Assert.True(File.Exists(notOurs));
        Assert.Equal("new", File.ReadAllText(dest));
        Assert.Equal(1, AtomicFileWriter.RemoveStaleTempFiles(dest)); // the live writer has gone: now it is stale
    }
}
