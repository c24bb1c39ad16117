using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using ESXiImageTools.Core.IO;

namespace ESXiImageTools.Core.Packages;

/// <summary>Where a payload's bytes come from when writing a VIB: a function returning a fresh stream each call.</summary>
public sealed class PayloadSource
{
    public PayloadSource(string name, Func<Stream> open)
    {
        if (string.IsNullOrEmpty(name)) throw new ArgumentException("payload name is empty", nameof(name));
        Name = name;
        Open = open ?? throw new ArgumentNullException(nameof(open));
    }

    /// <summary>The payload name (as in the descriptor and the ar member).</summary>
    public string Name { get; }

    /// <summary>Opens the stored bytes; called twice (hash, then copy), so it must return the same bytes each time.</summary>
    public Func<Stream> Open { get; }

    public static PayloadSource FromFile(string name, string path) => new PayloadSource(name, () => VibFile.OpenFile(path));

    public static PayloadSource FromBytes(string name, byte[] data) => new PayloadSource(name, () => new MemoryStream(data ?? Array.Empty<byte>(), false));
}

/// <summary>
/// Builds .vib files: ar members descriptor.xml, sig.pkcs7 (empty unless given), then the payloads in
/// descriptor order. Payload sizes and checksums are computed here: sha-256 of the
/// stored bytes and, for <c>vgz</c>/<c>tgz</c>, sha-256 and sha-1 of the gunzipped stream. Payload
/// sources are read twice (once to hash, once to copy, the copy verified against the hash) and never
/// buffered.
/// </summary>
public static class VibWriter
{
    /// <summary>Payload types whose stored bytes are gzip and get gunzip checksums.</summary>
    public static bool IsGzipType(string type) => type == "vgz" || type == "tgz";

    /// <summary>
    /// Writes a .vib to <paramref name="output"/> (not closed). <paramref name="metadata"/> gives every
    /// descriptor field and the payload list (name, type, and optional boot-order/vfat-name/installsize);
    /// sizes and checksums in it are recomputed, except checksums with a verify-process that cannot be computed
    /// offline (txt-mle), which are kept as given. Every payload needs exactly one source.
    /// Returns the VIB as written (sizes, checksums, <see cref="Vib.Signed"/>), without content access.
    /// </summary>
    public static Vib Write(Vib metadata, IEnumerable<PayloadSource> payloads, Stream output, byte[] signature = null, CancellationToken cancellationToken = default)
        => WriteSigned(metadata, payloads, output, signature == null ? null : _ => signature, cancellationToken);

