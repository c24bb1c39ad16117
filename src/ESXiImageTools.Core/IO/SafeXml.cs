using System;
using System.IO;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using ESXiImageTools.Core.Diagnostics;

namespace ESXiImageTools.Core.IO;

/// <summary>
/// Loads untrusted XML (descriptors, depot indexes, profiles) defensively: DTDs are refused (no entity
/// expansion, no external resolution), the input is bounded in bytes, and every failure becomes an
/// <see cref="EsxFormatException"/> naming the source.
/// </summary>
public static class SafeXml
{
    /// <summary>Default size bound: 16 MiB, far above any real descriptor or depot index.</summary>
    public const long DefaultMaxBytes = 16L * 1024 * 1024;

    /// <summary>Deepest element nesting accepted; real descriptors and depot documents nest under 10 levels.</summary>
    public const int MaxDepth = 64;

    /// <summary>Most elements in one document; far above any real descriptor, profile or depot index.</summary>
    public const int MaxElements = 250_000;

    private const int PrefixKept = 64 * 1024;

    /// <summary>Reader settings used for all untrusted XML: DTD prohibited, no resolver.</summary>
    public static XmlReaderSettings CreateReaderSettings() => new XmlReaderSettings
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersFromEntities = 1024,
        IgnoreProcessingInstructions = true,
        CloseInput = false,
    };

    /// <summary>Loads a VIB descriptor-like document; errors carry <see cref="ErrorCodes.VibInvalidDescriptor"/>.</summary>
    public static XDocument Load(Stream s, string source, long maxBytes = DefaultMaxBytes)
        => Load(s, source, null, ErrorCodes.VibInvalidDescriptor, maxBytes);

    /// <summary>
    /// Loads XML from <paramref name="s"/> (not closed). Malformed XML and oversize input raise
    /// <see cref="EsxFormatException"/> with <paramref name="errorCode"/>; a DTD raises it with
    /// <see cref="ErrorCodes.XmlDtdProhibited"/>. <paramref name="member"/> names the part inside
    /// <paramref name="source"/> (zip entry, ar member) or is null.
    /// </summary>
    public static XDocument Load(Stream s, string source, string member, string errorCode, long maxBytes = DefaultMaxBytes)
        => Read(s, source, member, errorCode, reader => XDocument.Load(reader, LoadOptions.None), maxBytes);

    /// <summary>
    /// Streams XML from <paramref name="s"/> (not closed) through <paramref name="parse"/>, with the bounds and error
    /// translation of <see cref="Load(Stream, string, string, string, long)"/>: the way to read a document once
    /// without building a tree. <paramref name="parse"/> must read to the end of the document so that malformed
    /// trailing XML is still refused. A shared <paramref name="nameTable"/> lets many small documents (10,000
    /// descriptors of one metadata zip) reuse their element and attribute name strings.
    /// </summary>
    public static T Read<T>(Stream s, string source, string member, string errorCode, Func<XmlReader, T> parse,
        long maxBytes = DefaultMaxBytes, XmlNameTable nameTable = null)
    {
        if (s == null) throw new ArgumentNullException(nameof(s));
        if (parse == null) throw new ArgumentNullException(nameof(parse));
        // Bytes already in memory and within the bound are read as they are: the reader then sizes its buffers to the
        // document instead of 12 KB each (10,000 descriptors of a metadata zip), and the prefix a failed parse is
        // diagnosed from is the part of the buffer consumed. Anything else goes through a counting stream.
        Stream input;
        Func<ArraySegment<byte>> consumedPrefix;
        if (s is MemoryStream ms && ms.Length - ms.Position <= maxBytes)
        {
            long start = ms.Position;
            input = ms;
            consumedPrefix = () =>
            {
                var prefix = new byte[(int)Math.Min(PrefixKept, ms.Position - start)];
                ms.Position = start;
                int n = ms.Read(prefix, 0, prefix.Length); // a MemoryStream returns all it holds
                return new ArraySegment<byte>(prefix, 0, n);
            };
        }
        else
        {
            var limited = new LimitedReadStream(s, maxBytes, PrefixKept);
            input = limited;
            consumedPrefix = () => limited.Prefix;
        }
        try
        {
            var settings = CreateReaderSettings();
            if (nameTable != null) settings.NameTable = nameTable;
            using var reader = new BoundedXmlReader(XmlReader.Create(input, settings), MaxDepth, MaxElements);
            return parse(reader);
        }
        catch (XmlShapeLimitException e)
        {
            throw new EsxFormatException(errorCode ?? ErrorCodes.VibInvalidDescriptor, source, member,
                $"XML document refused: {e.Message}", e);
        }
        catch (ReadLimitExceededException e)
        {
            throw new EsxFormatException(errorCode ?? ErrorCodes.VibInvalidDescriptor, source, member,
                $"XML document is larger than the limit of {maxBytes} bytes", e);
        }
        catch (XmlException e) when (LooksLikeDtd(e, consumedPrefix()))
        {
            throw new EsxFormatException(ErrorCodes.XmlDtdProhibited, source, member,
                "XML document contains a DTD (<!DOCTYPE>), which is refused for safety", e);
        }
        catch (XmlException e)
        {
            throw new EsxFormatException(errorCode ?? ErrorCodes.VibInvalidDescriptor, source, member,
                $"not well-formed XML: {e.Message}", e);
        }
        catch (Exception e) when (DecoderFaults.IsDecoderFault(e))
        {
            // Bytes read from a decompressing source that turned out corrupt.
            throw new EsxFormatException(errorCode ?? ErrorCodes.VibInvalidDescriptor, source, member,
                $"the XML document could not be read: {DecoderFaults.Describe(e)}", e);
        }
        catch (DecoderFallbackException e)
        {
            throw new EsxFormatException(errorCode ?? ErrorCodes.VibInvalidDescriptor, source, member,
                $"XML text is not validly encoded: {e.Message}", e);
        }
    }

    /// <summary>Loads XML from a string with the same rules.</summary>
    public static XDocument Parse(string xml, string source, string member = null, string errorCode = ErrorCodes.VibInvalidDescriptor, long maxBytes = DefaultMaxBytes)
    {
        using var ms = new MemoryStream(new UTF8Encoding(false).GetBytes(xml ?? ""));
        return Load(ms, source, member, errorCode, maxBytes);
    }

    private static bool LooksLikeDtd(XmlException e, ArraySegment<byte> p)
    {
        // The prolog (where a DOCTYPE must be) is within the bytes consumed when the reader fails.
        if (IndexOf(p, "<!DOCTYPE") >= 0) return true;
        // UTF-16 input or a prefix we did not keep: fall back to the framework message, which names the DTD.
        return e.Message.IndexOf("DTD", StringComparison.Ordinal) >= 0;
    }

    private static int IndexOf(ArraySegment<byte> hay, string ascii)
    {
        var needle = Encoding.ASCII.GetBytes(ascii);
        for (int i = hay.Offset; i <= hay.Offset + hay.Count - needle.Length; i++)
        {
            int j = 0;
            while (j < needle.Length && hay.Array[i + j] == needle[j]) j++;
            if (j == needle.Length) return i - hay.Offset;
        }
        return -1;
    }
}
