using ESXiImageTools.Core.Packages;

namespace ESXiImageTools.ObjectModel;

/// <summary>ImageBuilder's SoftwareProvide (a package's Provides entry): Name, and Version as text or null.</summary>
public sealed class SoftwareProvide
{
    public SoftwareProvide(Provide provide) => Provide = provide ?? throw new System.ArgumentNullException(nameof(provide));

    /// <summary>The engine's provide.</summary>
    public Provide Provide { get; }

    public string Name => Provide.Name;

    /// <summary>The version text, or null for a versionless provide.</summary>
    public string Version => Provide.Version?.Text;

    public VibVersion VersionObject => Provide.Version;

    public override string ToString() => Provide.ToString();
}