    /// <summary>
    /// As <see cref="Write(Vib, IEnumerable{PayloadSource}, Stream, byte[], CancellationToken)"/>, with the signature made from the
    /// descriptor as written: <paramref name="sign"/> gets the exact descriptor.xml bytes and returns sig.pkcs7 (e.g. <see cref="VibSigner.Sign"/>).
    /// </summary>
    public static Vib WriteSigned(Vib metadata, IEnumerable<PayloadSource> payloads, Stream output, Func<byte[], byte[]> sign, CancellationToken cancellationToken = default)
    {
        if (metadata == null) throw new ArgumentNullException(nameof(metadata));
        if (output == null) throw new ArgumentNullException(nameof(output));
        var sources = new Dictionary<string, PayloadSource>(StringComparer.Ordinal);
        foreach (var s in payloads ?? Enumerable.Empty<PayloadSource>())
        {
            if (sources.ContainsKey(s.Name)) throw new ArgumentException($"payload source '{s.Name}' is given twice", nameof(payloads));
            sources[s.Name] = s;
        }
        var names = metadata.Payloads.Select(p => p.Name).ToList();
        var extra = sources.Keys.Except(names).ToList();
        if (extra.Count > 0) throw new ArgumentException($"payload source(s) {string.Join(", ", extra)} are not in the VIB's payload list", nameof(payloads));
        if (names.Distinct(StringComparer.Ordinal).Count() != names.Count) throw new ArgumentException("payload names must be unique", nameof(metadata));
        foreach (var n in names)
        {
            if (n == VibFile.DescriptorMember || n == VibFile.SignatureMember) throw new ArgumentException($"payload name '{n}' is reserved", nameof(metadata));
            if (!sources.ContainsKey(n)) throw new ArgumentException($"payload '{n}' has no source", nameof(payloads));
        }

        // Pass 1: sizes and checksums.
        var written = new List<Payload>();
        foreach (var p in metadata.Payloads)
        {
            cancellationToken.ThrowIfCancellationRequested();
            bool gz = IsGzipType(p.Type);
            PayloadDigests d;
            using (var s = sources[p.Name].Open())
            {
                // Real boot payloads (b, k, jumpstrt ...) are gzip too and carry gunzip checksums (esximg-700).
                if (!gz && string.Equals(p.Type, PayloadTypes.Boot, StringComparison.OrdinalIgnoreCase) && StartsWithGzipMagic(s)) gz = true;
                if (gz && !StartsWithGzipMagic(s))
                    throw new ArgumentException($"payload '{p.Name}' has type {p.Type} but its bytes are not gzip data");
                // Bytes being written are not an input to bound: a large all-zero file compresses past the bomb ratio.
                try
                {
                    d = PayloadVerifier.Compute(s, gz, out var notGzip, cancellationToken, ratioFloor: long.MaxValue);
                    if (notGzip != null) throw notGzip;
                }
                catch (InvalidDataException e) { throw new ArgumentException($"payload '{p.Name}' has type {p.Type} but its bytes are not gzip data", e); }
            }
            // Checksums that cannot be computed offline (txt-mle) are kept as given; the rest are computed, in the
            // order real descriptors list them: sha-256 gunzip, sha-256 stored, sha-1 gunzip.
            var sums = p.Checksums.Where(c => !c.IsOfflineVerifiable).ToList();
            if (gz) sums.Add(new PayloadChecksum("sha-256", "gunzip", d.GunzippedSha256));
            sums.Add(new PayloadChecksum("sha-256", "", d.StoredSha256));
            if (gz) sums.Add(new PayloadChecksum("sha-1", "gunzip", d.GunzippedSha1));
            // Expanding past the bomb ratio, it declares its expanded size, so readers (ours included) accept it.
            var installSize = p.InstallSize ?? (gz && d.GunzippedSize is long g && PayloadVerifier.ExceedsRatio(d.StoredSize, g) ? g : (long?)null);
            written.Add(p with { Size = d.StoredSize, Checksums = sums, InstallSize = installSize });
        }
        var unsigned = metadata with { Payloads = written, Signed = false, Content = null, RelativePath = null, PackedSize = null, VibSha256 = null };

        // Pass 2: the archive. The descriptor does not record whether the VIB is signed, so it is final before signing.
        var descriptor = VibDescriptorWriter.ToBytes(unsigned);
        var sig = sign?.Invoke(descriptor) ?? Array.Empty<byte>();
        var vib = unsigned with { Signed = sig.Length > 0 };
        using (var ar = new ArWriter(output, leaveOpen: true))
        {
            ar.Add(VibFile.DescriptorMember, descriptor);
            ar.Add(VibFile.SignatureMember, sig);
            foreach (var p in written)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var s = new VerifyingReadStream(sources[p.Name].Open(), p, vib.Id, "payload source " + p.Name);
                ar.Add(p.Name, p.Size, s);
                if (s.ReadByte() != -1) throw new InvalidOperationException($"payload source '{p.Name}' returned more bytes on the second read");
            }
        }
        return vib;
    }

    /// <summary>Writes a .vib file (replacing any file at <paramref name="path"/>); returns it as written, readable through <see cref="Vib.Content"/>.</summary>
    public static Vib WriteFile(Vib metadata, IEnumerable<PayloadSource> payloads, string path, byte[] signature = null, CancellationToken cancellationToken = default)
        => WriteFileSigned(metadata, payloads, path, signature == null ? null : _ => signature, cancellationToken);

    /// <summary>Writes a .vib file signed by <paramref name="sign"/> over its descriptor (see <see cref="WriteSigned"/>).</summary>
    public static Vib WriteFileSigned(Vib metadata, IEnumerable<PayloadSource> payloads, string path, Func<byte[], byte[]> sign, CancellationToken cancellationToken = default)
    {
        Vib vib = null;
        // All or nothing, as every output: temp beside it (within the name limit), only a regular file replaced.
        AtomicFileWriter.Write(path, overwrite: true, flushToDisk: false,
            (stream, ct) => vib = WriteSigned(metadata, payloads, stream, sign, ct), cancellationToken);
        var opened = VibFile.Open(path);
        return vib with { Source = path, Content = opened.Content };
    }

    private static bool StartsWithGzipMagic(Stream s)
    {
        if (!s.CanSeek) return true; // checked by the gunzip pass instead
        var b = new byte[2];
        long pos = s.Position;
        int n = StreamUtil.ReadFully(s, b, 0, 2);
        s.Position = pos;
        return n == 2 && b[0] == 0x1f && b[1] == 0x8b;
    }
}
