using System;
using System.IO;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ESXiImageTools.Core.Packages;

namespace ESXiImageTools.TestSupport;

/// <summary>
/// Certificates made at test time. <see cref="InHouse"/> signs the fixture VIBs above CommunitySupported (as a partner's
/// or an in-house CA would), and the test run trusts it through
/// <see cref="VibTrustStore.EnvironmentVariable"/> (<see cref="TrustForTests"/>), so exports of fixtures pass the signature
/// check the way a real VMware depot does. Other certificates made here (look-alike, expired, evil) are
/// never trusted.
/// </summary>
public static class TestSigning
{
    private static readonly Lazy<X509Certificate2> InHouseCertificate = new Lazy<X509Certificate2>(
        () => SelfSigned("CN=ESXiImageTools Test Signing, O=Test", new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2050, 1, 1, 0, 0, 0, TimeSpan.Zero)));

    private static readonly Lazy<string> InHousePem = new Lazy<string>(() =>
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"esxit-test-signing-{Environment.ProcessId}.pem");
        File.WriteAllText(path, InHouseCertificate.Value.ExportCertificatePem());
        AppDomain.CurrentDomain.ProcessExit += (_, _) => { try { File.Delete(path); } catch (IOException) { } };
        return path;
    });

    /// <summary>The test run's signing certificate (with its key), trusted by <see cref="TrustForTests"/>.</summary>
    public static X509Certificate2 InHouse => InHouseCertificate.Value;

    /// <summary>A PEM file holding <see cref="InHouse"/>'s certificate (no key).</summary>
    public static string InHouseCertificateFile => InHousePem.Value;

    /// <summary>samples/sample-signing.pem: the sample's test key, which signs its VMware-named VIBs.</summary>
    public static string SampleCertificateFile => RepoRoot.Path == null ? null : System.IO.Path.Combine(RepoRoot.Path, "samples", "sample-signing.pem");

    /// <summary>
    /// Names <see cref="InHouseCertificateFile"/> in ESXIIMAGETOOLS_TRUSTED_CERTS for this process and the tools it starts
    /// (esximage, pwsh), as an in-house build machine would. Each test project calls it from a module initializer. The
    /// sample's certificate is not in it: tests that export the sample name it, as its README does.
    /// </summary>
    public static void TrustForTests() => Environment.SetEnvironmentVariable(VibTrustStore.EnvironmentVariable, InHouseCertificateFile);

    /// <summary>A signer over descriptor bytes with <see cref="InHouse"/>, dated <paramref name="signingTime"/>.</summary>
    public static Func<byte[], byte[]> InHouseSigner(DateTimeOffset signingTime) => d => VibSigner.Sign(d, InHouse, signingTime);

    /// <summary>A self-signed RSA certificate with its private key, e.g. a look-alike <c>CN=VMware Certified VIB Signing, O="VMware, Inc."</c>.</summary>
    public static X509Certificate2 SelfSigned(string subject, DateTimeOffset notBefore, DateTimeOffset notAfter)
        => OpenSslCertificates.RuntimeCanMakeCertificates
            ? WithCertificateRequest(subject, notBefore, notAfter)
            : OpenSslCertificates.SelfSigned(subject, notBefore, notAfter);

    // Kept out of SelfSigned so that a runtime without CertificateRequest (Mono) never loads this method's types.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static X509Certificate2 WithCertificateRequest(string subject, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var cert = request.CreateSelfSigned(notBefore, notAfter);
        return X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pfx), null);
    }
}
