using System;
using System.IO;
using System.Threading;
using ESXiImageTools.Core.Diagnostics;

namespace ESXiImageTools.Core.IO;

/// <summary>
/// Writes a file all-or-nothing: the content goes to a hidden temp file beside the destination, is flushed to
/// disk (unless the caller opts out), and is renamed over the destination only when the writer returns. On an
/// exception or cancellation the temp file is deleted and the destination is untouched. A process killed outright cannot delete its temp file;
/// the next write to the same destination removes it (<see cref="RemoveStaleTempFiles"/>).
/// </summary>
public static class AtomicFileWriter
{
    /// <summary>Buffer of the temp file stream; writes of this size or more go straight to the OS.</summary>
    public const int StreamBufferSize = 1024 * 1024;

    /// <summary>
    /// Runs <paramref name="write"/> against a new temp file beside <paramref name="destination"/>, then renames it into place.
    /// An existing destination is replaced only when <paramref name="overwrite"/> is true; otherwise
    /// <see cref="EsxException"/> <see cref="ErrorCodes.ExportDestinationExists"/> is thrown before any work.
    /// </summary>
    public static void Write(string destination, bool overwrite, Action<Stream, CancellationToken> write, CancellationToken cancellationToken = default)
        => Write(destination, overwrite, flushToDisk: true, write, cancellationToken);

    /// <summary>
    /// As <see cref="Write(string, bool, Action{Stream, CancellationToken}, CancellationToken)"/>; with
    /// <paramref name="flushToDisk"/> false the temp file is renamed without waiting for the disk (as genisoimage,
    /// xorriso and cp leave it to the OS). The rename still happens only after the writer returned, so errors,
    /// cancellation and a killed process leave no partial file; only a power loss or OS crash within the OS's
    /// write-back delay can leave an incomplete file under the destination's name.
    /// </summary>
    public static void Write(string destination, bool overwrite, bool flushToDisk, Action<Stream, CancellationToken> write, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(destination)) throw new ArgumentException("destination is required", nameof(destination));
        if (write == null) throw new ArgumentNullException(nameof(write));
        var full = CheckDestination(destination, overwrite);
        var dir = Path.GetDirectoryName(full);
        cancellationToken.ThrowIfCancellationRequested();
        RemoveStaleTempFiles(full);

