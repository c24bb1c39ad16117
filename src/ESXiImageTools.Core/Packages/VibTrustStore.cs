using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.IO;

namespace ESXiImageTools.Core.Packages;

/// <summary>
/// A certificate trusted to sign VIBs, and the highest acceptance level a VIB it signs may claim. Anchors are
/// matched by certificate (SHA-256 of its DER bytes) or, for a chain, by being its issuer: never by subject name.
/// </summary>
public sealed class TrustAnchor
{
    public TrustAnchor(X509Certificate2 certificate, AcceptanceLevel maxLevel, string origin)
    {
        Certificate = certificate ?? throw new ArgumentNullException(nameof(certificate));
        MaxLevel = maxLevel;
        Origin = origin;
        Thumbprint = Sha256Hex(certificate.RawData);
        KeySha256 = Sha256Hex(certificate.GetPublicKey());
    }

    public X509Certificate2 Certificate { get; }

    /// <summary>The anchor's common name (or whole subject), for messages.</summary>
    public string Name => Certificate.GetNameInfo(X509NameType.SimpleName, false) ?? Certificate.Subject;

    /// <summary>The highest acceptance level a VIB this anchor signs may claim.</summary>
    public AcceptanceLevel MaxLevel { get; }

    /// <summary>"built-in", or the file the user named.</summary>
    public string Origin { get; }

    /// <summary>SHA-256 of the certificate's DER encoding (lower-case hex).</summary>
    public string Thumbprint { get; }

    /// <summary>SHA-256 of the certificate's public key bits (lower-case hex).</summary>
    public string KeySha256 { get; }

    public override string ToString() => $"{Name} ({Origin}, up to {MaxLevel})";

    internal static string Sha256Hex(byte[] data) => Digests.Sha256Hex(data);
}

/// <summary>
/// The certificates VIB signatures are checked against: VMware's two public VIB signing certificates (built in,
/// pinned by SHA-256 thumbprint) and the certificates a user names (partner CAs, in-house signing), which may
/// sign up to PartnerSupported. The user's list comes from the shell (a file per certificate) and from
/// <see cref="EnvironmentVariable"/>, a path list (<see cref="Path.PathSeparator"/>-separated).
/// </summary>
public sealed class VibTrustStore
{
    /// <summary>The environment variable naming extra trusted certificate files (PEM or DER), separated like PATH.</summary>
    public const string EnvironmentVariable = "ESXIIMAGETOOLS_TRUSTED_CERTS";

    /// <summary>The level a user-named certificate may sign at most: VMware's levels need VMware's certificates.</summary>
    public const AcceptanceLevel UserCertificateMaxLevel = AcceptanceLevel.PartnerSupported;

    /// <summary>SHA-256 of "VMware Certified VIB Signing" (self-signed, 2017-2037), the signer of VMwareCertified VIBs
    /// (usbnic-fling-703, if-re 1.101.01 and vmkusb-nic-fling 1.14; docs/formats-notes.md, "Signatures").</summary>
    public const string VMwareCertifiedThumbprint = "321690a8e06810b184032f073c305a082112bdad5870ef2e8953e01be956d710";

    /// <summary>SHA-256 of "VMware Accepted VIB Signing" (issued by VMware Root CA, 2019-2022), the signer of the
    /// VMwareAccepted usbnic-fling-650 VIB. It shares its key with the certified certificate.</summary>
    public const string VMwareAcceptedThumbprint = "131cbb0f7f3e9bb2b15455d47d55b1bd6c59e48bde6bc00bb0e0033cf7b5036e";

