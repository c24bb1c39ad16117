using System;
using System.IO;
using System.Security.Cryptography;
using System.Text;

namespace ESXiImageTools.Core.IO;

/// <summary>The engine's one way to write a digest: lower-case hex, as VMware's metadata and our caches use it.</summary>
internal static class Digests
{
    public static string ToHex(byte[] bytes)
    {
        var c = new char[bytes.Length * 2];
        const string digits = "0123456789abcdef";
        for (int i = 0; i < bytes.Length; i++)
        {
            c[2 * i] = digits[bytes[i] >> 4];
            c[2 * i + 1] = digits[bytes[i] & 15];
        }
        return new string(c);
    }

    public static string Sha256Hex(byte[] data)
    {
        using var sha = SHA256.Create();
        return ToHex(sha.ComputeHash(data));
    }

    public static string Sha256Hex(Stream s)
    {
        using var sha = SHA256.Create();
        return ToHex(sha.ComputeHash(s));
    }

    /// <summary>The first 5 bytes (10 hex digits) of the sha-1 of a text's UTF-8: a short, stable tag for a file name.</summary>
    public static string ShortSha1Hex(string text)
    {
        using var sha1 = SHA1.Create();
        var h = sha1.ComputeHash(Encoding.UTF8.GetBytes(text));
        var part = new byte[5];
        Array.Copy(h, part, part.Length);
        return ToHex(part);
    }
}
