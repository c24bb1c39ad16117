using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.IO;
using ESXiImageTools.Core.Packages;
using ICSharpCode.SharpZipLib.GZip;

namespace ESXiImageTools.Core.Authoring;

/// <summary>One regular file of a <see cref="PackageSourceTree"/>: where it goes on the host and where its bytes are now.</summary>
public sealed class SourceFile
{
    public SourceFile(string path, long size, bool executable, string localPath)
    {
        Path = path;
        Size = size;
        Executable = executable;
        LocalPath = localPath;
    }

    /// <summary>The path on the ESXi host, relative to its root, '/'-separated (as in a descriptor's file-list).</summary>
    public string Path { get; }
    public long Size { get; }

    /// <summary>Whether any execute bit was set in the source (tar modes; folders on Unix hosts with .NET 7 or later).</summary>
    public bool Executable { get; }

    /// <summary>The file on this machine holding the bytes (the folder's own file, or the staged copy of an archive member).</summary>
    public string LocalPath { get; }

    public override string ToString() => Path;
}

/// <summary>Bounds on what a package source may hold.</summary>
public sealed record PackageSourceLimits
{
    public static PackageSourceLimits Default { get; } = new PackageSourceLimits();

    /// <summary>Most archive entries or folder files read.</summary>
    public int MaxEntries { get; init; } = 100_000;

    /// <summary>Largest single file (a vmkernel module is a few MiB).</summary>
    public long MaxFileBytes { get; init; } = 4L << 30;

    /// <summary>Most bytes staged from one archive, so a decompression bomb cannot fill the disk.</summary>
    public long MaxTotalBytes { get; init; } = 8L << 30;

    /// <summary>Deepest folder nesting (a host path is a handful of folders deep; the OS path limit comes long after).</summary>
    public int MaxDepth { get; init; } = 64;
}

/// <summary>
/// The files of a driver package before it is a VIB: an OEM.tgz (the community driver form: a vmkernel module under
/// usr/lib/vmware/vmkmod/, a map under etc/vmware/driver.map.d/, PCI ids under usr/share/hwdata/driver.pciids.d/), a plain
/// tar, or a folder tree laid out like the host's root. Archives are checked and staged into a work folder (streamed,
/// bounded); a path that would leave the root, a link or a device is refused with a typed error naming the source and the
/// member. The source itself is only read.
/// </summary>
public sealed class PackageSourceTree : IDisposable
{
    private readonly string _staging;
    private readonly IDisposable _workDirectory;

    private PackageSourceTree(string source, string kind, IReadOnlyList<SourceFile> files, string staging, IDisposable workDirectory = null)
    {
        Source = source;
        Kind = kind;
        Files = files;
        _staging = staging;
        _workDirectory = workDirectory;
    }

    /// <summary>The OEM.tgz, tar or folder read.</summary>
    public string Source { get; }

    /// <summary><c>tgz</c>, <c>tar</c> or <c>folder</c>.</summary>
    public string Kind { get; }

    /// <summary>The regular files, sorted by path (ordinal), as the descriptor's file-list lists them.</summary>
    public IReadOnlyList<SourceFile> Files { get; }

    /// <summary>Every folder the files need (parents included), sorted, without a trailing '/'.</summary>
    public IReadOnlyList<string> Directories => Files.SelectMany(f => Parents(f.Path)).Distinct(StringComparer.Ordinal).OrderBy(d => d, StringComparer.Ordinal).ToList();

    /// <summary>Whether <paramref name="path"/> is a folder, or a file starting like a gzip'd or plain tar archive.</summary>
    public static bool IsPackageSource(string path)
    {
        var kind = FileKind.OfTarget(path);
        if (kind == FileKindType.Directory) return true;
        if (kind != FileKindType.Regular) return false; // a FIFO would block the open below
        var head = new byte[VmTar.BlockSize];
        int n;
        using (var fs = File.OpenRead(path)) n = StreamUtil.ReadFully(fs, head, 0, head.Length);
        return (n >= 2 && head[0] == 0x1F && head[1] == 0x8B) || (n == VmTar.BlockSize && VmTar.IsUstarHeader(head));
    }

