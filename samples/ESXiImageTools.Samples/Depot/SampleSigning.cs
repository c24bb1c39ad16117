using System;
using System.IO;
using System.Security.Cryptography.X509Certificates;
using ESXiImageTools.Core.Packages;

namespace ESXiImageTools.Samples.Depot;

/// <summary>
/// Signs the sample's VMware-named VIBs (PartnerSupported, which an ESXi host accepts only signed) with the sample's
/// test key, <see cref="RelativePath"/>: certificate and private key, published, so trusted only when a user names it.
/// The signing time is <see cref="SampleDepot.Timestamp"/>, so regenerating gives the same bytes.
/// </summary>
public static class SampleSigning
{
    /// <summary>The test certificate and its key, relative to the samples folder.</summary>
    public const string RelativePath = "sample-signing.pem";

    /// <summary>A signer over descriptor bytes with the key in <paramref name="samplesDir"/>.</summary>
    public static Func<byte[], byte[]> Signer(string samplesDir)
    {
        var pem = File.ReadAllText(Path.Combine(samplesDir, RelativePath));
        var certificate = X509Certificate2.CreateFromPem(pem, pem);
        return descriptor => VibSigner.Sign(descriptor, certificate, SampleDepot.Timestamp);
    }
}
