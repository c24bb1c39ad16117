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
}
