using System;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.IO;

namespace ESXiImageTools.Core.Packages;

/// <summary>What a VIB's signature is, as far as its bytes tell.</summary>
public enum SignatureState
{
    /// <summary>sig.pkcs7 is absent or empty (community VIBs ship it empty).</summary>
    Unsigned,
    /// <summary>The signature verifies over descriptor.xml with the signer certificate's key.</summary>
    Verifies,
    /// <summary>A readable signature that does not verify over descriptor.xml: the descriptor or the signature was changed.</summary>
    DoesNotVerify,
    /// <summary>sig.pkcs7 is not a readable PKCS#7 signature (garbage, truncated, no signer), or the .vib could not be read (Problem says which).</summary>
    Unreadable,
}

/// <summary>
/// What a VIB's <c>sig.pkcs7</c> says: the signer's certificate, its validity at signing time, whether the signature
/// over descriptor.xml verifies, and which trust anchor (<see cref="VibTrustStore"/>) the signer is or chains to.
/// </summary>
public sealed record SignatureFacts
{
    /// <summary>Unsigned, verifies, does not verify, or unreadable.</summary>
    public SignatureState State { get; init; }
    /// <summary>True when sig.pkcs7 is present and not empty (community VIBs ship it empty); false when the .vib could not be read.</summary>
    public bool Present { get; init; }
    /// <summary>"PEM" or "DER"; null when absent or unreadable.</summary>
    public string Encoding { get; init; }
    /// <summary>The signer certificate's subject, e.g. <c>CN=VMware Certified VIB Signing, O="VMware, Inc.", …</c>.</summary>
    public string Signer { get; init; }
    public string Issuer { get; init; }
    public string SerialNumber { get; init; }
    /// <summary>SHA-256 of the signer certificate's DER bytes (lower-case hex).</summary>
    public string SignerThumbprint { get; init; }
    public DateTimeOffset? NotBefore { get; init; }
    public DateTimeOffset? NotAfter { get; init; }
    /// <summary>The signature's signingTime attribute; null when it has none (then validity is checked at <see cref="CheckedAt"/>).</summary>
    public DateTimeOffset? SigningTime { get; init; }
    /// <summary>Whether the signer certificate was within its validity period when it signed (at <see cref="SigningTime"/>, else now).</summary>
    public bool? ValidAtSigning { get; init; }
    /// <summary>Whether the signer certificate is within its validity period at <see cref="CheckedAt"/> (informational: ESXi judges the signing time).</summary>
    public bool? CurrentlyValid { get; init; }
    public DateTimeOffset CheckedAt { get; init; }
    /// <summary>True when the signature over descriptor.xml verifies with the signer's public key.</summary>
    public bool SignatureVerifies { get; init; }
    /// <summary>The trust anchor the signer is or chains to (its name); null when untrusted or not verified.</summary>
    public string Anchor { get; init; }
    /// <summary>"built-in" or the certificate file the anchor came from; null when untrusted.</summary>
    public string AnchorOrigin { get; init; }
    /// <summary>The highest acceptance level the anchor may sign; null when untrusted.</summary>
    public AcceptanceLevel? AnchorMaxLevel { get; init; }
    /// <summary>The anchor's name, or "untrusted" (also for an unsigned or unverifiable signature).</summary>
    public string Trust => Anchor ?? "untrusted";
    /// <summary>Why the signature does not verify or could not be read; null when it verifies or is absent.</summary>
    public string Problem { get; init; }

    /// <summary>The state, and for a verifying signature its anchor (or "untrusted") and the level that anchor may sign.</summary>
    public override string ToString() => State == SignatureState.Verifies
        ? $"verifies; {(Anchor == null ? "untrusted signer " + Signer : $"{Anchor} (up to {AnchorMaxLevel})")}"
        : StateText;

    /// <summary>"verifies", "does not verify", "unsigned" or "unreadable".</summary>
    public string StateText => State switch
    {
        SignatureState.Verifies => "verifies",
        SignatureState.DoesNotVerify => "does not verify",
        SignatureState.Unreadable => "unreadable",
        _ => "unsigned",
    };
}

