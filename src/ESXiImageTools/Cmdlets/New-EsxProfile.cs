using System.Linq;
using System.Management.Automation;
using ESXiImageTools.Core.Composition;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.Packages;
using ESXiImageTools.Core.Profiles;
using ESXiImageTools.Infrastructure;

namespace ESXiImageTools.Cmdlets;

/// <summary>
/// New-EsxProfile: an editable profile cloned from another (-CloneProfile), made from packages
/// (-NewProfile), built from a JSON profile spec (-Spec) or from VMware's software spec (-SoftwareSpec: base image,
/// components; -Spec also recognises one). All go through the engine's ProfileBuilder, as the CLI does. The result
/// joins the session.
/// </summary>
[Cmdlet(VerbsCommon.New, "EsxProfile", DefaultParameterSetName = CloneSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[Alias("New-EsxImageProfile")]
[OutputType(EsxTypeNames.ImageProfile)]
public sealed class NewEsxProfileCommand : EsxCmdlet
{
    private const string CloneSet = "Clone";
    private const string NewSet = "New";
    private const string SpecSet = "Spec";
    private const string SoftwareSpecSet = "SoftwareSpec";

    [Parameter(Mandatory = true, ParameterSetName = CloneSet, ValueFromPipeline = true)]
    [ArgumentCompleter(typeof(ProfileNameCompleter))]
    public ProfileArgument CloneProfile { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = NewSet)]
    public SwitchParameter NewProfile { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = SpecSet, Position = 0)]
    public string Spec { get; set; }

    /// <summary>VMware's software spec JSON (base_image, components, removed_components), as New-IsoImage takes it.</summary>
    [Parameter(Mandatory = true, ParameterSetName = SoftwareSpecSet)]
    public string SoftwareSpec { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = CloneSet)]
    [Parameter(Mandatory = true, ParameterSetName = NewSet, Position = 0)]
    [Parameter(ParameterSetName = SpecSet)]
    [Parameter(ParameterSetName = SoftwareSpecSet)]
    public string Name { get; set; }

    [Parameter(ParameterSetName = CloneSet)]
    [Parameter(Mandatory = true, ParameterSetName = NewSet)]
    [Parameter(ParameterSetName = SpecSet)]
    [Parameter(ParameterSetName = SoftwareSpecSet)]
    public string Vendor { get; set; }

    [Parameter(ParameterSetName = CloneSet)]
    [Parameter(ParameterSetName = NewSet)]
    [Parameter(ParameterSetName = SpecSet)]
    [Parameter(ParameterSetName = SoftwareSpecSet)]
    public string Description { get; set; }

    [Parameter(ParameterSetName = CloneSet)]
    [Parameter(ParameterSetName = NewSet)]
    [Parameter(ParameterSetName = SpecSet)]
    [Parameter(ParameterSetName = SoftwareSpecSet)]
    public AcceptanceLevel? AcceptanceLevel { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = NewSet)]
    [Alias("SoftwarePackage")]
    public object[] Package { get; set; }

    [Parameter(ParameterSetName = NewSet)]
    [Parameter(ParameterSetName = SpecSet)]
    public SwitchParameter AllowLowerAcceptance { get; set; }

    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        try
        {
            EditResult result;
            ImageProfile baseProfile;
            string specPath = null;
            if (ParameterSetName == SpecSet || ParameterSetName == SoftwareSpecSet)
            {
                specPath = ResolveExistingPaths(new[] { SoftwareSpec ?? Spec }, literal: true).FirstOrDefault();
                if (specPath == null) return;
            }
            // -Spec also takes VMware's software spec, told apart by its base_image member.
            var set = ParameterSetName == SpecSet && Core.Components.SoftwareSpec.IsSoftwareSpec(specPath) ? SoftwareSpecSet : ParameterSetName;
            switch (set)
            {
                case CloneSet:
                {
                    baseProfile = ResolveProfile(CloneProfile);
                    if (!ShouldProcess(Name, $"New image profile (clone of '{baseProfile.Name}')")) return;
                    result = Build(new ProfileBuildRequest { BaseProfile = baseProfile.Name, Name = Name, Vendor = Vendor, Description = Description, AcceptanceLevel = AcceptanceLevel, Force = Force },
                                   new[] { baseProfile });
                    break;
                }
                case NewSet:
                {
                    if (!ShouldProcess(Name, "New image profile")) return;
                    var items = Package.Select(ProfileArgument.Unwrap).ToList();
                    result = Build(new ProfileBuildRequest
                    {
                        Name = Name, Vendor = Vendor, Description = Description, AcceptanceLevel = AcceptanceLevel,
                        Add = items.Where(i => !(i is Vib)).Select(i => i.ToString()).ToList(),
                        AddPackages = items.OfType<Vib>().ToList(),
                        AllowLowerAcceptance = AllowLowerAcceptance, Force = Force,
                    }, Session.AllProfiles);
                    baseProfile = null;
                    break;
                }
                case SoftwareSpecSet:
                {
                    var path = specPath;
                    var request = Core.Composition.SoftwareSpecResolver.Resolve(new ProfileBuildRequest
                    {
                        SoftwareSpec = Core.Components.SoftwareSpec.Load(path),
                        Name = Name, Vendor = Vendor, Description = Description, AcceptanceLevel = AcceptanceLevel, Force = Force,
                    }, Session.DepotProfiles, Session.Depots.Components);
                    if (!ShouldProcess(request.Name, $"New image profile from software spec '{path}'")) return;
                    result = SessionProfileBuilder.Build(request, Session.Depots, cancellationToken: CancellationToken);
                    baseProfile = ProfileBuilder.FindProfile(Session.DepotProfiles, request.BaseProfile);
                    break;
                }
                default:
                {
                    var path = specPath;
                    var spec = ProfileSpec.Load(path);
                    if (Name != null) spec.Name = Name;
                    if (Vendor != null) spec.Vendor = Vendor;
                    if (Description != null) spec.Description = Description;
                    if (AcceptanceLevel != null) spec.AcceptanceLevel = AcceptanceLevels.ToCode(AcceptanceLevel.Value);
                    if (AllowLowerAcceptance) spec.AllowLowerAcceptance = true;
                    if (Force) spec.Force = true;
                    var target = spec.Name ?? spec.BaseProfile;
                    if (!ShouldProcess(target, $"New image profile from spec '{path}'")) return;
                    result = ProfileSpecApplier.Apply(spec, Session.AllProfiles, Session.Catalog, PackageFiles.Open);
                    baseProfile = spec.BaseProfile == null ? null : ProfileBuilder.FindProfile(Session.AllProfiles, spec.BaseProfile);
                    break;
                }
            }
            WriteEditReport(result);
            var made = result.Profile;
            // ImageBuilder's Author of a clone is the -Vendor that made it.
            if (ParameterSetName == CloneSet && !string.IsNullOrWhiteSpace(Vendor)) made = made with { Creator = Vendor.Trim() };
            WriteObject(Session.Add(made, baseProfile));
        }
        catch (EsxException e)
        {
            // Per input profile: a pipeline of several clones goes on after one fails. The record targets
            // what was wrong (the engine's target, e.g. the clone source that was not found).
            WriteEsxError(e, string.IsNullOrEmpty(e.Target) ? (object)(Name ?? Spec ?? SoftwareSpec) : null);
        }
    }

    private EditResult Build(ProfileBuildRequest request, System.Collections.Generic.IEnumerable<ImageProfile> profiles)
        => ProfileBuilder.Build(request with { BaseDirectory = SessionState.Path.CurrentFileSystemLocation.ProviderPath },
                                profiles, Session.Catalog, PackageFiles.Open);
}