    // Copied from the sig.pkcs7 of the corpus VIBs named above (openssl pkcs7 -print_certs); public certificates.
    private const string VMwareCertifiedPem =
        "-----BEGIN CERTIFICATE-----\n" +
        "MIIGQzCCBCugAwIBAgIJAMiny2yk4y/AMA0GCSqGSIb3DQEBDQUAMHQxCzAJBgNV\n" +
        "BAYTAlVTMRMwEQYDVQQIEwpDYWxpZm9ybmlhMRIwEAYDVQQHEwlQYWxvIEFsdG8x\n" +
        "FTATBgNVBAoTDFZNd2FyZSwgSW5jLjElMCMGA1UEAxMcVk13YXJlIENlcnRpZmll\n" +
        "ZCBWSUIgU2lnbmluZzAeFw0xNzA5MDYwMzEwMDlaFw0zNzA5MDEwMzEwMDlaMHQx\n" +
        "CzAJBgNVBAYTAlVTMRMwEQYDVQQIEwpDYWxpZm9ybmlhMRIwEAYDVQQHEwlQYWxv\n" +
        "IEFsdG8xFTATBgNVBAoTDFZNd2FyZSwgSW5jLjElMCMGA1UEAxMcVk13YXJlIENl\n" +
        "cnRpZmllZCBWSUIgU2lnbmluZzCCAiAwDQYJKoZIhvcNAQEBBQADggINADCCAggC\n" +
        "ggIBALfOpTqGISE9tNZnCJabrAN3ivuahJS/PDw05LlmQyt7W1xk3S7QRVEX6pr4\n" +
        "kvXLdrlRuQcXIeqHGGOx1m+kRR2fcekIA8DUXdhjK37JH0BQG0iuoVbbUTn5vTYJ\n" +
        "rC7XnIDSwyR1qhUU/6pvtZg4cdr91E76cBXFjriPDhvJq/1gd+2eXUiCXYHwJbf0\n" +
        "fTX4ghNcHgqj+4+V06S/MDTWbQMHBHxtKyVK9PoaRWX+3aZIC9B3buCcdZM1N44X\n" +
        "mc9w15L9es8YY6POPA9g45L53z620XoiE1/6q7o+hlKlVB0UByxYjQ9xNJv3LB5N\n" +
        "/a5zoxqkQx33Ysgl+Fe6h+s3RaFsJ1L0H1ZN+Xk9HigSiKf4RQtKvKZ3hScRJ4LP\n" +
        "UXNcQPBRH4iq+lc93RiXf1YtzIldds/t/95NxsjoBqIX5tT4iW07XdxmS+AoiUhn\n" +
        "NMCjSrEzPLOLytQi3Sedz/ME9r3zRfn1BNac8qjO0mQmobCa4B1NNgjhZPbxM+4x\n" +
        "vZbwsLXcjGTRGgts+hjEzdHWFcs8Uht3fvgS7wEiAGpi5BfM5ozBt+/HsOlIw3et\n" +
        "3o4Efj8oYHKiX1Sse97g4D398gPwFLE5vwoS6Ewxt7byEguVCE4WUy/sj6FGOB13\n" +
        "Ayl18JEsWHSN4BI6Sak0x8a9q8uTOVVObROhnB2qQXk8jUsDAgEDo4HZMIHWMB0G\n" +
        "A1UdDgQWBBQDFIwzPwo+AP0noNIEDj0ivb0JlDCBpgYDVR0jBIGeMIGbgBQDFIwz\n" +
        "Pwo+AP0noNIEDj0ivb0JlKF4pHYwdDELMAkGA1UEBhMCVVMxEzARBgNVBAgTCkNh\n" +
        "bGlmb3JuaWExEjAQBgNVBAcTCVBhbG8gQWx0bzEVMBMGA1UEChMMVk13YXJlLCBJ\n" +
        "bmMuMSUwIwYDVQQDExxWTXdhcmUgQ2VydGlmaWVkIFZJQiBTaWduaW5nggkAyKfL\n" +
        "bKTjL8AwDAYDVR0TBAUwAwEB/zANBgkqhkiG9w0BAQ0FAAOCAgEAJFtCvY+IhbrI\n" +
        "11wxg7FvaeiAHaQ66SwMQeGSe1hRpajit6/CNG7DXQHwpgguGLIMqX2lFiMdIC4v\n" +
        "P5v5q8bRKOLIMoMeM3dW6Z4V6DSUh4t8M/6JHKzrnK6GcWEdfS9MWzbqRYHDcx7N\n" +
        "qJVUQyBJYvJS9LVXYz0JNM3VFgNas2IBZYYi9D5rb8f5UY6mYZWxdBwO6oBwxXRn\n" +
        "yL7NG0Sm54/3HlioNVtMQYDd5cMtN1RktIVt4WFufoUKUvueuZi5TWDv/XCMr2n5\n" +
        "ZAYky0K8stbrVrWqDPzRQQepJpFrt+akPy9E95MvnQtlvG3q0kOjiKAa3UFjeB67\n" +
        "VX+bcG8Oo0p46WrEiBZD/d27F00xpKLdIvQ6jzRTfTxMsSVkRQfsvCIxibXCdabM\n" +
        "2HyoqwG5NKZOY4qWrjnBF1oO2mcjoMPIdjpl6VPvnBP/KQInSk9p4c7E7a80a30g\n" +
        "aEGg+kMBj+QhKrFvJFApPQvYUIx3Gi+HlTPBtr3hV7x6dkkGxi/f27fweE1vfWK8\n" +
        "th90aJBD7J2ek00mUJSGwwVdvPTjMvaq56eXg/5J33zYsBUsrs7OzMHAgRF1kBLE\n" +
        "l3qBwRPEOuTpsiB1gSfgvA0H7d2P1JW8GwrwXFpSBqHra0HDHGHsa7UR82hSvrDo\n" +
        "E5pW3tCuUlfRVHMqfX0g5E7DYBffMtI=\n" +
        "-----END CERTIFICATE-----\n";