/// <summary>
/// Whether a VIB carries a signature (a non-empty sig.pkcs7), reading its member list when metadata did not say;
/// and the <see cref="SignatureFacts"/> of a .vib file or of sig.pkcs7 and descriptor.xml bytes.
/// </summary>
public static class VibSignature
{
    /// <summary>
    /// <see cref="Vib.Signed"/> when known; otherwise the .vib's ar member headers are read (no payload is
    /// decompressed). Null when the bytes cannot be had as a .vib (an ISO holds payloads only, or the depot lacks the file).
    /// </summary>
    public static bool? Read(Vib vib, CancellationToken cancellationToken = default)
    {
        if (vib == null) throw new ArgumentNullException(nameof(vib));
        if (vib.Signed.HasValue) return vib.Signed;
        var content = vib.Content;
        if (content == null || !content.IsAvailable) return null;
        using var stream = content.OpenVibFile(cancellationToken);
        if (stream == null) return null;
        return VibFile.ListMembers(stream, content.Location).Any(m => m.Name == VibFile.SignatureMember && m.Size > 0);
    }

    /// <summary>Largest sig.pkcs7 read (real ones are a few KiB).</summary>
    public const long MaxSignatureBytes = 1L << 20;

    /// <summary>Reads the descriptor and signature members of <paramref name="vibPath"/> and examines them.</summary>
    public static SignatureFacts ReadFile(string vibPath, VibTrustStore trust = null, DateTimeOffset? now = null)
    {
        using var fs = new FileStream(vibPath, FileMode.Open, FileAccess.Read, FileShare.Read);
        var (descriptor, signature) = ReadMembers(fs, vibPath);
        return Examine(signature, descriptor, trust, now);
    }

    /// <summary>The descriptor.xml and sig.pkcs7 bytes of a .vib (signature null when absent), read forward only; stops after both.</summary>
    public static (byte[] Descriptor, byte[] Signature) ReadMembers(Stream vib, string location)
    {
        byte[] descriptor = null, signature = null;
        using (var ar = new ArReader(vib, location, leaveOpen: true))
        {
            while ((descriptor == null || signature == null) && ar.MoveNext())
            {
                var name = ar.Current.Name;
                if (name == VibFile.DescriptorMember) descriptor = ReadMember(ar, location, SafeXml.DefaultMaxBytes);
                else if (name == VibFile.SignatureMember) signature = ReadMember(ar, location, MaxSignatureBytes);
            }
        }
        if (descriptor == null)
            throw new EsxFormatException(ErrorCodes.VibMissingDescriptor, location, VibFile.DescriptorMember, "the VIB has no descriptor.xml");
        return (descriptor, signature);
    }

