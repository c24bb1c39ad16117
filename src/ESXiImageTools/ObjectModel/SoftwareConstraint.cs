using System.Collections.Generic;
using System.Linq;
using ESXiImageTools.Core.Packages;

namespace ESXiImageTools.ObjectModel;

/// <summary>
/// ImageBuilder's SoftwareConstraint (a package's Depends, Conflicts or Replaces entry): Name, Relation
/// (<c>&lt;&lt; &lt;= = &gt;= &gt;&gt;</c> or null), Version as text or null, VersionObject. The engine's constraint is <see cref="Constraint"/>.
/// </summary>
public sealed class SoftwareConstraint
{
    public SoftwareConstraint(Constraint constraint) => Constraint = constraint ?? throw new System.ArgumentNullException(nameof(constraint));

    internal static SoftwareConstraint[] For(IEnumerable<Constraint> constraints) => constraints.Select(c => new SoftwareConstraint(c)).ToArray();

    /// <summary>The engine's constraint.</summary>
    public Constraint Constraint { get; }

    public string Name => Constraint.Name;

    /// <summary>The relation as descriptors write it, or null when any version will do.</summary>
    public string Relation => Constraint.RelationText;

    /// <summary>The version text, or null when any version will do.</summary>
    public string Version => Constraint.Version?.Text;

    public VibVersion VersionObject => Constraint.Version;

    /// <summary>Whether a package (itself or one of its provides) or a provide satisfies this constraint.</summary>
    public bool MatchesProvide(object provide)
    {
        switch (provide is System.Management.Automation.PSObject pso ? pso.BaseObject : provide)
        {
            case SoftwareProvide p: return Constraint.Matches(p.Name, p.VersionObject);
            case SoftwarePackage package: return MatchesPackage(package.Vib);
            case Vib vib: return MatchesPackage(vib);
            case Provide p: return Constraint.Matches(p.Name, p.Version);
            default: return false;
        }
    }

    private bool MatchesPackage(Vib vib)
        => Constraint.Matches(vib.Name, vib.Version) || vib.Provides.Any(p => Constraint.Matches(p.Name, p.Version));

    public override string ToString() => Constraint.ToString();
}
