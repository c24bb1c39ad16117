using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace ESXiImageTools.TestSupport;

/// <summary>
/// Self-signed test certificates made by the openssl command, for runtimes without CertificateRequest (Mono 6.8:
/// <see cref="MonoDefect.NoCertificateRequest"/>). `openssl ca -selfsign` is used because it is the one form of
/// OpenSSL 3.0 that sets both validity dates, which the expired and signing-time cases need.
/// </summary>
internal static class OpenSslCertificates
{
    /// <summary>True when the runtime has CertificateRequest (.NET, .NET Framework 4.7.2+), so openssl is not needed.</summary>
    public static bool RuntimeCanMakeCertificates { get; } =
        Type.GetType("System.Security.Cryptography.X509Certificates.CertificateRequest, System.Security.Cryptography") != null
        || Type.GetType("System.Security.Cryptography.X509Certificates.CertificateRequest, System.Core") != null;

    public static X509Certificate2 SelfSigned(string subject, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        var dir = Path.Combine(Path.GetTempPath(), "esxit-test-openssl-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            File.WriteAllText(Path.Combine(dir, "index.txt"), "");
            File.WriteAllText(Path.Combine(dir, "serial"), "01\n");
            File.WriteAllText(Path.Combine(dir, "ca.cnf"), string.Join("\n",
                "[ ca ]", "default_ca = test_ca",
                "[ test_ca ]", $"database = {dir}/index.txt", $"new_certs_dir = {dir}", $"serial = {dir}/serial",
                "default_md = sha256", "policy = any_dn", "email_in_dn = no", "unique_subject = no", "x509_extensions = ca_ext",
                "[ any_dn ]", "countryName = optional", "organizationName = optional", "organizationalUnitName = optional", "commonName = optional",
                "[ ca_ext ]", "basicConstraints = critical, CA:TRUE", "[ req ]", "distinguished_name = dn", "[ dn ]", ""));
            Run(dir, "req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", "key.pem", "-out", "req.csr",
                "-config", "ca.cnf", "-subj", OpenSslSubject(subject));
            Run(dir, "ca", "-batch", "-config", "ca.cnf", "-selfsign", "-keyfile", "key.pem", "-in", "req.csr", "-out", "cert.pem",
                "-notext", "-preserveDN", "-startdate", Asn1Time(notBefore), "-enddate", Asn1Time(notAfter));
            // Mono reads only the legacy (RC2/3DES) PKCS#12 encryption.
            Run(dir, "pkcs12", "-export", "-legacy", "-in", "cert.pem", "-inkey", "key.pem", "-out", "cert.pfx", "-passout", "pass:test");
            return new X509Certificate2(File.ReadAllBytes(Path.Combine(dir, "cert.pfx")), "test", X509KeyStorageFlags.Exportable);
        }
        finally
        {
            try { Directory.Delete(dir, true); } catch (IOException) { }
        }
    }

    private static string Asn1Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + "Z";

    /// <summary>"CN=a, O=\"b, c\"" as openssl's "/CN=a/O=b, c".</summary>
    internal static string OpenSslSubject(string subject)
    {
        var parts = new List<string>();
        var current = new StringBuilder();
        bool quoted = false;
        foreach (var ch in subject)
        {
            if (ch == '"') { quoted = !quoted; continue; }
            if (ch == ',' && !quoted) { parts.Add(current.ToString().Trim()); current.Clear(); continue; }
            current.Append(ch == '/' ? "\\/" : ch.ToString());
        }
        if (current.Length > 0) parts.Add(current.ToString().Trim());
        return string.Concat(parts.Where(p => p.Length > 0).Select(p => "/" + p));
    }

    private static void Run(string dir, params string[] args)
    {
        var psi = new ProcessStartInfo("openssl")
        {
            WorkingDirectory = dir, UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true,
            Arguments = string.Join(" ", args.Select(Quote)),
        };
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("openssl did not start");
        var stderr = p.StandardError.ReadToEndAsync();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"openssl {string.Join(" ", args)} failed: {stderr.Result}");
    }

    private static string Quote(string a) => a.Length > 0 && a.IndexOfAny(new[] { ' ', '"', '\\', ',' }) < 0 ? a : "\"" + a.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}