    private const string VMwareAcceptedPem =
        "-----BEGIN CERTIFICATE-----\n" +
        "MIIEuzCCA6OgAwIBAgIQDYMJ/XnGIOQnpuP2bPjR2jANBgkqhkiG9w0BAQsFADA9\n" +
        "MQswCQYDVQQGEwJVUzEVMBMGA1UEChMMVk13YXJlLCBJbmMuMRcwFQYDVQQDEw5W\n" +
        "TXdhcmUgUm9vdCBDQTAeFw0xOTA0MTYwMDAwMDBaFw0yMjA0MTUyMzU5NTlaMGUx\n" +
        "CzAJBgNVBAYTAlVTMRMwEQYDVQQKEwpWTXdhcmUgSW5jMRswGQYDVQQLExJBY2Nl\n" +
        "cHRhbmNlIFNpZ25pbmcxJDAiBgNVBAMMG1ZNd2FyZSBBY2NlcHRlZCBWSUIgU2ln\n" +
        "bmluZzCCAiAwDQYJKoZIhvcNAQEBBQADggINADCCAggCggIBALfOpTqGISE9tNZn\n" +
        "CJabrAN3ivuahJS/PDw05LlmQyt7W1xk3S7QRVEX6pr4kvXLdrlRuQcXIeqHGGOx\n" +
        "1m+kRR2fcekIA8DUXdhjK37JH0BQG0iuoVbbUTn5vTYJrC7XnIDSwyR1qhUU/6pv\n" +
        "tZg4cdr91E76cBXFjriPDhvJq/1gd+2eXUiCXYHwJbf0fTX4ghNcHgqj+4+V06S/\n" +
        "MDTWbQMHBHxtKyVK9PoaRWX+3aZIC9B3buCcdZM1N44Xmc9w15L9es8YY6POPA9g\n" +
        "45L53z620XoiE1/6q7o+hlKlVB0UByxYjQ9xNJv3LB5N/a5zoxqkQx33Ysgl+Fe6\n" +
        "h+s3RaFsJ1L0H1ZN+Xk9HigSiKf4RQtKvKZ3hScRJ4LPUXNcQPBRH4iq+lc93RiX\n" +
        "f1YtzIldds/t/95NxsjoBqIX5tT4iW07XdxmS+AoiUhnNMCjSrEzPLOLytQi3Sed\n" +
        "z/ME9r3zRfn1BNac8qjO0mQmobCa4B1NNgjhZPbxM+4xvZbwsLXcjGTRGgts+hjE\n" +
        "zdHWFcs8Uht3fvgS7wEiAGpi5BfM5ozBt+/HsOlIw3et3o4Efj8oYHKiX1Sse97g\n" +
        "4D398gPwFLE5vwoS6Ewxt7byEguVCE4WUy/sj6FGOB13Ayl18JEsWHSN4BI6Sak0\n" +
        "x8a9q8uTOVVObROhnB2qQXk8jUsDAgEDo4GQMIGNMAkGA1UdEwQCMAAwCwYDVR0P\n" +
        "BAQDAgeAMF4GA1UdHwRXMFUwU6BRoE+GTWh0dHA6Ly9vbnNpdGVjcmwudmVyaXNp\n" +
        "Z24uY29tL1ZNd2FyZUluY0NvRGV2ZWxvcG1lbnRFbmdpbmVlcmluZy9MYXRlc3RD\n" +
        "UkwuY3JsMBMGA1UdJQQMMAoGCCsGAQUFBwMDMA0GCSqGSIb3DQEBCwUAA4IBAQAB\n" +
        "oX7UKulQw5K3Wylbg2oUUkHq64ZkcsyznJ3j2O74xqOz2O5tH5HFl7ogTTdIn5u5\n" +
        "dh4af2Ukzbt2bXIYpJn+IDCnZ6EAwzKPF7BU8iiMAO5MT5UJ/8RzA+NgFayYYhkt\n" +
        "Zw0+xo7rpAAqTa51KKQfpCPatbHt/qRrs2Tno4yYqlogMlYDKHfSZqMqjCCYUfhe\n" +
        "SZHBDjxHOCF/02tvfD59jogrL6ndKeF7hzy8ulpHd2ZgvziuO+BY1QEHbdGIwTq3\n" +
        "iUbWh4UjjkD4kifx2eCgje/nVz0UnXgFr7OHn4Tt7FB3e7N7vjDIbMFIcO1oWqr7\n" +
        "fx+FsAX6o7W6yQq6o3ob\n" +
        "-----END CERTIFICATE-----\n";

