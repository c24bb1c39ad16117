using System.Management.Automation;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.Profiles;
using ESXiImageTools.Infrastructure;

namespace ESXiImageTools.Cmdlets;

/// <summary>Compare-EsxProfile: how two profiles differ, with package objects (ImageBuilder's ImageProfileDiff).</summary>
[Cmdlet(VerbsData.Compare, "EsxProfile")]
[Alias("Compare-EsxImageProfile")]
[OutputType(EsxTypeNames.ProfileDiff)]
public sealed class CompareEsxProfileCommand : EsxCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    [ArgumentCompleter(typeof(ProfileNameCompleter))]
    public ProfileArgument ReferenceProfile { get; set; }

    [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true)]
    [ArgumentCompleter(typeof(ProfileNameCompleter))]
    public ProfileArgument ComparisonProfile { get; set; }

    protected override void ProcessRecord()
    {
        TryRun(() => WriteObject(ProfileComparison.Compare(ResolveProfile(ReferenceProfile), ResolveProfile(ComparisonProfile))),
               ComparisonProfile.ToString());
    }
}
