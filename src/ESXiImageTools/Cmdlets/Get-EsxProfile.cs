using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.Profiles;
using ESXiImageTools.Infrastructure;

namespace ESXiImageTools.Cmdlets;

/// <summary>Get-EsxProfile: the profiles of the session and of the added depots, filtered by name (wildcards) and vendor.</summary>
[Cmdlet(VerbsCommon.Get, "EsxProfile")]
[Alias("Get-EsxImageProfile")]
[OutputType(EsxTypeNames.ImageProfile)]
public sealed class GetEsxProfileCommand : EsxCmdlet
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ProfileNameCompleter))]
    public string[] Name { get; set; }

    [Parameter]
    [SupportsWildcards]
    public string[] Vendor { get; set; }

    protected override void ProcessRecord()
    {
        IEnumerable<ImageProfile> profiles = Session.AllProfiles;
        if (Vendor != null) profiles = profiles.Where(p => Matches(Vendor, p.Vendor));
        var list = profiles.ToList();
        if (Name == null)
        {
            WriteObject(list, enumerateCollection: true);
            return;
        }
        foreach (var name in Name)
        {
            var pattern = new WildcardPattern(name, WildcardOptions.IgnoreCase);
            var found = list.Where(p => pattern.IsMatch(p.Name)).ToList();
            if (found.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(name))
                WriteEsxError(ErrorCodes.ProfileNotFound, ErrorCategory.ObjectNotFound,
                    $"no image profile named '{name}' in this session or its depots", name);
            WriteObject(found, enumerateCollection: true);
        }
    }

    private static bool Matches(IEnumerable<string> patterns, string value)
        => patterns.Any(p => new WildcardPattern(p, WildcardOptions.IgnoreCase).IsMatch(value ?? ""));
}
