using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.IO;

namespace ESXiImageTools.Core.Packages;

/// <summary>
/// Opens .vib files (ar archives: descriptor.xml, sig.pkcs7, payloads). Reading checks
/// the container's structure (descriptor first, every declared payload present with its declared size)
/// but not the payload checksums: that is <see cref="VibVerifier"/>'s job. Payload bytes are never
/// loaded; the returned <see cref="Vib.Content"/> reads them from the source by offset.
/// </summary>
public static class VibFile
{
    public const string DescriptorMember = "descriptor.xml";
    public const string SignatureMember = "sig.pkcs7";

    /// <summary>Opens a .vib on disk. Missing file: <see cref="ErrorCodes.FileNotFound"/> (ObjectNotFound).</summary>
    public static Vib Open(string path)
    {
        if (string.IsNullOrEmpty(path)) throw new ArgumentNullException(nameof(path));
        if (!File.Exists(path))
            throw new EsxException(ErrorCodes.FileNotFound, EsxErrorCategory.ObjectNotFound, $"{path}: file not found", path);
        Layout layout;
        using (var fs = OpenFile(path)) layout = ReadLayout(fs, path);
        return layout.Vib with { Source = path, Content = new FileVibContent(path, layout.Members) };
    }

    /// <summary>
    /// Reads a VIB from any source (zip entry, cache, download). <paramref name="open"/> must return a
    /// fresh stream over the whole .vib each time it is called (seekable or forward-only); it is called
    /// once now and again whenever a payload is opened.
    /// </summary>
    public static Vib Read(Func<Stream> open, string location)
    {
        if (open == null) throw new ArgumentNullException(nameof(open));
        Layout layout;
        using (var s = open() ?? throw new InvalidOperationException("open returned null")) layout = ReadLayout(s, location);
        return layout.Vib with { Source = location, Content = new StreamVibContent(open, location, layout.Members) };
    }

    /// <summary>Lists the ar members of a .vib (name, offset, size) without interpreting them.</summary>
    public static IReadOnlyList<ArMember> ListMembers(Stream vib, string location) => ArReader.ReadIndex(vib, location);

    internal static FileStream OpenFile(string path)
        => new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.SequentialScan);

    private sealed class Layout
    {
        public Vib Vib;
        public Dictionary<string, ArMember> Members;
    }

    private static Layout ReadLayout(Stream s, string location)
    {
        var members = new Dictionary<string, ArMember>(StringComparer.Ordinal);
        Vib vib = null;
        using (var ar = new ArReader(s, location, leaveOpen: true))
        {
            if (!ar.MoveNext())
                throw new EsxFormatException(ErrorCodes.VibMissingDescriptor, location, DescriptorMember, "the archive has no members (descriptor.xml is missing)");
            if (ar.Current.Name != DescriptorMember)
                throw new EsxFormatException(ErrorCodes.VibMissingDescriptor, location, DescriptorMember,
                    $"the first member is '{ar.Current.Name}', expected descriptor.xml");
            members[DescriptorMember] = ar.Current;
            using (var d = ar.OpenCurrent()) vib = VibDescriptorReader.Parse(d, location, DescriptorMember);
            while (ar.MoveNext())
            {
                if (members.ContainsKey(ar.Current.Name))
                    throw new EsxFormatException(ErrorCodes.VibInvalidDescriptor, location, ar.Current.Name, "member name appears more than once in the archive");
                members[ar.Current.Name] = ar.Current;
            }
        }

        var payloads = new List<Payload>(vib.Payloads.Count);
        foreach (var p in vib.Payloads)
        {
            if (!members.TryGetValue(p.Name, out var m))
                throw new EsxFormatException(ErrorCodes.VibPayloadMissing, location, p.Name,
                    $"descriptor declares payload '{p.Name}' but the archive has no such member");
            if (p.Size < 0) payloads.Add(p with { Size = m.Size });
            else if (p.Size != m.Size)
                throw new EsxFormatException(ErrorCodes.VibSizeMismatch, location, p.Name,
                    $"descriptor declares payload '{p.Name}' as {p.Size} bytes but the member holds {m.Size} bytes");
            else payloads.Add(p);
        }
        bool signed = members.TryGetValue(SignatureMember, out var sig) && sig.Size > 0;
        return new Layout { Vib = vib with { Payloads = payloads, Signed = signed }, Members = members };
    }

    private static EsxFormatException MissingPayload(string location, Payload payload)
        => new EsxFormatException(ErrorCodes.VibPayloadMissing, location, payload?.Name, $"the VIB has no payload member '{payload?.Name}'");

    private static Func<long, long, Exception> ShortRead(string location, string member)
        => (got, want) => new EsxFormatException(ErrorCodes.VibTruncated, location, member, $"truncated: member data ends after {got} of {want} bytes");

    /// <summary>Payload access for a .vib on disk: each open is a new file handle windowed to the member.</summary>
    private sealed class FileVibContent : IVibContent
    {
        private readonly string _path;
        private readonly Dictionary<string, ArMember> _members;

        public FileVibContent(string path, Dictionary<string, ArMember> members)
        {
            _path = path;
            _members = members;
        }

        public string Location => _path;
        public bool IsAvailable => File.Exists(_path);

        public Stream OpenPayload(Payload payload, CancellationToken cancellationToken = default)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (payload == null || !_members.TryGetValue(payload.Name, out var m)) throw MissingPayload(_path, payload);
            var fs = OpenFile(_path);
            return new SubReadStream(fs, m.DataOffset, m.Size, ownsInner: true, ShortRead(_path, m.Name));
        }

        public Stream OpenVibFile(CancellationToken cancellationToken = default)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return OpenFile(_path);
        }

        public override string ToString() => _path;
    }

    /// <summary>Payload access through a reopenable stream (zip entries, caches): skips to the member each time.</summary>
    private sealed class StreamVibContent : IVibContent
    {
        private readonly Func<Stream> _open;
        private readonly string _location;
        private readonly Dictionary<string, ArMember> _members;

        public StreamVibContent(Func<Stream> open, string location, Dictionary<string, ArMember> members)
        {
            _open = open;
            _location = location;
            _members = members;
        }

        public string Location => _location;
        public bool IsAvailable => true;

        public Stream OpenPayload(Payload payload, CancellationToken cancellationToken = default)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (payload == null || !_members.TryGetValue(payload.Name, out var m)) throw MissingPayload(_location, payload);
            var s = _open();
            try
            {
                long start = 0;
                if (s.CanSeek) start = s.Position + m.DataOffset;
                else if (StreamUtil.Skip(s, m.DataOffset) < m.DataOffset)
                    throw new EsxFormatException(ErrorCodes.VibTruncated, _location, m.Name, "truncated: the VIB ends before the member's data");
                return new SubReadStream(s, start, m.Size, ownsInner: true, ShortRead(_location, m.Name));
            }
            catch
            {
                s.Dispose();
                throw;
            }
        }

        public Stream OpenVibFile(CancellationToken cancellationToken = default)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return _open();
        }

        public override string ToString() => _location;
    }
}