    /// <summary>
    /// Examines a signature (PEM or DER PKCS#7, detached over the exact <paramref name="descriptor"/> bytes) against
    /// <paramref name="trust"/> (default: VMware's certificates only). Never throws for bad signature bytes.
    /// </summary>
    public static SignatureFacts Examine(byte[] signature, byte[] descriptor, VibTrustStore trust = null, DateTimeOffset? now = null)
    {
        var at = now ?? DateTimeOffset.UtcNow;
        if (signature == null || signature.Length == 0 || signature.All(b => b == 0 || b == (byte)'\n' || b == (byte)'\r' || b == (byte)' '))
            return new SignatureFacts { State = SignatureState.Unsigned, Present = false, CheckedAt = at };
        var unreadable = new SignatureFacts { State = SignatureState.Unreadable, Present = true, CheckedAt = at };
        var (der, encoding) = Decode(signature);
        if (der == null) return unreadable with { Problem = "sig.pkcs7 is neither DER nor PEM PKCS#7" };
        var cms = new SignedCms(new ContentInfo(descriptor ?? Array.Empty<byte>()), detached: true);
        try { cms.Decode(der); }
        catch (CryptographicException e)
        {
            return unreadable with { Encoding = encoding, Problem = "sig.pkcs7 is not a readable PKCS#7 signature: " + MessageText.OneLine(e) };
        }
        var info = cms.SignerInfos.Count > 0 ? cms.SignerInfos[0] : null;
        var cert = info?.Certificate ?? cms.Certificates.OfType<X509Certificate2>().FirstOrDefault();
        var signingTime = info == null ? null : SigningTimeOf(info);
        var when = signingTime ?? at;
        bool? Within(DateTimeOffset t) => cert == null ? null : t.UtcDateTime >= cert.NotBefore.ToUniversalTime() && t.UtcDateTime <= cert.NotAfter.ToUniversalTime();
        var facts = unreadable with
        {
            Encoding = encoding,
            Signer = cert?.Subject,
            Issuer = cert?.Issuer,
            SerialNumber = cert?.SerialNumber,
            SignerThumbprint = cert == null ? null : TrustAnchor.Sha256Hex(cert.RawData),
            NotBefore = cert == null ? null : new DateTimeOffset(cert.NotBefore.ToUniversalTime(), TimeSpan.Zero),
            NotAfter = cert == null ? null : new DateTimeOffset(cert.NotAfter.ToUniversalTime(), TimeSpan.Zero),
            SigningTime = signingTime,
            ValidAtSigning = Within(when),
            CurrentlyValid = Within(at),
        };
        if (info == null) return facts with { Problem = "the PKCS#7 structure has no signer" };
        if (cert == null) return facts with { Problem = "the PKCS#7 structure does not carry the signer's certificate" };
        try
        {
            cms.CheckSignature(verifySignatureOnly: true);
            facts = facts with { State = SignatureState.Verifies, SignatureVerifies = true };
        }
        catch (CryptographicException e)
        {
            return facts with { State = SignatureState.DoesNotVerify, Problem = "the signature does not verify over descriptor.xml: " + MessageText.OneLine(e) };
        }
        var anchor = (trust ?? VibTrustStore.BuiltIn).Find(cert, cms.Certificates, when);
        return anchor == null ? facts : facts with { Anchor = anchor.Name, AnchorOrigin = anchor.Origin, AnchorMaxLevel = anchor.MaxLevel };
    }

    private const string SigningTimeOid = "1.2.840.113549.1.9.5";

    private static DateTimeOffset? SigningTimeOf(SignerInfo info)
    {
        foreach (var attribute in info.SignedAttributes)
            if (attribute.Oid?.Value == SigningTimeOid)
                foreach (var value in attribute.Values)
                {
                    try { return new DateTimeOffset(new Pkcs9SigningTime(value.RawData).SigningTime.ToUniversalTime(), TimeSpan.Zero); }
                    catch (CryptographicException) { return null; }
                }
        return null;
    }

    // PEM (-----BEGIN PKCS7----- or any BEGIN label) or raw DER (starts with an ASN.1 SEQUENCE).
    private static (byte[] Der, string Encoding) Decode(byte[] bytes)
    {
        if (bytes[0] == 0x30) return (bytes, "DER");
        var text = System.Text.Encoding.ASCII.GetString(bytes);
        int begin = text.IndexOf("-----BEGIN ", StringComparison.Ordinal);
        if (begin < 0) return (null, null);
        int bodyStart = text.IndexOf('\n', begin);
        int end = text.IndexOf("-----END ", StringComparison.Ordinal);
        if (bodyStart < 0 || end < bodyStart) return (null, null);
        var base64 = new StringBuilder();
        foreach (var c in text.Substring(bodyStart, end - bodyStart))
            if (!char.IsWhiteSpace(c)) base64.Append(c);
        try { return (Convert.FromBase64String(base64.ToString()), "PEM"); }
        catch (FormatException) { return (null, null); }
    }

    private static byte[] ReadMember(ArReader ar, string source, long max)
    {
        if (ar.Current.Size > max)
            throw new EsxFormatException(ErrorCodes.VibInvalidDescriptor, source, ar.Current.Name, $"member is {ar.Current.Size} bytes, more than the limit of {max}");
        using var s = ar.OpenCurrent();
        var ms = new MemoryStream((int)ar.Current.Size);
        s.CopyTo(ms);
        return ms.ToArray();
    }
}
