using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;

namespace ESXiImageTools.Core.Packages;

/// <summary>Why a VIB fails the signature check an ESXi host makes (and an export makes before it).</summary>
public enum SignatureFailure
{
    /// <summary>Passes: CommunitySupported, or signed by an anchor allowed its level.</summary>
    None,
    /// <summary>The .vib itself is not available (an ISO holds payloads and descriptors only), so there is nothing to check.</summary>
    NotAvailable,
    /// <summary>No signature although the VIB claims a level above CommunitySupported.</summary>
    Unsigned,
    /// <summary>sig.pkcs7 is garbage, truncated, or carries no signer.</summary>
    Unreadable,
    /// <summary>The signature does not verify over descriptor.xml: the descriptor (or the signature) changed after signing.</summary>
    DoesNotVerify,
    /// <summary>The signer certificate was not valid at signing time.</summary>
    OutsideValidity,
    /// <summary>The signer is no trust anchor and chains to none (whatever its name says).</summary>
    Untrusted,
    /// <summary>A trusted anchor signed it, but the VIB claims a level above what that anchor may sign.</summary>
    LevelNotAllowed,
    /// <summary>The depot's metadata for the VIB (acceptance level, payload checksums) differs from its signed descriptor.</summary>
    DescriptorMismatch,
}

/// <summary>The outcome of <see cref="VibSignatureCheck.Check"/> for one VIB.</summary>
public sealed record SignatureVerdict(Vib Vib, SignatureFacts Facts, SignatureFailure Failure, string Problem)
{
    /// <summary>True when the VIB would pass an ESXi host's signature check.</summary>
    public bool Passed => Failure == SignatureFailure.None;
}

/// <summary>
/// The signature check an ESXi host makes before it installs a VIB: a VIB above CommunitySupported
/// must carry a signature over its exact descriptor.xml, by a certificate valid at signing time that is, or chains
/// to, a trust anchor allowed to sign the VIB's level. The check reads only descriptor.xml and sig.pkcs7 of the .vib.
/// </summary>
public static class VibSignatureCheck
{
    /// <summary>Checks <paramref name="vib"/> (through its <see cref="Vib.Content"/>) against <paramref name="trust"/>.</summary>
    public static SignatureVerdict Check(Vib vib, VibTrustStore trust, CancellationToken cancellationToken = default)
    {
        if (vib == null) throw new ArgumentNullException(nameof(vib));
        cancellationToken.ThrowIfCancellationRequested();
        var content = vib.Content;
        using var stream = content != null && content.IsAvailable ? content.OpenVibFile(cancellationToken) : null;
        if (stream == null) return Judge(vib, null, null);
        var location = content.Location ?? vib.Source ?? vib.Id;
        var (descriptor, signature) = VibSignature.ReadMembers(stream, location);
        var facts = VibSignature.Examine(signature, descriptor, trust);
        return Judge(vib, facts, () => VibDescriptorReader.Parse(new MemoryStream(descriptor, false), location, VibFile.DescriptorMember));
    }

