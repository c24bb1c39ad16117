using System;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace ESXiImageTools.Core.Packages;

/// <summary>
/// Makes a <c>sig.pkcs7</c> the way VMware's are made: a detached PKCS#7 signature over the exact
/// descriptor.xml bytes, sha-256, carrying the signer certificate and a signingTime attribute, PEM-encoded.
/// RSA PKCS#1 v1.5 is deterministic, so the same descriptor, key and time give the same bytes.
/// </summary>
public static class VibSigner
{
    /// <summary>Signs <paramref name="descriptor"/> with <paramref name="certificate"/> (which must carry its private key) as of <paramref name="signingTime"/>.</summary>
    public static byte[] Sign(byte[] descriptor, X509Certificate2 certificate, DateTimeOffset signingTime)
    {
        if (descriptor == null) throw new ArgumentNullException(nameof(descriptor));
        if (certificate == null) throw new ArgumentNullException(nameof(certificate));
        if (!certificate.HasPrivateKey) throw new ArgumentException("the signing certificate has no private key", nameof(certificate));
        var cms = new SignedCms(new ContentInfo(descriptor), detached: true);
        var signer = new CmsSigner(SubjectIdentifierType.IssuerAndSerialNumber, certificate)
        {
            DigestAlgorithm = new Oid("2.16.840.1.101.3.4.2.1"),   // sha-256, as the real signatures
            IncludeOption = X509IncludeOption.EndCertOnly,
        };
        signer.SignedAttributes.Add(new Pkcs9SigningTime(signingTime.UtcDateTime));
        cms.ComputeSignature(signer, silent: true);
        var base64 = Convert.ToBase64String(cms.Encode());
        var pem = new StringBuilder("-----BEGIN PKCS7-----\n");
        for (int i = 0; i < base64.Length; i += 64) pem.Append(base64, i, Math.Min(64, base64.Length - i)).Append('\n');
        pem.Append("-----END PKCS7-----\n");
        return Encoding.ASCII.GetBytes(pem.ToString());
    }
}
