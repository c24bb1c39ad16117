using System;
using System.IO;
using ICSharpCode.SharpZipLib;

namespace ESXiImageTools.Core.IO;

/// <summary>
/// The exceptions decompressors and archive readers throw on corrupt input: System.IO.Compression's
/// <see cref="InvalidDataException"/>, SharpZipLib's exceptions (gzip, tar, zip), a stream ending early, and
/// the index errors SharpZipLib's inflater raises on some crafted deflate streams, and the
/// <see cref="OverflowException"/> its tar header parser raises on a numeric field too large for its type, and any
/// <see cref="ArgumentException"/> raised inside SharpZipLib (its tar buffer's "buffer must have length BlockSize"
/// on a gzip stream that ends inside a tar record, seen on the .NET Framework path). The engine turns them into
/// typed format errors where it reads entries and payloads, so a bad file never looks like a bug.
/// </summary>
internal static class DecoderFaults
{
    /// <summary>True for an exception that means "the compressed or archived bytes are corrupt".</summary>
    public static bool IsDecoderFault(Exception e)
        => e is InvalidDataException || e is SharpZipBaseException || e is EndOfStreamException
           || e is IndexOutOfRangeException || e is ArgumentOutOfRangeException || e is OverflowException
           || (e is ArgumentException && ThrownBySharpZipLib(e));

    // The innermost frame of the exception's own stack trace (TargetSite and StackTrace frames are not reliable on
    // every runtime for exceptions thrown inside SharpZipLib's async tar reader: Mono leaves them empty).
    private static bool ThrownBySharpZipLib(Exception e)
    {
        var trace = e.StackTrace;
        if (string.IsNullOrEmpty(trace)) return false;
        var first = trace.TrimStart().Split('\n')[0];
        return first.IndexOf("ICSharpCode.SharpZipLib.", StringComparison.Ordinal) >= 0;
    }

    /// <summary>The decoder's message, for the "problem" part of an error.</summary>
    public static string Describe(Exception e) => string.IsNullOrEmpty(e.Message) ? e.GetType().Name : e.Message;
}

/// <summary>
/// A read-only pass-through over a decoding stream (a zip entry, a gzip stream) that turns decoder faults
/// raised while reading into the typed error <c>fault</c> builds, so every parser fed from it sees an
/// EsxException instead of InvalidDataException.
/// </summary>
internal sealed class DecoderFaultStream : ReadOnlyStream
{
    private readonly Stream _inner;
    private readonly Func<Exception, Exception> _fault;

    public DecoderFaultStream(Stream inner, Func<Exception, Exception> fault)
    {
        _inner = inner;
        _fault = fault;
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        try { return _inner.Read(buffer, offset, count); }
        catch (Exception e) when (DecoderFaults.IsDecoderFault(e)) { throw _fault(e); }
    }

    public override long Length => _inner.Length;
    public override long Position { get => _inner.Position; set => throw new NotSupportedException(); }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _inner.Dispose();
        base.Dispose(disposing);
    }
}