    /// <summary>
    /// Reads <paramref name="source"/>. An archive's files are staged under <paramref name="workDir"/> (deleted on
    /// <see cref="Dispose"/>); a folder's files are used in place.
    /// </summary>
    public static PackageSourceTree Open(string source, string workDir, PackageSourceLimits limits = null, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(source)) throw new ArgumentNullException(nameof(source));
        limits ??= PackageSourceLimits.Default;
        var full = Path.GetFullPath(source);
        var kind = FileKind.Of(full);
        if (kind == FileKindType.Directory) return OpenFolder(full, limits, cancellationToken);
        if (kind == FileKindType.Missing)
            throw new EsxException(ErrorCodes.FileNotFound, EsxErrorCategory.ObjectNotFound, $"{full}: no such file or folder", full);
        // A FIFO would block the open until a writer comes, a device reads forever: refused before any open.
        if (kind != FileKindType.Regular && kind != FileKindType.SymbolicLink)
            throw Invalid(full, null, $"is {FileKind.Describe(kind)}, not a tgz, tar or folder");
        if (kind == FileKindType.SymbolicLink && FileKind.OfTarget(full) != FileKindType.Regular)
            throw Invalid(full, null, "is a symbolic link to something that is not a regular file");
        IDisposable owned = null;
        string staging;
        if (workDir == null)
        {
            var wd = WorkDirectory.Create("src");
            owned = wd;
            staging = wd.Path;
        }
        else
        {
            staging = Path.Combine(workDir, "src-" + Guid.NewGuid().ToString("N").Substring(0, 10));
            Directory.CreateDirectory(staging);
        }
        try
        {
            using var fs = OpenSource(full, full, null);
            var head = new byte[2];
            int n = StreamUtil.ReadFully(fs, head, 0, 2);
            fs.Position = 0;
            bool gzip = n == 2 && head[0] == 0x1F && head[1] == 0x8B;
            Stream raw = gzip ? new GZipInputStream(fs) { IsStreamOwner = false } : fs;
            try
            {
                var files = ReadTar(raw, full, staging, limits, cancellationToken);
                return new PackageSourceTree(full, gzip ? "tgz" : "tar", files, staging, owned);
            }
            finally
            {
                if (gzip) raw.Dispose();
            }
        }
        catch
        {
            TryDelete(staging);
            owned?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Opens a source file for reading; a file that cannot be read (permissions, a vanished file) is a typed input
    /// error naming it, not an output failure.
    /// </summary>
    internal static FileStream OpenSource(string localPath, string source, string member)
    {
        try { return new FileStream(localPath, FileMode.Open, FileAccess.Read, FileShare.Read, 81920); }
        catch (UnauthorizedAccessException e) { throw Invalid(source, member, "cannot be read: permission denied", e); }
        catch (FileNotFoundException e) { throw Invalid(source, member, "vanished while it was read", e); }
        catch (IOException e) when (!(e is PathTooLongException)) { throw Invalid(source, member, "cannot be read: " + e.Message, e); }
    }

    private static PackageSourceTree OpenFolder(string folder, PackageSourceLimits limits, CancellationToken ct)
    {
        var files = new List<SourceFile>();
        long total = 0;
        var pending = new Stack<(string Path, int Depth)>();
        pending.Push((folder, 0));
        while (pending.Count > 0)
        {
            ct.ThrowIfCancellationRequested();
            var (dir, depth) = pending.Pop();
            IEnumerable<FileSystemInfo> entries;
            try { entries = new DirectoryInfo(dir).EnumerateFileSystemInfos().ToList(); }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw Invalid(folder, Relative(folder, dir), "cannot be listed: " + e.Message, e);
            }
            foreach (var entry in entries)
            {
                var rel = Relative(folder, entry.FullName);
                // Asked of the file system itself (lstat): FileSystemInfo cannot tell a FIFO or a device from a file.
                var kind = FileKind.Of(entry.FullName);
                switch (kind)
                {
                    case FileKindType.Directory:
                        if (depth + 1 > limits.MaxDepth) throw Invalid(folder, rel, $"is nested deeper than {limits.MaxDepth} folders");
                        pending.Push((entry.FullName, depth + 1));
                        continue;
                    case FileKindType.Regular:
                        break;
                    case FileKindType.SymbolicLink:
                        // A link could point anywhere on this machine; its target is not part of the tree.
                        throw Unsafe(folder, rel, "is a symbolic link or junction; a package is built from regular files only");
                    case FileKindType.Unknown when rel.IndexOf('\uFFFD') >= 0:
                    case FileKindType.Missing when rel.IndexOf('\uFFFD') >= 0:
                        throw Invalid(folder, rel, "has a file name that is not valid UTF-8; a package path must be UTF-8");
                    case FileKindType.Missing:
                        throw Invalid(folder, rel, "vanished while the folder was read");
                    default:
                        throw Unsafe(folder, rel, $"is {FileKind.Describe(kind)}; a package is built from regular files only");
                }
                var fi = (FileInfo)entry;
                var path = CheckPath(folder, rel);
                if (files.Count >= limits.MaxEntries) throw Invalid(folder, null, $"holds more than {limits.MaxEntries} files");
                if (fi.Length > limits.MaxFileBytes) throw Invalid(folder, rel, $"is {fi.Length} bytes, over the {limits.MaxFileBytes} byte bound");
                if ((total += fi.Length) > limits.MaxTotalBytes) throw Invalid(folder, null, $"holds more than {limits.MaxTotalBytes} bytes");
                files.Add(new SourceFile(path, fi.Length, IsExecutable(fi.FullName), fi.FullName));
            }
        }
        return new PackageSourceTree(folder, "folder", Finish(folder, files), null);
    }

