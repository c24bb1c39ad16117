using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using ESXiImageTools.Core.Diagnostics;

namespace ESXiImageTools.Core.IO;

/// <summary>
/// Writes a folder all-or-nothing, as <see cref="AtomicFileWriter"/> writes a file: the files go into a hidden
/// temporary folder beside the destination, each is flushed to disk (unless the caller opts out) and given the same
/// modification time, and the folder is renamed into place only when every file is written. On an exception or
/// cancellation the temporary folder is deleted and the destination is untouched. An existing destination folder is
/// replaced only when <c>overwrite</c> is true: it is moved aside, the new folder moved in, and then the old one deleted
/// (moved back if the move in fails).
/// </summary>
public static class AtomicFolderWriter
{
    /// <summary>One file of the folder: its path relative to the folder ('/'-separated) and a writer of its bytes.</summary>
    public sealed class Entry
    {
        public Entry(string relativePath, Action<Stream, CancellationToken> write)
        {
            RelativePath = relativePath;
            Write = write;
        }

        public string RelativePath { get; }
        public Action<Stream, CancellationToken> Write { get; }
    }

    /// <summary>Writes <paramref name="entries"/> into a new folder at <paramref name="destination"/>.</summary>
    public static void Write(string destination, bool overwrite, bool flushToDisk, DateTimeOffset fileTime,
                             IEnumerable<Entry> entries, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(destination)) throw new ArgumentException("destination is required", nameof(destination));
        var full = Path.GetFullPath(destination).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
        var parent = Path.GetDirectoryName(full);
        if (string.IsNullOrEmpty(parent) || !Directory.Exists(parent))
            throw new EsxException(ErrorCodes.FileNotFound, EsxErrorCategory.ObjectNotFound, $"the folder '{parent}' for '{full}' does not exist", parent);
        if (File.Exists(full))
            throw new EsxException(ErrorCodes.ExportDestinationExists, EsxErrorCategory.ResourceExists, $"'{full}' is a file, not a folder", full);
        if (Directory.Exists(full) && !overwrite)
            throw new EsxException(ErrorCodes.ExportDestinationExists, EsxErrorCategory.ResourceExists, $"the folder '{full}' already exists", full);
        cancellationToken.ThrowIfCancellationRequested();

        var name = Path.GetFileName(full);
        var temp = Path.Combine(parent, "." + name + "." + Guid.NewGuid().ToString("N").Substring(0, 8) + ".tmp");
        bool committed = false;
        try
        {
            var root = Directory.CreateDirectory(temp).FullName;
            foreach (var entry in entries)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var target = SafeTarget(root, entry.RelativePath);
                Directory.CreateDirectory(Path.GetDirectoryName(target));
                using (var fs = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, AtomicFileWriter.StreamBufferSize))
                {
                    entry.Write(fs, cancellationToken);
                    fs.Flush(flushToDisk);
                }
                File.SetLastWriteTimeUtc(target, fileTime.UtcDateTime);
            }
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var dir in Directory.GetDirectories(root, "*", SearchOption.AllDirectories))
                Directory.SetLastWriteTimeUtc(dir, fileTime.UtcDateTime);
            Directory.SetLastWriteTimeUtc(root, fileTime.UtcDateTime);
            Commit(temp, full, overwrite);
            committed = true;
        }
        finally
        {
            if (!committed) TryDelete(temp);
        }
    }

    private static void Commit(string temp, string full, bool overwrite)
    {
        if (!Directory.Exists(full))
        {
            Directory.Move(temp, full);
            return;
        }
        if (!overwrite)
            throw new EsxException(ErrorCodes.ExportDestinationExists, EsxErrorCategory.ResourceExists, $"the folder '{full}' appeared while writing; not replacing it", full);
        var aside = temp.Substring(0, temp.Length - ".tmp".Length) + ".old";
        Directory.Move(full, aside);
        try
        {
            Directory.Move(temp, full);
        }
        catch
        {
            Directory.Move(aside, full);
            throw;
        }
        TryDelete(aside);
    }

    /// <summary>The absolute path of an entry; a path that leaves the folder is a bug of the caller, refused.</summary>
    private static string SafeTarget(string root, string relativePath)
    {
        var target = Path.GetFullPath(Path.Combine(root, relativePath.Replace('/', Path.DirectorySeparatorChar)));
        if (!target.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new EsxException(ErrorCodes.ExportFailed, EsxErrorCategory.InvalidData, $"'{relativePath}' leaves the output folder", relativePath);
        return target;
    }

    private static void TryDelete(string folder)
    {
        try { if (Directory.Exists(folder)) Directory.Delete(folder, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
