using System;
using System.IO;
using System.Threading;
using ESXiImageTools.Core.Diagnostics;

namespace ESXiImageTools.Core.IO;

/// <summary>
/// Writes a file all-or-nothing: the content goes to a hidden temp file beside the destination, is flushed to
/// disk, and is renamed over the destination only when the writer returns. On an exception or cancellation the
/// temp file is deleted and the destination is untouched.
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

        var temp = Path.Combine(dir, "." + Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N").Substring(0, 8) + ".tmp");
        bool committed = false;
        try
        {
            using (var fs = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.ReadWrite, StreamBufferSize))
            using (var flushing = new BackgroundFlushStream(fs, temp))
            {
                write(flushing, cancellationToken);
                cancellationToken.ThrowIfCancellationRequested();
                flushing.Complete();
                fs.Flush(flushToDisk: true);
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

    private static void TryDelete(string path)
    {
        try { if (File.Exists(path)) File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
