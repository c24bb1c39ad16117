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
/// A .vib that cannot be read gives <see cref="SignatureState.Unreadable"/> facts whose Problem says why; the first
/// read also writes that as a warning, in the warning stream of whatever reads the property (the cmdlet has ended by
/// then, or is paused in its output), so <c>3&gt;&amp;1</c> and $WarningPreference apply there; later reads only return the facts.
/// </summary>
public sealed class PackageSignature
{
    /// <summary>The property's name on a listed package.</summary>
    public const string PropertyName = "Signature";

    // The latest listing's signature of each package, as the property of the latest listing is the one a package shows.
    private static readonly ConditionalWeakTable<SoftwarePackage, PackageSignature> Latest = new ConditionalWeakTable<SoftwarePackage, PackageSignature>();
    private static readonly object Gate = new object();

    // A script property (not a code property) so that the first read's warning reaches the reader's warning stream.
    private const string GetterScript =
        "$s = [ESXiImageTools.Infrastructure.PackageSignature]::Of($this)\n" +
        "if ($null -ne $s) { $f = $s.Facts; $w = $s.TakeWarning(); if ($w) { Write-Warning $w }; $f }";

    private readonly Vib _vib;
    private readonly VibTrustStore _trust;
    private readonly Lazy<SignatureFacts> _facts;
    private string _warning;

    private PackageSignature(Vib vib, VibTrustStore trust)
    {
        _vib = vib;
        _trust = trust;
        _facts = new Lazy<SignatureFacts>(Read, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The getter of the Signature property: parsed once per listing (a script block belongs to one runspace).</summary>
    internal static ScriptBlock NewGetter() => ScriptBlock.Create(GetterScript);

    /// <summary>
    /// <paramref name="package"/> wrapped, with a Signature property read on demand against <paramref name="trust"/> (null:
    /// VMware's certificates and those ESXIIMAGETOOLS_TRUSTED_CERTS names); replaces the property of an earlier listing.
    /// </summary>
    internal static PSObject Attach(SoftwarePackage package, VibTrustStore trust, ScriptBlock getter)
    {
        var signature = new PackageSignature(package.Vib, trust);
        lock (Gate)
        {
            Latest.Remove(package);
            Latest.Add(package, signature);
        }
        var o = PSObject.AsPSObject(package);
        o.Properties.Remove(PropertyName);
        o.Properties.Add(new PSScriptProperty(PropertyName, getter));
        return o;
    }

    /// <summary>The signature the latest listing attached to <paramref name="package"/> (a package or its wrapper), or null.</summary>
    public static PackageSignature Of(object package)
    {
        var p = (package is PSObject o ? o.BaseObject : package) as SoftwarePackage;
        if (p == null) return null;
        lock (Gate) return Latest.TryGetValue(p, out var s) ? s : null;
    }

    /// <summary>The facts, read from the .vib on the first call; null when the .vib is remote or not available.</summary>
    public SignatureFacts Facts => _facts.Value;

    /// <summary>Whether <see cref="Facts"/> has been read (for tests: a listing alone reads nothing).</summary>
    public bool IsRead => _facts.IsValueCreated;

    /// <summary>The warning of a .vib that could not be read, once: null after the first call or when there is none.</summary>
    public string TakeWarning() => Interlocked.Exchange(ref _warning, null);

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
            // The .vib went away or is damaged since it was listed: say so in the facts, and once as a warning.
            var problem = $"{content.Location}: the signature of {_vib.Id} cannot be read: {MessageText.OneLine(e)}";
            Volatile.Write(ref _warning, problem);
            return new SignatureFacts { State = SignatureState.Unreadable, Present = false, CheckedAt = DateTimeOffset.UtcNow, Problem = problem };
        }
    }
}