    private static string Relative(string folder, string path) => path.Substring(folder.Length).Replace('\\', '/').TrimStart('/');

    // netstandard2.0 has no API for Unix modes; .NET 7+ hosts (pwsh 7.4+, the CLI) have File.GetUnixFileMode. On Windows
    // no file has one; the null branch (nothing executable) is also the .NET Framework's, which the net48 test leg runs.
    private static readonly System.Reflection.MethodInfo UnixFileMode =
        System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Windows)
            ? null : typeof(File).GetMethod("GetUnixFileMode", new[] { typeof(string) });

    private static bool IsExecutable(string file)
    {
        if (UnixFileMode == null) return false;
        try { return (System.Convert.ToInt32(UnixFileMode.Invoke(null, new object[] { file })) & 0x49) != 0; }
        catch (System.Reflection.TargetInvocationException) { return false; }
    }

    private static IReadOnlyList<SourceFile> ReadTar(Stream raw, string source, string staging, PackageSourceLimits limits, CancellationToken ct)
    {
        var files = new List<SourceFile>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        long total = 0;
        int count = 0;
        try
        {
            var tar = new TarReader(raw, source);
            TarMember e;
            while ((e = tar.Next(ct)) != null)
            {
                if (++count > limits.MaxEntries) throw Invalid(source, null, $"holds more than {limits.MaxEntries} entries");
                var name = e.Name ?? "";
                var flag = e.TypeFlag;
                if (e.IsDirectory)
                {
                    var dir = PayloadEntry.NormalizePath(name);
                    if (dir.Length > 0 && dir != ".") CheckDepth(source, CheckPath(source, dir), limits);
                    continue;
                }
                if (flag == '1' || flag == '2')
                    throw Unsafe(source, name, $"is a {(flag == '1' ? "hard" : "symbolic")} link to '{e.LinkName}'; a package is built from regular files only");
                if (flag == '3' || flag == '4' || flag == '6')
                    throw Unsafe(source, name, $"is a {(flag == '3' ? "character device" : flag == '4' ? "block device" : "FIFO (named pipe)")}; a package is built from regular files only");
                if (!e.IsFile)
                    throw Invalid(source, name, $"has tar type '{flag}', which is not a regular file or folder");
                var path = CheckDepth(source, CheckPath(source, name), limits);
                if (!seen.Add(path)) throw Invalid(source, name, "appears more than once in the archive");
                if (e.Size > limits.MaxFileBytes) throw Invalid(source, name, $"is {e.Size} bytes, over the {limits.MaxFileBytes} byte bound");
                if ((total += e.Size) > limits.MaxTotalBytes) throw Invalid(source, null, $"holds more than {limits.MaxTotalBytes} bytes");
                var local = Path.Combine(staging, "f" + files.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
                using (var target = new FileStream(local, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920))
                    tar.CopyContent(target, ct);
                files.Add(new SourceFile(path, e.Size, (e.Mode & 0x49) != 0, local));
            }
        }
        catch (EsxFormatException e) when (e.Code == ErrorCodes.TarInvalid)
        {
            throw Invalid(source, e.Member, e.Problem, e);
        }
        catch (Exception ex) when (DecoderFaults.IsDecoderFault(ex))
        {
            throw Invalid(source, null, "is not a readable tar or tar.gz: " + DecoderFaults.Describe(ex), ex);
        }
        if (count == 0) throw Invalid(source, null, "is not a tar archive (no entries)");
        return Finish(source, files);
    }

    private static string CheckDepth(string source, string path, PackageSourceLimits limits)
    {
        int depth = path.Count(c => c == '/');
        if (depth > limits.MaxDepth) throw Invalid(source, path, $"is nested deeper than {limits.MaxDepth} folders");
        return path;
    }

    private static IReadOnlyList<SourceFile> Finish(string source, List<SourceFile> files)
    {
        if (files.Count == 0) throw Invalid(source, null, "holds no files");
        var sorted = files.OrderBy(f => f.Path, StringComparer.Ordinal).ToList();
        // A path cannot be both a file and a folder on the host.
        var paths = new HashSet<string>(sorted.Select(f => f.Path), StringComparer.Ordinal);
        foreach (var f in sorted)
            foreach (var parent in Parents(f.Path))
                if (paths.Contains(parent)) throw Invalid(source, f.Path, $"lies under '{parent}', which is a file");
        return sorted;
    }

    /// <summary>
    /// The host path of an archive member or folder entry: '/'-separated, without a leading "./" or "/". A ".." part, a
    /// drive or UNC root, or a control character would place a file outside the package root: refused.
    /// </summary>
    public static string CheckPath(string source, string member)
    {
        var raw = (member ?? "").Replace('\\', '/');
        if (raw.Any(ch => ch < ' ' || ch == 0x7F)) throw Unsafe(source, member, "has a control character in its path");
        if (raw.Length >= 2 && raw[1] == ':') throw Unsafe(source, member, "names a drive; paths must be relative to the package root");
        var parts = raw.Split('/').Where(p => p.Length > 0 && p != ".").ToList();
        if (parts.Any(p => p == "..")) throw Unsafe(source, member, "leaves the package root ('..')");
        if (parts.Count == 0) throw Unsafe(source, member, "has an empty path");
        return string.Join("/", parts);
    }

    private static IEnumerable<string> Parents(string path)
    {
        for (int i = path.IndexOf('/'); i > 0; i = path.IndexOf('/', i + 1)) yield return path.Substring(0, i);
    }

    private static EsxFormatException Invalid(string source, string member, string problem, Exception inner = null)
        => new EsxFormatException(ErrorCodes.PackageSourceInvalid, source, member, problem, inner);

    private static EsxFormatException Unsafe(string source, string member, string problem)
        => new EsxFormatException(ErrorCodes.PackageSourceUnsafePath, source, member, problem);

    private static void TryDelete(string dir)
    {
        try { if (dir != null && Directory.Exists(dir)) Directory.Delete(dir, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    /// <summary>Deletes the staged copies of an archive's files.</summary>
    public void Dispose()
    {
        TryDelete(_staging);
        _workDirectory?.Dispose();
    }
}