        var temp = Path.Combine(dir, TempPrefix(full) + Guid.NewGuid().ToString("N").Substring(0, 8) + ".tmp");
        bool committed = false;
        try
        {
            using (var fs = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.ReadWrite, StreamBufferSize))
            using (var flushing = flushToDisk ? new BackgroundFlushStream(fs, temp) : null)
            {
                write((Stream)flushing ?? fs, cancellationToken);
                cancellationToken.ThrowIfCancellationRequested();
                flushing?.Complete();
                fs.Flush(flushToDisk);
            }
            // Checked again: the destination may have changed kind or appeared while the content was written.
            if (CheckReplaceable(full) && !overwrite) throw DestinationExists(full);
            FileReplacer.Replace(temp, full, cancellationToken);
            committed = true;
        }
        finally
        {
            if (!committed) TryDelete(temp);
        }
    }

    /// <summary>
    /// The destination check of every file output, made by <see cref="Write(string, bool, bool, Action{Stream, CancellationToken}, CancellationToken)"/>
    /// and, before any work, by the exporters, authoring and customization, so each refuses a destination in the same
    /// words. Returns the full path when <paramref name="destination"/> may be written: absent, or a regular file and
    /// <paramref name="overwrite"/>. An existing file without it is <see cref="ErrorCodes.ExportDestinationExists"/>
    /// with <see cref="EsxHints.OverwriteNeeded"/>; a folder, device, link, FIFO or socket is refused whatever
    /// <paramref name="overwrite"/> says (<see cref="CheckReplaceable"/>); a missing parent folder is <see cref="ErrorCodes.FileNotFound"/>, unless <paramref name="parentMayBeMissing"/> (a caller that
    /// creates it later checks early).
    /// </summary>
    public static string CheckDestination(string destination, bool overwrite, bool parentMayBeMissing = false)
    {
        if (string.IsNullOrWhiteSpace(destination))
            throw new EsxException(ErrorCodes.ExportFailed, EsxErrorCategory.InvalidArgument, "no destination was given");
        var full = Path.GetFullPath(destination);
        if (CheckReplaceable(full) && !overwrite) throw DestinationExists(full);
        if (!parentMayBeMissing) RequireParent(full);
        return full;
    }

    /// <summary>
    /// Whether <paramref name="destination"/> exists as a regular file (false when absent). A folder, symbolic link,
    /// device, FIFO or socket is never replaced: replacing /dev/null or a link's own inode is not what anyone asked
    /// for, so those are <see cref="ErrorCodes.ExportDestinationNotAFile"/> (a folder: <see cref="ErrorCodes.ExportDestinationExists"/>).
    /// </summary>
    public static bool CheckReplaceable(string destination)
    {
        var kind = FileKind.Of(destination);
        switch (kind)
        {
            case FileKindType.Missing: return false;
            case FileKindType.Regular: return true;
            case FileKindType.Directory: throw WrongKind(destination, "a folder, not a file");
            default:
                throw new EsxException(ErrorCodes.ExportDestinationNotAFile, EsxErrorCategory.WriteError,
                    $"'{destination}' is {FileKind.Describe(kind)}; only a regular file is ever replaced (name a new file, or remove it first)", destination);
        }
    }

    /// <summary>The one error for an output that exists and is not to be replaced: a file or a folder, found before or while writing.</summary>
    internal static EsxException DestinationExists(string full)
        => new EsxException(ErrorCodes.ExportDestinationExists, EsxErrorCategory.ResourceExists, $"'{full}' already exists", full) { Hint = EsxHints.OverwriteNeeded };

    /// <summary>An output whose name is taken by another kind of thing (a folder where a file goes, or the reverse): no flag replaces it.</summary>
    internal static EsxException WrongKind(string full, string what)
        => new EsxException(ErrorCodes.ExportDestinationExists, EsxErrorCategory.ResourceExists, $"'{full}' is {what}; name another", full);

    /// <summary>Outputs are written only into folders that exist: a mistyped folder is an error, not a new folder.</summary>
    internal static void RequireParent(string full)
    {
        var dir = Path.GetDirectoryName(full);
        if (string.IsNullOrEmpty(dir) || !Directory.Exists(dir))
            throw new EsxException(ErrorCodes.FileNotFound, EsxErrorCategory.ObjectNotFound, $"the folder '{dir}' for '{full}' does not exist", dir);
    }

    /// <summary>Longest file name most file systems take (ext4, XFS, NTFS, APFS: 255).</summary>
    private const int MaxNameBytes = 255;

    // ".<name>." then 8 hex digits and ".tmp": 14 bytes more than the name. A name near the 255-byte limit is cut
    // (at a character boundary) so the temp name still fits; the stale-file sweep uses the same prefix.
    private static string TempPrefix(string full)
    {
        var name = Path.GetFileName(full);
        int budget = MaxNameBytes - 14;
        if (System.Text.Encoding.UTF8.GetByteCount(name) > budget)
        {
            int chars = 0, bytes = 0;
            while (chars < name.Length)
            {
                int width = char.IsHighSurrogate(name[chars]) && chars + 1 < name.Length ? 2 : 1;
                int w = System.Text.Encoding.UTF8.GetByteCount(name.ToCharArray(chars, width));
                if (bytes + w > budget) break;
                bytes += w;
                chars += width;
            }
            name = name.Substring(0, chars);
        }
        return "." + name + ".";
    }

    /// <summary>
    /// Deletes the temp files an earlier write to <paramref name="destination"/> left behind when its process was
    /// killed (SIGKILL, power loss), and returns how many. A temp file still open by a running writer is kept:
    /// the writer holds it open shared, so opening it exclusively fails (a lock on Unix, a sharing violation on Windows).
    /// </summary>
    public static int RemoveStaleTempFiles(string destination)
    {
        var full = Path.GetFullPath(destination);
        var dir = Path.GetDirectoryName(full);
        if (!Directory.Exists(dir)) return 0;
        var prefix = TempPrefix(full);
        int removed = 0;
        string[] candidates;
        try { candidates = Directory.GetFiles(dir, prefix + "*.tmp"); }
        catch (IOException) { return 0; }
        catch (UnauthorizedAccessException) { return 0; }
        foreach (var candidate in candidates)
        {
            var name = Path.GetFileName(candidate);
            var middle = name.Substring(prefix.Length, name.Length - prefix.Length - ".tmp".Length);
            if (middle.Length != 8 || !IsHex(middle)) continue; // not one of ours
            try
            {
                using (new FileStream(candidate, FileMode.Open, FileAccess.ReadWrite, FileShare.None)) { }
                File.Delete(candidate);
                removed++;
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return removed;
    }

    private static bool IsHex(string s)
    {
        foreach (var c in s)
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
        return true;
    }

    private static void TryDelete(string path)
    {
        try { if (File.Exists(path)) File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
