using System.Management.Automation;

namespace ESXiImageTools.Infrastructure;

/// <summary>
/// The import hook of ESXiImageTools.Loader.dll, the manifest's first nested module. PowerShell imports
/// nested modules before the root module, so this runs before PowerShell reflects over the cmdlet
/// assembly: whatever engine types a cmdlet's fields or attributes use, the engine already resolves.
/// This assembly references nothing of the engine, so it always loads.
/// </summary>
public sealed class DependencyLoader : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    private static readonly object Gate = new object();
    private static DependencyIsolation _isolation;

    /// <summary>Called by PowerShell on Import-Module: installs the private loading of the engine.</summary>
    public void OnImport()
    {
        lock (Gate)
        {
            _isolation ??= new DependencyIsolation(DependencyIsolation.DefaultFolder);
            _isolation.Install();
        }
    }

    /// <summary>Called by PowerShell on Remove-Module: removes the resolve handler (loaded assemblies stay).</summary>
    public void OnRemove(PSModuleInfo psModuleInfo)
    {
        lock (Gate)
        {
            _isolation?.Uninstall();
        }
    }
}
