using System.Management.Automation;
using ESXiImageTools.Core.Profiles;

namespace ESXiImageTools.Infrastructure;

/// <summary>
/// A -Profile argument: an ImageProfile object or a profile name. PowerShell converts either to this
/// type through its constructors, so parameters accept both (as ImageBuilder's do).
/// </summary>
public sealed class ProfileArgument
{
    public ProfileArgument(ImageProfile profile) => Profile = profile;

    public ProfileArgument(string name) => Name = name;

    /// <summary>The profile object given, or null when a name was given.</summary>
    public ImageProfile Profile { get; }

    /// <summary>The name given, or null when an object was given.</summary>
    public string Name { get; }

    public override string ToString() => Profile?.Name ?? Name;

    internal static object Unwrap(object item) => item is PSObject pso ? pso.BaseObject : item;
}

/// <summary>Type names for [OutputType]: strings, so that PowerShell's module scan never has to load the engine early.</summary>
internal static class EsxTypeNames
{
    public const string Vib = "ESXiImageTools.Core.Packages.Vib";
    public const string ImageProfile = "ESXiImageTools.Core.Profiles.ImageProfile";
    public const string ValidationProblem = "ESXiImageTools.Core.Profiles.ValidationProblem";
    public const string ProfileDiff = "ESXiImageTools.Core.Profiles.ProfileDiff";
    public const string FileInfo = "System.IO.FileInfo";
    public const string Depot = "ESXiImageTools.Core.Depots.Depot";
    public const string CustomImageResult = "ESXiImageTools.Core.Customization.CustomImageResult";
    public const string ImageVerification = "ESXiImageTools.Core.Verification.ImageVerification";
}
