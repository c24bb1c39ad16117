using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using ESXiImageTools.Core.Diagnostics;

namespace ESXiImageTools.Core.IO;

/// <summary>
/// Writes a folder all-or-nothing, as <see cref="AtomicFileWriter"/> writes a file: the files go into a hidden
/// temporary folder beside the destination, each is flushed to disk (unless the caller opts out) and given the same
/// modification time, and the folder is renamed into place only when every file is written. On an exception or
/// cancellation the temporary folder is deleted and the destination is untouched. An existing destination folder is
/// replaced only when <c>overwrite</c> is true: it is moved aside, the new folder moved in, and then the old one deleted
/// (moved back if the move in fails). A process killed outright cannot delete its temporary folder; the next write to
/// the same destination removes it (<see cref="RemoveStaleTempFolders"/>).
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
        var full = CheckDestination(destination, overwrite);
        var parent = Path.GetDirectoryName(full);
        cancellationToken.ThrowIfCancellationRequested();

        RemoveStaleTempFolders(full);
        var name = Path.GetFileName(full);
        var temp = Path.Combine(parent, "." + name + "." + Guid.NewGuid().ToString("N").Substring(0, 8) + ".tmp");
        bool committed = false;
        // Held open while the folder is written, so a later write can tell a running writer's folder from a dead one's.
        var lockFile = new FileStream(temp + ".lock", FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);
        try
        {
            var root = Directory.CreateDirectory(temp).FullName;
            var written = new List<string>();
            foreach (var entry in entries)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var target = SafeTarget(root, entry.RelativePath);
                Directory.CreateDirectory(Path.GetDirectoryName(target));
                using (var fs = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, AtomicFileWriter.StreamBufferSize))
                    entry.Write(fs, cancellationToken);
                File.SetLastWriteTimeUtc(target, fileTime.UtcDateTime);
                written.Add(target);
            }
            // Flushed after all are written, not one by one: the OS writes the files back meanwhile, so this mostly waits
            // for what is still in flight instead of serialising one disk wait per file.
            if (flushToDisk)
                foreach (var target in written)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    using var fs = new FileStream(target, FileMode.Open, FileAccess.Write, FileShare.None, 1);
                    fs.Flush(true);
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
            lockFile.Dispose();
            TryDeleteFile(temp + ".lock");
        }
    }

    /// <summary>
    /// The destination check of every folder output (as <see cref="AtomicFileWriter.CheckDestination"/> is of a file),
    /// made by <see cref="Write"/> and, before any work, by the PXE export. Returns the full path when
    /// <paramref name="destination"/> may be written: absent, or a folder and <paramref name="overwrite"/>. An existing
    /// folder without it is <see cref="ErrorCodes.ExportDestinationExists"/> with <see cref="EsxHints.OverwriteNeeded"/>,
    /// in the file writer's words; a file of that name is never replaced; a missing parent folder is <see cref="ErrorCodes.FileNotFound"/>, unless <paramref name="parentMayBeMissing"/> (a caller that
    /// creates it later checks early).
    /// </summary>
    public static string CheckDestination(string destination, bool overwrite, bool parentMayBeMissing = false)
    {
        if (string.IsNullOrWhiteSpace(destination))
            throw new EsxException(ErrorCodes.ExportFailed, EsxErrorCategory.InvalidArgument, "no destination was given");
        var full = Path.GetFullPath(destination).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
        if (File.Exists(full)) throw AtomicFileWriter.WrongKind(full, "a file, not a folder");
        if (Directory.Exists(full) && !overwrite) throw AtomicFileWriter.DestinationExists(full);
        if (!parentMayBeMissing) AtomicFileWriter.RequireParent(full);
        return full;
    }

    /// <summary>
    /// Deletes the temporary (and set-aside) folders earlier writes to <paramref name="destination"/> left when their
    /// process was killed, and returns how many. A folder whose writer still runs is kept: its lock file is open.
    /// </summary>
    public static int RemoveStaleTempFolders(string destination)
    {
        var full = Path.GetFullPath(destination).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
        var parent = Path.GetDirectoryName(full);
        if (string.IsNullOrEmpty(parent) || !Directory.Exists(parent)) return 0;
        var prefix = "." + Path.GetFileName(full) + ".";
        int removed = 0;
        string[] candidates;
        try { candidates = Directory.GetDirectories(parent, prefix + "*"); }
        catch (IOException) { return 0; }
        catch (UnauthorizedAccessException) { return 0; }
        foreach (var candidate in candidates)
        {
            var rest = Path.GetFileName(candidate).Substring(prefix.Length);
            if (rest.Length != 12 || !(rest.EndsWith(".tmp", StringComparison.Ordinal) || rest.EndsWith(".old", StringComparison.Ordinal))) continue;
            var id = rest.Substring(0, 8);
            if (!id.All(c => (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) continue; // not one of ours
            var lockPath = Path.Combine(parent, prefix + id + ".tmp.lock");
            try
            {
                if (File.Exists(lockPath))
                    using (new FileStream(lockPath, FileMode.Open, FileAccess.ReadWrite, FileShare.None)) { }
            }
            catch (IOException) { continue; }               // its writer is running
            catch (UnauthorizedAccessException) { continue; }
            TryDelete(candidate);
            TryDeleteFile(lockPath);
            if (!Directory.Exists(candidate)) removed++;
        }
        return removed;
    }

    private static void Commit(string temp, string full, bool overwrite)
    {
        if (!Directory.Exists(full))
        {
            Directory.Move(temp, full);
            return;
        }
        if (!overwrite) throw AtomicFileWriter.DestinationExists(full);
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

    private static void TryDeleteFile(string path)
    {
        try { if (File.Exists(path)) File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static void TryDelete(string folder)
    {
        try { if (Directory.Exists(folder)) Directory.Delete(folder, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
