using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Threading;

namespace ESXiImageTools.Core.Depots.Zip;

/// <summary>Zip opening with the depot's error mapping and bounds.</summary>
internal static class ZipReading
{
    public static ZipArchive OpenArchive(Stream s, string source)
    {
        try { return new ZipArchive(s, ZipArchiveMode.Read, leaveOpen: true); }
        catch (InvalidDataException e) { throw DepotErrors.Invalid(source, null, "not a readable zip: " + e.Message, e); }
    }

    public static Dictionary<string, ZipArchiveEntry> IndexEntries(ZipArchive zip, string source, DepotLimits limits)
    {
        try { return ZipSafety.Index(zip, source, limits); }
        catch (InvalidDataException e) { throw DepotErrors.Invalid(source, null, "corrupt zip directory: " + e.Message, e); }
    }

    public static Stream OpenEntry(ZipArchiveEntry e, string source, DepotLimits limits, long max)
    {
        try { return ZipSafety.OpenBounded(e, source, limits, max); }
        catch (InvalidDataException ex) { throw DepotErrors.Invalid(source, e.FullName, "corrupt zip entry: " + ex.Message, ex); }
    }

    /// <summary>Copies a stream to memory (small) or to a delete-on-close temp file (large) so a zip reader can seek it.</summary>
    public static Stream ToSeekable(Stream s, long length, CancellationToken cancellationToken)
    {
        Stream target = length >= 0 && length <= (32L << 20)
            ? new MemoryStream(length > 0 ? (int)length : 4096)
            : new FileStream(Path.Combine(Path.GetTempPath(), "esxit-" + Guid.NewGuid().ToString("N") + ".tmp"),
                FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose);
        try
        {
            var buf = new byte[81920];
            int n;
            while ((n = s.Read(buf, 0, buf.Length)) > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                target.Write(buf, 0, n);
            }
            target.Position = 0;
            return target;
        }
        catch (InvalidDataException e)
        {
            target.Dispose();
            throw DepotErrors.Invalid("zip", null, "corrupt zip entry: " + e.Message, e);
        }
        catch
        {
            target.Dispose();
            throw;
        }
    }
}
