using System;
using System.Collections.Generic;
using ESXiImageTools.Core.Packages;

namespace ESXiImageTools.Core.Export;

/// <summary>
/// What a user asked of an export, whichever shell asked: the cmdlets, the command-line tool and
/// customization each map their switches to one of these, and <see cref="Fill{T}"/>
/// is the one mapping onto a format's options. A format's own settings (volume id, PXE prefix, kernel options,
/// bundle vendor) stay on its options.
/// </summary>
public sealed record ExportRequest
{
    /// <summary>The file (or, for a PXE image, the folder) to write.</summary>
    public string Destination { get; init; }

    /// <summary>Replace an existing destination (see <see cref="ExportOptions.Overwrite"/>).</summary>
    public bool Overwrite { get; init; }

    /// <summary>Export even when validation reports errors (see <see cref="ExportOptions.AllowInvalidProfile"/>).</summary>
    public bool AllowInvalidProfile { get; init; }

    /// <summary>Skip the signature check (see <see cref="ExportOptions.NoSignatureCheck"/>).</summary>
    public bool NoSignatureCheck { get; init; }

    /// <summary>The certificates signatures are checked against; null: VMware's and those ESXIIMAGETOOLS_TRUSTED_CERTS names.</summary>
    public VibTrustStore TrustStore { get; init; }

    /// <summary>Wait for the output to reach the disk before renaming it into place (default true; see <see cref="ExportOptions.FlushToDisk"/>).</summary>
    public bool FlushToDisk { get; init; } = true;

    /// <summary>Timestamp written into the output; null: SOURCE_DATE_EPOCH, else now (see <see cref="ExportOptions.ResolveTimestamp"/>).</summary>
    public DateTimeOffset? Timestamp { get; init; }

    /// <summary>Packages available to the session (see <see cref="ExportOptions.Catalog"/>).</summary>
    public IEnumerable<Vib> Catalog { get; init; }

    /// <summary>Sets the request's settings on <paramref name="options"/> (a format's options, its own settings already set) and returns it.</summary>
    public T Fill<T>(T options) where T : ExportOptions
    {
        if (options == null) throw new ArgumentNullException(nameof(options));
        options.Destination = Destination;
        options.Overwrite = Overwrite;
        options.AllowInvalidProfile = AllowInvalidProfile;
        options.NoSignatureCheck = NoSignatureCheck;
        options.TrustStore = TrustStore;
        options.FlushToDisk = FlushToDisk;
        options.Timestamp = Timestamp;
        options.Catalog = Catalog;
        return options;
    }
}
