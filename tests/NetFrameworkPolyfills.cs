// The .NET (Core) APIs the tests use that .NET Framework 4.8 lacks, for the test projects' net48 build (the Windows
// PowerShell 5.1 runtime, run under Mono here). Compiled only into the net48 build; each test assembly gets its own
// internal copy, so none leaks into another. Same behaviour as the .NET API, or the nearest the framework has (noted).
#if NETFRAMEWORK
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace System.Runtime.CompilerServices
{
    internal static class IsExternalInit { }

    /// <summary>The compiler runs a method marked with it when the module loads (.NET 5+; the C# compiler only needs the type).</summary>
    [AttributeUsage(AttributeTargets.Method, Inherited = false)]
    internal sealed class ModuleInitializerAttribute : Attribute { }
}

namespace System
{
    internal static class NetFrameworkPolyfills
    {
        extension(Convert)
        {
            public static string ToHexString(byte[] bytes) => string.Concat(bytes.Select(b => b.ToString("X2")));
            public static string ToHexStringLower(byte[] bytes) => string.Concat(bytes.Select(b => b.ToString("x2")));
            public static byte[] FromHexString(string hex)
            {
                var bytes = new byte[hex.Length / 2];
                for (int i = 0; i < bytes.Length; i++) bytes[i] = Convert.ToByte(hex.Substring(2 * i, 2), 16);
                return bytes;
            }
        }

        extension(Environment)
        {
            public static int ProcessId => Process.GetCurrentProcess().Id;
        }

        extension(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate)
        {
            public string ExportCertificatePem()
                => "-----BEGIN CERTIFICATE-----\n" + Convert.ToBase64String(certificate.RawData, Base64FormattingOptions.InsertLineBreaks).Replace("\r\n", "\n")
                   + "\n-----END CERTIFICATE-----\n";
        }

        extension(Path)
        {
            public static string GetRelativePath(string relativeTo, string path)
            {
                var from = new Uri(Path.GetFullPath(relativeTo).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar);
                var rel = Uri.UnescapeDataString(from.MakeRelativeUri(new Uri(Path.GetFullPath(path))).ToString());
                return rel.Replace('/', Path.DirectorySeparatorChar);
            }
        }

        extension(SHA256)
        {
            public static byte[] HashData(byte[] data) { using var h = SHA256.Create(); return h.ComputeHash(data); }
            public static byte[] HashData(Stream data) { using var h = SHA256.Create(); return h.ComputeHash(data); }
            public static byte[] HashData(ReadOnlySpan<byte> data) => SHA256.HashData(data.ToArray());
        }

        extension(Stream stream)
        {
            public void ReadExactly(byte[] buffer, int offset, int count)
            {
                while (count > 0)
                {
                    int n = stream.Read(buffer, offset, count);
                    if (n == 0) throw new EndOfStreamException();
                    offset += n; count -= n;
                }
            }
            public void ReadExactly(byte[] buffer) => stream.ReadExactly(buffer, 0, buffer.Length);
            public Task WriteAsync(byte[] buffer, CancellationToken ct = default) => stream.WriteAsync(buffer, 0, buffer.Length, ct);
        }

        extension(Task task)
        {
            // ValueTask's AsTask, for the byte[] WriteAsync above (which returns a Task already).
            public Task AsTask() => task;
        }

        extension(string s)
        {
            public string[] Split(string separator) => s.Split(new[] { separator }, StringSplitOptions.None);
            public string[] Split(char separator, StringSplitOptions options) => s.Split(new[] { separator }, options);
            public bool Contains(string value, StringComparison comparison) => s.IndexOf(value, comparison) >= 0;
            public string Replace(string oldValue, string newValue, StringComparison comparison)
            {
                var sb = new StringBuilder();
                int at = 0, i;
                while ((i = s.IndexOf(oldValue, at, comparison)) >= 0) { sb.Append(s, at, i - at).Append(newValue); at = i + oldValue.Length; }
                return sb.Append(s, at, s.Length - at).ToString();
            }
        }

        extension<TKey, TValue>(IReadOnlyDictionary<TKey, TValue> d)
        {
            public TValue GetValueOrDefault(TKey key) => d.TryGetValue(key, out var v) ? v : default;
        }

        extension<TKey, TValue>(KeyValuePair<TKey, TValue> pair)
        {
            public void Deconstruct(out TKey key, out TValue value) { key = pair.Key; value = pair.Value; }
        }

        extension<TFirst>(IEnumerable<TFirst> first)
        {
            public IEnumerable<(TFirst First, TSecond Second)> Zip<TSecond>(IEnumerable<TSecond> second) => first.Zip(second, (a, b) => (a, b));
        }

        extension(Dictionary<string, string> d)
        {
            public string GetValueOrDefault(string key) => d.TryGetValue(key, out var v) ? v : null;
        }

        extension(Span<byte> span)
        {
            public int IndexOfAnyExcept(byte value)
            {
                for (int i = 0; i < span.Length; i++) if (span[i] != value) return i;
                return -1;
            }
        }

        extension(Process p)
        {
            // .NET Framework can end only the process itself, not its children.
            public void Kill(bool entireProcessTree) => p.Kill();
        }

        extension(TcpListener listener)
        {
            // .NET Framework's accept takes no token: stopping the listener ends the wait instead.
            public Task<TcpClient> AcceptTcpClientAsync(CancellationToken ct) => listener.AcceptTcpClientAsync();
        }
    }

    // Its own class: the lowered static HashData(byte[]) would clash with SHA256's.
    internal static class NetFrameworkSha1Polyfill
    {
        extension(SHA1)
        {
            public static byte[] HashData(byte[] data) { using var h = SHA1.Create(); return h.ComputeHash(data); }
            public static byte[] HashData(ReadOnlySpan<byte> data) => SHA1.HashData(data.ToArray());
        }
    }
}

namespace System.Security.Cryptography.X509Certificates
{
    internal static class X509CertificateLoader
    {
        public static X509Certificate2 LoadCertificate(byte[] data) => new X509Certificate2(data);
        public static X509Certificate2 LoadPkcs12(byte[] data, string password) => new X509Certificate2(data, password, X509KeyStorageFlags.Exportable);
    }
}
#endif