    /// <summary>
    /// Judges facts already read. <paramref name="signedDescriptor"/> parses the descriptor the signature covers, to
    /// compare with <paramref name="vib"/> when that came from depot metadata; null skips the comparison.
    /// </summary>
    public static SignatureVerdict Judge(Vib vib, SignatureFacts facts, Func<Vib> signedDescriptor)
    {
        var level = vib.AcceptanceLevel;
        SignatureVerdict Fail(SignatureFailure f, string problem) => new SignatureVerdict(vib, facts, f, problem);
        if (level <= AcceptanceLevel.CommunitySupported) return Fail(SignatureFailure.None, null);
        if (facts == null) return Fail(SignatureFailure.NotAvailable, "its .vib is not available (the source holds payloads only), so its signature cannot be checked");
        switch (facts.State)
        {
            case SignatureState.Unsigned:
                return Fail(SignatureFailure.Unsigned, $"it claims {level} but carries no signature");
            case SignatureState.Unreadable:
                return Fail(SignatureFailure.Unreadable, facts.Problem ?? "sig.pkcs7 cannot be read");
            case SignatureState.DoesNotVerify:
                return Fail(SignatureFailure.DoesNotVerify, "its signature does not verify over its descriptor: the descriptor or the signature was changed after signing");
        }
        string Day(DateTimeOffset? d) => d?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) ?? "?";
        if (facts.ValidAtSigning == false)
            return Fail(SignatureFailure.OutsideValidity,
                $"it was signed {(facts.SigningTime == null ? "(no signing time; checked now)" : "on " + Day(facts.SigningTime))} by '{facts.Signer}', whose certificate is valid only from {Day(facts.NotBefore)} to {Day(facts.NotAfter)}");
        if (facts.Anchor == null)
            return Fail(SignatureFailure.Untrusted,
                $"it is signed by '{facts.Signer}' (certificate sha-256 {facts.SignerThumbprint}), which is not a trusted certificate and chains to none; a familiar name is not trust");
        if (facts.AnchorMaxLevel is AcceptanceLevel max && level > max)
            return Fail(SignatureFailure.LevelNotAllowed, $"it claims {level}, but its signer '{facts.Anchor}' may sign at most {max}");
        if (signedDescriptor != null && Mismatch(vib, signedDescriptor()) is string difference)
            return Fail(SignatureFailure.DescriptorMismatch, "its depot metadata differs from its signed descriptor: " + difference);
        return Fail(SignatureFailure.None, null);
    }

    /// <summary>What of <paramref name="vib"/> the signed descriptor contradicts (id, level, payload sizes or checksums); null when nothing.</summary>
    private static string Mismatch(Vib vib, Vib signed)
    {
        if (!string.Equals(vib.Id, signed.Id, StringComparison.Ordinal)) return $"id {vib.Id} against signed {signed.Id}";
        if (vib.AcceptanceLevel != signed.AcceptanceLevel) return $"acceptance level {vib.AcceptanceLevel} against signed {signed.AcceptanceLevel}";
        var signedPayloads = signed.Payloads.GroupBy(p => p.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        foreach (var p in vib.Payloads)
        {
            if (!signedPayloads.TryGetValue(p.Name, out var s)) return $"payload '{p.Name}' is not in the signed descriptor";
            if (p.Size > 0 && s.Size > 0 && p.Size != s.Size) return $"payload '{p.Name}' is {p.Size} bytes against signed {s.Size}";
            var signedSums = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var c in s.Checksums) signedSums[c.Algorithm + "/" + c.VerifyProcess] = c.Value;
            foreach (var c in p.Checksums)
                if (signedSums.TryGetValue(c.Algorithm + "/" + c.VerifyProcess, out var v) && !string.Equals(v, c.Value, StringComparison.OrdinalIgnoreCase))
                    return $"payload '{p.Name}' {c.Algorithm} {c.Value} against signed {v}";
        }
        return null;
    }

    /// <summary>
    /// Whether the .vib of <paramref name="vib"/> is read from this machine (a file, a zip, an ISO), so that looking at its
    /// signature costs little; false for one behind a URL, which would be downloaded for it.
    /// </summary>
    public static bool IsLocal(Vib vib)
        => vib?.Content?.Location is string l && !l.StartsWith("http://", StringComparison.OrdinalIgnoreCase) && !l.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    /// <summary>Short names of failures, for messages that group VIBs by what failed.</summary>
    public static string Describe(SignatureFailure failure) => failure switch
    {
        SignatureFailure.NotAvailable => "signature not checkable (the source holds no .vib files)",
        SignatureFailure.Unsigned => "unsigned although above CommunitySupported",
        SignatureFailure.Unreadable => "signature unreadable",
        SignatureFailure.DoesNotVerify => "signature does not verify over the descriptor",
        SignatureFailure.OutsideValidity => "signed with a certificate outside its validity",
        SignatureFailure.Untrusted => "signed by an untrusted certificate",
        SignatureFailure.LevelNotAllowed => "signer not allowed the claimed acceptance level",
        SignatureFailure.DescriptorMismatch => "depot metadata differs from the signed descriptor",
        _ => "signature passes",
    };
}
