using System;
using System.IO;
using System.Management.Automation;
using System.Runtime.CompilerServices;
using System.Threading;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.Packages;
using ESXiImageTools.ObjectModel;

namespace ESXiImageTools.Infrastructure;

/// <summary>
/// The Signature property Get-EsxPackage puts on each package it lists: the <see cref="SignatureFacts"/> of its .vib,
/// checked against the trust store of that listing, read the first time the property is read and then remembered, so
/// a listing that only wants names (<c>Get-EsxPackage | Select-Object Name</c>) opens no .vib. Null when the .vib is
/// behind a URL (not downloaded to be listed) or not available (an ISO holds no .vib files, the file is gone).
/// A .vib that cannot be read gives <see cref="SignatureState.Unreadable"/> facts whose Problem says why. The property
/// is a code property (<see cref="Get"/>), not a script: it also works where scripts may not call .NET methods
/// (Constrained Language mode), and it cannot write a warning, so the facts carry the problem.
/// </summary>
public sealed class PackageSignature
{
    /// <summary>The property's name on a listed package.</summary>
    public const string PropertyName = "Signature";

    // The latest listing's signature of each package, as the property of the latest listing is the one a package shows.
    private static readonly ConditionalWeakTable<SoftwarePackage, PackageSignature> Latest = new ConditionalWeakTable<SoftwarePackage, PackageSignature>();
    private static readonly object Gate = new object();

    private static readonly System.Reflection.MethodInfo Getter = typeof(PackageSignature).GetMethod(nameof(Get));

    private readonly Vib _vib;
    private readonly VibTrustStore _trust;
    private readonly Lazy<SignatureFacts> _facts;

    private PackageSignature(Vib vib, VibTrustStore trust)
    {
        _vib = vib;
        _trust = trust;
        _facts = new Lazy<SignatureFacts>(Read, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>
    /// <paramref name="package"/> wrapped, with a Signature property read on demand against <paramref name="trust"/> (null:
    /// VMware's certificates and those ESXIIMAGETOOLS_TRUSTED_CERTS names); replaces the property of an earlier listing.
    /// </summary>
    internal static PSObject Attach(SoftwarePackage package, VibTrustStore trust)
    {
        var signature = new PackageSignature(package.Vib, trust);
        lock (Gate)
        {
            Latest.Remove(package);
            Latest.Add(package, signature);
        }
        var o = PSObject.AsPSObject(package);
        o.Properties.Remove(PropertyName);
        o.Properties.Add(new PSCodeProperty(PropertyName, Getter));
        return o;
    }

    /// <summary>The signature the latest listing attached to <paramref name="package"/> (a package or its wrapper), or null.</summary>
    public static PackageSignature Of(object package)
    {
        var p = (package is PSObject o ? o.BaseObject : package) as SoftwarePackage;
        if (p == null) return null;
        lock (Gate) return Latest.TryGetValue(p, out var s) ? s : null;
    }

    /// <summary>The getter of the Signature code property: the facts of <paramref name="instance"/>'s latest listing, or null.</summary>
    public static SignatureFacts Get(PSObject instance) => Of(instance)?.Facts;

    /// <summary>The facts, read from the .vib on the first call; null when the .vib is remote or not available.</summary>
    public SignatureFacts Facts => _facts.Value;

    /// <summary>Whether <see cref="Facts"/> has been read (for tests: a listing alone reads nothing).</summary>
    public bool IsRead => _facts.IsValueCreated;

    private SignatureFacts Read()
    {
        var content = _vib.Content;
        if (content == null || !VibSignatureCheck.IsLocal(_vib) || !content.IsAvailable) return null;
        try
        {
            using var s = content.OpenVibFile();
            if (s == null) return null;
            var (descriptor, signature) = VibSignature.ReadMembers(s, content.Location);
            return VibSignature.Examine(signature, descriptor, _trust);
        }
        catch (Exception e) when (e is EsxException || e is IOException || e is UnauthorizedAccessException)
        {
            // The .vib went away or is damaged since it was listed: the facts say so.
            var problem = $"{content.Location}: the signature of {_vib.Id} cannot be read: {MessageText.OneLine(e)}";
            return new SignatureFacts { State = SignatureState.Unreadable, Present = false, CheckedAt = DateTimeOffset.UtcNow, Problem = problem };
        }
    }
}
