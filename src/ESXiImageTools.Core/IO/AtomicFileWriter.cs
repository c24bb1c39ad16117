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
        var full = Path.GetFullPath(destination);
        if (Directory.Exists(full))
            throw new EsxException(ErrorCodes.ExportDestinationExists, EsxErrorCategory.ResourceExists, $"'{full}' is a directory", full);
        bool exists = File.Exists(full);
        if (exists && !overwrite)
            throw new EsxException(ErrorCodes.ExportDestinationExists, EsxErrorCategory.ResourceExists, $"'{full}' already exists (use --force / -Force to replace it)", full);
        var dir = Path.GetDirectoryName(full);
        if (!Directory.Exists(dir))
            throw new EsxException(ErrorCodes.FileNotFound, EsxErrorCategory.ObjectNotFound, $"the folder '{dir}' for '{full}' does not exist", dir);
        cancellationToken.ThrowIfCancellationRequested();
        RemoveStaleTempFiles(full);

        var temp = Path.Combine(dir, "." + Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N").Substring(0, 8) + ".tmp");
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
            if (File.Exists(full))
            {
                if (!overwrite)
                    throw new EsxException(ErrorCodes.ExportDestinationExists, EsxErrorCategory.ResourceExists, $"'{full}' appeared while writing; not replacing it", full);
                File.Replace(temp, full, null);
            }
            else File.Move(temp, full);
            committed = true;
        }
        finally
        {
            if (!committed) TryDelete(temp);
        }
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
        var prefix = "." + Path.GetFileName(full) + ".";
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
