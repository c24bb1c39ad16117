using System;
using System.IO;
using System.IO.Compression;
using System.Threading;
using ESXiImageTools.Core.Depots.Zip;
using ESXiImageTools.Core.IO;
using ESXiImageTools.Core.Packages;

namespace ESXiImageTools.Core.Depots;

/// <summary>
/// Shared payload access: a payload is found by reading the VIB's ar container through the packages area's
/// reader, so every content kind only has to open the whole .vib.
/// </summary>
internal abstract class VibContentBase : IVibContent
{
    public abstract string Location { get; }
    public virtual bool IsAvailable => true;
    public abstract Stream OpenVibFile(CancellationToken cancellationToken = default);

    // The .vib's member layout, read once: re-reading it for every payload would parse the descriptor and,
    // for forward-only sources such as zip entries, read through the whole .vib each time.
    private IVibContent _layout;

    public Stream OpenPayload(Payload payload, CancellationToken cancellationToken = default)
    {
        if (payload == null) throw new ArgumentNullException(nameof(payload));
        var layout = Volatile.Read(ref _layout);
        if (layout == null)
        {
            // The caller's token reaches the download (a remote VIB): a cancelled read caches no layout.
            layout = VibFile.Read(() => OpenVibFile(cancellationToken), Location).Content;
            Interlocked.CompareExchange(ref _layout, layout, null);
        }
        return layout.OpenPayload(payload, cancellationToken);
    }

    public override string ToString() => Location;
}

/// <summary>
/// A VIB stored as an entry of a zip on disk; no handle is held between reads. A stored (uncompressed) entry whose
/// place <see cref="ZipDirectory"/> could read is opened as a window of the file, found once; any other entry
/// re-opens the zip with ZipArchive each time (which parses the whole central directory).
/// </summary>
internal sealed class ZipEntryVibContent : VibContentBase
{
    private const long Unresolved = -2, NotWindowable = -1;

    private readonly string _zipPath;
    private readonly string _entry;
    private readonly DepotLimits _limits;
    private readonly ZipDirectoryEntry _stored;
    private long _dataOffset = Unresolved;

    // stored: the entry's central-directory record when it is stored and agrees with ZipArchive; else null.
    public ZipEntryVibContent(string zipPath, string entry, string location, DepotLimits limits, ZipDirectoryEntry stored)
    {
        _zipPath = zipPath;
        _entry = entry;
        _limits = limits;
        _stored = stored != null && stored.IsStored ? stored : null;
        Location = location;
    }

    public override string Location { get; }

    /// <summary>True once the entry's bytes are known to be a plain window of the file (for tests).</summary>
    internal bool IsWindowed => Interlocked.Read(ref _dataOffset) >= 0;

    public override Stream OpenVibFile(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var fs = new FileStream(_zipPath, FileMode.Open, FileAccess.Read, FileShare.Read);
        ZipArchive zip = null;
        try
        {
            long offset = DataOffset(fs);
            if (offset >= 0)
            {
                ZipSafety.CheckSize(_entry, _stored.UncompressedSize, _stored.CompressedSize, Location, _limits, _limits.MaxEntryBytes);
                return new SubReadStream(fs, offset, _stored.UncompressedSize, ownsInner: true,
                    (read, expected) => DepotErrors.Invalid(Location, null, $"the zip ends inside the entry ({read} of {expected} bytes)"));
            }
            zip = ZipReading.OpenArchive(fs, Location);
            var e = zip.GetEntry(_entry) ?? throw DepotErrors.NotFound(Location, "the zip entry has disappeared");
            var s = ZipReading.OpenEntry(e, Location, _limits, _limits.MaxEntryBytes);
            return new OwningStream(s, zip, fs);
        }
        catch
        {
            zip?.Dispose();
            fs.Dispose();
            throw;
        }
    }

    // Resolved on the first open and kept: the local header only has to be read once.
    private long DataOffset(FileStream fs)
    {
        long offset = Interlocked.Read(ref _dataOffset);
        if (offset != Unresolved) return offset;
        offset = _stored == null ? NotWindowable : Math.Max(NotWindowable, ZipDirectory.TryDataOffset(fs, _stored));
        Interlocked.Exchange(ref _dataOffset, offset);
        return offset;
    }
}

/// <summary>A VIB in a plain file.</summary>
internal sealed class FileVibContent : VibContentBase
{
    private readonly string _path;

    public FileVibContent(string path) { _path = path; }

    public override string Location => _path;

    public override Stream OpenVibFile(CancellationToken cancellationToken = default)
        => new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920);
}