    private static readonly Lazy<IReadOnlyList<TrustAnchor>> BuiltInAnchors = new Lazy<IReadOnlyList<TrustAnchor>>(() => new[]
    {
        Pinned(VMwareCertifiedPem, VMwareCertifiedThumbprint, AcceptanceLevel.VMwareCertified),
        Pinned(VMwareAcceptedPem, VMwareAcceptedThumbprint, AcceptanceLevel.VMwareAccepted),
    });

    private VibTrustStore(IReadOnlyList<TrustAnchor> anchors) => Anchors = anchors;

    /// <summary>Every anchor: the built-in ones first, then the user's.</summary>
    public IReadOnlyList<TrustAnchor> Anchors { get; }

    /// <summary>VMware's certificates only.</summary>
    public static VibTrustStore BuiltIn { get; } = new VibTrustStore(BuiltInAnchors.Value);

    /// <summary>
    /// VMware's certificates, those in the files <see cref="EnvironmentVariable"/> names, and those in
    /// <paramref name="certificateFiles"/>. A file may hold several PEM certificates (a private key beside them is ignored).
    /// </summary>
    public static VibTrustStore Create(IEnumerable<string> certificateFiles, bool includeEnvironment = true)
    {
        var files = new List<string>();
        if (includeEnvironment)
        {
            var env = Environment.GetEnvironmentVariable(EnvironmentVariable);
            if (!string.IsNullOrWhiteSpace(env))
                files.AddRange(env.Split(new[] { Path.PathSeparator }, StringSplitOptions.RemoveEmptyEntries).Select(p => p.Trim()).Where(p => p.Length > 0));
        }
        if (certificateFiles != null) files.AddRange(certificateFiles.Where(f => !string.IsNullOrWhiteSpace(f)));
        if (files.Count == 0) return BuiltIn;
        var anchors = new List<TrustAnchor>(BuiltInAnchors.Value);
        foreach (var file in files.Select(Path.GetFullPath).Distinct(StringComparer.Ordinal))
            foreach (var cert in ReadCertificates(file))
                if (!anchors.Any(a => a.Certificate.RawData.SequenceEqual(cert.RawData)))
                    anchors.Add(new TrustAnchor(cert, UserCertificateMaxLevel, file));
        return new VibTrustStore(anchors);
    }

    /// <summary>Largest certificate file read.</summary>
    public const long MaxCertificateFileBytes = 1L << 20;

