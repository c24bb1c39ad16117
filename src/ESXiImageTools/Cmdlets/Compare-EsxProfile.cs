using System.Management.Automation;
using ESXiImageTools.Core.Profiles;
using ESXiImageTools.Infrastructure;
using ESXiImageTools.ObjectModel;

namespace ESXiImageTools.Cmdlets;

/// <summary>Compare-EsxProfile: how two profiles differ, with package objects (ImageBuilder's ImageProfileDiff).</summary>
[Cmdlet(VerbsData.Compare, "EsxProfile")]
[Alias("Compare-EsxImageProfile")]
[OutputType(EsxTypeNames.ImageProfileDiff)]
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
        TryRun(() => WriteObject(new ImageProfileDiff(ProfileComparison.Compare(ResolveProfile(ReferenceProfile), ResolveProfile(ComparisonProfile)))),
               ComparisonProfile.ToString());
    }
}
