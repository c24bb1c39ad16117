using System;
using System.Collections.Generic;
using System.Linq;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.Packages;

namespace ESXiImageTools.Core.Profiles;

/// <summary>Options of a profile edit.</summary>
public sealed record EditOptions
{
    public static EditOptions Default { get; } = new EditOptions();

    /// <summary>Apply the edit even when it creates Error-level problems (reported as warnings), or removes a required package.</summary>
    public bool Force { get; init; }

    /// <summary>Lower the profile's acceptance level to the least trusted added package, with a warning.</summary>
    public bool AllowLowerAcceptance { get; init; }
}

/// <summary>A package that left the profile because another one took its place.</summary>
public sealed record PackageReplacement(Vib Old, Vib New, string Reason)
{
    public override string ToString() => $"{Old.Id} -> {New.Id} ({Reason})";
}

/// <summary>A package removed from the profile, and why.</summary>
public sealed record PackageRemoval(Vib Package, string Reason)
{
    public override string ToString() => $"{Package.Id} ({Reason})";
}

/// <summary>An item that changed nothing (already present, superseded), and why.</summary>
public sealed record IgnoredItem(string Item, Vib Package, string Reason)
{
    public override string ToString() => $"{Item} ({Reason})";
}

/// <summary>An item that could not be applied (not found, ambiguous); the others still were.</summary>
public sealed record EditItemError(string Item, EsxException Error)
{
    public override string ToString() => $"{Item}: {Error.Code}: {Error.Message}";
}

/// <summary>
/// The outcome of a profile edit: the new profile and what happened to each item, plus the
/// validation of the result. Pure data; the cmdlets turn Errors into non-terminating errors and
/// Warnings into WriteWarning.
/// </summary>
public sealed record EditResult
{
    /// <summary>The edited profile (the input instance when nothing changed).</summary>
    public ImageProfile Profile { get; init; }

    public IReadOnlyList<Vib> Added { get; init; } = Array.Empty<Vib>();
    public IReadOnlyList<PackageReplacement> Replaced { get; init; } = Array.Empty<PackageReplacement>();
    public IReadOnlyList<PackageRemoval> Removed { get; init; } = Array.Empty<PackageRemoval>();
    public IReadOnlyList<IgnoredItem> Ignored { get; init; } = Array.Empty<IgnoredItem>();
    public IReadOnlyList<EditItemError> Errors { get; init; } = Array.Empty<EditItemError>();
    public IReadOnlyList<EsxWarning> Warnings { get; init; } = Array.Empty<EsxWarning>();

    /// <summary>All validation problems of the resulting profile (including ones it already had).</summary>
    public IReadOnlyList<ValidationProblem> Problems { get; init; } = Array.Empty<ValidationProblem>();

    /// <summary>True when the profile has no Error-level problems.</summary>
    public bool IsValid => ProfileValidator.IsValid(Problems);

    /// <summary>True when the package list or a setting changed.</summary>
    public bool Changed { get; init; }

    /// <summary>Joins the item lists of consecutive edits; the profile, problems and Changed come from <paramref name="next"/>.</summary>
    public EditResult Then(EditResult next) => next with
    {
        Added = Added.Where(a => !next.Replaced.Any(r => ReferenceEquals(r.Old, a)) && !next.Removed.Any(r => ReferenceEquals(r.Package, a)))
                     .Concat(next.Added).ToList(),
        Replaced = Replaced.Concat(next.Replaced).ToList(),
        Removed = Removed.Concat(next.Removed).ToList(),
        Ignored = Ignored.Concat(next.Ignored).ToList(),
        Errors = Errors.Concat(next.Errors).ToList(),
        Warnings = Warnings.Concat(next.Warnings).ToList(),
        Changed = Changed || next.Changed,
    };
}

/// <summary>
/// An edit refused because it would make the profile invalid (code <see cref="ErrorCodes.ProfileInvalid"/>,
/// <see cref="ErrorCodes.AcceptanceLevelViolation"/> or <see cref="ErrorCodes.DependencyRequired"/>);
/// <see cref="Problems"/> holds the problems it would have created.
/// </summary>
public sealed class EsxProfileValidationException : EsxException
{
    public EsxProfileValidationException(string code, string message, string profile, IReadOnlyList<ValidationProblem> problems)
        : base(code, EsxErrorCategory.InvalidOperation, message, profile)
    {
        Problems = problems ?? Array.Empty<ValidationProblem>();
    }

    public IReadOnlyList<ValidationProblem> Problems { get; }
}
