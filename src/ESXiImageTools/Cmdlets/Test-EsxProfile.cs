using System.Management.Automation;
using ESXiImageTools.Core.Profiles;
using ESXiImageTools.Infrastructure;

namespace ESXiImageTools.Cmdlets;

/// <summary>Test-EsxProfile: validates a profile and writes its problems as objects (nothing when valid), or $true/$false with -Quiet.</summary>
[Cmdlet(VerbsDiagnostic.Test, "EsxProfile")]
[OutputType(EsxTypeNames.ValidationProblem, "System.Boolean")]
public sealed class TestEsxProfileCommand : EsxCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [Alias("ImageProfile")]
    [ArgumentCompleter(typeof(ProfileNameCompleter))]
    public ProfileArgument[] Profile { get; set; }

    /// <summary>Return only whether each profile is valid (no Error-level problem).</summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var argument in Profile)
        {
            TryRun(() =>
            {
                var problems = ProfileValidator.Validate(ResolveProfile(argument), Session.Catalog);
                if (Quiet) WriteObject(ProfileValidator.IsValid(problems));
                else WriteObject(problems, enumerateCollection: true);
            }, argument.ToString());
        }
    }
}
