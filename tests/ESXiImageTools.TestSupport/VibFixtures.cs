using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using ESXiImageTools.Core.IO;
using ESXiImageTools.Core.Packages;

namespace ESXiImageTools.TestSupport;

/// <summary>
/// Builds small, valid .vib files for tests with the engine's own writer. Deterministic: the same
/// arguments give the same bytes. Example:
/// <code>var (path, vib) = VibFixtures.Build(dir.Path, "net-foo", "1.0-1", depends: new[] { Constraint.Parse("esx-base >= 7.0") });</code>
/// </summary>
public static class VibFixtures
{
    /// <summary>The release date every fixture carries.</summary>
    public static readonly DateTimeOffset ReleaseDate = new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero);

    /// <summary>Descriptor metadata for a fixture VIB (payload list empty; <see cref="Build(string, Vib, ValueTuple{string, string, byte[]}[])"/> fills it).</summary>
    public static Vib Metadata(string name, string version, string vendor = "TestVendor",
        AcceptanceLevel level = AcceptanceLevel.PartnerSupported,
        IEnumerable<Constraint> depends = null, IEnumerable<Constraint> conflicts = null,
        IEnumerable<Constraint> replaces = null, IEnumerable<Provide> provides = null,
        string type = "bootbank")
        => new Vib
        {
            Type = type,
            Name = name,
            Version = VibVersion.Parse(version),
            Vendor = vendor,
            Summary = $"Test package {name}",
            Description = $"Fixture VIB {name} {version} built by the test suite",
            ReleaseDate = ReleaseDate,
            Depends = (depends ?? Enumerable.Empty<Constraint>()).ToList(),
            Conflicts = (conflicts ?? Enumerable.Empty<Constraint>()).ToList(),
            Replaces = (replaces ?? Enumerable.Empty<Constraint>()).ToList(),
            Provides = (provides ?? Enumerable.Empty<Provide>()).ToList(),
            MaintenanceMode = new MaintenanceMode(false, false),
            AcceptanceLevel = level,
            LiveInstallAllowed = true,
            LiveRemoveAllowed = true,
            StatelessReady = true,
        };

    /// <summary>
    /// Builds <c>&lt;dir&gt;/&lt;vib id&gt;.vib</c>. Without payloads it gets one tgz payload named after the
    /// VIB (8 chars) holding <c>etc/&lt;name&gt;/&lt;name&gt;.conf</c>, listed in the file-list.
    /// Returns the path and the VIB as read back from the file.
    /// </summary>
    public static (string Path, Vib Vib) Build(string dir, string name, string version, string vendor = "TestVendor",
        AcceptanceLevel level = AcceptanceLevel.PartnerSupported,
        IEnumerable<Constraint> depends = null, IEnumerable<Constraint> conflicts = null,
        IEnumerable<Constraint> replaces = null, IEnumerable<Provide> provides = null,
        params (string Name, string Type, byte[] Content)[] payloads)
        => Build(dir, Metadata(name, version, vendor, level, depends, conflicts, replaces, provides), payloads);

    /// <summary>Builds a .vib from full metadata and payload contents (name, type, stored bytes).</summary>
    public static (string Path, Vib Vib) Build(string dir, Vib metadata, params (string Name, string Type, byte[] Content)[] payloads)
    {
        Directory.CreateDirectory(dir);
        var list = payloads ?? Array.Empty<(string, string, byte[])>();
        if (list.Length == 0)
        {
            var file = $"etc/{metadata.Name}/{metadata.Name}.conf";
            list = new[] { (Short(metadata.Name), "tgz", TarGz((file, Encoding.UTF8.GetBytes($"{metadata.Name} {metadata.Version}\n")))) };
            if (metadata.FileList.Count == 0) metadata = metadata with { FileList = new[] { file } };
        }
        metadata = metadata with
        {
            Payloads = list.Select(p => metadata.Payloads.FirstOrDefault(x => x.Name == p.Name) ?? new Payload { Name = p.Name, Type = p.Type }).ToList(),
        };
        var path = System.IO.Path.Combine(dir, metadata.Id + ".vib");
        // Above CommunitySupported a VIB is signed, as real ones are, by the test run's in-house certificate.
        var sign = metadata.AcceptanceLevel > AcceptanceLevel.CommunitySupported ? TestSigning.InHouseSigner(ReleaseDate) : null;
        VibWriter.WriteFileSigned(metadata, list.Select(p => PayloadSource.FromBytes(p.Name, p.Content)), path, sign);
        return (path, VibFile.Open(path));
    }

    /// <summary>A gzip'd ustar archive of the entries (regular files; parent directories are implied), deterministic.</summary>
    public static byte[] TarGz(params (string Path, byte[] Content)[] entries)
        => TarGzWriter.Build(entries, new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero));

    /// <summary>A vgz payload: a gzip'd vmtar of the entries (parent directories added), deterministic.</summary>
    public static byte[] Vgz(params (string Path, byte[] Content)[] entries) => VmTar.Build(entries, gzip: true);

    /// <summary>ESXi-style short payload name: the VIB name cut to 8 characters.</summary>
    public static string Short(string name) => name.Length <= 8 ? name : name.Substring(0, 8);
}
