using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.IO;
using ICSharpCode.SharpZipLib.GZip;
using ICSharpCode.SharpZipLib.Tar;

namespace ESXiImageTools.Core.Packages;

/// <summary>
/// Lists and extracts the files inside archive payloads: <c>vgz</c> (vmtar, usually gzip'd) and
/// <c>tgz</c> (gzip'd ustar). The format is detected by magic, not trusted from the type: gzip
/// (<c>1F 8B</c>) is decompressed; then a <c>"visor "</c> header means vmtar and <c>"ustar"</c> (or an old
/// tar header) means tar. xz and zstd tardisks (newer ESXi) are recognised and refused clearly.
/// Everything streams; nothing of the payload is held in memory beyond one header block.
/// </summary>
public static class PayloadContents
{
    /// <summary>Upper bound on entries listed from a tar payload.</summary>
    public const int MaxEntries = VmTar.MaxEntries;

    /// <summary>Whether a payload type is an archive this class can open.</summary>
    public static bool IsArchiveType(string type) => type is "vgz" or "tgz" or "vmtar" or "tar";

    /// <summary>Lists the entries of <paramref name="payload"/> from its stored bytes (stream not closed).</summary>
    public static IReadOnlyList<PayloadEntry> List(Payload payload, Stream stored, string source)
    {
        var list = new List<PayloadEntry>();
        Open(payload, stored, source, (kind, raw) =>
        {
            if (kind == Kind.VmTar) list.AddRange(VmTar.List(raw, source, payload.Name));
            else ForEachTar(raw, source, payload.Name, (e, _) => { list.Add(e); return false; });
        });
        return list;
    }

    /// <summary>
    /// Streams the regular file at <paramref name="path"/> (leading "/" or "./" ignored) out of the payload
    /// into <paramref name="destination"/>. Returns false when the payload has no such file.
    /// </summary>
    public static bool TryExtract(Payload payload, Stream stored, string path, Stream destination, string source = null)
    {
        if (destination == null) throw new ArgumentNullException(nameof(destination));
        var want = PayloadEntry.NormalizePath(path);
        bool found = false;
        Extract(payload, stored, e => found || e.Path != want ? null : content => { content.CopyTo(destination); found = true; },
                source, () => found);
        return found;
    }

    /// <summary>
    /// Streams the regular files <paramref name="select"/> chooses out of the payload in one pass (one
    /// decompression): for each file it returns null to skip it, or an action that reads the file's content
    /// from the stream it is given. Stops early once <paramref name="finished"/> says so.
    /// </summary>
    public static void Extract(Payload payload, Stream stored, Func<PayloadEntry, Action<Stream>> select, string source = null, Func<bool> finished = null)
    {
        if (select == null) throw new ArgumentNullException(nameof(select));
        Open(payload, stored, source, (kind, raw) =>
        {
            if (kind == Kind.VmTar) VmTar.Extract(raw, source, select, payload.Name, finished);
            else ForEachTar(raw, source, payload.Name, (e, tar) =>
            {
                if (e.Type == PayloadEntryType.File) select(e)?.Invoke(tar);
                return finished?.Invoke() == true;
            });
        });
    }

    private enum Kind { VmTar, Tar }

