using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Threading;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.IO;

namespace ESXiImageTools.Core.Packages;

/// <summary>Digests of one payload, computed in a single pass.</summary>
public sealed class PayloadDigests
{
    public PayloadDigests(long storedSize, string storedSha256, string storedSha1, long? gunzippedSize, string gunzippedSha256, string gunzippedSha1)
    {
        StoredSize = storedSize;
        StoredSha256 = storedSha256;
        StoredSha1 = storedSha1;
        GunzippedSize = gunzippedSize;
        GunzippedSha256 = gunzippedSha256;
        GunzippedSha1 = gunzippedSha1;
    }

    public long StoredSize { get; }
    public string StoredSha256 { get; }
    public string StoredSha1 { get; }

    /// <summary>Size of the decompressed stream, or null when it was not gunzipped.</summary>
    public long? GunzippedSize { get; }
    public string GunzippedSha256 { get; }
    public string GunzippedSha1 { get; }

    /// <summary>The value for a checksum of this kind, or null when it was not computed.</summary>
    public string For(string algorithm, bool overGunzipped) => (Normalize(algorithm), overGunzipped) switch
    {
        ("sha-256", false) => StoredSha256,
        ("sha-1", false) => StoredSha1,
        ("sha-256", true) => GunzippedSha256,
        ("sha-1", true) => GunzippedSha1,
        _ => null,
    };

    internal static string Normalize(string algorithm)
    {
        var a = (algorithm ?? "").Trim().ToLowerInvariant();
        return a switch { "sha256" => "sha-256", "sha1" => "sha-1", _ => a };
    }
}

/// <summary>
/// Verifies payload checksums: <c>sha-256</c>/<c>sha-1</c> without verify-process
/// cover the stored bytes; with a verify-process starting with <c>gunzip</c> they cover the
/// decompressed stream. Everything is computed in one streaming pass over the stored bytes.
/// </summary>
public static class PayloadVerifier
{
    /// <summary>The checksum algorithms this engine can verify.</summary>
    public static readonly IReadOnlyList<string> SupportedAlgorithms = new[] { "sha-256", "sha-1" };

    /// <summary>
    /// Most bytes a gzip payload may expand to per stored byte read so far. Descriptors declare no decompressed
    /// size, so this ratio bounds a gzip bomb; real payloads stay far below it (the corpus peaks near 15).
    /// </summary>
    public const int MaxGunzipRatio = 200;

    /// <summary>Output below this is never ratio-checked (small, highly compressible payloads are normal).</summary>
    public const long GunzipRatioFloorBytes = 16L << 20;

    /// <summary>
    /// Output a payload may reach before the ratio bound applies. A descriptor that declares its payload's expanded
    /// size (<c>installsize</c>) is believed up to twice that (deflate itself caps any gzip member near 1032:1): so
    /// a payload that is honestly mostly zeros, like one this engine wrote from a large all-zero file, is accepted,
    /// while an undeclared expansion past the ratio is still stopped early.
    /// </summary>
    public static long RatioFloorFor(Payload payload)
        => payload?.InstallSize is long declared && declared > 0
            ? Math.Max(GunzipRatioFloorBytes, declared > long.MaxValue / 4 ? long.MaxValue / 2 : declared * 2 + GunzipRatioFloorBytes)
            : GunzipRatioFloorBytes;

    /// <summary>Whether a payload of these sizes would trip the ratio bound without a declared <c>installsize</c>.</summary>
    public static bool ExceedsRatio(long storedSize, long gunzippedSize)
        => gunzippedSize > GunzipRatioFloorBytes && gunzippedSize > MaxGunzipRatio * storedSize;

