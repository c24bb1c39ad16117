using System;
using System.IO;
using System.Threading;
using ESXiImageTools.Core.Diagnostics;

namespace ESXiImageTools.Core.Iso;

/// <summary>
/// Streams a planned image into an output stream in LBA order with one reusable 1 MiB buffer;
/// only metadata sectors and a patched BIOS boot file (≤ 4 MiB) are ever held in memory.
/// </summary>
internal sealed class IsoImageWriter
{
    private const int BufferSize = 1024 * 1024;
    private const long ProgressStep = 8L * 1024 * 1024;

    private readonly IsoImagePlan _plan;
    private readonly Stream _out;
    private readonly IProgress<IsoWriteProgress> _progress;
    private readonly CancellationToken _ct;
    private readonly byte[] _buffer = new byte[BufferSize];
    private long _position;
    private long _lastReported = -1;

    public IsoImageWriter(IsoImagePlan plan, Stream output, IProgress<IsoWriteProgress> progress, CancellationToken ct)
    {
        _plan = plan; _out = output; _progress = progress; _ct = ct;
    }

    public void Write()
    {
        var layout = _plan.Layout;
        var time = _plan.Identity.Timestamp;
        Report(null, force: true);
        WriteZeros(IsoLayout.PvdLba * IsoEncoding.SectorSize);
        WriteAt(IsoLayout.PvdLba, IsoStructures.PrimaryVolumeDescriptor(layout, _plan.Identity));
        if (layout.HasBootRecord) WriteAt(IsoLayout.PvdLba + 1, IsoStructures.BootRecord(layout.BootCatalog.Lba));
        WriteAt(layout.TerminatorLba, IsoStructures.Terminator());
        WriteAt(layout.LPathTableLba, IsoStructures.PathTable(layout, bigEndian: false));
        WriteAt(layout.MPathTableLba, IsoStructures.PathTable(layout, bigEndian: true));
        foreach (var d in layout.Directories) WriteAt(d.Lba, IsoStructures.DirectoryExtent(d, time));
        foreach (var f in layout.Files)
        {
            _ct.ThrowIfCancellationRequested();
            Seek(f.Lba, f.Path);
            Report(f.Path, force: true);
            if (f.Kind == IsoFileKind.BootCatalog) Emit(IsoStructures.BootCatalog(_plan.Bios, _plan.BiosLoadSectors, _plan.Efi), IsoEncoding.SectorSize, f.Path);
            else if (f == _plan.Bios && _plan.PatchBootInfoTable) WritePatchedBootFile(f);
            else CopySource(f);
            PadToSector(f.Path);
        }
        if (_position != layout.TotalBytes)
            throw new InvalidOperationException($"ISO writer wrote {_position} bytes, layout says {layout.TotalBytes}");
        _out.Flush();
        Report(null, force: true);
    }

    private void WriteAt(uint lba, byte[] data)
    {
        Seek(lba, null);
        Emit(data, data.Length, null);
    }

    /// <summary>Moves forward to <paramref name="lba"/> with zeros; going back would mean the layout is wrong.</summary>
    private void Seek(uint lba, string file)
    {
        long target = (long)lba * IsoEncoding.SectorSize;
        if (target < _position)
            throw new InvalidOperationException($"ISO layout error: {file ?? "metadata"} at LBA {lba} overlaps earlier data");
        WriteZeros(target - _position);
    }

    private void PadToSector(string file)
    {
        long rem = _position % IsoEncoding.SectorSize;
        if (rem != 0) WriteZeros(IsoEncoding.SectorSize - rem);
    }

    private void WriteZeros(long count)
    {
        if (count <= 0) return;
        Array.Clear(_buffer, 0, (int)Math.Min(count, _buffer.Length));
        while (count > 0)
        {
            int n = (int)Math.Min(count, _buffer.Length);
            _out.Write(_buffer, 0, n);
            _position += n;
            count -= n;
        }
    }

    private void Emit(byte[] data, int count, string file)
    {
        _out.Write(data, 0, count);
        _position += count;
        Report(file, force: false);
    }

    private Stream OpenSource(IsoFileNode f)
    {
        var s = f.Open();
        if (s == null)
            throw new EsxException(ErrorCodes.ExportFailed, EsxErrorCategory.ReadError, $"the source of ISO file '{f.Path}' returned no stream", f.Path);
        return s;
    }

    private void CopySource(IsoFileNode f)
    {
        if (f.Size == 0 && f.Open == null) return;
        using var s = OpenSource(f);
        long remaining = f.Size;
        while (remaining > 0)
        {
            _ct.ThrowIfCancellationRequested();
            int n = s.Read(_buffer, 0, (int)Math.Min(_buffer.Length, remaining));
            if (n <= 0) throw SizeMismatch(f, f.Size - remaining, "fewer");
            _out.Write(_buffer, 0, n);
            _position += n;
            remaining -= n;
            Report(f.Path, force: false);
        }
        if (s.Read(_buffer, 0, 1) > 0) throw SizeMismatch(f, f.Size, "more");
    }

    private void WritePatchedBootFile(IsoFileNode f)
    {
        int size = (int)f.Size;
        var data = new byte[size];
        using (var s = OpenSource(f))
        {
            int got = 0;
            while (got < size)
            {
                int n = s.Read(data, got, size - got);
                if (n <= 0) throw SizeMismatch(f, got, "fewer");
                got += n;
            }
            if (s.Read(_buffer, 0, 1) > 0) throw SizeMismatch(f, size, "more");
        }
        IsoStructures.PatchBootInfoTable(data, size, f.Lba);
        Emit(data, size, f.Path);
    }

    private static EsxException SizeMismatch(IsoFileNode f, long delivered, string moreOrFewer)
        => new EsxException(ErrorCodes.IsoSourceSizeMismatch, EsxErrorCategory.InvalidData,
            moreOrFewer == "more"
                ? $"the source of ISO file '{f.Path}' delivered more than its declared {f.Size} bytes"
                : $"the source of ISO file '{f.Path}' delivered {delivered} bytes, fewer than its declared {f.Size}",
            f.Path);

    private void Report(string file, bool force)
    {
        if (_progress == null) return;
        if (!force && _position - _lastReported < ProgressStep) return;
        _lastReported = _position;
        _progress.Report(new IsoWriteProgress(_position, _plan.Layout.TotalBytes, file));
    }
}