    /// <summary>The certificates in a PEM file (every CERTIFICATE block) or a DER file; throws a typed error when it holds none.</summary>
    public static IReadOnlyList<X509Certificate2> ReadCertificates(string file)
    {
        if (!File.Exists(file))
            throw new EsxException(ErrorCodes.FileNotFound, EsxErrorCategory.ObjectNotFound, $"{file}: trusted certificate file not found", file);
        var length = new FileInfo(file).Length;
        if (length > MaxCertificateFileBytes)
            throw new EsxFormatException(ErrorCodes.CertificateInvalid, file, null, $"is {length} bytes, too large for a certificate file");
        var bytes = File.ReadAllBytes(file);
        var certs = new List<X509Certificate2>();
        try
        {
            if (bytes.Length > 0 && bytes[0] == 0x30) certs.Add(new X509Certificate2(bytes));
            else
                foreach (var der in PemBlocks(Encoding.ASCII.GetString(bytes), "CERTIFICATE"))
                    certs.Add(new X509Certificate2(der));
        }
        catch (Exception e) when (e is CryptographicException || e is FormatException)
        {
            throw new EsxFormatException(ErrorCodes.CertificateInvalid, file, null, "is not a readable X.509 certificate: " + MessageText.OneLine(e), e);
        }
        if (certs.Count == 0)
            throw new EsxFormatException(ErrorCodes.CertificateInvalid, file, null, "holds no certificate (expected PEM -----BEGIN CERTIFICATE----- blocks or DER)");
        return certs;
    }

    /// <summary>The DER bytes of every PEM block with <paramref name="label"/>.</summary>
    internal static IEnumerable<byte[]> PemBlocks(string text, string label)
    {
        var begin = "-----BEGIN " + label + "-----";
        var end = "-----END " + label + "-----";
        int at = 0;
        while ((at = text.IndexOf(begin, at, StringComparison.Ordinal)) >= 0)
        {
            int start = at + begin.Length;
            int stop = text.IndexOf(end, start, StringComparison.Ordinal);
            if (stop < 0) throw new FormatException($"a {begin} block has no {end}");
            var base64 = new StringBuilder();
            foreach (var c in text.Substring(start, stop - start)) if (!char.IsWhiteSpace(c)) base64.Append(c);
            yield return Convert.FromBase64String(base64.ToString());
            at = stop + end.Length;
        }
    }

    /// <summary>
    /// The anchor <paramref name="signer"/> is, or chains to through <paramref name="intermediates"/> (certificates of
    /// the signature), with every link's signature checked and each certificate valid at <paramref name="at"/>
    /// (the signing time). When none: null. A certificate that only shares a built-in anchor's key (VMware's two
    /// share one) counts as the least trusted anchor with that key.
    /// </summary>
    public TrustAnchor Find(X509Certificate2 signer, X509Certificate2Collection intermediates, DateTimeOffset at)
    {
        if (signer == null) return null;
        var thumbprint = TrustAnchor.Sha256Hex(signer.RawData);
        var exact = Anchors.Where(a => a.Thumbprint == thumbprint).OrderByDescending(a => a.MaxLevel).FirstOrDefault();
        if (exact != null) return exact;
        var key = TrustAnchor.Sha256Hex(signer.GetPublicKey());
        var sameKey = Anchors.Where(a => a.KeySha256 == key).OrderBy(a => a.MaxLevel).FirstOrDefault();
        if (sameKey != null) return sameKey;
        return ChainTo(signer, intermediates, at);
    }

    private TrustAnchor ChainTo(X509Certificate2 signer, X509Certificate2Collection intermediates, DateTimeOffset at)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = at.UtcDateTime;
        // Our anchors only, not the machine's roots: the chain may end in a root the machine does not know, and
        // then must pass through one of ours. Every other fault (a bad link signature, a time) fails the build.
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.AllowUnknownCertificateAuthority;
        if (intermediates != null) chain.ChainPolicy.ExtraStore.AddRange(intermediates);
        foreach (var a in Anchors) chain.ChainPolicy.ExtraStore.Add(a.Certificate);
        try
        {
            if (!chain.Build(signer)) return null;
        }
        catch (CryptographicException) { return null; }
        foreach (var element in chain.ChainElements.Cast<X509ChainElement>().Skip(1))
        {
            var t = TrustAnchor.Sha256Hex(element.Certificate.RawData);
            var anchor = Anchors.Where(a => a.Thumbprint == t).OrderByDescending(a => a.MaxLevel).FirstOrDefault();
            if (anchor != null) return anchor;
        }
        return null;
    }

    private static TrustAnchor Pinned(string pem, string thumbprint, AcceptanceLevel level)
    {
        var cert = new X509Certificate2(PemBlocks(pem, "CERTIFICATE").Single());
        var anchor = new TrustAnchor(cert, level, "built-in");
        if (anchor.Thumbprint != thumbprint) throw new InvalidOperationException($"built-in anchor {anchor.Name} does not match its pinned thumbprint");
        return anchor;
    }
}
