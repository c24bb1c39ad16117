using System.Management.Automation;

namespace ESXiImageTools.Infrastructure;

/// <summary>
/// Remove-Module ends the runspace's session (its depots and session profiles are dropped) and takes back
/// ImageBuilder's type names, so a later VMware.ImageBuilder import owns them.
/// </summary>
public sealed class SessionCleanup : IModuleAssemblyCleanup
{
    /// <summary>Called by PowerShell on Remove-Module.</summary>
    public void OnRemove(PSModuleInfo psModuleInfo)
    {
        ModuleSession.EndCurrent();
        ImageBuilderTypeNames.Unregister();
    }
}
