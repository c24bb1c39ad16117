using System;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.Internal;

namespace ESXiImageTools.Core.Packages;

/// <summary>
/// What a VIB's <c>sig.pkcs7</c> says: the signer's certificate, its validity period, and whether the signature
/// over descriptor.xml verifies cryptographically. Whether the signer chains to VMware's roots cannot be known
/// without those roots: <see cref="ChainTrust"/> is "unknown" unless a trust store was given.
/// </summary>
public sealed record SignatureFacts
{
    /// <summary>True when sig.pkcs7 is present and not empty (community VIBs ship it empty).</summary>
    public bool Present { get; init; }
    /// <summary>"PEM" or "DER"; null when absent or unreadable.</summary>
    public string Encoding { get; init; }
    /// <summary>The signer certificate's subject, e.g. <c>CN=VMware, Inc., O=VMware, Inc., …</c>.</summary>
    public string Signer { get; init; }
    public string Issuer { get; init; }
    public string SerialNumber { get; init; }
    public DateTimeOffset? NotBefore { get; init; }
    public DateTimeOffset? NotAfter { get; init; }
    /// <summary>Whether the signer certificate was within its validity period at <see cref="CheckedAt"/>.</summary>
    public bool? CurrentlyValid { get; init; }
    public DateTimeOffset CheckedAt { get; init; }
    /// <summary>True when the signature over descriptor.xml verifies with the signer's public key.</summary>
    public bool SignatureVerifies { get; init; }
    /// <summary>"trusted" or "untrusted" against a given trust store; "unknown" without one.</summary>
    public string ChainTrust { get; init; } = "unknown";
    /// <summary>Why the signature does not verify or could not be read; null when it verifies or is absent.</summary>
    public string Problem { get; init; }
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
    public static SignatureFacts ReadFile(string vibPath, X509Certificate2Collection trustStore = null, DateTimeOffset? now = null)
    {
        byte[] descriptor = null, signature = null;
        using (var fs = new FileStream(vibPath, FileMode.Open, FileAccess.Read, FileShare.Read))
        using (var ar = new ArReader(fs, vibPath))
        {
            while (ar.MoveNext() && (descriptor == null || signature == null))
            {
                var name = ar.Current.Name;
                if (name == VibFile.DescriptorMember) descriptor = ReadMember(ar, vibPath, SafeXml.DefaultMaxBytes);
                else if (name == VibFile.SignatureMember) signature = ReadMember(ar, vibPath, MaxSignatureBytes);
            }
        }
        if (descriptor == null)
            throw new EsxFormatException(ErrorCodes.VibMissingDescriptor, vibPath, VibFile.DescriptorMember, "the VIB has no descriptor.xml");
        return Examine(signature, descriptor, trustStore, now);
    }

    /// <summary>Examines a signature (PEM or DER PKCS#7, detached over <paramref name="descriptor"/>). Never throws for bad signature bytes.</summary>
    public static SignatureFacts Examine(byte[] signature, byte[] descriptor, X509Certificate2Collection trustStore = null, DateTimeOffset? now = null)
    {
        var at = now ?? DateTimeOffset.UtcNow;
        if (signature == null || signature.Length == 0 || signature.All(b => b == 0 || b == (byte)'\n' || b == (byte)'\r' || b == (byte)' '))
            return new SignatureFacts { Present = false, CheckedAt = at };
        var (der, encoding) = Decode(signature);
        if (der == null)
            return new SignatureFacts { Present = true, CheckedAt = at, Problem = "sig.pkcs7 is neither DER nor PEM PKCS#7" };
        var cms = new SignedCms(new ContentInfo(descriptor ?? Array.Empty<byte>()), detached: true);
        try { cms.Decode(der); }
        catch (CryptographicException e)
        {
            return new SignatureFacts { Present = true, Encoding = encoding, CheckedAt = at, Problem = "sig.pkcs7 is not a readable PKCS#7 signature: " + MessageText.OneLine(e) };
        }
        var info = cms.SignerInfos.Count > 0 ? cms.SignerInfos[0] : null;
        var cert = info?.Certificate ?? cms.Certificates.OfType<X509Certificate2>().FirstOrDefault();
        var facts = new SignatureFacts
        {
            Present = true,
            Encoding = encoding,
            CheckedAt = at,
            Signer = cert?.Subject,
            Issuer = cert?.Issuer,
            SerialNumber = cert?.SerialNumber,
            NotBefore = cert == null ? null : new DateTimeOffset(cert.NotBefore.ToUniversalTime(), TimeSpan.Zero),
            NotAfter = cert == null ? null : new DateTimeOffset(cert.NotAfter.ToUniversalTime(), TimeSpan.Zero),
            CurrentlyValid = cert == null ? null : at.UtcDateTime >= cert.NotBefore.ToUniversalTime() && at.UtcDateTime <= cert.NotAfter.ToUniversalTime(),
        };
        if (info == null) return facts with { Problem = "the PKCS#7 structure has no signer" };
        try
        {
            cms.CheckSignature(verifySignatureOnly: true);
            facts = facts with { SignatureVerifies = true };
        }
        catch (CryptographicException e)
        {
            facts = facts with { Problem = "the signature does not verify over descriptor.xml: " + MessageText.OneLine(e) };
        }
        if (trustStore != null && cert != null && facts.SignatureVerifies)
            facts = facts with { ChainTrust = Chains(cert, cms.Certificates, trustStore, at) ? "trusted" : "untrusted" };
        return facts;
    }

    private static bool Chains(X509Certificate2 cert, X509Certificate2Collection extra, X509Certificate2Collection roots, DateTimeOffset at)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = at.UtcDateTime;
        // The user's roots only (not the machine's): anything self-signed but unknown stays untrusted.
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.AllowUnknownCertificateAuthority;
        chain.ChainPolicy.ExtraStore.AddRange(extra);
        chain.ChainPolicy.ExtraStore.AddRange(roots);
        if (!chain.Build(cert)) return false;
        var root = chain.ChainElements[chain.ChainElements.Count - 1].Certificate;
        return roots.OfType<X509Certificate2>().Any(r => r.RawData.SequenceEqual(root.RawData));
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