    /// <summary>
    /// Reads <paramref name="stored"/> to its end once and checks every checksum <paramref name="payload"/>
    /// declares, and its declared size. Throws <see cref="EsxChecksumException"/> on a mismatch and
    /// <see cref="EsxFormatException"/> for an unsupported checksum kind. Returns the digests.
    /// </summary>
    /// <param name="payload">The payload (declared size and checksums).</param>
    /// <param name="stored">The stored bytes (not closed).</param>
    /// <param name="vibId">The VIB id, for messages.</param>
    /// <param name="source">The file or location, for messages.</param>
    /// <param name="cancellationToken">Checked between reads.</param>
    public static PayloadDigests Verify(Payload payload, Stream stored, string vibId, string source, CancellationToken cancellationToken = default)
    {
        if (payload == null) throw new ArgumentNullException(nameof(payload));
        foreach (var c in payload.Checksums.Where(c => c.IsOfflineVerifiable))
        {
            if (!SupportedAlgorithms.Contains(PayloadDigests.Normalize(c.Algorithm)))
                throw new EsxFormatException(ErrorCodes.VibInvalidDescriptor, source, payload.Name,
                    $"payload '{payload.Name}' declares checksum type '{c.Algorithm}', which this engine cannot verify (supported: sha-256, sha-1)");
        }
        RequireVerifiableChecksum(payload, vibId, source);
        bool gunzip = payload.Checksums.Any(c => c.IsOverGunzipped);
        PayloadDigests d;
        try
        {
            d = Compute(stored, gunzip, out var notGzip, cancellationToken, ratioFloor: RatioFloorFor(payload));
            if (notGzip != null) throw notGzip;
        }
        catch (InvalidDataException e)
        {
            var c = payload.Checksums.First(x => x.IsOverGunzipped);
            throw new EsxChecksumException(source, vibId, payload.Name, Kind(c), c.Value, "(" + e.Message + ")");
        }
        Check(payload, d, vibId, source, includeGunzip: true);
        return d;
    }

    /// <summary>
    /// Computes the stored sha-256 and sha-1 and, when <paramref name="gunzip"/>, the sha-256, sha-1 and
    /// size of the decompressed stream, reading <paramref name="stored"/> once to its end.
    /// Throws <see cref="InvalidDataException"/> when <paramref name="gunzip"/> is set and the bytes are not gzip.
    /// </summary>
    public static PayloadDigests Compute(Stream stored, bool gunzip, CancellationToken cancellationToken = default)
    {
        var d = Compute(stored, gunzip, out var notGzip, cancellationToken);
        if (notGzip != null) throw notGzip;
        return d;
    }

    /// <summary>
    /// As <see cref="Compute(Stream, bool, CancellationToken)"/>, but bytes that are not gzip do not stop it: the stored
    /// digests are still computed and <paramref name="notGzip"/> says what was wrong (gunzip digests then null).
    /// </summary>
    /// <param name="stored">The stored bytes (not closed).</param>
    /// <param name="gunzip">Whether to decompress and hash the decompressed stream.</param>
    /// <param name="notGzip">Set when <paramref name="gunzip"/> and the bytes are not gzip.</param>
    /// <param name="cancellationToken">Checked between reads.</param>
    /// <param name="hashStored">False when the caller hashes the stored bytes itself (on another thread): only their
    /// size is counted here and the stored digests are null.</param>
    /// <param name="ratioFloor">Output up to this is never ratio-checked (<see cref="RatioFloorFor"/>); long.MaxValue for
    /// bytes this engine is writing itself.</param>
    internal static PayloadDigests Compute(Stream stored, bool gunzip, out InvalidDataException notGzip, CancellationToken cancellationToken = default,
        bool hashStored = true, long ratioFloor = GunzipRatioFloorBytes)
    {
        if (stored == null) throw new ArgumentNullException(nameof(stored));
        notGzip = null;
        using var storedSha256 = SHA256.Create();
        using var storedSha1 = SHA1.Create();
        var hashing = hashStored ? new HashingReadStream(stored, storedSha256, storedSha1) : new HashingReadStream(stored);
        // Pooled with the hash worker's chunks (the same size); after an exception it is simply left to the GC.
        var buffer = OffThreadHash.Chunks.Rent();
        string gzSha256 = null, gzSha1 = null;
        long? gzSize = null;
        if (gunzip)
        {
            // Past the first MiB each gunzip hash runs on a thread of its own while this one decompresses: the two
            // hashes made this thread the bottleneck of an export (measured faster than keeping either here).
            using var zSha256 = new OffThreadHash(SHA256.Create());
            using var zSha1 = new OffThreadHash(SHA1.Create());
            long total = 0;
            bool inflated = false;
            try
            {
                using var gz = Gunzip.Open(hashing);
                int n;
                // Whole buffers only: zlib hands out stored blocks a few KiB at a time, and a hash worker woken for
                // every few KiB cost more in context switches than the hashing.
                while ((n = StreamUtil.ReadFully(gz, buffer, 0, buffer.Length)) > 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    zSha256.Add(buffer, 0, n);
                    zSha1.Add(buffer, 0, n);
                    total += n;
                    // Stop a bomb as soon as it shows, not after decompressing all of it.
                    if (total > ratioFloor && total > GunzipRatioFloorBytes && total > MaxGunzipRatio * hashing.BytesRead)
                        throw new InvalidDataException(
                            $"the gzip stream expands to more than {MaxGunzipRatio} times its {hashing.BytesRead} stored bytes read so far ({total} bytes); decompression stopped (a gzip bomb?)");
                }
                inflated = true;
            }
            catch (InvalidDataException e) { notGzip = e; }
            // SharpZipLib's faults on corrupt input include index errors from its inflater (crafted deflate streams).
            catch (Exception e) when (DecoderFaults.IsDecoderFault(e)) { notGzip = new InvalidDataException("not gzip data: " + DecoderFaults.Describe(e), e); }
            // Outside the decoder-fault handlers: a fault of a hash worker is not a corrupt stream.
            if (inflated)
            {
                gzSha256 = zSha256.Complete();
                gzSha1 = zSha1.Complete();
                gzSize = total;
            }
        }
        // Drain whatever the decompressor did not consume (or everything, without gunzip).
        while (hashing.Read(buffer, 0, buffer.Length) > 0) cancellationToken.ThrowIfCancellationRequested();
        OffThreadHash.Chunks.Return(buffer);
        var (s256, s1) = hashing.Finish();
        return new PayloadDigests(hashing.BytesRead, s256, s1, gzSize, gzSha256, gzSha1);
    }