    private static void Open(Payload payload, Stream stored, string source, Action<Kind, Stream> use)
    {
        if (payload == null) throw new ArgumentNullException(nameof(payload));
        if (stored == null) throw new ArgumentNullException(nameof(stored));
        var peek = new PeekStream(stored);
        var head = peek.Peek(6);
        if (StartsWith(head, 0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00))
            throw new EsxFormatException(ErrorCodes.VmtarInvalid, source, payload.Name, "xz-compressed payloads are not supported");
        if (StartsWith(head, 0x28, 0xB5, 0x2F, 0xFD))
            throw new EsxFormatException(ErrorCodes.VmtarInvalid, source, payload.Name, "zstd-compressed payloads are not supported");
        Stream raw = peek;
        GZipInputStream gz = null;
        if (StartsWith(head, 0x1F, 0x8B)) raw = gz = new GZipInputStream(peek) { IsStreamOwner = false };
        try
        {
            var inner = new PeekStream(raw);
            var block = inner.Peek(VmTar.BlockSize);
            Kind kind;
            if (block.Length == VmTar.BlockSize && VmTar.IsVmTarHeader(block)) kind = Kind.VmTar;
            else if (block.Length == VmTar.BlockSize && (VmTar.IsUstarHeader(block) || LooksLikeOldTar(block))) kind = Kind.Tar;
            else throw new EsxFormatException(payload.Type == "tgz" ? ErrorCodes.TarInvalid : ErrorCodes.VmtarInvalid, source, payload.Name,
                $"payload '{payload.Name}' (type {payload.Type}) is not a vmtar or tar archive");
            use(kind, inner);
        }
        catch (GZipException e)
        {
            throw new EsxFormatException(ErrorCodes.VmtarInvalid, source, payload.Name, $"payload '{payload.Name}' is not valid gzip data: {e.Message}", e);
        }
        catch (ICSharpCode.SharpZipLib.SharpZipBaseException e) when (e is not TarException)
        {
            throw new EsxFormatException(ErrorCodes.VmtarInvalid, source, payload.Name, $"payload '{payload.Name}' is not valid gzip data: {e.Message}", e);
        }
        finally
        {
            gz?.Dispose();
        }
    }

    private static void ForEachTar(Stream raw, string source, string member, Func<PayloadEntry, TarInputStream, bool> visit)
    {
        try
        {
            TarBlockBuffers.Stock();
            using var tar = new TarInputStream(raw, Encoding.UTF8) { IsStreamOwner = false };
            int count = 0;
            TarEntry e;
            while ((e = tar.GetNextEntry()) != null)
            {
                if (++count > MaxEntries) throw new EsxFormatException(ErrorCodes.TarInvalid, source, member, $"more than {MaxEntries} entries");
                var flag = (char)e.TarHeader.TypeFlag;
                var type = e.IsDirectory ? PayloadEntryType.Directory : flag switch
                {
                    '0' or '\0' or '7' => PayloadEntryType.File,
                    '1' => PayloadEntryType.HardLink,
                    '2' => PayloadEntryType.Symlink,
                    _ => PayloadEntryType.Other,
                };
                var entry = new PayloadEntry(PayloadEntry.NormalizePath(e.Name), type, type == PayloadEntryType.File ? e.Size : 0,
                    e.TarHeader.Mode & 0xFFF, string.IsNullOrEmpty(e.TarHeader.LinkName) ? null : e.TarHeader.LinkName);
                if (visit(entry, tar)) return;
            }
        }
        catch (TarException ex)
        {
            throw new EsxFormatException(ErrorCodes.TarInvalid, source, member, $"invalid tar data: {ex.Message}", ex);
        }
        catch (EndOfStreamException ex)
        {
            throw new EsxFormatException(ErrorCodes.TarInvalid, source, member, $"tar data ends early: {ex.Message}", ex);
        }
        catch (ArgumentException ex) when (IO.DecoderFaults.IsDecoderFault(ex))
        {
            // SharpZipLib's tar buffer on a stream that ends inside a record (found by the fuzzer in the net48 leg).
            throw new EsxFormatException(ErrorCodes.TarInvalid, source, member, $"invalid tar data: {ex.Message}", ex);
        }
    }

    // Pre-POSIX tar: no magic, but the checksum field holds octal digits and the name is printable.
    private static bool LooksLikeOldTar(byte[] block)
    {
        if (block[0] == 0) return false;
        for (int i = 148; i < 154; i++)
        {
            byte b = block[i];
            if (!(b == ' ' || b == 0 || (b >= '0' && b <= '7'))) return false;
        }
        return true;
    }

    private static bool StartsWith(byte[] b, params byte[] magic)
    {
        if (b.Length < magic.Length) return false;
        for (int i = 0; i < magic.Length; i++) if (b[i] != magic[i]) return false;
        return true;
    }
}
