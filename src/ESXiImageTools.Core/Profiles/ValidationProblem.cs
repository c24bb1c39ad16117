using System;
using System.Collections.Generic;
using ESXiImageTools.Core.Packages;

namespace ESXiImageTools.Core.Profiles;

/// <summary>What is wrong with an image profile.</summary>
public enum ValidationProblemKind
{
    /// <summary>A <c>depends</c> constraint that no package in the profile satisfies (by name or provides).</summary>
    MissingDependency,
    /// <summary>A package in the profile matches another package's <c>conflicts</c> constraint.</summary>
    Conflict,
    /// <summary>A package is replaced by another one in the profile (explicit <c>replaces</c>, or same name with a lower version).</summary>
    Obsolete,
    /// <summary>Two or more packages of one name.</summary>
    DuplicateName,
    /// <summary>A package is less trusted than the profile's acceptance level.</summary>
    AcceptanceLevel,
    /// <summary>A package's <c>softwarePlatform</c> (product line, version glob) does not match the profile's platform.</summary>
    SoftwarePlatform,
    /// <summary>
    /// A component (7.0+) of which the profile holds some VIBs but not all. An error for the base image's <c>ESXi</c>
    /// component (the image cannot be installed without it), a warning for any other.
    /// </summary>
    PartialComponent,
}

/// <summary>How serious a problem is: errors make a profile invalid; warnings are reported but allowed.</summary>
public enum ValidationSeverity
{
    Warning,
    Error,
}

/// <summary>
/// One validation finding. <see cref="Package"/> is the package the problem is about; <see cref="Related"/>
/// the other packages involved (the conflicting, replacing or same-name ones); <see cref="Candidates"/> the
/// catalog packages that would satisfy a missing dependency.
/// </summary>
public sealed record ValidationProblem
{
    public ValidationProblemKind Kind { get; init; }
    public ValidationSeverity Severity { get; init; } = ValidationSeverity.Error;
    public Vib Package { get; init; }

    /// <summary>The constraint at fault (depends, conflicts or replaces), or null.</summary>
    public Constraint Constraint { get; init; }

    /// <summary>For <see cref="ValidationProblemKind.MissingDependency"/>: catalog packages that satisfy the constraint.</summary>
    public IReadOnlyList<Vib> Candidates { get; init; } = Array.Empty<Vib>();

    /// <summary>Other profile packages involved in the problem.</summary>
    public IReadOnlyList<Vib> Related { get; init; } = Array.Empty<Vib>();

    public string Message { get; init; } = "";

    /// <summary>For <see cref="ValidationProblemKind.PartialComponent"/>: the component (<c>name:version</c>).</summary>
    public string Component { get; init; }

    /// <summary>A stable identity (kind, package id, constraint, related ids) used to tell new problems from old ones.</summary>
    public string Key
    {
        get
        {
            var related = new List<string>(Related.Count);
            foreach (var r in Related) related.Add(r.Id);
            related.Sort(StringComparer.Ordinal);
            return $"{Kind}|{Package?.Id}|{Constraint}|{Component}|{string.Join(",", related)}";
        }
    }

    public override string ToString() => $"{Severity} {Kind}: {Message}";
}