    /// <summary>
    /// Compares computed digests with what <paramref name="payload"/> declares: its size, and every checksum over the
    /// stored bytes (and, when <paramref name="includeGunzip"/>, over the gunzipped stream). Throws on the first mismatch.
    /// <paramref name="includeStored"/> false skips the size and stored-byte checksums (checked elsewhere already).
    /// </summary>
    internal static void Check(Payload payload, PayloadDigests d, string vibId, string source, bool includeGunzip, bool includeStored = true)
    {
        RequireVerifiableChecksum(payload, vibId, source);
        if (includeStored && payload.Size >= 0 && d.StoredSize != payload.Size)
            throw new EsxFormatException(ErrorCodes.VibSizeMismatch, source, payload.Name,
                $"payload '{payload.Name}' of VIB {vibId} declares {payload.Size} bytes but holds {d.StoredSize}");
        // A checksum with a verify-process this engine cannot apply (txt-mle) is carried through, never compared.
        foreach (var c in payload.Checksums.Where(c => (includeStored && c.IsOverStored) || (includeGunzip && c.IsOverGunzipped)))
        {
            var actual = d.For(c.Algorithm, c.IsOverGunzipped);
            if (actual == null)
                throw new EsxFormatException(ErrorCodes.VibInvalidDescriptor, source, payload.Name,
                    $"payload '{payload.Name}' declares checksum type '{c.Algorithm}', which this engine cannot verify");
            if (!string.Equals(actual, c.Value, StringComparison.OrdinalIgnoreCase))
                throw new EsxChecksumException(source, vibId, payload.Name, Kind(c), c.Value, actual);
        }
    }

    /// <summary>
    /// A payload whose only checksums use verify-processes this engine cannot apply would pass unchecked, so it is
    /// refused; one verifiable checksum beside them (real esx-base 'b': sha-256 and gunzip beside txt-mle) suffices.
    /// </summary>
    internal static void RequireVerifiableChecksum(Payload payload, string vibId, string source)
    {
        if (payload.Checksums.Count == 0 || payload.Checksums.Any(c => c.IsOfflineVerifiable)) return;
        throw new EsxFormatException(ErrorCodes.VibInvalidDescriptor, source, payload.Name,
            $"payload '{payload.Name}' of VIB {vibId} declares only checksums with verify-process " +
            string.Join(", ", payload.Checksums.Select(c => $"'{c.VerifyProcess}'").Distinct()) +
            ", which cannot be checked offline, and no sha-256 or sha-1 over its stored or gunzipped bytes");
    }

    /// <summary>What a verification could not check: checksums with a verify-process that cannot be applied offline.</summary>
    public static string DescribeUnverifiable(Payload payload, string vibId)
        => payload.UnverifiableChecksums.Count == 0 ? null
            : $"VIB {vibId}: payload '{payload.Name}' carries " +
              string.Join(", ", payload.UnverifiableChecksums.Select(c => $"a {c.Algorithm} checksum with verify-process '{c.VerifyProcess}'")) +
              " that cannot be checked offline; it is carried through unchanged (the payload's other checksums are verified)";

    internal static string Kind(PayloadChecksum c) => c.VerifyProcess.Length == 0 ? c.Algorithm : $"{c.Algorithm}, verify-process {c.VerifyProcess}";

}

