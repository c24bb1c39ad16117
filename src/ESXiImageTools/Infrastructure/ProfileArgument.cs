using System.Management.Automation;
using ESXiImageTools.Core.Profiles;

namespace ESXiImageTools.Infrastructure;

/// <summary>
/// A -Profile argument: a profile object (the live object the cmdlets hand out, or an engine snapshot)
/// or a profile name, wildcards allowed when they match exactly one profile. PowerShell converts any of
/// them to this type through its constructors, so parameters accept each (as ImageBuilder's do).
/// </summary>
public sealed class ProfileArgument
{
    public ProfileArgument(LiveImageProfile profile) => Live = profile;

    public ProfileArgument(ImageProfile profile) => Profile = profile;

    public ProfileArgument(string name) => Name = name;

    /// <summary>The live profile object given, or null.</summary>
    public LiveImageProfile Live { get; }

    /// <summary>The engine snapshot given, or null.</summary>
    public ImageProfile Profile { get; }

    /// <summary>The name (or wildcard pattern) given, or null when an object was given.</summary>
    public string Name { get; }

    public override string ToString() => Live?.Name ?? Profile?.Name ?? Name;

    internal static object Unwrap(object item)
    {
        var value = item is PSObject pso ? pso.BaseObject : item;
        // Package lists hold the packages the cmdlets hand out; a live profile stands for its current snapshot.
        return value switch
        {
            LiveImageProfile live => live.Snapshot,
            ObjectModel.SoftwarePackage package => package.Vib,
            _ => value,
        };
    }
}

/// <summary>Type names for [OutputType]: strings, so that PowerShell's module scan never has to load the engine early.</summary>
internal static class EsxTypeNames
{
    public const string SoftwarePackage = "ESXiImageTools.ObjectModel.SoftwarePackage";
    public const string ImageProfile = "ESXiImageTools.Infrastructure.LiveImageProfile";
    public const string ValidationProblem = "ESXiImageTools.Core.Profiles.ValidationProblem";
    public const string ImageProfileDiff = "ESXiImageTools.ObjectModel.ImageProfileDiff";
    public const string FileInfo = "System.IO.FileInfo";
    public const string Depot = "ESXiImageTools.Core.Depots.Depot";
    public const string Component = "ESXiImageTools.Core.Components.Component";
    public const string ProfileComponent = "ESXiImageTools.Core.Components.ProfileComponent";
    public const string BaseImage = "ESXiImageTools.Core.Components.BaseImage";
    public const string ReleaseUnit = "ESXiImageTools.Core.Components.ReleaseUnit";
    public const string Addon = "ESXiImageTools.Core.Components.Addon";
    public const string CustomImageResult = "ESXiImageTools.Core.Customization.CustomImageResult";
    public const string ImageVerification = "ESXiImageTools.Core.Verification.ImageVerification";
}
