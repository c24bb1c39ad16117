using System.Linq;
using ESXiImageTools.Core.Packages;
using ESXiImageTools.Core.Profiles;

namespace ESXiImageTools.ObjectModel;

/// <summary>
/// ImageBuilder's ImageProfileDiff (Compare-EsxImageProfile): Equal, PackagesEqual, the VIB ids only in one
/// profile or up- or downgraded, and both acceptance levels; next to them the packages themselves and the
/// engine's comparison (<see cref="Diff"/>).
/// </summary>
public sealed class ImageProfileDiff
{
    public ImageProfileDiff(ProfileDiff diff) => Diff = diff ?? throw new System.ArgumentNullException(nameof(diff));

    /// <summary>The engine's comparison (profiles, package pairs).</summary>
    public ProfileDiff Diff { get; }

    public bool Equal => Diff.Equal;
    public bool PackagesEqual => Diff.PackagesEqual;

    /// <summary>Ids of the VIBs only the reference profile holds.</summary>
    public string[] OnlyInRef => Diff.OnlyInReference.Select(v => v.Id).ToArray();

    /// <summary>Ids of the VIBs only the comparison profile holds.</summary>
    public string[] OnlyInComp => Diff.OnlyInComparison.Select(v => v.Id).ToArray();

    /// <summary>Ids of the comparison's VIBs that upgrade one of the reference's.</summary>
    public string[] UpgradeFromRef => Diff.Upgraded.Select(c => c.Comparison.Id).ToArray();

    /// <summary>Ids of the comparison's VIBs that downgrade one of the reference's.</summary>
    public string[] DowngradeFromRef => Diff.Downgraded.Select(c => c.Comparison.Id).ToArray();

    public AcceptanceLevel RefAcceptanceLevel => Diff.ReferenceAcceptanceLevel;
    public AcceptanceLevel CompAcceptanceLevel => Diff.ComparisonAcceptanceLevel;

    /// <summary>The packages only the reference holds.</summary>
    public SoftwarePackage[] OnlyInReference => SoftwarePackage.For(Diff.OnlyInReference);

    /// <summary>The packages only the comparison holds.</summary>
    public SoftwarePackage[] OnlyInComparison => SoftwarePackage.For(Diff.OnlyInComparison);

    /// <summary>Same name, higher version in the comparison (reference and comparison package).</summary>
    public PackageVersionChange[] Upgraded => Diff.Upgraded.ToArray();

    /// <summary>Same name, lower version in the comparison.</summary>
    public PackageVersionChange[] Downgraded => Diff.Downgraded.ToArray();

    public override string ToString() => $"{Diff.Reference?.Name} <> {Diff.Comparison?.Name}";
}