/// <summary>A pass-through read stream that feeds every byte read into hash algorithms.</summary>
internal sealed class HashingReadStream : ReadOnlyStream
{
    private readonly Stream _inner;
    private readonly HashAlgorithm[] _hashes;
    private bool _finished;

    public HashingReadStream(Stream inner, params HashAlgorithm[] hashes)
    {
        _inner = inner;
        _hashes = hashes;
    }

    public long BytesRead { get; private set; }

    public override int Read(byte[] buffer, int offset, int count)
    {
        int n = _inner.Read(buffer, offset, count);
        if (n > 0)
        {
            foreach (var h in _hashes) h.TransformBlock(buffer, offset, n, null, 0);
            BytesRead += n;
        }
        return n;
    }

    /// <summary>Completes the hashes; returns the first two as hex (null when absent).</summary>
    public (string, string) Finish()
    {
        if (!_finished)
        {
            foreach (var h in _hashes) h.TransformFinalBlock(Array.Empty<byte>(), 0, 0);
            _finished = true;
        }
        return (_hashes.Length > 0 ? Digests.ToHex(_hashes[0].Hash) : null, _hashes.Length > 1 ? Digests.ToHex(_hashes[1].Hash) : null);
    }

    public override long Position { get => BytesRead; set => throw new NotSupportedException(); }
}

/// <summary>
/// Wraps a payload's stored bytes for exporters that copy them: hashes as the caller reads and, when
/// the end of the stream is reached, checks the payload's declared stored-byte checksums (sha-256,
/// sha-1 without verify-process) and size, throwing <see cref="EsxChecksumException"/> naming VIB id,
/// payload, kind, expected and actual. Gunzip checksums are not checked here (they need decompression;
/// use <see cref="PayloadVerifier"/>); <see cref="CanVerify"/> is false when the payload declares none
/// over the stored bytes. The caller must read to the end for the check to happen.
/// </summary>
public sealed class VerifyingReadStream : ReadOnlyStream
{
    private readonly Stream _inner;
    private readonly Payload _payload;
    private readonly string _vibId;
    private readonly string _source;
    private readonly HashingReadStream _hashing;
    // Only the algorithms the payload declares over its stored bytes: an export hashes every byte it copies, and
    // an undeclared sha-1 would cost as much as the copy.
    private readonly SHA256 _sha256;
    private readonly SHA1 _sha1;
    private readonly bool _leaveOpen;
    private bool _checked;

    public VerifyingReadStream(Stream stored, Payload payload, string vibId, string source, bool leaveOpen = false)
    {
        _inner = stored ?? throw new ArgumentNullException(nameof(stored));
        _payload = payload ?? throw new ArgumentNullException(nameof(payload));
        _vibId = vibId;
        _source = source;
        _leaveOpen = leaveOpen;
        var declared = payload.Checksums.Where(c => c.IsOverStored).Select(c => PayloadDigests.Normalize(c.Algorithm)).ToList();
        if (declared.Contains("sha-256")) _sha256 = SHA256.Create();
        if (declared.Contains("sha-1")) _sha1 = SHA1.Create();
        _hashing = new HashingReadStream(stored, new HashAlgorithm[] { _sha256, _sha1 }.Where(h => h != null).ToArray());
    }

    /// <summary>True when the payload declares at least one checksum over the stored bytes.</summary>
    public bool CanVerify => _payload.Checksums.Any(c => c.IsOverStored);

    /// <summary>True once the end was reached and every stored checksum matched.</summary>
    public bool Verified { get; private set; }

    public override int Read(byte[] buffer, int offset, int count)
    {
        int n = _hashing.Read(buffer, offset, count);
        if (n == 0 && count > 0) Check();
        return n;
    }

    private void Check()
    {
        if (_checked) return;
        _checked = true;
        _hashing.Finish();
        string s256 = _sha256 == null ? null : Digests.ToHex(_sha256.Hash), s1 = _sha1 == null ? null : Digests.ToHex(_sha1.Hash);
        PayloadVerifier.Check(_payload, new PayloadDigests(_hashing.BytesRead, s256, s1, null, null, null), _vibId, _source, includeGunzip: false);
        Verified = CanVerify;
    }

    public override long Length => _payload.Size >= 0 ? _payload.Size : throw new NotSupportedException();
    public override long Position { get => _hashing.BytesRead; set => throw new NotSupportedException(); }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _sha256?.Dispose();
            _sha1?.Dispose();
            if (!_leaveOpen) _inner.Dispose();
        }
        base.Dispose(disposing);
    }
}
